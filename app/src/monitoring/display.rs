//! How the health pages show states and times: classes for states, severities and statuses,
//! and one time format.

use super::model::{IncidentSeverity, IncidentStatus};
use crate::monitors::MonitorState;

pub(super) const TIME: &str = "%Y-%m-%d %H:%M UTC";

pub(super) fn state_class(s: MonitorState) -> &'static str {
    match s {
        MonitorState::Up => "badge ok health-state",
        MonitorState::Down => "badge danger health-state",
        MonitorState::Unknown => "badge health-state",
    }
}

pub(super) fn severity_class(s: IncidentSeverity) -> &'static str {
    match s {
        IncidentSeverity::Critical => "badge danger",
        IncidentSeverity::Major => "badge warn",
        IncidentSeverity::Minor => "badge",
    }
}

pub(super) fn status_class(s: IncidentStatus) -> &'static str {
    if s == IncidentStatus::Resolved {
        "badge ok"
    } else {
        "badge danger"
    }
}

pub(super) fn when(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map_or_else(
        || "—".into(),
        |t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
    )
}
