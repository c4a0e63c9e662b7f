//! Implementation stage, part three: who has access to each credential (grants, revoked but
//! never deleted), the data mapping from the provider's payload to SayPro's fields with its
//! review marker, and the engineering checklists.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Integrations {
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
}

#[derive(DeriveIden)]
enum CredentialGrants {
    Table,
    Id,
    CredentialId,
    GranteeKind,
    UserId,
    Grantee,
    Reason,
    GrantedBy,
    GrantedAt,
    RevokedBy,
    RevokedAt,
    RevokeReason,
}

#[derive(DeriveIden)]
enum MappingRows {
    Table,
    Id,
    IntegrationId,
    Position,
    SourcePointer,
    TargetField,
    Transform,
    TransformArg,
    Required,
    Notes,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MappingReviews {
    Table,
    IntegrationId,
    ReviewedBy,
    ReviewedAt,
}

#[derive(DeriveIden)]
enum ChecklistItems {
    Table,
    Id,
    IntegrationId,
    Checklist,
    TemplateKey,
    Title,
    Status,
    NaReason,
    OwnerId,
    Evidence,
    Position,
    CreatedAt,
    UpdatedAt,
}

fn user_fk(
    name: &str,
    table: impl IntoIden + 'static,
    col: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, col)
        .to(Users::Table, Users::Id)
        .to_owned()
}

fn integration_fk(
    name: &str,
    table: impl IntoIden + 'static,
    col: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, col)
        .to(Integrations::Table, Integrations::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden + 'static,
    col: impl IntoIden + 'static,
) -> Result<(), DbErr> {
    manager
        .create_index(Index::create().name(name).table(table).col(col).to_owned())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CredentialGrants::Table)
                    .col(pk_auto(CredentialGrants::Id))
                    .col(integer(CredentialGrants::CredentialId))
                    .col(string(CredentialGrants::GranteeKind))
                    .col(integer_null(CredentialGrants::UserId))
                    .col(string(CredentialGrants::Grantee))
                    .col(string(CredentialGrants::Reason))
                    .col(integer(CredentialGrants::GrantedBy))
                    .col(timestamp_with_time_zone(CredentialGrants::GrantedAt))
                    .col(integer_null(CredentialGrants::RevokedBy))
                    .col(timestamp_with_time_zone_null(CredentialGrants::RevokedAt))
                    .col(string_null(CredentialGrants::RevokeReason))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .name("fk_credential_grants_credential")
                            .from(CredentialGrants::Table, CredentialGrants::CredentialId)
                            .to(CredentialRefs::Table, CredentialRefs::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .to_owned(),
                    )
                    .foreign_key(&mut user_fk(
                        "fk_credential_grants_user",
                        CredentialGrants::Table,
                        CredentialGrants::UserId,
                    ))
                    .foreign_key(&mut user_fk(
                        "fk_credential_grants_granted_by",
                        CredentialGrants::Table,
                        CredentialGrants::GrantedBy,
                    ))
                    .foreign_key(&mut user_fk(
                        "fk_credential_grants_revoked_by",
                        CredentialGrants::Table,
                        CredentialGrants::RevokedBy,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_credential_grants_credential",
            CredentialGrants::Table,
            CredentialGrants::CredentialId,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(MappingRows::Table)
                    .col(pk_auto(MappingRows::Id))
                    .col(integer(MappingRows::IntegrationId))
                    .col(integer(MappingRows::Position))
                    .col(string(MappingRows::SourcePointer))
                    .col(string(MappingRows::TargetField))
                    .col(string(MappingRows::Transform))
                    .col(string(MappingRows::TransformArg))
                    .col(boolean(MappingRows::Required))
                    .col(string(MappingRows::Notes))
                    .col(timestamp_with_time_zone(MappingRows::CreatedAt))
                    .col(timestamp_with_time_zone(MappingRows::UpdatedAt))
                    .foreign_key(&mut integration_fk(
                        "fk_mapping_rows_integration",
                        MappingRows::Table,
                        MappingRows::IntegrationId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_mapping_rows_integration",
            MappingRows::Table,
            MappingRows::IntegrationId,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(MappingReviews::Table)
                    .col(integer(MappingReviews::IntegrationId).primary_key())
                    .col(integer(MappingReviews::ReviewedBy))
                    .col(timestamp_with_time_zone(MappingReviews::ReviewedAt))
                    .foreign_key(&mut integration_fk(
                        "fk_mapping_reviews_integration",
                        MappingReviews::Table,
                        MappingReviews::IntegrationId,
                    ))
                    .foreign_key(&mut user_fk(
                        "fk_mapping_reviews_user",
                        MappingReviews::Table,
                        MappingReviews::ReviewedBy,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ChecklistItems::Table)
                    .col(pk_auto(ChecklistItems::Id))
                    .col(integer(ChecklistItems::IntegrationId))
                    .col(string(ChecklistItems::Checklist))
                    .col(string_null(ChecklistItems::TemplateKey))
                    .col(string(ChecklistItems::Title))
                    .col(string(ChecklistItems::Status))
                    .col(string(ChecklistItems::NaReason))
                    .col(integer_null(ChecklistItems::OwnerId))
                    .col(string(ChecklistItems::Evidence))
                    .col(integer(ChecklistItems::Position))
                    .col(timestamp_with_time_zone(ChecklistItems::CreatedAt))
                    .col(timestamp_with_time_zone(ChecklistItems::UpdatedAt))
                    .foreign_key(&mut integration_fk(
                        "fk_checklist_items_integration",
                        ChecklistItems::Table,
                        ChecklistItems::IntegrationId,
                    ))
                    .foreign_key(&mut user_fk(
                        "fk_checklist_items_owner",
                        ChecklistItems::Table,
                        ChecklistItems::OwnerId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_checklist_items_integration",
            ChecklistItems::Table,
            ChecklistItems::IntegrationId,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ChecklistItems::Table.into_iden(),
            MappingReviews::Table.into_iden(),
            MappingRows::Table.into_iden(),
            CredentialGrants::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
