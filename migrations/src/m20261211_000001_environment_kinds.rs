//! An environment's kind (sandbox, staging, production) apart from its free name, so that the
//! gates find "production" whatever it is called (`prod-eu`). Existing environments take the
//! kind their name says, and staging otherwise.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Environments {
    Table,
    Kind,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Environments::Table)
                    .add_column(string(Environments::Kind).default("staging"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for kind in ["sandbox", "production"] {
            db.execute_unprepared(&format!(
                "UPDATE environments SET kind = '{kind}' WHERE lower(name) = '{kind}'"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Environments::Table)
                    .drop_column(Environments::Kind)
                    .to_owned(),
            )
            .await
    }
}
