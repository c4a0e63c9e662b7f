//! Something a live integration needs done, such as adapting to a breaking provider change.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "maintenance_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub integration_id: i32,
    pub title: String,
    pub detail: String,
    /// Where to look, such as the change report.
    pub link: String,
    /// What opened it: `spec` or `manual`.
    pub source: String,
    /// `open` or `closed`.
    pub status: String,
    pub opened_by: i32,
    pub opened_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
