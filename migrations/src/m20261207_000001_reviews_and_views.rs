//! Post-implementation reviews (one per integration, drafted from the records and edited by a
//! coordinator) and saved views (a user's named filters and sort for a list page).

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
enum Reviews {
    Table,
    Id,
    IntegrationId,
    Body,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SavedViews {
    Table,
    Id,
    UserId,
    Page,
    Name,
    Query,
    CreatedAt,
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
        manager
            .create_table(
                Table::create()
                    .table(Reviews::Table)
                    .col(pk_auto(Reviews::Id))
                    .col(integer_uniq(Reviews::IntegrationId))
                    .col(text(Reviews::Body))
                    .col(integer(Reviews::UpdatedBy))
                    .col(timestamp_with_time_zone(Reviews::UpdatedAt))
                    .foreign_key(&mut cascade(
                        "fk_reviews_integration",
                        (Reviews::Table, Reviews::IntegrationId),
                        (Integrations::Table, Integrations::Id),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_reviews_updated_by",
                        (Reviews::Table, Reviews::UpdatedBy),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reviews_updated_by")
                    .table(Reviews::Table)
                    .col(Reviews::UpdatedBy)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SavedViews::Table)
                    .col(pk_auto(SavedViews::Id))
                    .col(integer(SavedViews::UserId))
                    .col(string(SavedViews::Page))
                    .col(string(SavedViews::Name))
                    .col(text(SavedViews::Query))
                    .col(timestamp_with_time_zone(SavedViews::CreatedAt))
                    .foreign_key(&mut cascade(
                        "fk_saved_views_user",
                        (SavedViews::Table, SavedViews::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_saved_views_user_page_name")
                    .table(SavedViews::Table)
                    .col(SavedViews::UserId)
                    .col(SavedViews::Page)
                    .col(SavedViews::Name)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [SavedViews::Table.into_iden(), Reviews::Table.into_iden()] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
