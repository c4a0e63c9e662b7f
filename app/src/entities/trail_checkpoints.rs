//! A signed checkpoint of the activity trail: its head's sequence number and hash at `at`
//! (RFC 3339), with an HMAC-SHA256 over the three made with the trail key (see
//! `activity::anchor`). Also appended to the checkpoint file outside the database.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "trail_checkpoints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub row_id: i32,
    pub head_hash: String,
    pub at: String,
    pub mac: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
