//! Server functions for the planning stage: about ten lines each, calling one service
//! function. The role checked here is the widest that may call; the service narrows it where
//! the record decides (an engineer's own milestone, say).
// A server function takes its form's fields one by one (that is how an HTML form posts), so
// some take more than seven.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::model::{
    ActionItem, MeetingsView, MilestonesView, NeedsView, ObjectivesView, PlanComparison, PlanView,
    ScoreInput, VendorBoard, WeightInput,
};
#[cfg(feature = "ssr")]
use super::service as planning;
#[cfg(feature = "ssr")]
use crate::auth::{
    access::Action,
    session::{require, require_signed_in},
};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::db;

// ---------------------------------------------------------------- needs

/// The needs assessment of integration `slug`.
#[server(endpoint = "get_needs")]
pub async fn get_needs(slug: String) -> Result<NeedsView, AppError> {
    require_signed_in().await?;
    planning::needs::get(&db()?, &slug).await
}

/// Saves the needs assessment.
#[server(endpoint = "save_needs")]
pub async fn save_needs(
    integration_id: i32,
    problem: String,
    affected: String,
    scope_in: String,
    scope_out: String,
    platform_areas: String,
) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    let form = super::model::NeedsAssessment {
        problem,
        affected,
        scope_in,
        scope_out,
        platform_areas,
        ..Default::default()
    };
    planning::needs::save(&db()?, &actor, integration_id, &form).await?;
    crate::components::enhance::back_with("saved");
    Ok(())
}

// ---------------------------------------------------------------- objectives

/// The objectives of integration `slug`.
#[server(endpoint = "get_objectives")]
pub async fn get_objectives(slug: String) -> Result<ObjectivesView, AppError> {
    require_signed_in().await?;
    planning::objectives::page(&db()?, &slug).await
}

/// Adds an objective.
#[server(endpoint = "create_objective")]
pub async fn create_objective(
    integration_id: i32,
    description: String,
    metric: String,
    unit: String,
    baseline: String,
    target: String,
    current: String,
) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    let form = super::model::ObjectiveForm {
        description,
        metric,
        unit,
        baseline,
        target,
        current,
    };
    planning::objectives::create(&db()?, &actor, integration_id, &form).await?;
    Ok(())
}

/// Edits an objective.
#[server(endpoint = "update_objective")]
pub async fn update_objective(
    id: i32,
    description: String,
    metric: String,
    unit: String,
    baseline: String,
    target: String,
    current: String,
) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    let form = super::model::ObjectiveForm {
        description,
        metric,
        unit,
        baseline,
        target,
        current,
    };
    planning::objectives::update(&db()?, &actor, id, &form).await?;
    Ok(())
}

/// Deletes an objective.
#[server(endpoint = "delete_objective")]
pub async fn delete_objective(id: i32) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    planning::objectives::delete(&db()?, &actor, id).await
}

// ---------------------------------------------------------------- vendors

/// The vendor comparison of integration `slug`.
#[server(endpoint = "get_vendors")]
pub async fn get_vendors(slug: String) -> Result<VendorBoard, AppError> {
    require_signed_in().await?;
    planning::vendors::board(&db()?, &slug).await
}

/// Adds a vendor candidate.
#[server(endpoint = "add_candidate")]
pub async fn add_candidate(
    integration_id: i32,
    name: String,
    provider: String,
    docs_url: String,
    pricing_notes: String,
    pros: String,
    cons: String,
) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    let form = super::model::CandidateForm {
        name,
        provider,
        docs_url,
        pricing_notes,
        pros,
        cons,
    };
    planning::vendors::add_candidate(&db()?, &actor, integration_id, &form).await?;
    Ok(())
}

/// Edits a vendor candidate.
#[server(endpoint = "update_candidate")]
pub async fn update_candidate(
    id: i32,
    name: String,
    provider: String,
    docs_url: String,
    pricing_notes: String,
    pros: String,
    cons: String,
) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    let form = super::model::CandidateForm {
        name,
        provider,
        docs_url,
        pricing_notes,
        pros,
        cons,
    };
    planning::vendors::update_candidate(&db()?, &actor, id, &form).await
}

