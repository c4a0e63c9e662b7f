//! A heartbeat monitor: a scheduled job of an integration that reports its runs, late once
//! `due_at` passes without one.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "heartbeats")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub integration_id: i32,
    pub environment_id: i32,
    pub slug: String,
    pub name: String,
    #[sea_orm(unique)]
    pub token: String,
    pub interval_minutes: Option<i32>,
    pub cron: Option<String>,
    pub grace_minutes: i32,
    pub max_runtime_minutes: i32,
    pub state: crate::choices::heartbeats::HeartbeatState,
    pub last_ping: Option<crate::choices::heartbeats::Ping>,
    pub last_ping_at: Option<DateTimeUtc>,
    pub due_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
