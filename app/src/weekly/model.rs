//! One person's weekly digest, as the page, the email and the event tell it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::integrations::model::{IntegrationRef, Stage};
use crate::lifecycle::model::TransitionRecord;
use crate::monitoring::model::Incident;
use crate::planning::model::Milestone;

/// How many days ahead "coming" milestones are looked for.
pub const COMING_DAYS: i64 = 14;
/// The most risks listed per integration.
pub const RISKS_SHOWN: usize = 5;

/// One environment's uptime over the week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekUptime {
    pub environment: String,
    /// In basis points (9990 is 99.9%); `None` without checks that week.
    pub uptime_bp: Option<i32>,
}

/// One integration's week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationWeek {
    pub integration: IntegrationRef,
    /// The stage it is in at the week's end.
    pub stage: Stage,
    /// Stage moves in the week, oldest first.
    pub moves: Vec<TransitionRecord>,
    /// Milestones done in the week.
    pub milestones_done: Vec<Milestone>,
    /// Milestones not done and due by [`COMING_DAYS`] after the week's end (overdue ones too),
    /// by due date.
    pub milestones_coming: Vec<Milestone>,
    /// Incidents opened in the week, and those resolved in it, newest first.
    pub incidents_opened: Vec<Incident>,
    pub incidents_resolved: Vec<Incident>,
    /// Incidents still open at the week's end.
    pub incidents_open: usize,
    pub uptime: Vec<WeekUptime>,
    /// The risks of its latest plan, a line each (at most [`RISKS_SHOWN`]), and how many more.
    pub risks: Vec<String>,
    pub more_risks: usize,
}

impl IntegrationWeek {
    /// The moves in the week that passed a gate (a step forward through the lifecycle), as
    /// "Implementation → Testing", marked when an admin overrode the gate.
    pub fn gates_passed(&self) -> Vec<String> {
        self.moves
            .iter()
            .filter(|m| crate::lifecycle::model::next_stage(m.from) == Some(m.to))
            .map(|m| {
                let overridden = if m.override_justification.is_some() {
                    " (gate overridden)"
                } else {
                    ""
                };
                format!("{} → {}{overridden}", m.from.label(), m.to.label())
            })
            .collect()
    }

    /// Whether nothing happened in the week (no moves, milestones done, incidents).
    pub fn quiet(&self) -> bool {
        self.moves.is_empty()
            && self.milestones_done.is_empty()
            && self.incidents_opened.is_empty()
            && self.incidents_resolved.is_empty()
    }
}

/// One person's digest of a week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyDigest {
    /// The week's first moment and its end (a week after; for a preview, now).
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
    /// The Monday the week began, for a sent digest; `None` for a preview of the last seven
    /// days.
    pub week_of: Option<NaiveDate>,
    /// The integrations followed, by name.
    pub integrations: Vec<IntegrationWeek>,
}
