//! Checkpoints of the activity trail: the sequence number (row id) and hash of its head at a
//! moment, signed with a key that does not live in the database, so that a cut-off tail or a
//! rewritten chain can be told from an intact one.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TrailCheckpoints {
    Table,
    Id,
    RowId,
    HeadHash,
    At,
    Mac,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TrailCheckpoints::Table)
                    .col(pk_auto(TrailCheckpoints::Id))
                    .col(integer(TrailCheckpoints::RowId))
                    .col(string(TrailCheckpoints::HeadHash))
                    .col(string(TrailCheckpoints::At))
                    .col(string(TrailCheckpoints::Mac))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_trail_checkpoints_row")
                    .table(TrailCheckpoints::Table)
                    .col(TrailCheckpoints::RowId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TrailCheckpoints::Table).to_owned())
            .await
    }
}
