//! Email once a day instead of at once: a preference's `daily` (meaningful on the email
//! channel) holds that kind's emails back (`mail_messages.state` `held`, due at the next
//! digest time) until they are gathered into one digest email.

use sea_orm_migration::{prelude::*, schema::boolean};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum NotificationPreferences {
    Table,
    Daily,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(NotificationPreferences::Table)
                    .add_column(boolean(NotificationPreferences::Daily).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(NotificationPreferences::Table)
                    .drop_column(NotificationPreferences::Daily)
                    .to_owned(),
            )
            .await
    }
}
