//! An incident on an integration: opened by a monitor when an environment goes down, or by
//! hand.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "incidents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub integration_id: i32,
    pub environment_id: Option<i32>,
    pub title: String,
    pub severity: crate::choices::monitoring::IncidentSeverity,
    pub status: crate::choices::monitoring::IncidentStatus,
    pub automatic: bool,
    pub opened_at: DateTimeUtc,
    pub resolved_at: Option<DateTimeUtc>,
    pub ticket_ref: Option<String>,
    pub root_cause: Option<String>,
    pub postmortem: Option<String>,
    pub created_by: Option<i32>,
    /// The heartbeat monitor whose missed or failed run opened it.
    pub heartbeat_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
