//! Planning: plan versions, their sections and comparisons.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::milestones::Milestone;
use super::objectives::Objective;
use crate::choices::planning::PlanState;
use crate::integrations::model::IntegrationRef;

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
