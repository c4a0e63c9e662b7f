//! The changes from version `base_id` to version `revision_id` of one spec: gzipped JSON of
//! `specs::diff::Change`s, computed once (see `specs::changes`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "spec_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub base_id: i32,
    pub revision_id: i32,
    pub changes: Vec<u8>,
    pub change_count: i32,
    pub computed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
