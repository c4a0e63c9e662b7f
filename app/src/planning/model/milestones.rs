//! Planning: dated milestones and the three-month template.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::choices::planning::MilestoneStatus;
use crate::integrations::model::{IntegrationRef, Stage};
use crate::users::model::UserRef;

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
