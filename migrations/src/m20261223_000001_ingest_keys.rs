//! The Sentry-compatible ingest's keys: each environment of an integration has a current
//! public key (the one its DSN carries) and may have old ones still valid until their
//! `expires_at`, the grace period a rotation leaves for applications to take the new DSN.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Environments {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum IngestKeys {
    Table,
    Id,
    EnvironmentId,
    PublicKey,
    CreatedAt,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IngestKeys::Table)
                    .col(pk_auto(IngestKeys::Id))
                    .col(integer(IngestKeys::EnvironmentId))
                    .col(string_len_uniq(IngestKeys::PublicKey, 64))
                    .col(timestamp_with_time_zone(IngestKeys::CreatedAt))
                    .col(timestamp_with_time_zone_null(IngestKeys::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ingest_keys_environment")
                            .from(IngestKeys::Table, IngestKeys::EnvironmentId)
                            .to(Environments::Table, Environments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_ingest_keys_environment")
                    .table(IngestKeys::Table)
                    .col(IngestKeys::EnvironmentId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IngestKeys::Table).to_owned())
            .await
    }
}
