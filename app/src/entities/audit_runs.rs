//! One performance of an audit: the day, who performed it and their notes.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_runs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub audit_id: i32,
    pub integration_id: i32,
    pub performed_on: Date,
    pub performed_by: i32,
    pub notes: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
