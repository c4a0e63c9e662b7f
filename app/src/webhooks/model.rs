//! Webhook types that cross the wire. A secret crosses once, when it is made.

pub use crate::choices::webhooks::{DeliveryState, EndpointFormat, EventType};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An endpoint as its list and page show it; its secret is never in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Endpoint {
    pub id: i32,
    /// Where events go; a Slack-compatible endpoint's (a credential) shown only as its host
    /// and last four characters.
    pub url: String,
    pub format: EndpointFormat,
    pub description: String,
    /// The event types it gets; empty for all.
    pub events: Vec<EventType>,
    /// The slugs of the integrations whose events it gets; empty for all.
    pub integrations: Vec<String>,
    pub enabled: bool,
    /// Why Tollgate disabled it (every attempt failing for days), when it did.
    pub disabled_reason: Option<String>,
    /// Since when every attempt has failed.
    pub failing_since: Option<DateTime<Utc>>,
    /// Until when the secret before the last rotation still signs, during a rotation.
    pub previous_secret_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Endpoint {
    /// The form that would save it as it is.
    pub fn form(&self) -> EndpointForm {
        EndpointForm {
            url: self.url.clone(),
            format: self.format.as_str().to_string(),
            description: self.description.clone(),
            events: self.events.iter().map(|e| e.as_str().to_string()).collect(),
            integrations: self.integrations.clone(),
            enabled: self.enabled,
        }
    }
}

/// What is submitted to add or change an endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EndpointForm {
    /// Where events are POSTed: an https:// (or http://) address Tollgate may reach. For a
    /// Slack-compatible endpoint already added, blank (or the shown form) keeps it.
    pub url: String,
    /// `standard` (blank) or `slack`; set when the endpoint is added.
    #[serde(default)]
    pub format: String,
    pub description: String,
    /// Event type names (`incident.opened`...); none for all.
    #[serde(default)]
    pub events: Vec<String>,
    /// Integration slugs; none for all.
    #[serde(default)]
    pub integrations: Vec<String>,
    /// Whether events are sent to it (true when created).
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// The event types an endpoint may subscribe to (a test is only ever sent by hand), as
/// (stored name, label) for a form.
pub fn subscribable() -> Vec<(String, String)> {
    EventType::ALL
        .iter()
        .filter(|t| **t != EventType::Test)
        .map(|t| {
            (
                t.as_str().to_string(),
                format!("{} ({})", t.label(), t.as_str()),
            )
        })
        .collect()
}

/// A new endpoint (or a rotated secret) with its secret, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewSecret {
    #[serde(flatten)]
    pub endpoint: Endpoint,
    /// `whsec_...`: verify signatures with it. It is not shown again. None for a
    /// Slack-compatible endpoint, which is not signed.
    pub secret: Option<String>,
}

/// One attempt at delivering one event to an endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Attempt {
    pub id: i32,
    /// The delivery it belongs to: `POST /api/v1/deliveries/{id}/retry` sends it again.
    pub delivery_id: i32,
    pub event_type: EventType,
    /// The event's `webhook-id`.
    pub event_id: String,
    pub attempted_at: DateTime<Utc>,
    /// None when no answer came.
    pub status_code: Option<i32>,
    pub latency_ms: i32,
    /// The answer's first 1,024 bytes.
    pub response_body: String,
    pub error: Option<String>,
    /// Sent again by someone rather than by the retry schedule.
    pub by_hand: bool,
    /// Where its delivery stands now.
    pub delivery_state: DeliveryState,
}

/// What a secret's rotation is asked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RotationForm {
    /// Hours the old secret keeps signing beside the new one (blank for 24; 0 to stop at
    /// once; at most 168).
    #[serde(default)]
    pub overlap_hours: String,
}

/// An endpoint's page: the endpoint and a page of its attempts, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointView {
    pub endpoint: Endpoint,
    pub attempts: crate::paging::Paged<Attempt>,
    /// (slug, name) of every integration, for the form.
    pub integrations: Vec<(String, String)>,
}

/// The webhooks page: every endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointList {
    pub endpoints: Vec<Endpoint>,
    /// (slug, name) of every integration, for the form.
    pub integrations: Vec<(String, String)>,
}
