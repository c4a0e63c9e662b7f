//! An event in the transactional outbox, written in the transaction of the change it tells of.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The `webhook-id` every delivery of it carries (`msg_` and 32 hex digits).
    pub uid: String,
    pub event_type: crate::choices::webhooks::EventType,
    pub integration_id: Option<i32>,
    /// The payload's `data`, as JSON.
    pub data: String,
    /// Set for events that must be told once (a rotation due on a day): a second emit of the
    /// same key is dropped.
    pub dedup_key: Option<String>,
    pub created_at: DateTimeUtc,
    /// When its deliveries were made, one per matching endpoint.
    pub dispatched_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
