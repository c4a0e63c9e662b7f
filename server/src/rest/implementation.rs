//! The implementation records over REST: environments, credential references and their
//! access grants, the data mapping (rows, review, preview) and the engineering checklists.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;

use app::implementation::checklist::{
    ChecklistItem, ChecklistItemForm, ChecklistView, TemplateApplied,
};
use app::implementation::mapping::{
    MappingRow, MappingRowForm, MappingView, Preview, PreviewRequest,
};
use app::implementation::model::{
    CredentialForm, CredentialRef, CredentialsView, Environment, EnvironmentForm, EnvironmentsView,
    GrantForm, RevokeForm,
};
use app::implementation::service as environments;
use app::implementation::{checklist_service, credentials, grants, mapping_service};
use app::state::AppState;

use super::auth::Caller;
use super::problem::ApiJson;
use super::records::{child_resource, same};
use super::reply::{ApiResult, check_if_match, merge_form, no_content, tagged};
use super::{ApiPath, Id, Slug};

/// An environment as the caller sees it: with its DSN for those who build.
async fn with_dsn(
    state: &AppState,
    caller: &app::auth::model::CurrentUser,
    e: Environment,
) -> app::error::Result<Environment> {
    environments::with_dsn(&state.db, caller, e, &state.public_url).await
}

child_resource!(
    environment,
    tag = "Environments",
    collection = "/api/v1/integrations/{slug}/environments",
    item = "/api/v1/environments/{id}",
    page = EnvironmentsView,
    record = Environment,
    form = EnvironmentForm,
    list = environments::page,
    create = environments::create,
    created_id = same,
    get = environments::get,
    shown = with_dsn,
    update = environments::update,
    delete = environments::delete,
    what = "environment",
    editors = "engineers, coordinators and admins"
);

child_resource!(
    credential,
    tag = "Credentials",
    collection = "/api/v1/integrations/{slug}/credentials",
    item = "/api/v1/credentials/{id}",
    page = CredentialsView,
    record = CredentialRef,
    form = CredentialForm,
    list = credentials::page,
    create = credentials::create,
    created_id = same,
    get = credentials::get,
    update = credentials::update,
    delete = credentials::delete,
    what = "credential reference",
    editors = "engineers, coordinators and admins"
);

/// Records that the secret was rotated today (engineers, coordinators and admins).
#[utoipa::path(post, path = "/api/v1/credentials/{id}/rotations", tag = "Credentials", params(Id),
    responses((status = 201, description = "Rotation recorded; the reference as it is now.", body = CredentialRef, headers(("etag" = String)))))]
pub async fn rotate(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult {
    credentials::record_rotation(&state.db, &c.user, id).await?;
    let record = credentials::get(&state.db, id).await?;
    Ok(tagged(StatusCode::CREATED, &record, &record))
}

/// Grants a person, team or service access to a credential (coordinators and admins). The
/// same grantee cannot hold two live grants.
#[utoipa::path(post, path = "/api/v1/credentials/{id}/grants", tag = "Credentials", params(Id),
    request_body = GrantForm,
    responses((status = 201, description = "Granted; the reference with its grants.", body = CredentialRef, headers(("etag" = String)))))]
pub async fn grant(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let form = merge_form(&GrantForm::default(), body)?;
    grants::grant(&state.db, &c.user, id, &form).await?;
    let record = credentials::get(&state.db, id).await?;
    Ok(tagged(StatusCode::CREATED, &record, &record))
}

/// Revokes a grant, keeping it in the history (coordinators and admins); 409 when
/// it is already revoked.
#[utoipa::path(post, path = "/api/v1/grants/{id}/revocation", tag = "Credentials", params(Id),
    request_body = RevokeForm,
    responses((status = 200, description = "Revoked; the reference with its grants.", body = CredentialRef, headers(("etag" = String)))))]
pub async fn revoke(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let form = merge_form(&RevokeForm::default(), body)?;
    let credential = grants::revoke(&state.db, &c.user, id, &form.reason).await?;
    let record = credentials::get(&state.db, credential).await?;
    Ok(tagged(StatusCode::OK, &record, &record))
}

child_resource!(
    mapping_row,
    tag = "Data mapping",
    collection = "/api/v1/integrations/{slug}/mapping",
    item = "/api/v1/mapping-rows/{id}",
    page = MappingView,
    record = MappingRow,
    form = MappingRowForm,
    list = mapping_service::page,
    create = mapping_service::create,
    created_id = same,
    get = mapping_service::get,
    update = mapping_service::update,
    delete = mapping_service::delete,
    what = "mapping row",
    editors = "engineers, coordinators and admins; clears the review"
);

/// Marks the mapping reviewed by the caller now (engineers, coordinators and admins); 409
/// when it has no rows.
#[utoipa::path(post, path = "/api/v1/integrations/{slug}/mapping/review", tag = "Data mapping", params(Slug),
    responses((status = 200, description = "Reviewed; the mapping.", body = MappingView, headers(("etag" = String)))))]
pub async fn review_mapping(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Slug { slug }): ApiPath<Slug>,
) -> ApiResult {
    let integration = app::integrations::lookup::integration(&state.db, &slug).await?;
    mapping_service::review(&state.db, &c.user, integration.id).await?;
    let page = mapping_service::page(&state.db, &slug).await?;
    Ok(tagged(StatusCode::OK, &page, &page))
}

/// Runs a sample payload (sent as text, so invalid JSON is reported with its line and column)
/// through the mapping. Reads only: a read token may call it.
#[utoipa::path(post, path = "/api/v1/integrations/{slug}/mapping/preview", tag = "Data mapping", params(Slug),
    request_body = PreviewRequest,
    responses((status = 200, description = "The platform object and each row's outcome.", body = Preview)))]
pub async fn preview_mapping(
    _: Caller,
    State(state): State<AppState>,
    ApiPath(Slug { slug }): ApiPath<Slug>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let request = merge_form(&PreviewRequest::default(), body)?;
    let preview = mapping_service::preview(&state.db, &slug, &request.sample).await?;
    Ok(tagged(StatusCode::OK, &preview, &preview))
}

child_resource!(
    checklist_item,
    tag = "Checklists",
    collection = "/api/v1/integrations/{slug}/checklist-items",
    item = "/api/v1/checklist-items/{id}",
    page = ChecklistView,
    record = ChecklistItem,
    form = ChecklistItemForm,
    list = checklist_service::page,
    create = checklist_service::create,
    created_id = same,
    get = checklist_service::get,
    update = checklist_service::update,
    delete = checklist_service::delete,
    what = "checklist item",
    editors = "engineers, coordinators and admins"
);

/// Adds the template items of the integration's category that are not on its checklists
/// (engineers, coordinators and admins); items already there stay as they are.
#[utoipa::path(post, path = "/api/v1/integrations/{slug}/checklist-items/template", tag = "Checklists", params(Slug),
    responses((status = 200, description = "How many items were added.", body = TemplateApplied)))]
pub async fn apply_template(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Slug { slug }): ApiPath<Slug>,
) -> ApiResult {
    let integration = app::integrations::lookup::integration(&state.db, &slug).await?;
    let applied = checklist_service::apply_template(&state.db, &c.user, integration.id).await?;
    Ok(tagged(StatusCode::OK, &applied, &applied))
}
