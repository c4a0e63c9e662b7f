//! What an endpoint speaks: `standard` (Standard Webhooks, signed JSON) or `slack` (a
//! Slack-compatible incoming webhook: Slack, Mattermost, Rocket.Chat, Discord's `/slack`).
//! Every endpoint saved before it is a standard one.

use sea_orm_migration::{prelude::*, schema::string};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WebhookEndpoints {
    Table,
    Format,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(WebhookEndpoints::Table)
                    .add_column(string(WebhookEndpoints::Format).default("standard"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(WebhookEndpoints::Table)
                    .drop_column(WebhookEndpoints::Format)
                    .to_owned(),
            )
            .await
    }
}
