//! One item of an integration's error-handling or security checklist.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "checklist_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub integration_id: i32,
    /// error_handling or security.
    pub checklist: crate::choices::implementation::Checklist,
    /// The template item it came from, so applying a template twice adds nothing.
    pub template_key: Option<String>,
    pub title: String,
    /// open, done or not_applicable.
    pub status: crate::choices::implementation::ItemStatus,
    pub na_reason: String,
    pub owner_id: Option<i32>,
    pub evidence: String,
    pub position: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
