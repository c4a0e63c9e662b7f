//! A QA sign-off of a run: immutable, superseded (with why) when the results change.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signoffs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub run_id: i32,
    pub statement: String,
    pub signer_id: i32,
    pub signed_at: DateTimeUtc,
    /// JSON: every execution's result when signed.
    pub snapshot: String,
    /// SHA-256 of `snapshot`, hex.
    pub sha256: String,
    pub superseded_at: Option<DateTimeUtc>,
    pub superseded_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
