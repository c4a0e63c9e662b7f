//! Monitoring types that cross the wire.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::choices::monitoring::{ErrorClass, IncidentSeverity, IncidentStatus};
use crate::integrations::model::IntegrationRef;
use crate::monitors::MonitorState;

/// One run of a health check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProbeResult {
    pub scheduled_at: DateTime<Utc>,
    pub started_at: DateTime<Utc>,
    pub latency_ms: i32,
    pub status_code: Option<i32>,
    pub up: bool,
    pub error_class: Option<ErrorClass>,
    pub message: String,
}

/// An environment as its monitor sees it, with its latest results (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EnvironmentHealth {
    pub environment_id: i32,
    pub name: String,
    pub url: String,
    pub interval_seconds: i32,
    pub state: MonitorState,
    pub failures: i32,
    pub successes: i32,
    pub last_checked_at: Option<DateTime<Utc>>,
    pub changed_at: Option<DateTime<Utc>>,
    pub recent: Vec<ProbeResult>,
    /// The availability objective in basis points (9990 is 99.9%).
    pub slo_target_bp: i32,
    /// Uptime over 24 hours, 7, 30 and 90 days.
    pub uptime: Vec<Uptime>,
    /// What is left of the 30-day error budget, in basis points of the budget (10000 is all
    /// of it; below 0 is overspent); `None` before the first check.
    pub budget_left_bp: Option<i32>,
    /// The 95th-percentile latency of each of the last 24 rolled-up hours, oldest first.
    pub p95_by_hour: Vec<HourLatency>,
    /// Whether a maintenance window is open now.
    pub in_maintenance: bool,
    /// When the certificate the provider last presented expires (HTTPS only).
    pub tls_expires_at: Option<DateTime<Utc>>,
    /// Whole days until then, as of the page's time.
    pub tls_days_left: Option<i64>,
    /// Whether the expiry is inside the widest warning (21 days).
    pub tls_warning: bool,
}

/// Availability over a window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Uptime {
    pub label: String,
    pub checks: i64,
    pub failures: i64,
    /// Successful checks in basis points (9990 is 99.9%); `None` without checks.
    pub uptime_bp: Option<i32>,
}

/// One hour's 95th-percentile latency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HourLatency {
    pub hour: DateTime<Utc>,
    pub p95_ms: i32,
    pub checks: i32,
    pub failures: i32,
}

/// Basis points as a percentage with two decimals: 9990 is "99.90%".
pub fn percent(bp: i32) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let a = bp.unsigned_abs();
    format!("{sign}{}.{:02}%", a / 100, a % 100)
}

/// A maintenance window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MaintenanceWindow {
    pub id: i32,
    pub environment_id: i32,
    pub environment: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub reason: String,
    pub by: String,
    /// Where the window stands as of the page's time.
    pub state: WindowState,
}

/// Where a maintenance window stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WindowState {
    Scheduled,
    Open,
    Ended,
}

impl WindowState {
    /// The state of a window from `starts` to `ends` at `now`.
    pub fn at(starts: DateTime<Utc>, ends: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        if ends <= now {
            WindowState::Ended
        } else if starts <= now {
            WindowState::Open
        } else {
            WindowState::Scheduled
        }
    }

    /// How the page says it.
    pub fn label(self) -> &'static str {
        match self {
            WindowState::Scheduled => "scheduled",
            WindowState::Open => "open now",
            WindowState::Ended => "ended",
        }
    }
}

/// The maintenance form: times as `datetime-local` sends them, in UTC.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MaintenanceForm {
    pub environment_id: String,
    pub starts_at: String,
    pub ends_at: String,
    pub reason: String,
}

/// A new incident, reported by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct IncidentForm {
    pub title: String,
    pub severity: String,
    /// Blank when no one environment is affected.
    pub environment_id: String,
    pub note: String,
}

