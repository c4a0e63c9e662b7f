//! Each trail row names the integration it is filed under (`7` of the integration kind, or
//! `7/...` of any kind; none for an account, a token or a saved view), in a column of its own
//! with an index, so that an integration's history and what changed since a row are read by
//! index instead of by matching every row's id against a pattern. Existing rows are filled
//! from their ids. The column is not hashed: it is read from the hashed kind and id, and the
//! trail's verification checks it against them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Activity {
    Table,
    IntegrationId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Activity::Table)
                    .add_column(integer_null(Activity::IntegrationId))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // At most nine digits: an integration id, never a number that overflows.
        let fill = match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => [
                "UPDATE activity SET integration_id = split_part(entity_id, '/', 1)::integer \
                 WHERE entity_id ~ '^[0-9]{1,9}/'",
                "UPDATE activity SET integration_id = entity_id::integer \
                 WHERE entity_kind = 'integration' AND entity_id ~ '^[0-9]{1,9}$'",
            ],
            _ => [
                "UPDATE activity SET integration_id = \
                 CAST(substr(entity_id, 1, instr(entity_id, '/') - 1) AS INTEGER) \
                 WHERE instr(entity_id, '/') BETWEEN 2 AND 10 \
                 AND substr(entity_id, 1, instr(entity_id, '/') - 1) NOT GLOB '*[^0-9]*'",
                "UPDATE activity SET integration_id = CAST(entity_id AS INTEGER) \
                 WHERE entity_kind = 'integration' AND length(entity_id) BETWEEN 1 AND 9 \
                 AND entity_id NOT GLOB '*[^0-9]*'",
            ],
        };
        for statement in fill {
            db.execute_unprepared(statement).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_activity_integration")
                    .table(Activity::Table)
                    .col(Activity::IntegrationId)
                    .col(Alias::new("id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_activity_integration")
                    .table(Activity::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Activity::Table)
                    .drop_column(Activity::IntegrationId)
                    .to_owned(),
            )
            .await
    }
}
