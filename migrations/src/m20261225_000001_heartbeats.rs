//! Heartbeat monitors: a scheduled job of an integration (a nightly sync, a token refresh)
//! that reports each run (a Sentry cron check-in or a ping to its token's URL), with its
//! expected schedule (every `interval_minutes`, or a `cron` expression in UTC) and a grace
//! period. `due_at` is when the monitor calls the run missed; an incident it opens names it
//! in `incidents.heartbeat_id`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Environments {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Integrations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Incidents {
    Table,
    HeartbeatId,
}

#[derive(DeriveIden)]
enum Heartbeats {
    Table,
    Id,
    IntegrationId,
    EnvironmentId,
    Slug,
    Name,
    Token,
    IntervalMinutes,
    Cron,
    GraceMinutes,
    MaxRuntimeMinutes,
    State,
    LastPing,
    LastPingAt,
    DueAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Heartbeats::Table)
                    .col(pk_auto(Heartbeats::Id))
                    .col(integer(Heartbeats::IntegrationId))
                    .col(integer(Heartbeats::EnvironmentId))
                    .col(string_len(Heartbeats::Slug, 64))
                    .col(string_len(Heartbeats::Name, 100))
                    .col(string_len_uniq(Heartbeats::Token, 64))
                    .col(integer_null(Heartbeats::IntervalMinutes))
                    .col(string_len_null(Heartbeats::Cron, 100))
                    .col(integer(Heartbeats::GraceMinutes))
                    .col(integer(Heartbeats::MaxRuntimeMinutes))
                    .col(string_len(Heartbeats::State, 16))
                    .col(string_len_null(Heartbeats::LastPing, 16))
                    .col(timestamp_with_time_zone_null(Heartbeats::LastPingAt))
                    .col(timestamp_with_time_zone(Heartbeats::DueAt))
                    .col(timestamp_with_time_zone(Heartbeats::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_heartbeats_integration")
                            .from(Heartbeats::Table, Heartbeats::IntegrationId)
                            .to(Integrations::Table, Integrations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_heartbeats_environment")
                            .from(Heartbeats::Table, Heartbeats::EnvironmentId)
                            .to(Environments::Table, Environments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_heartbeats_environment_slug")
                    .table(Heartbeats::Table)
                    .col(Heartbeats::EnvironmentId)
                    .col(Heartbeats::Slug)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_heartbeats_due")
                    .table(Heartbeats::Table)
                    .col(Heartbeats::DueAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Incidents::Table)
                    .add_column(integer_null(Incidents::HeartbeatId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Incidents::Table)
                    .drop_column(Incidents::HeartbeatId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Heartbeats::Table).to_owned())
            .await
    }
}
