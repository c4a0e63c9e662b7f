//! Who is calling the REST API: a bearer token (`Authorization: Bearer tg_...`) acting with
//! its owner's role narrowed by its scope, or the browser's session cookie. Writes through the
//! session must come from this site.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use sea_orm::EntityTrait;
use tower_sessions::Session;

use app::auth::access::Action;
use app::auth::model::CurrentUser;
use app::error::AppError;
use app::state::AppState;
use app::tokens::model::TokenScope;

use super::problem::ApiError;

/// Who is calling, and how. Extracting it authenticates the request and checks the caller's
/// role against the route's action (the permission table); for a route whose action changes
/// something, sent by a method other than GET and HEAD, it also checks the caller may write:
/// a read-scope token may not, and the session must come from this site. A route whose action
/// only reads (such as a preview sent by POST because its input is large) takes any caller.
pub struct Caller {
    pub user: CurrentUser,
    /// The token's scope; `None` for the browser session.
    pub scope: Option<TokenScope>,
}

impl<S> FromRequestParts<S> for Caller
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let session = Session::from_request_parts(parts, &state)
            .await
            .map_err(|(_, msg)| AppError::internal("session layer", msg))?;
        let caller = caller(&state, &parts.headers, &session).await?;
        let Some(action) = parts.extensions.get::<Action>().copied() else {
            return Err(AppError::internal(
                "route",
                "a route has no action in the permission table",
            )
            .into());
        };
        caller.user.may(action)?;
        if matches!(parts.method, Method::GET | Method::HEAD) || !action.changes() {
            return Ok(caller);
        }
        match caller.scope {
            Some(TokenScope::ReadWrite) => Ok(caller),
            Some(TokenScope::Read) => Err(ApiError::App(AppError::Forbidden)),
            None if crate::guards::same_origin(&parts.headers) => Ok(caller),
            None => Err(ApiError::App(AppError::Forbidden)),
        }
    }
}

/// The caller of this request. A presented bearer token must be valid: a bad token is refused
/// rather than falling back to the session, so a script never acts as whoever else is signed in.
///
/// # Errors
/// `Unauthorized` when there is no valid token and no signed-in session.
async fn caller(
    state: &AppState,
    headers: &HeaderMap,
    session: &Session,
) -> Result<Caller, AppError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = bearer(value).ok_or_else(|| {
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

/// The token of an `Authorization: Bearer <token>` header.
pub fn bearer(value: &axum::http::HeaderValue) -> Option<&str> {
    value.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}
