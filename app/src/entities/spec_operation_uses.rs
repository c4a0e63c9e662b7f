//! An operation of a spec that the integration uses, matched across versions by method and
//! path template.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "spec_operation_uses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub spec_id: i32,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path with parameter names erased (`/charges/{}`), as versions are matched.
    pub template: String,
    /// The path as the spec wrote it when the operation was marked.
    pub path: String,
    pub note: String,
    pub marked_by: i32,
    pub marked_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
