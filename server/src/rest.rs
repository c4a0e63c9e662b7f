//! REST API v1, first slice (issue 4): `GET /api/v1/me`. A caller is either a bearer token
//! (`Authorization: Bearer tg_...`) or the browser's session cookie. Errors are JSON
//! `{"error": {"status": ..., "message": ...}}` with the matching status.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::EntityTrait;
use serde_json::json;
use tower_sessions::Session;

use app::auth::model::CurrentUser;
use app::error::AppError;
use app::state::AppState;
use app::tokens::model::TokenScope;

/// Who is calling, and how.
pub struct Caller {
    pub user: CurrentUser,
    /// The token's scope; `None` for the browser session.
    pub scope: Option<TokenScope>,
}

fn error(err: &AppError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut res = (
        status,
        Json(json!({ "error": { "status": status.as_u16(), "message": err.to_string() } })),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED
        && let Ok(value) = "Bearer realm=\"tollgate\"".parse()
    {
        res.headers_mut().insert(header::WWW_AUTHENTICATE, value);
    }
    res
}

/// The caller of this request. A presented bearer token must be valid: a bad token is refused
/// rather than falling back to the session, so a script never acts as whoever else is signed in.
///
/// # Errors
/// `Unauthorized` when there is no valid token and no signed-in session.
pub async fn caller(
    state: &AppState,
    headers: &HeaderMap,
    session: &Session,
) -> Result<Caller, AppError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| {
                AppError::Unauthorized("Send the token as: Authorization: Bearer <token>.".into())
            })?;
        return match app::tokens::service::authenticate(&state.db, token).await? {
            Some((user, scope)) => Ok(Caller {
                user,
                scope: Some(scope),
            }),
            None => Err(AppError::Unauthorized(
                "This token is unknown, revoked or expired, or its owner is deactivated.".into(),
            )),
        };
    }
    let id = session
        .get::<i32>(app::auth::session::USER_ID_KEY)
        .await
        .map_err(|e| AppError::internal("session read", e))?;
    let user = match id {
        Some(id) => app::entities::users::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .filter(|u| u.active),
        None => None,
    };
    match user {
        Some(u) => Ok(Caller {
            user: app::auth::service::to_current(&u)?,
            scope: None,
        }),
        None => Err(AppError::Unauthorized(
            "Sign in, or send an API token.".into(),
        )),
    }
}

/// `GET /api/v1/me`: the caller's account and how they authenticated.
pub async fn me(State(state): State<AppState>, headers: HeaderMap, session: Session) -> Response {
    match caller(&state, &headers, &session).await {
        Ok(c) => Json(json!({
            "id": c.user.id,
            "email": c.user.email,
            "name": c.user.name,
            "role": c.user.role.as_str(),
            "auth": if c.scope.is_some() { "token" } else { "session" },
            "scope": c.scope.map(TokenScope::as_str),
        }))
        .into_response(),
        Err(e) => error(&e),
    }
}
