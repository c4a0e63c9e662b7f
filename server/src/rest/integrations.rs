//! `/api/v1/integrations`: the registry, and stage moves through the gates.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use serde_json::Value;

use app::integrations::model::{
    Integration, IntegrationDetail, IntegrationForm, IntegrationList, IntegrationQuery,
};
use app::integrations::service;
use app::lifecycle::model::{Lifecycle, MoveRequest, TransitionRecord};
use app::state::AppState;

use super::auth::Caller;
use super::problem::ApiJson;
use super::reply::{ApiResult, check_if_match, merge_form, no_content, paged, tagged};
use super::{ApiPath, ApiQuery, Slug};

/// The registry, with the list page's search, filters, sorting and pages (20 a page).
#[utoipa::path(get, path = "/api/v1/integrations", tag = "Integrations", params(IntegrationQuery),
    responses((status = 200, description = "One page of integrations.", body = IntegrationList,
        headers(("link" = String, description = "first, prev, next and last pages"),
                ("x-total-count" = u64, description = "integrations matching the filters")))))]
pub async fn list(
    _: Caller,
    State(state): State<AppState>,
    uri: Uri,
    ApiQuery(query): ApiQuery<IntegrationQuery>,
) -> ApiResult {
    let page = service::list(&state.db, &query).await?;
    Ok(paged(
        &page,
        &uri.to_string(),
        page.page,
        page.pages,
        page.total,
    ))
}

/// Creates an integration in the planning stage (admins and coordinators).
#[utoipa::path(post, path = "/api/v1/integrations", tag = "Integrations", request_body = IntegrationForm,
    responses((status = 201, description = "Created.", body = Integration, headers(("etag" = String)))))]
pub async fn create(
    c: Caller,
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let form = merge_form(&IntegrationForm::default(), body)?;
    let created = service::create(&state.db, &c.user, &form).await?;
    Ok(tagged(StatusCode::CREATED, &created, &created))
}

/// One integration with its history; the `ETag` versions the integration itself.
#[utoipa::path(get, path = "/api/v1/integrations/{slug}", tag = "Integrations", params(Slug),
    responses((status = 200, description = "The integration.", body = IntegrationDetail, headers(("etag" = String)))))]
pub async fn get(
    _: Caller,
    State(state): State<AppState>,
    ApiPath(Slug { slug }): ApiPath<Slug>,
) -> ApiResult {
    let detail = service::get_by_slug(&state.db, &slug).await?;
    Ok(tagged(StatusCode::OK, &detail, &detail.integration))
}

/// Changes the fields sent (JSON Merge Patch); send `If-Match` with the `ETag` you read.
#[utoipa::path(patch, path = "/api/v1/integrations/{slug}", tag = "Integrations", params(Slug),
    request_body = IntegrationForm,
    responses((status = 200, description = "Updated.", body = Integration, headers(("etag" = String)))))]
pub async fn update(
    c: Caller,
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(Slug { slug }): ApiPath<Slug>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let current = service::get_by_slug(&state.db, &slug).await?.integration;
    check_if_match(&headers, &current)?;
    let form = merge_form(&current.form(), body)?;
    let updated = service::update(&state.db, &c.user, current.id, &form).await?;
    Ok(tagged(StatusCode::OK, &updated, &updated))
}

/// Deletes an integration and everything recorded about it (the trail keeps its history).
#[utoipa::path(delete, path = "/api/v1/integrations/{slug}", tag = "Integrations", params(Slug),
    responses((status = 204, description = "Deleted.")))]
pub async fn delete(
    c: Caller,
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(Slug { slug }): ApiPath<Slug>,
) -> ApiResult {
    let current: Integration = service::get_by_slug(&state.db, &slug).await?.integration;
    check_if_match(&headers, &current)?;
    service::delete(&state.db, &c.user, current.id).await?;
    Ok(no_content())
}

/// The stage, the moves open from it, each gate's criteria and the stage timeline.
#[utoipa::path(get, path = "/api/v1/integrations/{slug}/lifecycle", tag = "Integrations", params(Slug),
    responses((status = 200, description = "The lifecycle.", body = Lifecycle)))]
pub async fn lifecycle(
    _: Caller,
    State(state): State<AppState>,
    ApiPath(Slug { slug }): ApiPath<Slug>,
) -> ApiResult {
    let lifecycle = app::lifecycle::service::lifecycle(&state.db, &slug, &state.gate).await?;
    Ok(tagged(StatusCode::OK, &lifecycle, &lifecycle))
}

/// Moves the integration to another stage through its gate (admins and coordinators). A
/// closed gate answers 409 with the unmet criteria in `unmet`; an admin may override it with
/// `override_justification`.
#[utoipa::path(post, path = "/api/v1/integrations/{slug}/transitions", tag = "Integrations", params(Slug),
    request_body = MoveRequest,
    responses((status = 201, description = "Moved.", body = TransitionRecord)))]
pub async fn transition(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Slug { slug }): ApiPath<Slug>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let request = merge_form(&MoveRequest::default(), body)?;
    let integration = app::integrations::lookup::integration(&state.db, &slug).await?;
    let record = app::lifecycle::service::transition(
        &state.db,
        &c.user,
        integration.id,
        &request,
        &state.gate,
    )
    .await?;
    Ok(tagged(StatusCode::CREATED, &record, &record))
}
