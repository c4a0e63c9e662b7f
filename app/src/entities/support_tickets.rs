//! A support ticket with the provider, perhaps linked to an incident.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "support_tickets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub integration_id: i32,
    /// The provider's ticket id or link.
    pub reference: String,
    pub subject: String,
    pub status: crate::choices::provider::TicketStatus,
    pub opened_on: Date,
    pub closed_on: Option<Date>,
    pub incident_id: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
