//! Planning types that cross the wire, and the pure rules behind them: objective progress and
//! the weighted vendor ranking.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use crate::choices::planning::{MilestoneStatus, PlanState};
use crate::integrations::model::{IntegrationRef, Stage};
use crate::users::model::UserRef;

// ---------------------------------------------------------------- needs assessment

/// The needs assessment of an integration (empty until first saved).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NeedsAssessment {
    pub problem: String,
    pub affected: String,
    pub scope_in: String,
    pub scope_out: String,
    pub platform_areas: String,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<String>,
}

/// The needs page of one integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NeedsView {
    pub integration: IntegrationRef,
    pub needs: NeedsAssessment,
}

// ---------------------------------------------------------------- objectives

/// A measurable objective, for example "checkout completion rate, %, 61 -> 75".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Objective {
    pub id: i32,
    pub description: String,
    pub metric: String,
    pub unit: String,
    pub baseline: f64,
    pub target: f64,
    pub current: Option<f64>,
}

impl Objective {
    /// The edit form filled with this objective's values.
    pub fn form(&self) -> ObjectiveForm {
        ObjectiveForm {
            description: self.description.clone(),
            metric: self.metric.clone(),
            unit: self.unit.clone(),
            baseline: number(self.baseline),
            target: number(self.target),
            current: self.current.map(number).unwrap_or_default(),
        }
    }
}

impl Objective {
    /// Progress from baseline toward target, in percent (0-100), when a current value exists.
    pub fn progress(&self) -> Option<f64> {
        progress(self.baseline, self.target, self.current?)
    }
}

/// The objective form, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ObjectiveForm {
    pub description: String,
    pub metric: String,
    pub unit: String,
    pub baseline: String,
    pub target: String,
    pub current: String,
}

/// The objectives page of one integration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ObjectivesView {
    pub integration: IntegrationRef,
    pub objectives: Vec<Objective>,
}

/// How far `current` has moved from `baseline` toward `target`, in percent, clamped to
/// 0-100. Works for targets below the baseline (a latency to reduce) as well as above.
pub fn progress(baseline: f64, target: f64, current: f64) -> Option<f64> {
    let span = target - baseline;
    if !span.is_finite() || !current.is_finite() {
        return None;
    }
    if span == 0.0 {
        return Some(if current == target { 100.0 } else { 0.0 });
    }
    Some(((current - baseline) / span * 100.0).clamp(0.0, 100.0))
}

/// Shows a number without a trailing `.0`.
pub fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        let s = format!("{value:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

// ---------------------------------------------------------------- vendors

/// A vendor or API under consideration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Candidate {
    pub id: i32,
    pub name: String,
    pub provider: String,
    pub docs_url: String,
    pub pricing_notes: String,
    pub pros: String,
    pub cons: String,
}

impl Candidate {
    /// The edit form filled with this candidate's values.
    pub fn form(&self) -> CandidateForm {
        CandidateForm {
            name: self.name.clone(),
            provider: self.provider.clone(),
            docs_url: self.docs_url.clone(),
            pricing_notes: self.pricing_notes.clone(),
            pros: self.pros.clone(),
            cons: self.cons.clone(),
        }
    }
}

/// The candidate form, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CandidateForm {
    pub name: String,
    pub provider: String,
    pub docs_url: String,
    pub pricing_notes: String,
    pub pros: String,
    pub cons: String,
}

/// A weighted scoring criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VendorCriterion {
    pub id: i32,
    pub name: String,
    pub weight: i32,
}

/// One candidate's score on one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Score {
    pub candidate_id: i32,
    pub criterion_id: i32,
    /// 1 to 5.
    pub score: i32,
    pub note: String,
}

/// A row of the comparison table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RankedCandidate {
    pub candidate: Candidate,
    /// One per criterion, in the criteria's order; `None` when not yet scored.
    pub scores: Vec<Option<Score>>,
    /// The weighted mean score, 0-5; unscored criteria count as 0.
    pub total: f64,
    /// Whether every criterion is scored.
    pub complete: bool,
    /// 1 for the best; equal totals share a rank.
    pub rank: u32,
}

