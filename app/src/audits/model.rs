//! Audits, their runs and findings as they cross the wire.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use crate::choices::audits::FindingSeverity;
use crate::integrations::model::IntegrationRef;
use crate::users::model::UserRef;

crate::choice_enum! {
    /// Where an audit stands against its next due day.
    AuditStatus {
        Overdue => ("overdue", "Overdue"),
        DueSoon => ("due_soon", "Due soon"),
        Scheduled => ("scheduled", "Scheduled"),
    }
}

/// What a run found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Finding {
    pub id: i32,
    pub summary: String,
    pub severity: FindingSeverity,
    /// What will be done about it.
    pub remediation: String,
    /// When the remediation is due, if a day was set.
    pub due_on: Option<NaiveDate>,
    pub resolved_on: Option<NaiveDate>,
    pub resolved_by: Option<String>,
    /// How it was resolved.
    pub resolution: String,
    /// Open past its remediation's due day.
    pub overdue: bool,
}

/// One performance of an audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditRun {
    pub id: i32,
    pub performed_on: NaiveDate,
    pub performed_by: String,
    pub notes: String,
    /// Empty when the run passed.
    pub findings: Vec<Finding>,
}

/// A recurring check, with its runs newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Audit {
    pub id: i32,
    pub integration: IntegrationRef,
    pub title: String,
    /// What the audit checks.
    pub checks: String,
    pub interval_days: i32,
    pub first_due: NaiveDate,
    pub owner: Option<UserRef>,
    /// The latest run's day plus the interval; the first due day before any run.
    pub next_due: NaiveDate,
    pub status: AuditStatus,
    /// Findings of any run not resolved yet.
    pub open_findings: usize,
    /// The newest [`RUNS_SHOWN`] runs, and any older one with a finding not resolved yet,
    /// newest first.
    pub runs: Vec<AuditRun>,
    /// Runs in all.
    pub run_count: u64,
}

/// How many of an audit's newest runs it shows (older runs with open findings show too).
pub const RUNS_SHOWN: u64 = 5;

impl Audit {
    /// The edit form filled with this audit's values.
    pub fn form(&self) -> AuditForm {
        AuditForm {
            title: self.title.clone(),
            checks: self.checks.clone(),
            interval_days: self.interval_days.to_string(),
            first_due: self.first_due.to_string(),
            owner_id: self
                .owner
                .as_ref()
                .map(|o| o.id.to_string())
                .unwrap_or_default(),
        }
    }
}

/// The audit form, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AuditForm {
    pub title: String,
    pub checks: String,
    /// Days between runs, 1 to 366.
    pub interval_days: String,
    /// The day the first run is due (YYYY-MM-DD).
    pub first_due: String,
    /// The person who performs it; blank for nobody in particular.
    pub owner_id: String,
}

/// A run, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RunForm {
    /// The day it was performed (YYYY-MM-DD); blank is today.
    pub performed_on: String,
    pub notes: String,
}

/// A finding, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct FindingForm {
    pub summary: String,
    /// `low`, `medium` or `high`.
    pub severity: String,
    pub remediation: String,
    /// When the remediation is due (YYYY-MM-DD); optional.
    pub due_on: String,
}

/// A finding's resolution, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ResolutionForm {
    /// The day it was resolved (YYYY-MM-DD); blank is today.
    pub resolved_on: String,
    pub resolution: String,
}

/// The audits page of one integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditsView {
    pub integration: IntegrationRef,
    /// Soonest due first.
    pub audits: Vec<Audit>,
    /// Who may own an audit.
    pub people: Vec<UserRef>,
    pub today: NaiveDate,
}
