//! The checks of one environment in one hour, rolled up from the raw results and kept for
//! good: counts, the latency sum (for the mean) and percentiles.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "probe_hours")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub environment_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub start: DateTimeUtc,
    pub checks: i32,
    pub failures: i32,
    pub latency_sum: i64,
    pub p50: i32,
    pub p95: i32,
    pub p99: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
