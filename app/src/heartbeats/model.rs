//! Heartbeat types that cross the wire.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::choices::heartbeats::{HeartbeatState, Ping};
use crate::integrations::model::IntegrationRef;

/// A heartbeat monitor: a scheduled job of an integration and what its runs reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Heartbeat {
    pub id: i32,
    pub integration_id: i32,
    pub environment_id: i32,
    pub environment: String,
    pub name: String,
    /// The monitor's slug: a Sentry check-in's `monitor_slug`.
    pub slug: String,
    /// Runs expected every this many minutes (or by `cron`).
    pub interval_minutes: Option<i32>,
    /// Runs expected by this cron expression, in UTC (or every `interval_minutes`).
    pub cron: Option<String>,
    /// The schedule in words.
    pub schedule: String,
    /// How late a run may report before it counts as missed.
    pub grace_minutes: i32,
    /// How long a started run may take before it counts as failed.
    pub max_runtime_minutes: i32,
    pub state: HeartbeatState,
    pub last_ping: Option<Ping>,
    pub last_ping_at: Option<DateTime<Utc>>,
    /// When the next run is expected to report.
    pub next_expected_at: DateTime<Utc>,
    /// When the run counts as missed (the next expected plus the grace, or a started run's
    /// time limit).
    pub late_after: DateTime<Utc>,
    /// Where the job reports (`POST`, with `/start` and `/fail`); only for those who build.
    pub ping_url: Option<String>,
}

impl Heartbeat {
    /// The form that would save this monitor as it is (what a merge patch starts from).
    pub fn form(&self) -> HeartbeatForm {
        HeartbeatForm {
            name: self.name.clone(),
            slug: self.slug.clone(),
            environment_id: self.environment_id.to_string(),
            interval_minutes: self
                .interval_minutes
                .map(|m| m.to_string())
                .unwrap_or_default(),
            cron: self.cron.clone().unwrap_or_default(),
            grace_minutes: self.grace_minutes.to_string(),
            max_runtime_minutes: self.max_runtime_minutes.to_string(),
        }
    }
}

/// The heartbeat form, as submitted: an interval or a cron expression, not both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct HeartbeatForm {
    pub name: String,
    /// Blank takes one made from the name.
    pub slug: String,
    pub environment_id: String,
    /// Minutes between runs, 1 to 525,600.
    pub interval_minutes: String,
    /// A five-field cron expression in UTC, such as `0 3 * * *`.
    pub cron: String,
    /// Blank is 5.
    pub grace_minutes: String,
    /// Blank is 30.
    pub max_runtime_minutes: String,
}

/// The heartbeats of one integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HeartbeatsView {
    pub integration: IntegrationRef,
    pub heartbeats: Vec<Heartbeat>,
    /// The integration's environments, by name: where a monitor may be added.
    pub environments: Vec<EnvironmentName>,
}

/// An environment as a heartbeat's form offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EnvironmentName {
    pub id: i32,
    pub name: String,
}

/// A run's report, from a ping or a Sentry cron check-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    /// The monitor's slug (a check-in's `monitor_slug`).
    pub slug: String,
    pub ping: Ping,
    /// The schedule a Sentry check-in carries (`monitor_config`), which creates or updates
    /// its monitor.
    pub config: Option<Schedule>,
}

/// A monitor's expected schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub interval_minutes: Option<i32>,
    pub cron: Option<String>,
    pub grace_minutes: i32,
    pub max_runtime_minutes: i32,
}
