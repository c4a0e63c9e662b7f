//! One operation of a specification version, indexed for the catalogue.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "spec_operations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub version_id: i32,
    /// Upper case: `GET`.
    pub method: String,
    /// The full path, base path included.
    pub path: String,
    /// The path with parameter names blanked, to match operations across versions.
    pub template: String,
    pub operation_id: Option<String>,
    pub summary: String,
    /// Comma-separated.
    pub tags: String,
    pub deprecated: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
