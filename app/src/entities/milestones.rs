//! A dated milestone on an integration's timeline.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "milestones")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub integration_id: i32,
    pub title: String,
    pub description: String,
    pub stage: crate::choices::integrations::Stage,
    pub owner_id: Option<i32>,
    pub due_date: Date,
    pub status: crate::choices::planning::MilestoneStatus,
    pub completed_on: Option<Date>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
