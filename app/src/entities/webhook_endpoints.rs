//! Where events are sent: signed with the endpoint's secret, or as a Slack-compatible message.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub url: String,
    pub description: String,
    /// The event types it gets, as a JSON array of stored names; empty for all.
    pub event_types: String,
    /// The integrations whose events it gets, as a JSON array of ids; empty for all.
    pub integration_ids: String,
    pub enabled: bool,
    /// Standard Webhooks (signed) or a Slack-compatible message; a Slack-compatible URL is a
    /// credential, never shown back in full.
    pub format: crate::choices::webhooks::EndpointFormat,
    /// `whsec_` and the base64 of the signing key.
    pub secret: String,
    /// The secret before the last rotation, still signing until `previous_until`.
    pub previous_secret: Option<String>,
    pub previous_until: Option<DateTimeUtc>,
    /// Since when every attempt has failed; none after a success.
    pub failing_since: Option<DateTimeUtc>,
    /// Why Tollgate disabled it, when it did.
    pub disabled_reason: Option<String>,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
