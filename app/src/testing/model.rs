//! Testing types that cross the wire: the plan and its cases, runs and their executions,
//! defects and sign-offs.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::choices::testing::{CaseCategory, DefectStatus, ExecutionStatus, Severity};
use crate::integrations::model::IntegrationRef;
use crate::users::model::UserRef;

/// An operation a case may be linked to, as people read it: `GET /v1/charges (Stripe API)`.
pub fn operation_label(method: &str, path: &str, spec_name: &str) -> String {
    format!("{method} {path} ({spec_name})")
}

crate::choice_enum! {
    /// A browser of the compatibility matrix.
    Browser {
        Chrome => ("chrome", "Chrome"),
        Firefox => ("firefox", "Firefox"),
        Safari => ("safari", "Safari"),
        Edge => ("edge", "Edge"),
    }
}

crate::choice_enum! {
    /// A device class of the compatibility matrix.
    Device {
        Desktop => ("desktop", "Desktop"),
        Tablet => ("tablet", "Tablet"),
        Phone => ("phone", "Phone"),
    }
}

/// A browser by device configuration, written `chrome/desktop`.
pub fn configuration(browser: Browser, device: Device) -> String {
    format!("{}/{}", browser.as_str(), device.as_str())
}

/// An integration's test plan settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TestPlan {
    pub id: i32,
    pub browsers: Vec<Browser>,
    pub devices: Vec<Device>,
    pub required_categories: Vec<CaseCategory>,
}

impl TestPlan {
    /// Every chosen configuration, browsers major.
    pub fn configurations(&self) -> Vec<String> {
        self.browsers
            .iter()
            .flat_map(|b| self.devices.iter().map(move |d| configuration(*b, *d)))
            .collect()
    }
}

/// The plan settings form: comma-separated stored names, as checkboxes post them joined.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct TestPlanForm {
    pub browsers: String,
    pub devices: String,
    pub required_categories: String,
}

/// One test case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TestCase {
    pub id: i32,
    pub key: String,
    pub title: String,
    pub category: CaseCategory,
    pub preconditions: String,
    pub steps: String,
    pub expected: String,
    pub priority: crate::integrations::model::Priority,
    pub required: bool,
    pub objective_ids: Vec<i32>,
    /// Linked operations the integration uses (their ids).
    pub operation_ids: Vec<i32>,
    /// Set when a breaking provider change means the case must be run again.
    pub retest_reason: Option<String>,
    pub template_key: Option<String>,
    pub position: i32,
}

impl TestCase {
    /// The edit form filled with this case's values.
    pub fn form(&self) -> TestCaseForm {
        TestCaseForm {
            key: self.key.clone(),
            title: self.title.clone(),
            category: self.category.as_str().into(),
            preconditions: self.preconditions.clone(),
            steps: self.steps.clone(),
            expected: self.expected.clone(),
            priority: self.priority.as_str().into(),
            required: if self.required {
                "on".into()
            } else {
                String::new()
            },
            objective_ids: joined(&self.objective_ids),
            operation_ids: joined(&self.operation_ids),
        }
    }
}

/// The test case form, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct TestCaseForm {
    /// Blank: made from the title.
    pub key: String,
    pub title: String,
    pub category: String,
    pub preconditions: String,
    pub steps: String,
    pub expected: String,
    /// Blank: medium.
    pub priority: String,
    /// A checkbox: "on" or "true" when ticked.
    pub required: String,
    /// Comma-separated objective ids of this integration.
    pub objective_ids: String,
    /// Comma-separated ids of operations this integration uses.
    pub operation_ids: String,
}

/// Ids as a comma-separated list.
pub fn joined(ids: &[i32]) -> String {
    ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}

/// The test plan page of an integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TestPlanView {
    pub integration: IntegrationRef,
    pub plan: TestPlan,
    pub cases: Vec<TestCase>,
    /// Template cases for this category not in the plan yet.
    pub template_missing: usize,
}

/// One execution of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Execution {
    pub id: i32,
    pub case_id: i32,
    pub case_key: String,
    pub case_title: String,
    pub category: CaseCategory,
    pub required: bool,
    /// browser/device, or empty.
    pub configuration: String,
    pub status: ExecutionStatus,
    pub actual: String,
    pub notes: String,
    pub evidence: String,
    pub tester: Option<UserRef>,
    pub recorded_at: Option<DateTime<Utc>>,
}

/// A result, as recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ResultForm {
    pub status: String,
    pub actual: String,
    pub notes: String,
    pub evidence: String,
}

/// A test run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TestRun {
    pub id: i32,
    pub integration: IntegrationRef,
    pub name: String,
    pub build: String,
    pub environment: Option<String>,
    pub started_by: UserRef,
    pub started_at: DateTime<Utc>,
}

