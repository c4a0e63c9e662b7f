//! One case in one configuration within a run.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "test_executions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub run_id: i32,
    pub case_id: i32,
    /// browser/device for compatibility cases; empty otherwise.
    pub configuration: String,
    pub status: crate::choices::testing::ExecutionStatus,
    pub actual: String,
    pub notes: String,
    pub evidence: String,
    pub tester_id: Option<i32>,
    pub recorded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
