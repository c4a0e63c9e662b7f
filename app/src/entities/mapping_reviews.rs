//! The review marker of an integration's data mapping; deleted when a row changes.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mapping_reviews")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub integration_id: i32,
    pub reviewed_by: i32,
    pub reviewed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
