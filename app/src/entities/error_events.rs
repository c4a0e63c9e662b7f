//! One error event as the platform reported it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "error_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub group_id: i32,
    pub level: crate::choices::events::EventLevel,
    pub message: String,
    pub http_status: Option<i32>,
    pub latency_ms: Option<i32>,
    pub environment: String,
    pub occurred_at: DateTimeUtc,
    /// JSON object, or empty.
    pub context: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
