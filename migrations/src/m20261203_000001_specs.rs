//! Provider API specifications: a spec per provider API an integration uses, its versions
//! (the original document kept gzip-compressed with its SHA-256, so an identical re-import is
//! recognised and nothing is stored twice), and each version's operations, indexed.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Integrations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ApiSpecs {
    Table,
    Id,
    IntegrationId,
    Name,
    SourceUrl,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SpecVersions {
    Table,
    Id,
    SpecId,
    Number,
    Sha256,
    Dialect,
    Declared,
    InfoVersion,
    Document,
    Bytes,
    OperationCount,
    Dangling,
    ImportedBy,
    ImportedAt,
}

#[derive(DeriveIden)]
enum SpecOperations {
    Table,
    Id,
    VersionId,
    Method,
    Path,
    Template,
    OperationId,
    Summary,
    Tags,
    Deprecated,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiSpecs::Table)
                    .col(pk_auto(ApiSpecs::Id))
                    .col(integer(ApiSpecs::IntegrationId))
                    .col(string(ApiSpecs::Name))
                    .col(string(ApiSpecs::SourceUrl))
                    .col(integer(ApiSpecs::CreatedBy))
                    .col(timestamp_with_time_zone(ApiSpecs::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_specs_integration")
                            .from(ApiSpecs::Table, ApiSpecs::IntegrationId)
                            .to(Integrations::Table, Integrations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_api_specs_integration_name")
                    .table(ApiSpecs::Table)
                    .col(ApiSpecs::IntegrationId)
                    .col(ApiSpecs::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SpecVersions::Table)
                    .col(pk_auto(SpecVersions::Id))
                    .col(integer(SpecVersions::SpecId))
                    .col(integer(SpecVersions::Number))
                    .col(string(SpecVersions::Sha256))
                    .col(string(SpecVersions::Dialect))
                    .col(string(SpecVersions::Declared))
                    .col(string(SpecVersions::InfoVersion))
                    .col(blob(SpecVersions::Document))
                    .col(big_integer(SpecVersions::Bytes))
                    .col(integer(SpecVersions::OperationCount))
                    .col(text(SpecVersions::Dangling))
                    .col(integer(SpecVersions::ImportedBy))
                    .col(timestamp_with_time_zone(SpecVersions::ImportedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_spec_versions_spec")
                            .from(SpecVersions::Table, SpecVersions::SpecId)
                            .to(ApiSpecs::Table, ApiSpecs::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_spec_versions_spec_sha256", SpecVersions::Sha256),
            ("idx_spec_versions_spec_number", SpecVersions::Number),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(SpecVersions::Table)
                        .col(SpecVersions::SpecId)
                        .col(col)
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(SpecOperations::Table)
                    .col(pk_auto(SpecOperations::Id))
                    .col(integer(SpecOperations::VersionId))
                    .col(string(SpecOperations::Method))
                    .col(text(SpecOperations::Path))
                    .col(text(SpecOperations::Template))
                    .col(string_null(SpecOperations::OperationId))
                    .col(text(SpecOperations::Summary))
                    .col(text(SpecOperations::Tags))
                    .col(boolean(SpecOperations::Deprecated))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_spec_operations_version")
                            .from(SpecOperations::Table, SpecOperations::VersionId)
                            .to(SpecVersions::Table, SpecVersions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_spec_operations_version")
                    .table(SpecOperations::Table)
                    .col(SpecOperations::VersionId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SpecOperations::Table.into_iden(),
            SpecVersions::Table.into_iden(),
            ApiSpecs::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
