//! One row of an integration's data mapping: provider field (JSON pointer) to platform field.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mapping_rows")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub integration_id: i32,
    pub position: i32,
    pub source_pointer: String,
    pub target_field: String,
    pub transform: crate::choices::implementation::Transform,
    /// The enum map (`from=to` pairs) or the default value; empty for other transforms.
    pub transform_arg: String,
    pub required: bool,
    pub notes: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
