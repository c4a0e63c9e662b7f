//! Error events and groups, as the REST API and the pages show them.

pub use crate::choices::events::{EventLevel, GroupStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One event as the platform sends it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct EventIn {
    /// `error` (when blank), `warning` or `info`.
    pub level: String,
    pub message: String,
    /// Such as `Timeout` or `CardDeclined`.
    pub error_type: String,
    /// The provider operation, such as `POST /v1/charges`.
    pub operation: String,
    pub http_status: Option<i32>,
    pub latency_ms: Option<i64>,
    /// Such as `production`.
    pub environment: String,
    /// RFC 3339; when absent, the time it arrived.
    pub time: Option<String>,
    /// Any JSON object, up to 16 KB.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub context: Option<serde_json::Value>,
    /// The reporter's own grouping (a Sentry SDK's `fingerprint`): events with the same list
    /// are one group; `{{ default }}` stands for Tollgate's own grouping. At most 10 parts
    /// of 200 characters.
    pub fingerprint: Vec<String>,
}

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IngestReport {
    pub accepted: usize,
    /// Groups the batch touched, and how many of them are new.
    pub groups: usize,
    pub new_groups: usize,
    /// Resolved groups that recurred.
    pub regressions: usize,
    /// Secrets found in the events' text and replaced with `[redacted: kind]`.
    pub redactions: usize,
}

/// A group of events sharing a fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ErrorGroup {
    pub id: i32,
    pub fingerprint: String,
    pub error_type: String,
    pub operation: String,
    /// The message with what varies replaced (`<n>`, `<id>`, `<hex>`, `<uuid>`).
    pub message: String,
    pub level: EventLevel,
    pub status: GroupStatus,
    pub regressed: bool,
    pub count: i64,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// Events in each of the last 24 hours, oldest first.
    pub last_24h: Vec<i64>,
}

/// One stack frame of an event, as its SDK reported it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Frame {
    pub function: String,
    /// The file, else the module.
    pub file: String,
    pub line: Option<i64>,
    /// Whether the frame is the application's own code (not a library's).
    pub in_app: bool,
}

/// One breadcrumb: what happened before the error.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Breadcrumb {
    pub category: String,
    pub level: String,
    pub message: String,
}

/// A group's latest event, with what its SDK sent beside the message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LatestEvent {
    pub message: String,
    pub environment: String,
    pub occurred_at: DateTime<Utc>,
    pub release: Option<String>,
    /// Innermost first.
    pub frames: Vec<Frame>,
    /// Oldest first.
    pub breadcrumbs: Vec<Breadcrumb>,
    pub tags: Vec<(String, String)>,
    /// The context as it was sent, when it is not an SDK's (the REST ingest's own JSON).
    pub context: Option<String>,
}

/// One error group with what its page shows: the environments it was seen in, the releases
/// it was first and last seen in, and its latest event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GroupDetail {
    pub group: ErrorGroup,
    pub integration: crate::integrations::model::IntegrationRef,
    pub environments: Vec<String>,
    pub first_release: Option<String>,
    pub last_release: Option<String>,
    pub latest: Option<LatestEvent>,
}
