//! A planning meeting with its attendees, agenda, notes and decisions.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub integration_id: i32,
    pub starts_at: DateTimeUtc,
    pub title: String,
    /// A JSON array of user ids.
    pub attendee_ids: String,
    pub outside_attendees: String,
    pub agenda: String,
    pub notes: String,
    pub decisions: String,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
