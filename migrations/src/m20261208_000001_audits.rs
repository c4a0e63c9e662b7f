//! Audits: recurring checks of a live integration (an interval and a first due day), each run
//! performed on a day with what was found, and each finding's remediation until it is resolved.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Integrations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Audits {
    Table,
    Id,
    IntegrationId,
    Title,
    Checks,
    IntervalDays,
    FirstDue,
    OwnerId,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditRuns {
    Table,
    Id,
    AuditId,
    IntegrationId,
    PerformedOn,
    PerformedBy,
    Notes,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditFindings {
    Table,
    Id,
    RunId,
    AuditId,
    IntegrationId,
    Summary,
    Severity,
    Remediation,
    DueOn,
    ResolvedOn,
    ResolvedBy,
    Resolution,
    CreatedBy,
    CreatedAt,
}

fn reference(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

fn index(name: &str, table: impl IntoIden, cols: Vec<DynIden>) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, NoAction, SetNull};
        manager
            .create_table(
                Table::create()
                    .table(Audits::Table)
                    .col(pk_auto(Audits::Id))
                    .col(integer(Audits::IntegrationId))
                    .col(string(Audits::Title))
                    .col(text(Audits::Checks))
                    .col(integer(Audits::IntervalDays))
                    .col(date(Audits::FirstDue))
                    .col(integer_null(Audits::OwnerId))
                    .col(integer(Audits::CreatedBy))
                    .col(timestamp_with_time_zone(Audits::CreatedAt))
                    .foreign_key(&mut reference(
                        "fk_audits_integration",
                        (Audits::Table, Audits::IntegrationId),
                        (Integrations::Table, Integrations::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut reference(
                        "fk_audits_owner",
                        (Audits::Table, Audits::OwnerId),
                        (Users::Table, Users::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut reference(
                        "fk_audits_created_by",
                        (Audits::Table, Audits::CreatedBy),
                        (Users::Table, Users::Id),
                        NoAction,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_audits_integration",
                Audits::Table,
                vec![Audits::IntegrationId.into_iden()],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditRuns::Table)
                    .col(pk_auto(AuditRuns::Id))
                    .col(integer(AuditRuns::AuditId))
                    .col(integer(AuditRuns::IntegrationId))
                    .col(date(AuditRuns::PerformedOn))
                    .col(integer(AuditRuns::PerformedBy))
                    .col(text(AuditRuns::Notes))
                    .col(timestamp_with_time_zone(AuditRuns::CreatedAt))
                    .foreign_key(&mut reference(
                        "fk_audit_runs_audit",
                        (AuditRuns::Table, AuditRuns::AuditId),
                        (Audits::Table, Audits::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut reference(
                        "fk_audit_runs_integration",
                        (AuditRuns::Table, AuditRuns::IntegrationId),
                        (Integrations::Table, Integrations::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut reference(
                        "fk_audit_runs_performed_by",
                        (AuditRuns::Table, AuditRuns::PerformedBy),
                        (Users::Table, Users::Id),
                        NoAction,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_audit_runs_audit_performed",
                AuditRuns::Table,
                vec![
                    AuditRuns::AuditId.into_iden(),
                    AuditRuns::PerformedOn.into_iden(),
                ],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditFindings::Table)
                    .col(pk_auto(AuditFindings::Id))
                    .col(integer(AuditFindings::RunId))
                    .col(integer(AuditFindings::AuditId))
                    .col(integer(AuditFindings::IntegrationId))
                    .col(string(AuditFindings::Summary))
                    .col(string(AuditFindings::Severity))
                    .col(text(AuditFindings::Remediation))
                    .col(date_null(AuditFindings::DueOn))
                    .col(date_null(AuditFindings::ResolvedOn))
                    .col(integer_null(AuditFindings::ResolvedBy))
                    .col(text(AuditFindings::Resolution))
                    .col(integer(AuditFindings::CreatedBy))
                    .col(timestamp_with_time_zone(AuditFindings::CreatedAt))
                    .foreign_key(&mut reference(
                        "fk_audit_findings_run",
                        (AuditFindings::Table, AuditFindings::RunId),
                        (AuditRuns::Table, AuditRuns::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut reference(
                        "fk_audit_findings_audit",
                        (AuditFindings::Table, AuditFindings::AuditId),
                        (Audits::Table, Audits::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut reference(
                        "fk_audit_findings_integration",
                        (AuditFindings::Table, AuditFindings::IntegrationId),
                        (Integrations::Table, Integrations::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut reference(
                        "fk_audit_findings_resolved_by",
                        (AuditFindings::Table, AuditFindings::ResolvedBy),
                        (Users::Table, Users::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut reference(
                        "fk_audit_findings_created_by",
                        (AuditFindings::Table, AuditFindings::CreatedBy),
                        (Users::Table, Users::Id),
                        NoAction,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_audit_findings_run", AuditFindings::RunId),
            ("idx_audit_findings_audit", AuditFindings::AuditId),
        ] {
            manager
                .create_index(index(name, AuditFindings::Table, vec![col.into_iden()]))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            AuditFindings::Table.into_iden(),
            AuditRuns::Table.into_iden(),
            Audits::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
