//! The Sentry-compatible ingest over HTTP, where the SDKs post: `POST /api/{project}/envelope/`
//! and the legacy `POST /api/{project}/store/`, the project being an environment. The key
//! comes in `X-Sentry-Auth`, the `sentry_key` query parameter or the envelope's own DSN;
//! bodies may be gzip, deflate or brotli compressed. Each DSN has a quota of events a minute. Answers are the relay's: `{"id": ...}`, or a
//! status with `{"detail": ...}` (400 broken, 401 no key, 403 a key not the project's, 413
//! too large, 415 an encoding not taken, 429 over the quota, 503 busy), never a 500 for what a client sent. No session and
//! no same-origin check (`guards`): the key is the proof, and all it can do is report events
//! to its own environment.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, MatchedPath, Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Router};
use serde_json::json;

use app::heartbeats::service as heartbeats;
use app::sentry::envelope::{self, ENVELOPE_BYTES, Envelope, Refusal};
use app::sentry::writer::Writer;
use app::sentry::{keys, service};
use app::state::AppState;

use crate::allowance::Allowance;

/// The most bytes a request body may hold as sent (compressed or not).
const SENT_BYTES: usize = ENVELOPE_BYTES;

/// The ingest's routes (with and without the trailing slash the SDKs send).
const ROUTES: [&str; 4] = [
    "/api/{project}/envelope/",
    "/api/{project}/envelope",
    "/api/{project}/store/",
    "/api/{project}/store",
];

/// The ingest's quota: events a minute per environment's DSN (`TOLLGATE_INGEST_RATE_LIMIT`).
pub type Quota = Allowance<i32>;

/// What the ingest's requests share: the quota and the writer.
#[derive(Clone)]
struct Ingest {
    quota: Quota,
    writer: Writer,
}

/// The ingest's routes, each DSN held to `quota`, their events stored by `writer`.
pub fn routes(quota: Quota, writer: Writer) -> Router<AppState> {
    ROUTES
        .iter()
        .fold(Router::new(), |r, path| r.route(path, post(receive)))
        .layer(DefaultBodyLimit::max(SENT_BYTES))
        .layer(Extension(Ingest { quota, writer }))
}

/// Whether `req` was routed to the ingest: the page guards leave it to its key.
pub fn is_ingest(req: &Request) -> bool {
    req.extensions()
        .get::<MatchedPath>()
        .is_some_and(|m| ROUTES.contains(&m.as_str()))
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

/// Authenticates, holds to the quota and takes `envelope` for `project`.
async fn take(
    state: &AppState,
    Ingest { quota, writer }: &Ingest,
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
    let mut read = match service::read(envelope, &environment.name, now) {
        Ok(r) => r,
        Err(e) => return detail(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let events = u32::try_from(read.events()).unwrap_or(u32::MAX);
    if let Err(seconds) = quota.take(&environment.id, events) {
        return over_quota(quota.per_minute(), seconds);
    }
    let check_ins = std::mem::take(&mut read.check_ins);
    let transactions = std::mem::take(&mut read.transactions);
    let taken = match service::store(writer, &environment, read, now).await {
        Ok(taken) => taken,
        Err(e) => return unavailable(&e),
    };
    // The events are stored: a failure from here on is logged, not answered 503, which would
    // have the SDK send them again.
    for v in &check_ins {
        if let Err(err) = heartbeats::sentry_check_in(&state.db, &environment, v, now).await {
            tracing::warn!(%err, environment = environment.id, "recording a check-in failed");
        }
    }
    if let Err(err) = app::observed::service::record(&state.db, &environment, &transactions).await {
        tracing::warn!(%err, environment = environment.id, "recording traced calls failed");
    }
    axum::Json(json!({ "id": taken.event_id })).into_response()
}

/// 429 as Sentry's relay answers a DSN over its quota: `Retry-After` and
/// `X-Sentry-Rate-Limits` (`<seconds>:<categories, all when empty>:<scope>`), which the SDKs
/// obey by holding their events back that long.
fn over_quota(per_minute: u32, seconds: u64) -> Response {
    let mut res = detail(
        StatusCode::TOO_MANY_REQUESTS,
        format!("this DSN sent more than its {per_minute} events a minute; retry in {seconds} s"),
    );
    let headers = res.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    if let Ok(v) = HeaderValue::from_str(&format!("{seconds}::key")) {
        headers.insert("x-sentry-rate-limits", v);
    }
    res
}

fn unavailable(e: &app::error::AppError) -> Response {
    let retry_after = match e {
        app::error::AppError::Busy { retry_after, .. } => *retry_after,
        _ => {
            tracing::error!(%e, "the ingest could not store what it was sent");
            5
        }
    };
    let mut res = detail(
        StatusCode::SERVICE_UNAVAILABLE,
        "Tollgate could not store the events just now; the SDK will send them again",
    );
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    res
}

/// What a request's body is: an envelope, or a legacy store request's one event.
#[derive(Clone, Copy)]
enum Form {
    Envelope,
    Store,
}

/// Decodes, reads, authenticates and takes a request's body: an envelope, or on the
/// legacy `store` route one event.
async fn receive(
    State(state): State<AppState>,
    Extension(ingest): Extension<Ingest>,
    matched: MatchedPath,
    Path(project): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = if matched.as_str().contains("/store") {
        Form::Store
    } else {
        Form::Envelope
    };
    let body = match envelope::decode(encoding(&headers), &body) {
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
    let key = key_of(&headers, query.as_deref(), own);
    take(&state, &ingest, &project, key, &envelope).await
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
    }
}
