//! One test case of a plan.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "test_cases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub plan_id: i32,
    /// Stable, for automation (JUnit test names match it).
    pub key: String,
    pub title: String,
    pub category: crate::choices::testing::CaseCategory,
    pub preconditions: String,
    pub steps: String,
    pub expected: String,
    pub priority: crate::choices::integrations::Priority,
    pub required: bool,
    /// Linked objectives, comma-separated ids.
    pub objective_ids: String,
    pub template_key: Option<String>,
    pub position: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Linked operations the integration uses: comma-separated `spec_operation_uses` ids.
    pub operation_ids: String,
    /// Why the case must be run again (a breaking provider change); cleared by a pass.
    pub retest_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
