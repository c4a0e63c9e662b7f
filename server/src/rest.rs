//! REST API v1 (issue 4, in progress): `GET /api/v1/me`, `GET /api/v1/integrations` (the list
//! page's filters, sorting and pagination), `GET /api/v1/integrations/{slug}` and
//! `POST /api/v1/integrations/{slug}/transitions`. A caller is either a bearer token
//! (`Authorization: Bearer tg_...`) or the browser's session cookie. Errors are RFC 9457
//! problem details with the matching status. Every handler calls the same service function as
//! the pages.

use axum::Json;
use axum::extract::{Path, Query, State};
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

/// An error as RFC 9457 problem details (`application/problem+json`): `type` (about:blank),
/// `title` (the status's reason phrase), `status`, `detail`, plus `errors` (a field list) for
/// validation failures and `unmet` (the criteria) for a closed gate.
fn error(err: &AppError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut body = json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": err.to_string(),
    });
    match err {
        AppError::Validation(fields) => {
            body["errors"] = fields
                .0
                .iter()
                .map(|(field, message)| json!({ "field": field, "message": message }))
                .collect();
        }
        AppError::GateClosed { missing, .. } => body["unmet"] = json!(missing),
        _ => {}
    }
    let mut res = (status, Json(body)).into_response();
    if let Ok(value) = "application/problem+json".parse() {
        res.headers_mut().insert(header::CONTENT_TYPE, value);
    }
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

fn respond<T: serde::Serialize>(status: StatusCode, result: Result<T, AppError>) -> Response {
    match result {
        Ok(value) => (status, Json(value)).into_response(),
        Err(e) => error(&e),
    }
}

/// The caller, allowed to write: a token needs the read-write scope; the browser session must
/// come from this site (Origin, or failing that Referer, names this host), so no other site
/// can forge a write with the user's cookie.
///
/// # Errors
/// `Unauthorized`; `Forbidden` for a read-only token or a cross-site session write.
pub async fn writer(
    state: &AppState,
    headers: &HeaderMap,
    session: &Session,
) -> Result<Caller, AppError> {
    let c = caller(state, headers, session).await?;
    match c.scope {
        Some(TokenScope::ReadWrite) => Ok(c),
        Some(TokenScope::Read) => Err(AppError::Forbidden),
        None if same_origin(headers) => Ok(c),
        None => Err(AppError::Forbidden),
    }
}

fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    source.is_some_and(|s| {
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"));
        rest.is_some_and(|r| r.split('/').next() == Some(host))
    })
}

/// `GET /api/v1/integrations`: the registry with the list page's query parameters.
pub async fn list_integrations(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
    Query(query): Query<app::integrations::model::IntegrationQuery>,
) -> Response {
    let result = async {
        caller(&state, &headers, &session).await?;
        app::integrations::service::list(&state.db, &query).await
    }
    .await;
    respond(StatusCode::OK, result)
}

/// `GET /api/v1/integrations/{slug}`: one integration with its history.
pub async fn get_integration(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
    Path(slug): Path<String>,
) -> Response {
    let result = async {
        caller(&state, &headers, &session).await?;
        app::integrations::service::get_by_slug(&state.db, &slug).await
    }
    .await;
    respond(StatusCode::OK, result)
}

/// `POST /api/v1/integrations/{slug}/transitions` with `{"to", "reason"?, "override_justification"?}`:
/// a stage move through the gate; 409 with `unmet` when the gate is closed.
pub async fn create_transition(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
    Path(slug): Path<String>,
    body: Option<Json<serde_json::Value>>,
) -> Response {
    let result = async {
        let c = writer(&state, &headers, &session).await?;
        let Some(Json(body)) = body else {
            return Err(AppError::BadRequest(
                "Send a JSON body such as {\"to\": \"implementation\"}.".into(),
            ));
        };
        let text = |k: &str| {
            body.get(k)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let request = app::lifecycle::model::MoveRequest {
            to: text("to"),
            reason: text("reason"),
            override_justification: text("override_justification"),
        };
        let integration = app::planning::service::integration(&state.db, &slug).await?;
        app::lifecycle::service::transition(&state.db, &c.user, integration.id, &request).await
    }
    .await;
    respond(StatusCode::CREATED, result)
}
