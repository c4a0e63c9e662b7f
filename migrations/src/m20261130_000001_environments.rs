//! Implementation stage, part one: an integration's environments (sandbox, staging,
//! production or custom), each with its connection settings and health-check definition.

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
    IntegrationId,
    Name,
    BaseUrl,
    AuthScheme,
    TimeoutMs,
    RetryAttempts,
    RetryBackoffMs,
    RateLimitRequests,
    RateLimitPeriodSeconds,
    WebhookUrl,
    WebhookSignature,
    HealthMethod,
    HealthPath,
    HealthExpectedStatus,
    HealthKeyword,
    HealthPointer,
    HealthPointerValue,
    HealthIntervalSeconds,
    HealthTimeoutMs,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Environments::Table)
                    .col(pk_auto(Environments::Id))
                    .col(integer(Environments::IntegrationId))
                    .col(string(Environments::Name))
                    .col(string(Environments::BaseUrl))
                    .col(string(Environments::AuthScheme))
                    .col(integer(Environments::TimeoutMs))
                    .col(integer(Environments::RetryAttempts))
                    .col(integer(Environments::RetryBackoffMs))
                    .col(integer_null(Environments::RateLimitRequests))
                    .col(integer_null(Environments::RateLimitPeriodSeconds))
                    .col(string_null(Environments::WebhookUrl))
                    .col(string(Environments::WebhookSignature))
                    .col(string_null(Environments::HealthMethod))
                    .col(string_null(Environments::HealthPath))
                    .col(integer_null(Environments::HealthExpectedStatus))
                    .col(string_null(Environments::HealthKeyword))
                    .col(string_null(Environments::HealthPointer))
                    .col(string_null(Environments::HealthPointerValue))
                    .col(integer_null(Environments::HealthIntervalSeconds))
                    .col(integer_null(Environments::HealthTimeoutMs))
                    .col(timestamp_with_time_zone(Environments::CreatedAt))
                    .col(timestamp_with_time_zone(Environments::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_environments_integration")
                            .from(Environments::Table, Environments::IntegrationId)
                            .to(Integrations::Table, Integrations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_environments_integration_name")
                    .table(Environments::Table)
                    .col(Environments::IntegrationId)
                    .col(Environments::Name)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Environments::Table).to_owned())
            .await
    }
}
