//! An hour of one operation's calls on one environment, as the code's Sentry transactions
//! recorded them.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "observed_hours")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub integration_id: i32,
    pub environment_id: i32,
    /// Upper case.
    pub method: String,
    /// The path with parameter names erased (`/v1/charges/{}`).
    pub template: String,
    /// The path as the spec writes it.
    pub path: String,
    /// The hour's start.
    pub hour: DateTimeUtc,
    pub calls: i64,
    pub failures: i64,
    /// `bucket:count` pairs (`observed::histogram`).
    pub latencies: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