/// The run form, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct TestRunForm {
    pub name: String,
    pub build: String,
    /// One of the integration's environments, or blank.
    pub environment_id: String,
}

/// A QA sign-off of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Signoff {
    pub id: i32,
    pub run_id: i32,
    pub statement: String,
    pub signer: UserRef,
    pub signed_at: DateTime<Utc>,
    /// SHA-256 (hex) of the snapshot of every execution's result.
    pub sha256: String,
    pub superseded_at: Option<DateTime<Utc>>,
    pub superseded_reason: Option<String>,
}

/// The counts of a run, by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Counts {
    pub total: usize,
    pub untested: usize,
    pub passed: usize,
    pub failed: usize,
    pub blocked: usize,
    pub skipped: usize,
}

impl Counts {
    /// Counts `statuses`.
    pub fn of(statuses: impl IntoIterator<Item = ExecutionStatus>) -> Self {
        Self::of_counted(statuses.into_iter().map(|s| (s, 1)))
    }

    /// Adds up `(status, how many)` pairs, as a grouped query returns them.
    pub fn of_counted(counted: impl IntoIterator<Item = (ExecutionStatus, usize)>) -> Self {
        let mut c = Counts::default();
        for (s, n) in counted {
            c.total += n;
            *match s {
                ExecutionStatus::Untested => &mut c.untested,
                ExecutionStatus::Passed => &mut c.passed,
                ExecutionStatus::Failed => &mut c.failed,
                ExecutionStatus::Blocked => &mut c.blocked,
                ExecutionStatus::Skipped => &mut c.skipped,
            } += n;
        }
        c
    }

    /// The executions a pass rate is taken over: all but the skipped ones (an untested one
    /// counts as not passed).
    pub fn applicable(&self) -> usize {
        self.total - self.skipped
    }
}

impl Counts {
    /// Executions with a result.
    pub fn recorded(&self) -> usize {
        self.total - self.untested
    }

    /// Passed executions as a whole percentage of those that apply (all but the skipped), or
    /// `None` when none apply.
    pub fn pass_rate(&self) -> Option<u32> {
        let applicable = self.applicable();
        #[allow(clippy::cast_possible_truncation)]
        (applicable > 0).then(|| ((self.passed * 100 + applicable / 2) / applicable) as u32)
    }

    /// The share recorded, as a whole percentage.
    pub fn progress(&self) -> u32 {
        #[allow(clippy::cast_possible_truncation)]
        (self.recorded() * 100)
            .checked_div(self.total)
            .map_or(0, |p| p as u32)
    }
}

/// One run with its executions, sign-offs (newest first) and the defects filed from its
/// executions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunDetail {
    pub run: TestRun,
    pub executions: Vec<Execution>,
    pub counts: Counts,
    pub signoffs: Vec<Signoff>,
    pub defects: Vec<Defect>,
}

impl Signoff {
    /// Whether the gate may still read it.
    pub fn is_live(&self) -> bool {
        self.superseded_at.is_none()
    }
}

/// A run as the runs list shows it: its counts and its latest sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunSummary {
    pub run: TestRun,
    pub counts: Counts,
    pub latest_signoff: Option<Signoff>,
}

/// The testing page of an integration: the plan, its runs, its defects, and what the forms
/// offer (environments for a run, objectives for a case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestingOverview {
    pub plan: TestPlanView,
    /// A page of the runs, newest first.
    pub runs: crate::paging::Paged<RunSummary>,
    /// A page of the defects.
    pub defects: crate::paging::Paged<Defect>,
    /// (id, name)
    pub environments: Vec<(i32, String)>,
    /// (id, description)
    pub objectives: Vec<(i32, String)>,
    /// (id, label) of the operations the integration uses, to link cases to.
    pub operations: Vec<(i32, String)>,
}

/// A defect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Defect {
    pub id: i32,
    pub integration: IntegrationRef,
    pub execution_id: Option<i32>,
    pub title: String,
    pub severity: Severity,
    pub status: DefectStatus,
    pub tracker_url: String,
    pub created_by: UserRef,
    pub created_at: DateTime<Utc>,
}

impl Defect {
    /// The edit form filled with this defect's values.
    pub fn form(&self) -> DefectForm {
        DefectForm {
            execution_id: self.execution_id.map(|i| i.to_string()).unwrap_or_default(),
            title: self.title.clone(),
            severity: self.severity.as_str().into(),
            status: self.status.as_str().into(),
            tracker_url: self.tracker_url.clone(),
        }
    }
}

/// A sign-off, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SignoffForm {
    pub statement: String,
}

/// The defect form, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DefectForm {
    /// The failed execution it comes from, or blank.
    pub execution_id: String,
    pub title: String,
    pub severity: String,
    /// Blank: open.
    pub status: String,
    pub tracker_url: String,
}
