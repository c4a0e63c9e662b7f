//! The changes between two versions of a spec, computed once: at import for a version and the
//! one before it, on first request for any other pair. Compressed JSON, as the documents are.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SpecChanges {
    Table,
    Id,
    BaseId,
    RevisionId,
    Changes,
    ChangeCount,
    ComputedAt,
}

#[derive(DeriveIden)]
enum SpecVersions {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SpecChanges::Table)
                    .col(pk_auto(SpecChanges::Id))
                    .col(integer(SpecChanges::BaseId))
                    .col(integer(SpecChanges::RevisionId))
                    .col(blob(SpecChanges::Changes))
                    .col(integer(SpecChanges::ChangeCount))
                    .col(timestamp_with_time_zone(SpecChanges::ComputedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_spec_changes_base")
                            .from(SpecChanges::Table, SpecChanges::BaseId)
                            .to(SpecVersions::Table, SpecVersions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_spec_changes_revision")
                            .from(SpecChanges::Table, SpecChanges::RevisionId)
                            .to(SpecVersions::Table, SpecVersions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_spec_changes_pair")
                    .table(SpecChanges::Table)
                    .col(SpecChanges::BaseId)
                    .col(SpecChanges::RevisionId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SpecChanges::Table).to_owned())
            .await
    }
}
