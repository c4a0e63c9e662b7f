//! The implementation records over REST: environments and credential references.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;

use app::implementation::credentials;
use app::implementation::model::{
    CredentialForm, CredentialPage, CredentialRef, Environment, EnvironmentForm, EnvironmentPage,
};
use app::implementation::service as environments;
use app::planning::service as planning;
use app::state::AppState;

use super::auth::Caller;
use super::problem::ApiJson;
use super::records::{child_resource, same};
use super::reply::{ApiResult, check_if_match, merge_form, no_content, tagged};
use super::{ApiPath, Id, Slug};

child_resource!(
    environment,
    tag = "Environments",
    collection = "/api/v1/integrations/{slug}/environments",
    item = "/api/v1/environments/{id}",
    page = EnvironmentPage,
    record = Environment,
    form = EnvironmentForm,
    list = environments::page,
    create = environments::create,
    created_id = same,
    get = environments::get,
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
    page = CredentialPage,
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
