//! Implementation stage, part two: credential references. Each records where a secret lives
//! (a vault path, an environment variable, a cloud secret ARN, a password-manager entry),
//! never the secret; its rotation status is computed from the dates.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Environments {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CredentialRefs {
    Table,
    Id,
    IntegrationId,
    EnvironmentId,
    Name,
    Kind,
    Reference,
    OwnerId,
    Scopes,
    LastRotated,
    RotationDays,
    ExpiresOn,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CredentialRefs::Table)
                    .col(pk_auto(CredentialRefs::Id))
                    .col(integer(CredentialRefs::IntegrationId))
                    .col(integer(CredentialRefs::EnvironmentId))
                    .col(string(CredentialRefs::Name))
                    .col(string(CredentialRefs::Kind))
                    .col(string(CredentialRefs::Reference))
                    .col(integer_null(CredentialRefs::OwnerId))
                    .col(string(CredentialRefs::Scopes))
                    .col(date(CredentialRefs::LastRotated))
                    .col(integer_null(CredentialRefs::RotationDays))
                    .col(date_null(CredentialRefs::ExpiresOn))
                    .col(timestamp_with_time_zone(CredentialRefs::CreatedAt))
                    .col(timestamp_with_time_zone(CredentialRefs::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_credential_refs_environment")
                            .from(CredentialRefs::Table, CredentialRefs::EnvironmentId)
                            .to(Environments::Table, Environments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_credential_refs_owner")
                            .from(CredentialRefs::Table, CredentialRefs::OwnerId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_credential_refs_integration")
                    .table(CredentialRefs::Table)
                    .col(CredentialRefs::IntegrationId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CredentialRefs::Table).to_owned())
            .await
    }
}
