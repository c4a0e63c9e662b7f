//! One run of a health check: when it was due, when it started, and what came back.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "probe_results")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub environment_id: i32,
    pub scheduled_at: DateTimeUtc,
    pub started_at: DateTimeUtc,
    pub latency_ms: i32,
    pub status_code: Option<i32>,
    pub up: bool,
    pub error_class: Option<crate::choices::monitoring::ErrorClass>,
    pub message: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