/// Ranks candidates by weighted total, best first: total = sum(weight x score) / sum(weight).
/// Equal totals share a rank (1, 1, 3) and are listed by name.
pub fn rank(
    criteria: &[VendorCriterion],
    candidates: Vec<Candidate>,
    scores: &[Score],
) -> Vec<RankedCandidate> {
    let weight_sum: i64 = criteria.iter().map(|c| i64::from(c.weight.max(0))).sum();
    let mut rows: Vec<RankedCandidate> = candidates
        .into_iter()
        .map(|candidate| {
            let row_scores: Vec<Option<Score>> = criteria
                .iter()
                .map(|c| {
                    scores
                        .iter()
                        .find(|s| s.candidate_id == candidate.id && s.criterion_id == c.id)
                        .cloned()
                })
                .collect();
            let weighted: i64 = criteria
                .iter()
                .zip(&row_scores)
                .map(|(c, s)| {
                    i64::from(c.weight.max(0)) * i64::from(s.as_ref().map_or(0, |s| s.score))
                })
                .sum();
            let total = if weight_sum == 0 {
                0.0
            } else {
                weighted as f64 / weight_sum as f64
            };
            RankedCandidate {
                complete: row_scores.iter().all(Option::is_some),
                candidate,
                scores: row_scores,
                total,
                rank: 0,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.total
            .total_cmp(&a.total)
            .then_with(|| a.candidate.name.cmp(&b.candidate.name))
    });
    let mut previous: Option<(f64, u32)> = None;
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = match previous {
            Some((total, rank)) if total == row.total => rank,
            _ => i as u32 + 1,
        };
        previous = Some((row.total, row.rank));
    }
    rows
}

/// The chosen vendor, with the comparison as it stood when chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Selection {
    pub candidate_id: Option<i32>,
    pub candidate_name: String,
    pub rationale: String,
    pub by: Option<String>,
    pub at: DateTime<Utc>,
    /// (candidate, weighted total) at the moment of selection, best first.
    pub totals: Vec<(String, f64)>,
}

/// The vendor page: criteria, the ranked comparison and the current selection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VendorBoard {
    pub integration: IntegrationRef,
    pub criteria: Vec<VendorCriterion>,
    pub ranking: Vec<RankedCandidate>,
    pub selection: Option<Selection>,
}

/// One score cell as submitted by the scoring form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ScoreInput {
    pub criterion_id: String,
    pub score: String,
    pub note: String,
}

/// One weight as submitted by the weights form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WeightInput {
    pub criterion_id: String,
    pub weight: String,
}

// ---------------------------------------------------------------- plans

/// The plan's free-text sections: (field name, heading).
pub const PLAN_SECTIONS: &[(&str, &str)] = &[
    ("technical_requirements", "Technical requirements"),
    ("expected_outcomes", "Expected outcomes"),
    ("risks", "Risks and mitigations"),
    ("dependencies", "Dependencies"),
];

/// One section of a plan: its Markdown and the sanitised HTML rendered from it on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlanSection {
    pub field: String,
    pub heading: String,
    pub markdown: String,
    pub html: String,
}

/// One version of an integration plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlanVersion {
    pub id: i32,
    pub version: i32,
    pub state: PlanState,
    pub sections: Vec<PlanSection>,
    pub author: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub reviewer: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub review_comment: Option<String>,
}

/// A line of the plan's version list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlanSummary {
    pub version: i32,
    pub state: PlanState,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// The plan page: the latest version with its linked objectives and milestones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlanView {
    pub integration: IntegrationRef,
    pub latest: Option<PlanVersion>,
    pub versions: Vec<PlanSummary>,
    pub objectives: Vec<Objective>,
    pub milestones: Vec<Milestone>,
}

