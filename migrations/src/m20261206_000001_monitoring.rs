//! Health probes: one monitor per environment with a health check (its state, its SLO target
//! and its lease, so replicas sharing a database run each check once), the probe results and
//! their hourly and daily roll-ups, maintenance windows, and incidents with their timeline.
//! Notifications gain a kind, and each user's choice of kinds per channel. Provider contacts,
//! support tickets and user feedback.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Integrations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Environments {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Monitors {
    Table,
    EnvironmentId,
    State,
    Failures,
    Successes,
    NextRunAt,
    LeaseOwner,
    LeaseUntil,
    LastCheckedAt,
    ChangedAt,
    TlsExpiresAt,
    TlsWarned,
    SloTarget,
}

#[derive(DeriveIden)]
enum MaintenanceWindows {
    Table,
    Id,
    EnvironmentId,
    StartsAt,
    EndsAt,
    Reason,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ProviderContacts {
    Table,
    Id,
    IntegrationId,
    Name,
    Role,
    Email,
    Phone,
    EscalationOrder,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SupportTickets {
    Table,
    Id,
    IntegrationId,
    Reference,
    Subject,
    Status,
    OpenedOn,
    ClosedOn,
    IncidentId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Feedback {
    Table,
    Id,
    IntegrationId,
    Source,
    Rating,
    Comment,
    FeatureArea,
    Status,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Kind,
}

#[derive(DeriveIden)]
enum NotificationPreferences {
    Table,
    UserId,
    Kind,
    Channel,
    Enabled,
}

#[derive(DeriveIden)]
enum ProbeHours {
    Table,
}

#[derive(DeriveIden)]
enum ProbeDays {
    Table,
}

#[derive(DeriveIden)]
enum Rollup {
    EnvironmentId,
    Start,
    Checks,
    Failures,
    LatencySum,
    P50,
    P95,
    P99,
}

#[derive(DeriveIden)]
enum ProbeResults {
    Table,
    Id,
    EnvironmentId,
    ScheduledAt,
    StartedAt,
    LatencyMs,
    StatusCode,
    Up,
    ErrorClass,
    Message,
}

#[derive(DeriveIden)]
enum Incidents {
    Table,
    Id,
    IntegrationId,
    EnvironmentId,
    Title,
    Severity,
    Status,
    Automatic,
    OpenedAt,
    ResolvedAt,
    TicketRef,
    RootCause,
    Postmortem,
    CreatedBy,
}

#[derive(DeriveIden)]
enum IncidentUpdates {
    Table,
    Id,
    IncidentId,
    Status,
    Note,
    AuthorId,
    CreatedAt,
}

fn cascade(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn index(name: &str, table: impl IntoIden, cols: &[&'static str]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(Alias::new(*c));
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Monitors::Table)
                    .col(integer(Monitors::EnvironmentId).primary_key())
                    .col(string(Monitors::State))
                    .col(integer(Monitors::Failures))
                    .col(integer(Monitors::Successes))
                    .col(timestamp_with_time_zone(Monitors::NextRunAt))
                    .col(string_null(Monitors::LeaseOwner))
                    .col(timestamp_with_time_zone_null(Monitors::LeaseUntil))
                    .col(timestamp_with_time_zone_null(Monitors::LastCheckedAt))
                    .col(timestamp_with_time_zone_null(Monitors::ChangedAt))
                    .col(timestamp_with_time_zone_null(Monitors::TlsExpiresAt))
                    .col(integer_null(Monitors::TlsWarned))
                    .col(integer(Monitors::SloTarget))
                    .foreign_key(&mut cascade(
                        "fk_monitors_environment",
                        (Monitors::Table, Monitors::EnvironmentId),
                        (Environments::Table, Environments::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_monitors_next_run",
                Monitors::Table,
                &["next_run_at"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProbeResults::Table)
                    .col(big_integer(ProbeResults::Id).auto_increment().primary_key())
                    .col(integer(ProbeResults::EnvironmentId))
                    .col(timestamp_with_time_zone(ProbeResults::ScheduledAt))
                    .col(timestamp_with_time_zone(ProbeResults::StartedAt))
                    .col(integer(ProbeResults::LatencyMs))
                    .col(integer_null(ProbeResults::StatusCode))
                    .col(boolean(ProbeResults::Up))
                    .col(string_null(ProbeResults::ErrorClass))
                    .col(string(ProbeResults::Message))
                    .foreign_key(&mut cascade(
                        "fk_probe_results_environment",
                        (ProbeResults::Table, ProbeResults::EnvironmentId),
                        (Environments::Table, Environments::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // One result per environment and scheduled time: a check cannot run twice.
        manager
            .create_index(
                index(
                    "idx_probe_results_slot",
                    ProbeResults::Table,
                    &["environment_id", "scheduled_at"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        for (table, name) in [
            (ProbeHours::Table.into_iden(), "probe_hours"),
            (ProbeDays::Table.into_iden(), "probe_days"),
        ] {
            manager
                .create_table(
                    Table::create()
                        .table(table.clone())
                        .col(integer(Rollup::EnvironmentId))
                        .col(timestamp_with_time_zone(Rollup::Start))
                        .col(integer(Rollup::Checks))
                        .col(integer(Rollup::Failures))
                        .col(big_integer(Rollup::LatencySum))
                        .col(integer(Rollup::P50))
                        .col(integer(Rollup::P95))
                        .col(integer(Rollup::P99))
                        .primary_key(
                            Index::create()
                                .col(Rollup::EnvironmentId)
                                .col(Rollup::Start),
                        )
                        .foreign_key(&mut cascade(
                            &format!("fk_{name}_environment"),
                            (table.clone(), Rollup::EnvironmentId),
                            (Environments::Table, Environments::Id),
                        ))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Notifications::Table)
                    .add_column(string(Notifications::Kind).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NotificationPreferences::Table)
                    .col(integer(NotificationPreferences::UserId))
                    .col(string(NotificationPreferences::Kind))
                    .col(string(NotificationPreferences::Channel))
                    .col(boolean(NotificationPreferences::Enabled))
                    .primary_key(
                        Index::create()
                            .col(NotificationPreferences::UserId)
                            .col(NotificationPreferences::Kind)
                            .col(NotificationPreferences::Channel),
                    )
                    .foreign_key(&mut cascade(
                        "fk_notification_preferences_user",
                        (
                            NotificationPreferences::Table,
                            NotificationPreferences::UserId,
                        ),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MaintenanceWindows::Table)
                    .col(pk_auto(MaintenanceWindows::Id))
                    .col(integer(MaintenanceWindows::EnvironmentId))
                    .col(timestamp_with_time_zone(MaintenanceWindows::StartsAt))
                    .col(timestamp_with_time_zone(MaintenanceWindows::EndsAt))
                    .col(string(MaintenanceWindows::Reason))
                    .col(integer(MaintenanceWindows::CreatedBy))
                    .col(timestamp_with_time_zone(MaintenanceWindows::CreatedAt))
                    .foreign_key(&mut cascade(
                        "fk_maintenance_windows_environment",
                        (MaintenanceWindows::Table, MaintenanceWindows::EnvironmentId),
                        (Environments::Table, Environments::Id),
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_maintenance_windows_creator")
                            .from(MaintenanceWindows::Table, MaintenanceWindows::CreatedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_maintenance_windows_environment",
                MaintenanceWindows::Table,
                &["environment_id", "ends_at"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_maintenance_windows_creator",
                MaintenanceWindows::Table,
                &["created_by"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Incidents::Table)
                    .col(pk_auto(Incidents::Id))
                    .col(integer(Incidents::IntegrationId))
                    .col(integer_null(Incidents::EnvironmentId))
                    .col(string(Incidents::Title))
                    .col(string(Incidents::Severity))
                    .col(string(Incidents::Status))
                    .col(boolean(Incidents::Automatic))
                    .col(timestamp_with_time_zone(Incidents::OpenedAt))
                    .col(timestamp_with_time_zone_null(Incidents::ResolvedAt))
                    .col(string_null(Incidents::TicketRef))
                    .col(text_null(Incidents::RootCause))
                    .col(text_null(Incidents::Postmortem))
                    .col(integer_null(Incidents::CreatedBy))
                    .foreign_key(&mut cascade(
                        "fk_incidents_integration",
                        (Incidents::Table, Incidents::IntegrationId),
                        (Integrations::Table, Integrations::Id),
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_incidents_environment")
                            .from(Incidents::Table, Incidents::EnvironmentId)
                            .to(Environments::Table, Environments::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_incidents_creator")
                            .from(Incidents::Table, Incidents::CreatedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_incidents_integration",
                Incidents::Table,
                &["integration_id", "opened_at"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_incidents_environment",
                Incidents::Table,
                &["environment_id", "status"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_incidents_creator",
                Incidents::Table,
                &["created_by"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IncidentUpdates::Table)
                    .col(pk_auto(IncidentUpdates::Id))
                    .col(integer(IncidentUpdates::IncidentId))
                    .col(string(IncidentUpdates::Status))
                    .col(text(IncidentUpdates::Note))
                    .col(integer_null(IncidentUpdates::AuthorId))
                    .col(timestamp_with_time_zone(IncidentUpdates::CreatedAt))
                    .foreign_key(&mut cascade(
                        "fk_incident_updates_incident",
                        (IncidentUpdates::Table, IncidentUpdates::IncidentId),
                        (Incidents::Table, Incidents::Id),
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_incident_updates_author")
                            .from(IncidentUpdates::Table, IncidentUpdates::AuthorId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_incident_updates_incident",
                IncidentUpdates::Table,
                &["incident_id"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_incident_updates_author",
                IncidentUpdates::Table,
                &["author_id"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProviderContacts::Table)
                    .col(pk_auto(ProviderContacts::Id))
                    .col(integer(ProviderContacts::IntegrationId))
                    .col(string(ProviderContacts::Name))
                    .col(string(ProviderContacts::Role))
                    .col(string(ProviderContacts::Email))
                    .col(string(ProviderContacts::Phone))
                    .col(integer(ProviderContacts::EscalationOrder))
                    .col(timestamp_with_time_zone(ProviderContacts::CreatedAt))
                    .foreign_key(&mut cascade(
                        "fk_provider_contacts_integration",
                        (ProviderContacts::Table, ProviderContacts::IntegrationId),
                        (Integrations::Table, Integrations::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_provider_contacts_integration",
                ProviderContacts::Table,
                &["integration_id", "escalation_order"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SupportTickets::Table)
                    .col(pk_auto(SupportTickets::Id))
                    .col(integer(SupportTickets::IntegrationId))
                    .col(string(SupportTickets::Reference))
                    .col(string(SupportTickets::Subject))
                    .col(string(SupportTickets::Status))
                    .col(date(SupportTickets::OpenedOn))
                    .col(date_null(SupportTickets::ClosedOn))
                    .col(integer_null(SupportTickets::IncidentId))
                    .col(timestamp_with_time_zone(SupportTickets::CreatedAt))
                    .foreign_key(&mut cascade(
                        "fk_support_tickets_integration",
                        (SupportTickets::Table, SupportTickets::IntegrationId),
                        (Integrations::Table, Integrations::Id),
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_support_tickets_incident")
                            .from(SupportTickets::Table, SupportTickets::IncidentId)
                            .to(Incidents::Table, Incidents::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_support_tickets_integration",
                SupportTickets::Table,
                &["integration_id", "opened_on"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_support_tickets_incident",
                SupportTickets::Table,
                &["incident_id"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Feedback::Table)
                    .col(pk_auto(Feedback::Id))
                    .col(integer(Feedback::IntegrationId))
                    .col(string(Feedback::Source))
                    .col(integer(Feedback::Rating))
                    .col(text(Feedback::Comment))
                    .col(string(Feedback::FeatureArea))
                    .col(string(Feedback::Status))
                    .col(integer(Feedback::CreatedBy))
                    .col(timestamp_with_time_zone(Feedback::CreatedAt))
                    .foreign_key(&mut cascade(
                        "fk_feedback_integration",
                        (Feedback::Table, Feedback::IntegrationId),
                        (Integrations::Table, Integrations::Id),
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_feedback_creator")
                            .from(Feedback::Table, Feedback::CreatedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_feedback_integration",
                Feedback::Table,
                &["integration_id", "created_at"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_feedback_creator",
                Feedback::Table,
                &["created_by"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Feedback::Table.into_iden(),
            SupportTickets::Table.into_iden(),
            ProviderContacts::Table.into_iden(),
            IncidentUpdates::Table.into_iden(),
            Incidents::Table.into_iden(),
            MaintenanceWindows::Table.into_iden(),
            ProbeDays::Table.into_iden(),
            ProbeHours::Table.into_iden(),
            NotificationPreferences::Table.into_iden(),
            ProbeResults::Table.into_iden(),
            Monitors::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Notifications::Table)
                    .drop_column(Notifications::Kind)
                    .to_owned(),
            )
            .await
    }
}
