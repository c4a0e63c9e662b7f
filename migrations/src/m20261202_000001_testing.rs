//! The testing stage: one test plan per integration (its configuration matrix and the
//! categories it must cover), its cases, runs that expand into executions, defects, and QA
//! sign-offs that keep a hashed snapshot of every result and are superseded, never edited.

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
enum Environments {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TestPlans {
    Table,
    Id,
    IntegrationId,
    Browsers,
    Devices,
    RequiredCategories,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TestCases {
    Table,
    Id,
    PlanId,
    Key,
    Title,
    Category,
    Preconditions,
    Steps,
    Expected,
    Priority,
    Required,
    ObjectiveIds,
    TemplateKey,
    Position,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TestRuns {
    Table,
    Id,
    PlanId,
    Name,
    Build,
    EnvironmentId,
    StartedBy,
    StartedAt,
}

#[derive(DeriveIden)]
enum TestExecutions {
    Table,
    Id,
    RunId,
    CaseId,
    Configuration,
    Status,
    Actual,
    Notes,
    Evidence,
    TesterId,
    RecordedAt,
}

#[derive(DeriveIden)]
enum Defects {
    Table,
    Id,
    IntegrationId,
    ExecutionId,
    Title,
    Severity,
    Status,
    TrackerUrl,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Signoffs {
    Table,
    Id,
    RunId,
    Statement,
    SignerId,
    SignedAt,
    Snapshot,
    Sha256,
    SupersededAt,
    SupersededReason,
}

fn fk(
    name: &str,
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    to: (impl IntoIden + 'static, impl IntoIden + 'static),
    cascade: bool,
) -> ForeignKeyCreateStatement {
    let mut f = ForeignKey::create();
    f.name(name).from(from.0, from.1).to(to.0, to.1);
    if cascade {
        f.on_delete(ForeignKeyAction::Cascade);
    } else {
        f.on_delete(ForeignKeyAction::SetNull);
    }
    f.to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden + 'static,
    col: impl IntoIden + 'static,
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(table).col(col);
    if unique {
        i.unique();
    }
    manager.create_index(i.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TestPlans::Table)
                    .col(pk_auto(TestPlans::Id))
                    .col(integer(TestPlans::IntegrationId))
                    .col(string(TestPlans::Browsers))
                    .col(string(TestPlans::Devices))
                    .col(string(TestPlans::RequiredCategories))
                    .col(timestamp_with_time_zone(TestPlans::CreatedAt))
                    .col(timestamp_with_time_zone(TestPlans::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_test_plans_integration",
                        (TestPlans::Table, TestPlans::IntegrationId),
                        (Integrations::Table, Integrations::Id),
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_test_plans_integration",
            TestPlans::Table,
            TestPlans::IntegrationId,
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(TestCases::Table)
                    .col(pk_auto(TestCases::Id))
                    .col(integer(TestCases::PlanId))
                    .col(string(TestCases::Key))
                    .col(string(TestCases::Title))
                    .col(string(TestCases::Category))
                    .col(text(TestCases::Preconditions))
                    .col(text(TestCases::Steps))
                    .col(text(TestCases::Expected))
                    .col(string(TestCases::Priority))
                    .col(boolean(TestCases::Required))
                    .col(string(TestCases::ObjectiveIds))
                    .col(string_null(TestCases::TemplateKey))
                    .col(integer(TestCases::Position))
                    .col(timestamp_with_time_zone(TestCases::CreatedAt))
                    .col(timestamp_with_time_zone(TestCases::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_test_cases_plan",
                        (TestCases::Table, TestCases::PlanId),
                        (TestPlans::Table, TestPlans::Id),
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_test_cases_plan_key")
                    .table(TestCases::Table)
                    .col(TestCases::PlanId)
                    .col(TestCases::Key)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TestRuns::Table)
                    .col(pk_auto(TestRuns::Id))
                    .col(integer(TestRuns::PlanId))
                    .col(string(TestRuns::Name))
                    .col(string(TestRuns::Build))
                    .col(integer_null(TestRuns::EnvironmentId))
                    .col(integer(TestRuns::StartedBy))
                    .col(timestamp_with_time_zone(TestRuns::StartedAt))
                    .foreign_key(&mut fk(
                        "fk_test_runs_plan",
                        (TestRuns::Table, TestRuns::PlanId),
                        (TestPlans::Table, TestPlans::Id),
                        true,
                    ))
                    .foreign_key(&mut fk(
                        "fk_test_runs_environment",
                        (TestRuns::Table, TestRuns::EnvironmentId),
                        (Environments::Table, Environments::Id),
                        false,
                    ))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .name("fk_test_runs_started_by")
                            .from(TestRuns::Table, TestRuns::StartedBy)
                            .to(Users::Table, Users::Id)
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_test_runs_plan",
            TestRuns::Table,
            TestRuns::PlanId,
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(TestExecutions::Table)
                    .col(pk_auto(TestExecutions::Id))
                    .col(integer(TestExecutions::RunId))
                    .col(integer(TestExecutions::CaseId))
                    .col(string(TestExecutions::Configuration))
                    .col(string(TestExecutions::Status))
                    .col(text(TestExecutions::Actual))
                    .col(text(TestExecutions::Notes))
                    .col(string(TestExecutions::Evidence))
                    .col(integer_null(TestExecutions::TesterId))
                    .col(timestamp_with_time_zone_null(TestExecutions::RecordedAt))
                    .foreign_key(&mut fk(
                        "fk_test_executions_run",
                        (TestExecutions::Table, TestExecutions::RunId),
                        (TestRuns::Table, TestRuns::Id),
                        true,
                    ))
                    .foreign_key(&mut fk(
                        "fk_test_executions_case",
                        (TestExecutions::Table, TestExecutions::CaseId),
                        (TestCases::Table, TestCases::Id),
                        true,
                    ))
                    .foreign_key(&mut fk(
                        "fk_test_executions_tester",
                        (TestExecutions::Table, TestExecutions::TesterId),
                        (Users::Table, Users::Id),
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_test_executions_run",
            TestExecutions::Table,
            TestExecutions::RunId,
            false,
        )
        .await?;
        index(
            manager,
            "idx_test_executions_case",
            TestExecutions::Table,
            TestExecutions::CaseId,
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Defects::Table)
                    .col(pk_auto(Defects::Id))
                    .col(integer(Defects::IntegrationId))
                    .col(integer_null(Defects::ExecutionId))
                    .col(string(Defects::Title))
                    .col(string(Defects::Severity))
                    .col(string(Defects::Status))
                    .col(string(Defects::TrackerUrl))
                    .col(integer(Defects::CreatedBy))
                    .col(timestamp_with_time_zone(Defects::CreatedAt))
                    .col(timestamp_with_time_zone(Defects::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_defects_integration",
                        (Defects::Table, Defects::IntegrationId),
                        (Integrations::Table, Integrations::Id),
                        true,
                    ))
                    .foreign_key(&mut fk(
                        "fk_defects_execution",
                        (Defects::Table, Defects::ExecutionId),
                        (TestExecutions::Table, TestExecutions::Id),
                        false,
                    ))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .name("fk_defects_created_by")
                            .from(Defects::Table, Defects::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_defects_integration",
            Defects::Table,
            Defects::IntegrationId,
            false,
        )
        .await?;
        index(
            manager,
            "idx_defects_execution",
            Defects::Table,
            Defects::ExecutionId,
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Signoffs::Table)
                    .col(pk_auto(Signoffs::Id))
                    .col(integer(Signoffs::RunId))
                    .col(text(Signoffs::Statement))
                    .col(integer(Signoffs::SignerId))
                    .col(timestamp_with_time_zone(Signoffs::SignedAt))
                    .col(text(Signoffs::Snapshot))
                    .col(string(Signoffs::Sha256))
                    .col(timestamp_with_time_zone_null(Signoffs::SupersededAt))
                    .col(string_null(Signoffs::SupersededReason))
                    .foreign_key(&mut fk(
                        "fk_signoffs_run",
                        (Signoffs::Table, Signoffs::RunId),
                        (TestRuns::Table, TestRuns::Id),
                        true,
                    ))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .name("fk_signoffs_signer")
                            .from(Signoffs::Table, Signoffs::SignerId)
                            .to(Users::Table, Users::Id)
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_signoffs_run",
            Signoffs::Table,
            Signoffs::RunId,
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Signoffs::Table.into_iden(),
            Defects::Table.into_iden(),
            TestExecutions::Table.into_iden(),
            TestRuns::Table.into_iden(),
            TestCases::Table.into_iden(),
            TestPlans::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
