//! Error events the platform reports, grouped by fingerprint, with counts per hour.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Integrations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ErrorGroups {
    Table,
    Id,
    IntegrationId,
    Fingerprint,
    ErrorType,
    Operation,
    Message,
    Level,
    Status,
    Regressed,
    Count,
    FirstSeen,
    LastSeen,
    ResolvedAt,
}

#[derive(DeriveIden)]
enum ErrorEvents {
    Table,
    Id,
    GroupId,
    Level,
    Message,
    HttpStatus,
    LatencyMs,
    Environment,
    OccurredAt,
    Context,
}

#[derive(DeriveIden)]
enum ErrorGroupHours {
    Table,
    GroupId,
    Hour,
    Count,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ErrorGroups::Table)
                    .col(pk_auto(ErrorGroups::Id))
                    .col(integer(ErrorGroups::IntegrationId))
                    .col(string(ErrorGroups::Fingerprint))
                    .col(string(ErrorGroups::ErrorType))
                    .col(string(ErrorGroups::Operation))
                    .col(text(ErrorGroups::Message))
                    .col(string(ErrorGroups::Level))
                    .col(string(ErrorGroups::Status))
                    .col(boolean(ErrorGroups::Regressed))
                    .col(big_integer(ErrorGroups::Count))
                    .col(timestamp_with_time_zone(ErrorGroups::FirstSeen))
                    .col(timestamp_with_time_zone(ErrorGroups::LastSeen))
                    .col(timestamp_with_time_zone_null(ErrorGroups::ResolvedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_error_groups_integration")
                            .from(ErrorGroups::Table, ErrorGroups::IntegrationId)
                            .to(Integrations::Table, Integrations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_error_groups_fingerprint")
                    .table(ErrorGroups::Table)
                    .col(ErrorGroups::IntegrationId)
                    .col(ErrorGroups::Fingerprint)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ErrorEvents::Table)
                    .col(pk_auto(ErrorEvents::Id))
                    .col(integer(ErrorEvents::GroupId))
                    .col(string(ErrorEvents::Level))
                    .col(text(ErrorEvents::Message))
                    .col(integer_null(ErrorEvents::HttpStatus))
                    .col(integer_null(ErrorEvents::LatencyMs))
                    .col(string(ErrorEvents::Environment))
                    .col(timestamp_with_time_zone(ErrorEvents::OccurredAt))
                    .col(text(ErrorEvents::Context))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_error_events_group")
                            .from(ErrorEvents::Table, ErrorEvents::GroupId)
                            .to(ErrorGroups::Table, ErrorGroups::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_error_events_group_time")
                    .table(ErrorEvents::Table)
                    .col(ErrorEvents::GroupId)
                    .col(ErrorEvents::OccurredAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ErrorGroupHours::Table)
                    .col(integer(ErrorGroupHours::GroupId))
                    .col(timestamp_with_time_zone(ErrorGroupHours::Hour))
                    .col(big_integer(ErrorGroupHours::Count))
                    .primary_key(
                        Index::create()
                            .col(ErrorGroupHours::GroupId)
                            .col(ErrorGroupHours::Hour),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_error_group_hours_group")
                            .from(ErrorGroupHours::Table, ErrorGroupHours::GroupId)
                            .to(ErrorGroups::Table, ErrorGroups::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ErrorGroupHours::Table.into_iden(),
            ErrorEvents::Table.into_iden(),
            ErrorGroups::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