/// An update to an incident: a status and a note on the timeline, and its reference fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct IncidentUpdateForm {
    pub status: String,
    pub note: String,
    pub ticket_ref: String,
    pub root_cause: String,
    pub postmortem: String,
}

/// An incident, with its timeline (oldest first) when read on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Incident {
    pub id: i32,
    pub integration: IntegrationRef,
    pub title: String,
    pub severity: IncidentSeverity,
    pub status: IncidentStatus,
    pub automatic: bool,
    pub environment: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub ticket_ref: Option<String>,
    pub root_cause: Option<String>,
    pub postmortem: Option<String>,
    pub timeline: Vec<IncidentUpdate>,
}

impl Incident {
    /// Minutes from opening to resolution, once resolved.
    pub fn minutes_to_resolve(&self) -> Option<i64> {
        self.resolved_at.map(|r| (r - self.opened_at).num_minutes())
    }
}

/// An entry on an incident's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IncidentUpdate {
    pub status: IncidentStatus,
    pub note: String,
    /// The person's name, or `None` for the monitor.
    pub author: Option<String>,
    pub at: DateTime<Utc>,
}

/// When an incident opened and was resolved, with what the outage timeline says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentEvents {
    pub title: String,
    pub severity: IncidentSeverity,
    pub opened_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

/// Incidents a page of the health page lists.
pub const INCIDENTS_PER_PAGE: u64 = 20;
/// Outage events the health page's timeline shows, newest first.
pub const OUTAGES_SHOWN: usize = 20;

/// Something that happened to an integration's availability: an incident opened or resolved,
/// a maintenance window begun or ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outage {
    pub at: DateTime<Utc>,
    pub what: String,
}

/// The health page: an integration's monitored environments, maintenance windows (open,
/// coming, or ended in the last week) and mean minutes to resolve its resolved incidents; its
/// incidents a page at a time, newest first; and the newest outage events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthView {
    pub integration_id: i32,
    pub environments: Vec<EnvironmentHealth>,
    pub windows: Vec<MaintenanceWindow>,
    pub mttr_minutes: Option<i64>,
    pub incidents: crate::paging::Paged<Incident>,
    /// The newest [`OUTAGES_SHOWN`], newest first.
    pub outages: Vec<Outage>,
}

impl HealthView {
    /// The newest [`OUTAGES_SHOWN`] events of `incidents` (opened, resolved) and `windows`
    /// (begun, ended), newest first.
    pub fn outages(incidents: &[IncidentEvents], windows: &[MaintenanceWindow]) -> Vec<Outage> {
        let mut outages: Vec<Outage> = Vec::new();
        for i in incidents {
            outages.push(Outage {
                at: i.opened_at,
                what: format!(
                    "Incident opened: {} ({})",
                    i.title,
                    i.severity.label().to_lowercase()
                ),
            });
            if let Some(at) = i.resolved_at {
                outages.push(Outage {
                    at,
                    what: format!("Incident resolved: {}", i.title),
                });
            }
        }
        for w in windows {
            outages.push(Outage {
                at: w.starts_at,
                what: format!("Maintenance of {} begins: {}", w.environment, w.reason),
            });
            outages.push(Outage {
                at: w.ends_at,
                what: format!("Maintenance of {} ends", w.environment),
            });
        }
        outages.sort_by_key(|o| std::cmp::Reverse(o.at));
        outages.truncate(OUTAGES_SHOWN);
        outages
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn a_window_is_scheduled_then_open_from_its_start_then_ended_at_its_end() {
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
        let end = start + Duration::hours(2);
        let at = |t| WindowState::at(start, end, t);
        assert_eq!(at(start - Duration::seconds(1)), WindowState::Scheduled);
        assert_eq!(at(start), WindowState::Open);
        assert_eq!(at(end - Duration::seconds(1)), WindowState::Open);
        assert_eq!(at(end), WindowState::Ended);
        assert_eq!(WindowState::Open.label(), "open now");
    }
}
