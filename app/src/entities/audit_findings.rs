//! What an audit run found, its remediation, and (once remediated) when and how it was resolved.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_findings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub run_id: i32,
    pub audit_id: i32,
    pub integration_id: i32,
    pub summary: String,
    /// `low`, `medium` or `high`.
    pub severity: crate::choices::audits::FindingSeverity,
    pub remediation: String,
    pub due_on: Option<Date>,
    pub resolved_on: Option<Date>,
    pub resolved_by: Option<i32>,
    pub resolution: String,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
