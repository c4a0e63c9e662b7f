//! The planning records over REST: objectives, milestones, vendor candidates and scores,
//! the plan (read, save, submit, review) and meetings with action items. Every handler calls
//! the service function the pages call.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use app::planning::model::*;
use app::planning::service::{meetings, milestones, objectives, plans, vendors};
use app::state::AppState;

use super::auth::Caller;
use super::problem::{ApiError, ApiJson};
use super::reply::{ApiResult, check_if_match, merge_form, no_content, tagged};
use super::{ApiPath, Id, Slug};

use super::records::{child_resource, same};

child_resource!(
    objective,
    tag = "Objectives",
    collection = "/api/v1/integrations/{slug}/objectives",
    item = "/api/v1/objectives/{id}",
    page = ObjectivesView,
    record = Objective,
    form = ObjectiveForm,
    list = objectives::page,
    create = objectives::create,
    created_id = |o: Objective| o.id,
    get = objectives::get,
    update = objectives::update,
    delete = objectives::delete,
    what = "objective",
    editors = "admins and coordinators"
);

child_resource!(
    milestone,
    tag = "Milestones",
    collection = "/api/v1/integrations/{slug}/milestones",
    item = "/api/v1/milestones/{id}",
    page = MilestonesView,
    record = Milestone,
    form = MilestoneForm,
    list = milestones::page,
    create = milestones::create,
    created_id = same,
    get = milestones::get,
    update = milestones::update,
    delete = milestones::delete,
    what = "milestone",
    editors = "admins and coordinators"
);

child_resource!(
    candidate,
    tag = "Vendors",
    collection = "/api/v1/integrations/{slug}/vendors",
    item = "/api/v1/vendor-candidates/{id}",
    page = VendorBoard,
    record = Candidate,
    form = CandidateForm,
    list = vendors::board,
    create = vendors::add_candidate,
    created_id = |c: Candidate| c.id,
    get = vendors::candidate,
    update = vendors::update_candidate,
    delete = vendors::delete_candidate,
    what = "vendor candidate",
    editors = "admins and coordinators"
);

child_resource!(
    meeting,
    tag = "Meetings",
    collection = "/api/v1/integrations/{slug}/meetings",
    item = "/api/v1/meetings/{id}",
    page = MeetingsView,
    record = Meeting,
    form = MeetingForm,
    list = meetings::page,
    list_query = MeetingsQuery,
    create = meetings::create,
    created_id = same,
    get = meetings::get,
    update = meetings::update,
    delete = meetings::delete,
    what = "meeting",
    editors = "admins and coordinators"
);

/// Scores a candidate against the criteria (0 to 5 each, with a note); the answer is the
/// updated comparison.
#[utoipa::path(put, path = "/api/v1/vendor-candidates/{id}/scores", tag = "Vendors", params(Id),
    request_body = Vec<ScoreInput>,
    responses((status = 200, description = "The candidate's scores were saved.", body = Candidate)))]
pub async fn score(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(scores): ApiJson<Vec<ScoreInput>>,
) -> ApiResult {
    vendors::score(&state.db, &c.user, id, &scores).await?;
    let record = vendors::candidate(&state.db, id).await?;
    Ok(tagged(StatusCode::OK, &record, &record))
}

/// Adds an action item to a meeting.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/action-items", tag = "Meetings", params(Id),
    request_body = ActionItemForm,
    responses((status = 201, description = "Created.", body = ActionItem, headers(("etag" = String)))))]
pub async fn add_item(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let form = merge_form(&ActionItemForm::default(), body)?;
    let item_id = meetings::add_item(&state.db, &c.user, id, &form).await?;
    let item = meetings::item(&state.db, item_id).await?;
    Ok(tagged(StatusCode::CREATED, &item, &item))
}

/// Marks an action item done or open.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
pub struct ItemPatch {
    pub done: Option<bool>,
}