/// Removes a vendor candidate.
#[server(endpoint = "delete_candidate")]
pub async fn delete_candidate(id: i32) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    planning::vendors::delete_candidate(&db()?, &actor, id).await
}

/// Adds a scoring criterion.
#[server(endpoint = "add_criterion")]
pub async fn add_criterion(
    integration_id: i32,
    name: String,
    weight: String,
) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    planning::vendors::add_criterion(&db()?, &actor, integration_id, &name, &weight).await
}

/// Changes criteria weights.
#[server(endpoint = "set_weights")]
pub async fn set_weights(integration_id: i32, weights: Vec<WeightInput>) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    planning::vendors::set_weights(&db()?, &actor, integration_id, &weights).await
}

/// Records a candidate's scores.
#[server(endpoint = "score_candidate")]
pub async fn score_candidate(candidate_id: i32, scores: Vec<ScoreInput>) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    planning::vendors::score(&db()?, &actor, candidate_id, &scores).await
}

/// Selects a candidate with a rationale.
#[server(endpoint = "select_vendor")]
pub async fn select_vendor(candidate_id: i32, rationale: String) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    planning::vendors::select(&db()?, &actor, candidate_id, &rationale).await
}

// ---------------------------------------------------------------- plan

/// The plan of integration `slug`.
#[server(endpoint = "get_plan")]
pub async fn get_plan(slug: String) -> Result<PlanView, AppError> {
    require_signed_in().await?;
    planning::plans::page(&db()?, &slug).await
}

/// Saves the plan (a draft in place, or a new draft version).
#[server(endpoint = "save_plan")]
pub async fn save_plan(
    integration_id: i32,
    technical_requirements: String,
    expected_outcomes: String,
    risks: String,
    dependencies: String,
) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    let form = planning::plans::PlanForm {
        technical_requirements,
        expected_outcomes,
        risks,
        dependencies,
    };
    planning::plans::save(&db()?, &actor, integration_id, &form).await?;
    Ok(())
}

/// Submits the latest draft for review.
#[server(endpoint = "submit_plan")]
pub async fn submit_plan(integration_id: i32) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    planning::plans::submit(&db()?, &actor, integration_id).await
}

/// Approves the plan in review or requests changes.
#[server(endpoint = "review_plan")]
pub async fn review_plan(
    integration_id: i32,
    decision: String,
    comment: String,
) -> Result<(), AppError> {
    let actor = require(Action::ReviewPlan).await?;
    let one_person_team = crate::state::app_state()?.one_person_team;
    planning::plans::review(
        &db()?,
        &actor,
        integration_id,
        &decision,
        &comment,
        one_person_team,
    )
    .await
}

/// Two plan versions side by side. Blank versions mean the latest and the one before.
#[server(endpoint = "compare_plan")]
pub async fn compare_plan(
    slug: String,
    left: Option<String>,
    right: Option<String>,
) -> Result<PlanComparison, AppError> {
    require_signed_in().await?;
    let version = |v: Option<String>| v.and_then(|v| v.parse().ok()).unwrap_or(0);
    planning::plans::compare(&db()?, &slug, version(left), version(right)).await
}

// ---------------------------------------------------------------- milestones

/// The milestones of integration `slug`.
#[server(endpoint = "get_milestones")]
pub async fn get_milestones(slug: String) -> Result<MilestonesView, AppError> {
    require_signed_in().await?;
    planning::milestones::page(&db()?, &slug).await
}

/// Every integration's milestones: the portfolio timeline.
#[server(endpoint = "get_timeline")]
pub async fn get_timeline() -> Result<MilestonesView, AppError> {
    require_signed_in().await?;
    planning::milestones::portfolio(&db()?).await
}

/// Adds a milestone.
#[server(endpoint = "create_milestone")]
pub async fn create_milestone(
    integration_id: i32,
    title: String,
    description: String,
    stage: String,
    owner_id: String,
    due_date: String,
    status: String,
    completed_on: String,
) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    let form = super::model::MilestoneForm {
        title,
        description,
        stage,
        owner_id,
        due_date,
        status,
        completed_on,
    };
    planning::milestones::create(&db()?, &actor, integration_id, &form).await?;
    Ok(())
}

