//! The Sentry-compatible ingest over HTTP, where the SDKs post: `POST /api/{project}/envelope/`
//! and the legacy `POST /api/{project}/store/`, the project being an environment. The key
//! comes in `X-Sentry-Auth`, the `sentry_key` query parameter or the envelope's own DSN;
//! bodies may be gzip or deflate compressed. Answers are the relay's: `{"id": ...}`, or a
//! status with `{"detail": ...}` (400 broken, 401 no key, 403 a key not the project's, 413
//! too large, 415 an encoding not taken), never a 500 for what a client sent. No session and
//! no same-origin check (`guards`): the key is the proof, and all it can do is report events
//! to its own environment.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::json;

use app::sentry::envelope::{self, ENVELOPE_BYTES, Envelope, Refusal};
use app::sentry::{keys, service};
use app::state::AppState;

/// The most bytes a request body may hold as sent (compressed or not).
const SENT_BYTES: usize = ENVELOPE_BYTES;

/// The ingest's routes (with and without the trailing slash the SDKs send).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/{project}/envelope/", post(envelope))
        .route("/api/{project}/envelope", post(envelope))
        .route("/api/{project}/store/", post(store))
        .route("/api/{project}/store", post(store))
        .layer(DefaultBodyLimit::max(SENT_BYTES))
}

/// Whether `path` is the ingest's: the page guards leave it to its key.
pub fn is_ingest(path: &str) -> bool {
    let Some((project, tail)) = path
        .strip_prefix("/api/")
        .and_then(|rest| rest.split_once('/'))
    else {
        return false;
    };
    !project.is_empty()
        && project.bytes().all(|b| b.is_ascii_digit())
        && matches!(tail, "envelope/" | "envelope" | "store/" | "store")
}

fn detail(status: StatusCode, why: impl Into<String>) -> Response {
    (status, axum::Json(json!({ "detail": why.into() }))).into_response()
}

fn refused(r: &Refusal) -> Response {
    match r {
        Refusal::TooLarge(why) => detail(StatusCode::PAYLOAD_TOO_LARGE, why.clone()),
        Refusal::Malformed(why) => detail(StatusCode::BAD_REQUEST, why.clone()),
        Refusal::Encoding(why) => detail(StatusCode::UNSUPPORTED_MEDIA_TYPE, why.clone()),
    }
}

/// The key in an `X-Sentry-Auth` value (`Sentry sentry_key=..., sentry_version=7`).
fn key_in_auth(value: &str) -> Option<String> {
    let fields = value.trim().strip_prefix("Sentry").unwrap_or(value);
    fields.split(',').find_map(|f| {
        let (name, v) = f.split_once('=')?;
        (name.trim() == "sentry_key").then(|| v.trim().to_string())
    })
}

/// The key of a DSN (`http://<key>@host/1`, or `<key>:<secret>@` as older ones were).
fn key_in_dsn(dsn: &str) -> Option<String> {
    let (_, rest) = dsn.split_once("://")?;
    let (user, _) = rest.split_once('@')?;
    Some(user.split(':').next()?.to_string())
}

/// The key the request carries, from the header, the query or the envelope's DSN.
fn key_of(
    headers: &HeaderMap,
    query: Option<&str>,
    envelope: Option<&Envelope<'_>>,
) -> Option<String> {
    headers
        .get("x-sentry-auth")
        .and_then(|v| v.to_str().ok())
        .and_then(key_in_auth)
        .or_else(|| {
            query?.split('&').find_map(|pair| {
                let (name, v) = pair.split_once('=')?;
                (name == "sentry_key").then(|| v.to_string())
            })
        })
        .or_else(|| envelope?.header.dsn.as_deref().and_then(key_in_dsn))
        .filter(|k| !k.is_empty())
}

/// The body's `Content-Encoding` (none when absent).
fn encoding(headers: &HeaderMap) -> &str {
    headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// Authenticates and takes `envelope` for `project`.
async fn take(
    state: &AppState,
    project: &str,
    key: Option<String>,
    envelope: &Envelope<'_>,
) -> Response {
    let Some(key) = key else {
        return detail(
            StatusCode::UNAUTHORIZED,
            "missing authorization information: send the DSN's key in X-Sentry-Auth or sentry_key",
        );
    };
    let now = chrono::Utc::now();
    let environment = match project.parse::<i32>() {
        Ok(id) => keys::environment_of(&state.db, id, &key, now).await,
        Err(_) => Ok(None),
    };
    let environment = match environment {
        Ok(Some(e)) => e,
        Ok(None) => {
            return detail(
                StatusCode::FORBIDDEN,
                "the key is not valid for this project: copy the DSN from the environment's page",
            );
        }
        Err(e) => return unavailable(&e),
    };
    match service::take(&state.db, &environment, envelope, now).await {
        Ok(taken) => axum::Json(json!({ "id": taken.event_id })).into_response(),
        Err(e) => unavailable(&e),
    }
}

fn unavailable(e: &app::error::AppError) -> Response {
    tracing::error!(%e, "the ingest could not store what it was sent");
    let mut res = detail(
        StatusCode::SERVICE_UNAVAILABLE,
        "Tollgate could not store the events just now; the SDK will send them again",
    );
    res.headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from_static("5"));
    res
}

/// What a request's body is: an envelope, or a legacy store request's one event.
#[derive(Clone, Copy)]
enum Form {
    Envelope,
    Store,
}

/// Decodes, reads, authenticates and takes a request's body of form `form`.
async fn receive(
    state: &AppState,
    project: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &Bytes,
    form: Form,
) -> Response {
    let body = match envelope::decode(encoding(headers), body) {
        Ok(b) => b,
        Err(r) => return refused(&r),
    };
    let read = match form {
        Form::Envelope => envelope::parse(&body),
        Form::Store => envelope::from_store(&body),
    };
    let envelope = match read {
        Ok(e) => e,
        Err(r) => return refused(&r),
    };
    // A store request's body is the event: only an envelope carries a DSN of its own.
    let own = matches!(form, Form::Envelope).then_some(&envelope);
    let key = key_of(headers, query, own);
    take(state, project, key, &envelope).await
}

async fn envelope(
    State(state): State<AppState>,
    Path(project): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    receive(
        &state,
        &project,
        query.as_deref(),
        &headers,
        &body,
        Form::Envelope,
    )
    .await
}

async fn store(
    State(state): State<AppState>,
    Path(project): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    receive(
        &state,
        &project,
        query.as_deref(),
        &headers,
        &body,
        Form::Store,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_read_from_the_header_the_query_or_the_dsn() {
        assert_eq!(
            key_in_auth("Sentry sentry_key=abc, sentry_version=7, sentry_client=sentry.python/2.0"),
            Some("abc".into())
        );
        assert_eq!(key_in_auth("Sentry sentry_version=7"), None);
        assert_eq!(
            key_in_dsn("http://abc@127.0.0.1:3000/4"),
            Some("abc".into())
        );
        assert_eq!(key_in_dsn("https://abc:secret@h/4"), Some("abc".into()));
        let headers = HeaderMap::new();
        assert_eq!(
            key_of(&headers, Some("sentry_version=7&sentry_key=q1"), None),
            Some("q1".into())
        );
        assert!(is_ingest("/api/12/envelope/"));
        assert!(is_ingest("/api/3/store/"));
        assert!(!is_ingest("/api/v1/events"));
        assert!(!is_ingest("/api/get_weekly_digest"));
    }
}
