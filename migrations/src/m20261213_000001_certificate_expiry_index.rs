//! Monitors by their TLS certificate's expiry, for the dashboard's "coming up": the
//! certificates inside the first warning are counted and the first few read by index, not by
//! reading every monitor of a large portfolio on each change.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Monitors {
    Table,
    TlsExpiresAt,
    EnvironmentId,
}

const NAME: &str = "idx_monitors_tls_expires_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(Monitors::Table)
                    .col(Monitors::TlsExpiresAt)
                    .col(Monitors::EnvironmentId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table(Monitors::Table).to_owned())
            .await
    }
}