/// Marks an action item done or open again (planners, or the engineer it is assigned to).
#[utoipa::path(patch, path = "/api/v1/action-items/{id}", tag = "Meetings", params(Id),
    request_body = ItemPatch,
    responses((status = 200, description = "Updated.", body = ActionItem, headers(("etag" = String)))))]
pub async fn set_item_done(
    c: Caller,
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let current = meetings::item(&state.db, id).await?;
    check_if_match(&headers, &current)?;
    let Some(done) = merge_form(&ItemPatch::default(), body)?.done else {
        return Err(ApiError::field("done", "Say true (done) or false (open)."));
    };
    meetings::set_done(&state.db, &c.user, id, done).await?;
    let item = meetings::item(&state.db, id).await?;
    Ok(tagged(StatusCode::OK, &item, &item))
}

/// The plan page, tagged with its latest version.
async fn plan_reply(state: &AppState, slug: &str) -> ApiResult {
    let page = plans::page(&state.db, slug).await?;
    Ok(tagged(StatusCode::OK, &page, &page.latest))
}

/// The plan: its latest version (the `ETag` versions it), the version list, and the
/// objectives and milestones it shows.
#[utoipa::path(get, path = "/api/v1/integrations/{slug}/plan", tag = "Plan", params(Slug),
    responses((status = 200, description = "The plan.", body = PlanView, headers(("etag" = String)))))]
pub async fn plan(
    _: Caller,
    State(state): State<AppState>,
    ApiPath(Slug { slug }): ApiPath<Slug>,
) -> ApiResult {
    plan_reply(&state, &slug).await
}

/// Saves the plan's sections (Markdown): the draft in place, or a new draft version after a
/// decision. Send `If-Match` with the plan's `ETag`.
#[utoipa::path(put, path = "/api/v1/integrations/{slug}/plan", tag = "Plan", params(Slug),
    request_body = plans::PlanForm,
    responses((status = 200, description = "Saved.", body = PlanView, headers(("etag" = String)))))]
pub async fn save_plan(
    c: Caller,
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(Slug { slug }): ApiPath<Slug>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let current = plans::page(&state.db, &slug).await?;
    check_if_match(&headers, &current.latest)?;
    let form = merge_form(&plans::PlanForm::default(), body)?;
    let integration = app::integrations::lookup::integration(&state.db, &slug).await?;
    plans::save(&state.db, &c.user, integration.id, &form).await?;
    plan_reply(&state, &slug).await
}

/// Submits the latest draft for review.
#[utoipa::path(post, path = "/api/v1/integrations/{slug}/plan/submit", tag = "Plan", params(Slug),
    responses((status = 200, description = "In review.", body = PlanView, headers(("etag" = String)))))]
pub async fn submit_plan(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Slug { slug }): ApiPath<Slug>,
) -> ApiResult {
    let integration = app::integrations::lookup::integration(&state.db, &slug).await?;
    plans::submit(&state.db, &c.user, integration.id).await?;
    plan_reply(&state, &slug).await
}

/// A review decision.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct Review {
    /// `approved` or `changes_requested`.
    pub decision: String,
    /// Required when requesting changes.
    pub comment: String,
}

/// Approves the plan in review or requests changes (stakeholders and admins).
#[utoipa::path(post, path = "/api/v1/integrations/{slug}/plan/review", tag = "Plan", params(Slug),
    request_body = Review,
    responses((status = 200, description = "Decided.", body = PlanView, headers(("etag" = String)))))]
pub async fn review_plan(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Slug { slug }): ApiPath<Slug>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let review = merge_form(&Review::default(), body)?;
    let integration = app::integrations::lookup::integration(&state.db, &slug).await?;
    plans::review(
        &state.db,
        &c.user,
        integration.id,
        &review.decision,
        &review.comment,
        state.one_person_team,
    )
    .await?;
    plan_reply(&state, &slug).await
}
