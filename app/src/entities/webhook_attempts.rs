//! One try at a delivery: when, what came back, how long it took.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub delivery_id: i32,
    pub endpoint_id: i32,
    pub attempted_at: DateTimeUtc,
    /// None when no answer came (a timeout, a refused connection, a refused address).
    pub status_code: Option<i32>,
    pub latency_ms: i32,
    /// The answer's first bytes.
    pub response_body: String,
    pub error: Option<String>,
    /// Sent again by someone, not by the retry schedule.
    pub by_hand: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