crate::choice_enum! {
    /// A line of a side-by-side comparison.
    DiffKind {
        Same => ("same", "Unchanged"),
        Removed => ("removed", "Removed"),
        Added => ("added", "Added"),
    }
}

/// One row of a side-by-side comparison: left and right text (either may be absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DiffRow {
    pub kind: DiffKind,
    pub left: Option<String>,
    pub right: Option<String>,
}

/// Two plan versions compared section by section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlanComparison {
    pub integration: IntegrationRef,
    pub left: i32,
    pub right: i32,
    pub versions: Vec<i32>,
    /// (heading, rows).
    pub sections: Vec<(String, Vec<DiffRow>)>,
}

// ---------------------------------------------------------------- milestones

/// A dated milestone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Milestone {
    pub id: i32,
    pub integration: IntegrationRef,
    pub title: String,
    pub description: String,
    pub stage: Stage,
    pub owner: Option<UserRef>,
    pub due_date: NaiveDate,
    pub status: MilestoneStatus,
    pub completed_on: Option<NaiveDate>,
    /// Past its due date and not done.
    pub overdue: bool,
}

impl Milestone {
    /// The edit form filled with this milestone's values.
    pub fn form(&self) -> MilestoneForm {
        MilestoneForm {
            title: self.title.clone(),
            description: self.description.clone(),
            stage: self.stage.as_str().into(),
            owner_id: self
                .owner
                .as_ref()
                .map(|o| o.id.to_string())
                .unwrap_or_default(),
            due_date: self.due_date.to_string(),
            status: self.status.as_str().into(),
            completed_on: self.completed_on.map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}

/// The milestone form, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MilestoneForm {
    pub title: String,
    pub description: String,
    pub stage: String,
    pub owner_id: String,
    pub due_date: String,
    pub status: String,
    pub completed_on: String,
}

/// The milestones page of one integration, or the timeline across all of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MilestonesView {
    pub integration: Option<IntegrationRef>,
    pub milestones: Vec<Milestone>,
    pub people: Vec<UserRef>,
    pub today: NaiveDate,
}

/// The three-month template: (month, title, stage).
pub const TEMPLATE: &[(u32, &str, Stage)] = &[
    (1, "Define goals", Stage::Planning),
    (1, "Select APIs", Stage::Planning),
    (1, "Share the plan", Stage::Planning),
    (2, "Implement the integration", Stage::Implementation),
    (
        2,
        "First functional and performance tests",
        Stage::Implementation,
    ),
    (2, "Fix what the first tests find", Stage::Implementation),
    (3, "Complete testing", Stage::Testing),
    (
        3,
        "Security and cross-browser/device testing",
        Stage::Testing,
    ),
    (3, "Monitoring and final adjustments", Stage::Testing),
];

// ---------------------------------------------------------------- meetings

/// An action item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActionItem {
    pub id: i32,
    pub integration: IntegrationRef,
    pub meeting_id: Option<i32>,
    pub text: String,
    pub assignee: Option<UserRef>,
    pub due_date: Option<NaiveDate>,
    pub done: bool,
    pub overdue: bool,
}

/// A meeting with its action items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Meeting {
    pub id: i32,
    pub starts_at: DateTime<Utc>,
    pub title: String,
    pub attendees: Vec<UserRef>,
    pub outside_attendees: String,
    pub agenda: String,
    pub notes: String,
    pub decisions: String,
    pub action_items: Vec<ActionItem>,
}

impl Meeting {
    /// The edit form filled with this meeting's values.
    pub fn form(&self) -> MeetingForm {
        MeetingForm {
            starts_at: self.starts_at.format("%Y-%m-%dT%H:%M").to_string(),
            title: self.title.clone(),
            attendee_ids: self.attendees.iter().map(|a| a.id.to_string()).collect(),
            outside_attendees: self.outside_attendees.clone(),
            agenda: self.agenda.clone(),
            notes: self.notes.clone(),
            decisions: self.decisions.clone(),
        }
    }
}

