//! Error events from the platform over REST: one event or a batch (up to 1,000, 4 MB), taken
//! whole or refused whole; the groups they form; a group's triage status.

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use app::events::model::{ErrorGroup, EventIn, GroupDetail, GroupStatus, IngestReport};
use app::events::service;
use app::state::AppState;

use super::auth::Caller;
use super::problem::{ApiError, ApiJson, convert};
use super::reply::{ApiResult, json, paged};
use super::{ApiPath, ApiQuery, Id, Slug};

/// One event, or an array of them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum EventBatch {
    One(EventIn),
    Many(Vec<EventIn>),
}

/// Which groups to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupQuery {
    /// `unresolved`, `resolved` or `ignored`; all when absent.
    #[serde(default)]
    pub status: Option<String>,
    /// The page, from 1 (the first when absent); a page past the end reads as the last.
    #[serde(default)]
    pub page: Option<String>,
}

/// A group's new status.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StatusChange {
    /// `unresolved`, `resolved` or `ignored`. (Optional here so that a missing status is a
    /// 422 naming the field, after the role check.)
    #[serde(default)]
    pub status: String,
}

/// Reports error events (engineers, coordinators and admins; a platform's token). A batch
/// with any invalid event saves nothing, and the errors name `events[i].field`.
#[utoipa::path(post, path = "/api/v1/integrations/{slug}/events", tag = "Events", params(Slug),
    request_body = EventBatch,
    responses((status = 200, description = "Taken in.", body = IngestReport)))]
pub async fn ingest(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Slug { slug }): ApiPath<Slug>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let events: Vec<EventIn> = match body {
        Value::Array(items) => convert(Value::Array(items))?,
        v @ Value::Object(_) => vec![convert(v)?],
        _ => {
            return Err(ApiError::field(
                "events",
                "Send an event object or an array of them.",
            ));
        }
    };
    let i = app::integrations::lookup::integration(&state.db, &slug).await?;
    let report = service::ingest(&state.db, &c.user, i.id, &events).await?;
    Ok(json(StatusCode::OK, &report))
}

/// One page of the integration's error groups (25 a page), most recently seen first, with
/// their last 24 hours.
#[utoipa::path(get, path = "/api/v1/integrations/{slug}/error-groups", tag = "Events", params(Slug, GroupQuery),
    responses((status = 200, description = "One page of groups.", body = Vec<ErrorGroup>,
        headers(("link" = String, description = "first, prev, next and last pages"),
                ("x-total-count" = u64, description = "groups with the status asked for")))))]
pub async fn groups(
    _: Caller,
    State(state): State<AppState>,
    uri: Uri,
    ApiPath(Slug { slug }): ApiPath<Slug>,
    ApiQuery(query): ApiQuery<GroupQuery>,
) -> ApiResult {
    let page = app::paging::page_number(query.page.as_deref())?;
    let status = match query
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => Some(GroupStatus::parse(s).ok_or_else(|| {
            ApiError::field(
                "status",
                format!("Choose one of: {}.", GroupStatus::names()),
            )
        })?),
    };
    let i = app::integrations::lookup::integration(&state.db, &slug).await?;
    let found = service::groups_page(&state.db, i.id, status, chrono::Utc::now(), page).await?;
    Ok(paged(
        &found.items,
        &uri.to_string(),
        found.page,
        found.pages,
        found.total,
    ))
}

/// One error group: the environments and releases it was seen in, and its latest event's
/// stack trace (innermost frame first), breadcrumbs and tags.
#[utoipa::path(get, path = "/api/v1/error-groups/{id}", tag = "Events", params(Id),
    responses((status = 200, description = "The group.", body = GroupDetail)))]
pub async fn group(
    _: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult {
    let detail = app::events::detail::group(&state.db, id).await?;
    Ok(json(StatusCode::OK, &detail))
}

/// Sets a group's status; resolving clears its regression flag.
#[utoipa::path(patch, path = "/api/v1/error-groups/{id}", tag = "Events", params(Id),
    request_body = StatusChange,
    responses((status = 204, description = "Changed.")))]
pub async fn set_status(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<Value>,
) -> Result<StatusCode, ApiError> {
    let change: StatusChange = convert(body)?;
    service::set_status(&state.db, &c.user, id, &change.status).await?;
    Ok(StatusCode::NO_CONTENT)
}
