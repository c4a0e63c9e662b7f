//! A vendor selection with its rationale and the scores at that moment.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vendor_selections")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub integration_id: i32,
    pub candidate_id: Option<i32>,
    pub candidate_name: String,
    pub rationale: String,
    /// JSON: the comparison table (weights, scores, totals) when the choice was made.
    pub snapshot: String,
    pub actor_id: Option<i32>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
