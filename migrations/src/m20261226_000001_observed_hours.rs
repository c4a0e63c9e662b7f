//! Observed provider performance: per environment, operation (method and path template, as
//! used operations are matched across spec versions) and hour, the calls that the code's
//! Sentry transactions recorded, how many failed, and their latencies as a histogram
//! (`bucket:count` pairs, see `app::observed::histogram`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Environments {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ObservedHours {
    Table,
    Id,
    IntegrationId,
    EnvironmentId,
    Method,
    Template,
    Path,
    Hour,
    Calls,
    Failures,
    Latencies,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ObservedHours::Table)
                    .col(pk_auto(ObservedHours::Id))
                    .col(integer(ObservedHours::IntegrationId))
                    .col(integer(ObservedHours::EnvironmentId))
                    .col(string_len(ObservedHours::Method, 10))
                    .col(string_len(ObservedHours::Template, 1000))
                    .col(string_len(ObservedHours::Path, 1000))
                    .col(timestamp_with_time_zone(ObservedHours::Hour))
                    .col(big_integer(ObservedHours::Calls))
                    .col(big_integer(ObservedHours::Failures))
                    .col(text(ObservedHours::Latencies))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_observed_hours_environment")
                            .from(ObservedHours::Table, ObservedHours::EnvironmentId)
                            .to(Environments::Table, Environments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_observed_hours_key")
                    .table(ObservedHours::Table)
                    .col(ObservedHours::EnvironmentId)
                    .col(ObservedHours::Method)
                    .col(ObservedHours::Template)
                    .col(ObservedHours::Hour)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_observed_hours_integration")
                    .table(ObservedHours::Table)
                    .col(ObservedHours::IntegrationId)
                    .col(ObservedHours::Hour)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ObservedHours::Table).to_owned())
            .await
    }
}
