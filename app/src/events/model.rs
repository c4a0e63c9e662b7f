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