/// Edits a milestone (planners, or the engineer who owns it).
#[server(endpoint = "update_milestone")]
pub async fn update_milestone(
    id: i32,
    title: String,
    description: String,
    stage: String,
    owner_id: String,
    due_date: String,
    status: String,
    completed_on: String,
) -> Result<(), AppError> {
    let actor = require(Action::WorkAssigned).await?;
    let form = super::model::MilestoneForm {
        title,
        description,
        stage,
        owner_id,
        due_date,
        status,
        completed_on,
    };
    planning::milestones::update(&db()?, &actor, id, &form).await
}

/// Deletes a milestone.
#[server(endpoint = "delete_milestone")]
pub async fn delete_milestone(id: i32) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    planning::milestones::delete(&db()?, &actor, id).await
}

/// Creates the three-month template's milestones from `start`.
#[server(endpoint = "apply_template")]
pub async fn apply_template(integration_id: i32, start: String) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    planning::milestones::apply_template(&db()?, &actor, integration_id, &start).await?;
    Ok(())
}

// ---------------------------------------------------------------- meetings

/// One page of integration `slug`'s meetings: page `page` (from 1; the first when empty), or
/// the page holding meeting `meeting` when given.
#[server(endpoint = "get_meetings")]
pub async fn get_meetings(
    slug: String,
    page: String,
    meeting: String,
) -> Result<MeetingsView, AppError> {
    require_signed_in().await?;
    let query = super::model::MeetingsQuery {
        page: Some(page),
        meeting: Some(meeting),
    };
    planning::meetings::page(&db()?, &slug, &query).await
}

/// Records a meeting.
#[server(endpoint = "create_meeting")]
pub async fn create_meeting(
    integration_id: i32,
    starts_at: String,
    title: String,
    attendee_ids: Option<Vec<String>>,
    outside_attendees: String,
    agenda: String,
    notes: String,
    decisions: String,
) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    let form = super::model::MeetingForm {
        starts_at,
        title,
        attendee_ids: attendee_ids.unwrap_or_default(),
        outside_attendees,
        agenda,
        notes,
        decisions,
    };
    planning::meetings::create(&db()?, &actor, integration_id, &form).await?;
    Ok(())
}

/// Edits a meeting.
#[server(endpoint = "update_meeting")]
pub async fn update_meeting(
    id: i32,
    starts_at: String,
    title: String,
    attendee_ids: Option<Vec<String>>,
    outside_attendees: String,
    agenda: String,
    notes: String,
    decisions: String,
) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    let form = super::model::MeetingForm {
        starts_at,
        title,
        attendee_ids: attendee_ids.unwrap_or_default(),
        outside_attendees,
        agenda,
        notes,
        decisions,
    };
    planning::meetings::update(&db()?, &actor, id, &form).await
}

/// Deletes a meeting and its action items.
#[server(endpoint = "delete_meeting")]
pub async fn delete_meeting(id: i32) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    planning::meetings::delete(&db()?, &actor, id).await
}

/// Adds an action item to a meeting.
#[server(endpoint = "add_action_item")]
pub async fn add_action_item(
    meeting_id: i32,
    text: String,
    assignee_id: String,
    due_date: String,
) -> Result<(), AppError> {
    let actor = require(Action::Plan).await?;
    let form = super::model::ActionItemForm {
        text,
        assignee_id,
        due_date,
    };
    planning::meetings::add_item(&db()?, &actor, meeting_id, &form).await?;
    Ok(())
}

/// Marks an action item done (`done` = "true") or open again.
#[server(endpoint = "set_action_item_done")]
pub async fn set_action_item_done(id: i32, done: String) -> Result<(), AppError> {
    let actor = require(Action::WorkAssigned).await?;
    planning::meetings::set_done(&db()?, &actor, id, done == "true").await
}

/// The signed-in user's open action items across all integrations, overdue first.
#[server(endpoint = "my_action_items")]
pub async fn my_action_items() -> Result<Vec<ActionItem>, AppError> {
    let me = require_signed_in().await?;
    planning::meetings::open_items_for(&db()?, me.id).await
}
