//! `/api/v1/me`, `/api/v1/users` (admins only) and `/api/v1/activity` (the trail).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use app::activity::model::{ActivityQuery, ActivityView};
use app::auth::model::{CurrentUser, Role};
use app::state::AppState;
use app::tokens::model::TokenScope;
use app::users::model::{NewUser, User};
use app::users::service as users;

use super::auth::Caller;
use super::problem::ApiJson;
use super::reply::{ApiResult, check_if_match, merge_form, paged, tagged};
use super::{ApiPath, ApiQuery, Id};

/// The caller, and how they authenticated.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    #[serde(flatten)]
    pub user: CurrentUser,
    /// `token` or `session`.
    pub auth: String,
    /// The token's scope (`read` or `read-write`); absent for the session.
    pub scope: Option<TokenScope>,
}

/// Who you are: your account, and whether you called with a token or the session.
#[utoipa::path(get, path = "/api/v1/me", tag = "Account",
    responses((status = 200, description = "The caller.", body = Me)))]
pub async fn me(c: Caller) -> ApiResult {
    let me = Me {
        auth: if c.scope.is_some() {
            "token"
        } else {
            "session"
        }
        .into(),
        scope: c.scope,
        user: c.user,
    };
    Ok(tagged(StatusCode::OK, &me, &me))
}

/// Every account (admins only).
#[utoipa::path(get, path = "/api/v1/users", tag = "Users",
    responses((status = 200, description = "The accounts.", body = Vec<User>)))]
pub async fn list_users(_: Caller, State(state): State<AppState>) -> ApiResult {
    let all = users::list_users(&state.db).await?;
    Ok(tagged(StatusCode::OK, &all, &all))
}

/// Creates an account (admins only).
#[utoipa::path(post, path = "/api/v1/users", tag = "Users", request_body = NewUser,
    responses((status = 201, description = "Created.", body = User, headers(("etag" = String)))))]
pub async fn create_user(
    c: Caller,
    State(state): State<AppState>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> ApiResult {
    let input = merge_form(&NewUser::default(), body)?;
    let user = users::create_user(&state.db, Some(c.user.id), input).await?;
    Ok(tagged(StatusCode::CREATED, &user, &user))
}

/// The fields of an account an admin changes.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
pub struct UserPatch {
    /// admin, coordinator, engineer, qa or stakeholder.
    pub role: Option<Role>,
    /// `false` deactivates the account (and signs it out, and stops its tokens).
    pub active: Option<bool>,
}

/// Changes an account's role or deactivates it (admins only; not your own).
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "Users", params(Id), request_body = UserPatch,
    responses((status = 200, description = "Updated.", body = User, headers(("etag" = String)))))]
pub async fn update_user(
    c: Caller,
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> ApiResult {
    let patch = merge_form(&UserPatch::default(), body)?;
    let current = users::list_users(&state.db)
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .ok_or(app::error::AppError::NotFound)?;
    check_if_match(&headers, &current)?;
    let mut user = current;
    if let Some(role) = patch.role {
        user = users::change_role(&state.db, &c.user, id, role.as_str()).await?;
    }
    if let Some(active) = patch.active {
        user = users::set_active(&state.db, &c.user, id, active).await?;
    }
    Ok(tagged(StatusCode::OK, &user, &user))
}

/// The activity trail, newest first, 50 a page: filter by record kind, by one record, or by
/// integration (with its records). Account and token entries are for admins only (403 when
/// another role asks for kind=user or kind=api_token).
#[utoipa::path(get, path = "/api/v1/activity", tag = "Activity", params(ActivityQuery),
    responses((status = 200, description = "One page of the trail.", body = ActivityView,
        headers(("link" = String, description = "first, prev, next and last pages"),
                ("x-total-count" = u64, description = "entries matching the filters")))))]
pub async fn activity(
    c: Caller,
    State(state): State<AppState>,
    uri: Uri,
    ApiQuery(query): ApiQuery<ActivityQuery>,
) -> ApiResult {
    let page = app::activity::service::list(&state.db, &c.user, &query).await?;
    Ok(paged(
        &page,
        &uri.to_string(),
        page.page,
        page.pages,
        page.total,
    ))
}
