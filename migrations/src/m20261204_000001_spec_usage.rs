//! Specs fetched from their URL on a schedule, what an integration uses of a provider's spec, and what a breaking change sets off: the
//! operations marked as used (matched across versions by method and path template), test
//! cases linked to them and flagged for retest, maintenance items, and in-app notifications.

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
enum ApiSpecs {
    Table,
    Id,
    Refetch,
    NextFetchAt,
    LastFetchedAt,
    LastFetchError,
}

#[derive(DeriveIden)]
enum TestCases {
    Table,
    OperationIds,
    RetestReason,
}

#[derive(DeriveIden)]
enum SpecOperationUses {
    Table,
    Id,
    SpecId,
    Method,
    Template,
    Path,
    Note,
    MarkedBy,
    MarkedAt,
}

#[derive(DeriveIden)]
enum MaintenanceItems {
    Table,
    Id,
    IntegrationId,
    Title,
    Detail,
    Link,
    Source,
    Status,
    OpenedBy,
    OpenedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    IntegrationId,
    Title,
    Body,
    Link,
    CreatedAt,
    ReadAt,
}

fn cascade(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for col in [
            text(TestCases::OperationIds).default("").to_owned(),
            text_null(TestCases::RetestReason),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(TestCases::Table)
                        .add_column(col)
                        .to_owned(),
                )
                .await?;
        }
        for col in [
            string(ApiSpecs::Refetch).default("never").to_owned(),
            timestamp_with_time_zone_null(ApiSpecs::NextFetchAt),
            timestamp_with_time_zone_null(ApiSpecs::LastFetchedAt),
            text(ApiSpecs::LastFetchError).default("").to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ApiSpecs::Table)
                        .add_column(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_api_specs_next_fetch")
                    .table(ApiSpecs::Table)
                    .col(ApiSpecs::NextFetchAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SpecOperationUses::Table)
                    .col(pk_auto(SpecOperationUses::Id))
                    .col(integer(SpecOperationUses::SpecId))
                    .col(string(SpecOperationUses::Method))
                    .col(text(SpecOperationUses::Template))
                    .col(text(SpecOperationUses::Path))
                    .col(text(SpecOperationUses::Note))
                    .col(integer(SpecOperationUses::MarkedBy))
                    .col(timestamp_with_time_zone(SpecOperationUses::MarkedAt))
                    .foreign_key(&mut cascade(
                        "fk_spec_operation_uses_spec",
                        (SpecOperationUses::Table, SpecOperationUses::SpecId),
                        (ApiSpecs::Table, ApiSpecs::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_spec_operation_uses_key")
                    .table(SpecOperationUses::Table)
                    .col(SpecOperationUses::SpecId)
                    .col(SpecOperationUses::Method)
                    .col(SpecOperationUses::Template)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MaintenanceItems::Table)
                    .col(pk_auto(MaintenanceItems::Id))
                    .col(integer(MaintenanceItems::IntegrationId))
                    .col(string(MaintenanceItems::Title))
                    .col(text(MaintenanceItems::Detail))
                    .col(text(MaintenanceItems::Link))
                    .col(string(MaintenanceItems::Source))
                    .col(string(MaintenanceItems::Status))
                    .col(integer(MaintenanceItems::OpenedBy))
                    .col(timestamp_with_time_zone(MaintenanceItems::OpenedAt))
                    .col(timestamp_with_time_zone_null(MaintenanceItems::ClosedAt))
                    .foreign_key(&mut cascade(
                        "fk_maintenance_items_integration",
                        (MaintenanceItems::Table, MaintenanceItems::IntegrationId),
                        (Integrations::Table, Integrations::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_maintenance_items_integration")
                    .table(MaintenanceItems::Table)
                    .col(MaintenanceItems::IntegrationId)
                    .col(MaintenanceItems::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(pk_auto(Notifications::Id))
                    .col(integer(Notifications::UserId))
                    .col(integer_null(Notifications::IntegrationId))
                    .col(string(Notifications::Title))
                    .col(text(Notifications::Body))
                    .col(text(Notifications::Link))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .foreign_key(&mut cascade(
                        "fk_notifications_user",
                        (Notifications::Table, Notifications::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_notifications_integration",
                        (Notifications::Table, Notifications::IntegrationId),
                        (Integrations::Table, Integrations::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notifications_user_read")
                    .table(Notifications::Table)
                    .col(Notifications::UserId)
                    .col(Notifications::ReadAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Notifications::Table.into_iden(),
            MaintenanceItems::Table.into_iden(),
            SpecOperationUses::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("idx_api_specs_next_fetch")
                    .table(ApiSpecs::Table)
                    .to_owned(),
            )
            .await?;
        for col in [
            ApiSpecs::LastFetchError,
            ApiSpecs::LastFetchedAt,
            ApiSpecs::NextFetchAt,
            ApiSpecs::Refetch,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ApiSpecs::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        for col in [TestCases::RetestReason, TestCases::OperationIds] {
            manager
                .alter_table(
                    Table::alter()
                        .table(TestCases::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