/// The meeting form, as submitted. `starts_at` is a local date and time as a
/// `datetime-local` input sends it (taken as UTC).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MeetingForm {
    pub starts_at: String,
    pub title: String,
    pub attendee_ids: Vec<String>,
    pub outside_attendees: String,
    pub agenda: String,
    pub notes: String,
    pub decisions: String,
}

/// The action item form, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ActionItemForm {
    pub text: String,
    pub assignee_id: String,
    pub due_date: String,
}

/// The meetings page of one integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MeetingsView {
    pub integration: IntegrationRef,
    pub meetings: Vec<Meeting>,
    pub people: Vec<UserRef>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criterion(id: i32, weight: i32) -> VendorCriterion {
        VendorCriterion {
            id,
            name: format!("c{id}"),
            weight,
        }
    }

    fn candidate(id: i32, name: &str) -> Candidate {
        Candidate {
            id,
            name: name.into(),
            provider: String::new(),
            docs_url: String::new(),
            pricing_notes: String::new(),
            pros: String::new(),
            cons: String::new(),
        }
    }

    fn score(candidate_id: i32, criterion_id: i32, score: i32) -> Score {
        Score {
            candidate_id,
            criterion_id,
            score,
            note: String::new(),
        }
    }

    #[test]
    fn progress_runs_from_baseline_to_target_either_way() {
        assert_eq!(progress(61.0, 75.0, 68.0), Some(50.0));
        assert_eq!(progress(800.0, 200.0, 350.0), Some(75.0));
        assert_eq!(progress(61.0, 75.0, 90.0), Some(100.0));
        assert_eq!(progress(61.0, 75.0, 50.0), Some(0.0));
        assert_eq!(progress(5.0, 5.0, 5.0), Some(100.0));
    }

    #[test]
    fn ranking_uses_the_weighted_mean_and_shares_ranks_on_ties() {
        let criteria = [
            criterion(1, 30),
            criterion(2, 30),
            criterion(3, 20),
            criterion(4, 20),
        ];
        let scores = [
            // Stripe: (5*30 + 4*30 + 3*20 + 2*20) / 100 = 3.7
            score(10, 1, 5),
            score(10, 2, 4),
            score(10, 3, 3),
            score(10, 4, 2),
            // Adyen: (4*30 + 4*30 + 4*20 + 3*20) / 100 = 3.8
            score(11, 1, 4),
            score(11, 2, 4),
            score(11, 3, 4),
            score(11, 4, 3),
            // PayPal, half scored: (5*30 + 5*30) / 100 = 3.0
            score(12, 1, 5),
            score(12, 2, 5),
        ];
        let ranked = rank(
            &criteria,
            vec![
                candidate(10, "Stripe"),
                candidate(11, "Adyen"),
                candidate(12, "PayPal"),
            ],
            &scores,
        );
        let summary: Vec<(&str, f64, u32, bool)> = ranked
            .iter()
            .map(|r| (r.candidate.name.as_str(), r.total, r.rank, r.complete))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("Adyen", 3.8, 1, true),
                ("Stripe", 3.7, 2, true),
                ("PayPal", 3.0, 3, false),
            ]
        );
        let tied = rank(
            &[criterion(1, 1)],
            vec![candidate(1, "B"), candidate(2, "A"), candidate(3, "C")],
            &[score(1, 1, 4), score(2, 1, 4), score(3, 1, 2)],
        );
        let ranks: Vec<(&str, u32)> = tied
            .iter()
            .map(|r| (r.candidate.name.as_str(), r.rank))
            .collect();
        assert_eq!(ranks, vec![("A", 1), ("B", 1), ("C", 3)]);
    }

    #[test]
    fn numbers_drop_a_trailing_zero() {
        assert_eq!(number(75.0), "75");
        assert_eq!(number(99.95), "99.95");
    }
}
