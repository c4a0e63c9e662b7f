//! Following an integration and the weekly digest. `integration_follows` says who follows
//! which integration (a stakeholder's weekly digest covers those, and their owner and
//! followers hear of their progress); `weekly_digests` holds one row per week whose digest was
//! sent, written in the transaction that sends it, so two servers never both send a week.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Integrations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum IntegrationFollows {
    Table,
    UserId,
    IntegrationId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WeeklyDigests {
    Table,
    WeekOf,
    SentAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IntegrationFollows::Table)
                    .col(integer(IntegrationFollows::UserId))
                    .col(integer(IntegrationFollows::IntegrationId))
                    .col(timestamp_with_time_zone(IntegrationFollows::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(IntegrationFollows::UserId)
                            .col(IntegrationFollows::IntegrationId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_integration_follows_user")
                            .from(IntegrationFollows::Table, IntegrationFollows::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_integration_follows_integration")
                            .from(IntegrationFollows::Table, IntegrationFollows::IntegrationId)
                            .to(Integrations::Table, Integrations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_integration_follows_integration")
                    .table(IntegrationFollows::Table)
                    .col(IntegrationFollows::IntegrationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WeeklyDigests::Table)
                    .col(date(WeeklyDigests::WeekOf).primary_key())
                    .col(timestamp_with_time_zone(WeeklyDigests::SentAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WeeklyDigests::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(IntegrationFollows::Table).to_owned())
            .await
    }
}
