//! One integration at a glance, as its page, its status report and the REST API receive it:
//! the stage timeline and gate, objectives, milestones, QA, health, incidents, defects,
//! credentials and spec changes. Every part is read from the records by `overview::service`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::dashboard::model::Health;
use crate::implementation::model::CredentialRef;
use crate::integrations::model::IntegrationRef;
use crate::integrations::model::Stage;
use crate::lifecycle::model::{GatePanel, TransitionRecord};
use crate::monitoring::model::{EnvironmentHealth, Incident};
use crate::planning::model::{Milestone, MilestoneStatus, Objective};
use crate::specs::model::MaintenanceItem;
use crate::testing::model::{Defect, RunSummary};

/// The changes of a spec's latest version against the one before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SpecChanges {
    pub spec_id: i32,
    pub name: String,
    /// The latest version's number.
    pub revision: i32,
    /// The number of the version before it; `None` when there is only one.
    pub base: Option<i32>,
    pub imported_at: DateTime<Utc>,
    /// Changes graded ERR (breaking), WARN and INFO.
    pub breaking: usize,
    pub warnings: usize,
    pub info: usize,
    /// Changes touching an operation the integration uses.
    pub used: usize,
}

/// A point of the milestone burn-up: by `date`, how many milestones were due and how many done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BurnUpPoint {
    pub date: NaiveDate,
    pub planned: usize,
    pub done: usize,
}

/// The burn-up of `milestones`: a point on every date a milestone fell due or was done, with
/// the counts due and done by then, oldest first.
pub fn burn_up(milestones: &[Milestone]) -> Vec<BurnUpPoint> {
    let done_on = |m: &Milestone| {
        (m.status == MilestoneStatus::Done)
            .then_some(m.completed_on)
            .flatten()
    };
    let mut dates: Vec<NaiveDate> = milestones
        .iter()
        .flat_map(|m| [Some(m.due_date), done_on(m)])
        .flatten()
        .collect();
    dates.sort_unstable();
    dates.dedup();
    dates
        .into_iter()
        .map(|date| BurnUpPoint {
            date,
            planned: milestones.iter().filter(|m| m.due_date <= date).count(),
            done: milestones
                .iter()
                .filter(|m| done_on(m).is_some_and(|d| d <= date))
                .count(),
        })
        .collect()
}

/// Everything the overview of one integration shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IntegrationOverview {
    pub at: DateTime<Utc>,
    pub integration: IntegrationRef,
    pub stage: Stage,
    pub provider: String,
    pub owner: String,
    pub gate_overridden: bool,
    /// The gate in front of the next stage, evaluated now; `None` when there is no next stage.
    pub gate: Option<GatePanel>,
    /// Stage moves, oldest first.
    pub timeline: Vec<TransitionRecord>,
    pub objectives: Vec<Objective>,
    /// By due date.
    pub milestones: Vec<Milestone>,
    /// The latest test run, with its counts and latest sign-off.
    pub latest_run: Option<RunSummary>,
    /// Runs in all.
    pub runs: u64,
    pub health: Health,
    pub environments: Vec<EnvironmentHealth>,
    /// Not resolved, newest first.
    pub open_incidents: Vec<Incident>,
    /// Incidents in all, and the mean minutes to resolve the resolved ones.
    pub incidents: usize,
    pub mttr_minutes: Option<i64>,
    /// Not fixed, verified or closed.
    pub open_defects: Vec<Defect>,
    pub credentials: Vec<CredentialRef>,
    pub spec_changes: Vec<SpecChanges>,
    /// Open maintenance items (from spec changes or added by hand).
    pub maintenance: Vec<MaintenanceItem>,
}

impl IntegrationOverview {
    /// Milestones done, out of all.
    pub fn milestones_done(&self) -> (usize, usize) {
        let done = self
            .milestones
            .iter()
            .filter(|m| m.status == MilestoneStatus::Done)
            .count();
        (done, self.milestones.len())
    }

    /// Milestones past their due date and not done.
    pub fn overdue(&self) -> usize {
        self.milestones.iter().filter(|m| m.overdue).count()
    }

    /// The first milestone by due date that is not done.
    pub fn next_milestone(&self) -> Option<&Milestone> {
        self.milestones
            .iter()
            .find(|m| m.status != MilestoneStatus::Done)
    }

    /// When the integration entered its current stage: the last move's time.
    pub fn in_stage_since(&self) -> Option<DateTime<Utc>> {
        self.timeline.last().map(|t| t.at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn milestone(due: &str, done: Option<&str>) -> Milestone {
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        Milestone {
            id: 1,
            integration: IntegrationRef {
                id: 1,
                slug: "s".into(),
                name: "S".into(),
                gate_overridden: false,
            },
            title: "m".into(),
            description: String::new(),
            stage: Stage::Planning,
            owner: None,
            due_date: date(due),
            status: if done.is_some() {
                MilestoneStatus::Done
            } else {
                MilestoneStatus::NotStarted
            },
            completed_on: done.map(date),
            overdue: false,
        }
    }

    #[test]
    fn burn_up_counts_due_and_done_by_each_date() {
        let points = burn_up(&[
            milestone("2026-01-10", Some("2026-01-08")),
            milestone("2026-01-20", Some("2026-01-25")),
            milestone("2026-02-01", None),
        ]);
        let got: Vec<(String, usize, usize)> = points
            .iter()
            .map(|p| (p.date.to_string(), p.planned, p.done))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2026-01-08".into(), 0, 1),
                ("2026-01-10".into(), 1, 1),
                ("2026-01-20".into(), 2, 1),
                ("2026-01-25".into(), 2, 2),
                ("2026-02-01".into(), 3, 2),
            ]
        );
        assert!(burn_up(&[]).is_empty());
    }
}

/// A post-implementation review as saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SavedReview {
    pub body: String,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

/// The review page of an integration: the draft Tollgate writes from the records now, and the
/// review as last saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReviewView {
    pub integration: IntegrationRef,
    pub draft: String,
    pub saved: Option<SavedReview>,
    /// Whether the viewer may edit and save it (coordinators and admins).
    pub can_edit: bool,
}

/// The review form, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ReviewForm {
    pub body: String,
}
