//! The dashboard page, served from the copy this process last rendered while nothing it shows
//! has changed: the trail's head and the minute (see `app::dashboard::cache`), and who reads
//! it (name, role, unread count) with the URL's query. When only the minute has turned, one
//! request renders the page again while the others get the previous minute's. Stakeholders
//! reload the home page far more often than anything changes, and rendering it is most of its
//! cost. Anything else, and
//! anyone signed out or deactivated, goes to the page as usual.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_sessions::Session;

use app::dashboard::cache::{PageKey, RenderedPage, pages};
use app::kept::{Lookup, Stamp};
use app::state::AppState;

/// The largest page kept.
const MAX_PAGE: usize = 4 << 20;

/// What the kept page is for and the stamp, when this request may be answered from one.
/// Read from the session's id in its cookie, without loading the session: one statement.
async fn key_of(state: &AppState, session: &Session, query: String) -> Option<(PageKey, Stamp)> {
    let session_id = session.id()?.to_string();
    app::dashboard::cache::reader(&state.db, &session_id, query, chrono::Utc::now())
        .await
        .ok()?
}

/// A fresh nonce in place of the one the page was rendered with, in the page and in its
/// Content-Security-Policy, so no two responses share one.
fn restamp(page: &RenderedPage) -> Response {
    let kept = || {
        let mut res = Response::new(Body::from(page.body.clone()));
        *res.headers_mut() = page.headers.clone();
        res
    };
    let Ok(text) = std::str::from_utf8(&page.body) else {
        return kept();
    };
    let Some(old) = text
        .split_once("nonce=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(nonce, _)| nonce)
        .filter(|n| n.len() >= 16)
    else {
        return kept();
    };
    let fresh = leptos::nonce::Nonce::new().to_string();
    let mut res = Response::new(Body::from(text.replace(old, &fresh)));
    *res.headers_mut() = page.headers.clone();
    let policy = page
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| HeaderValue::from_str(&v.replace(old, &fresh)).ok());
    if let Some(policy) = policy {
        res.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    res
}

/// Serves the dashboard from the kept page, or renders it and keeps it.
pub async fn dashboard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // Only the dashboard, and only with a session (a body is not `Sync`, so nothing borrowed
    // from the request is held across the reads below).
    let session = (req.method() == Method::GET && req.uri().path() == "/")
        .then(|| req.extensions().get::<Session>().cloned())
        .flatten();
    let Some(session) = session else {
        return next.run(req).await;
    };
    let query = req.uri().query().unwrap_or_default().to_string();
    let Some((key, stamp)) = key_of(&state, &session, query).await else {
        return next.run(req).await;
    };
    match pages(&state.kept).lookup(stamp, &key) {
        Lookup::Fresh(page) | Lookup::Stale(page) => return restamp(&page),
        Lookup::Miss => {}
    }
    let res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if res.status() != StatusCode::OK || !html {
        pages(&state.kept).release(&key);
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match to_bytes(body, MAX_PAGE).await {
        Ok(bytes) => bytes,
        Err(err) => {
            pages(&state.kept).release(&key);
            tracing::error!(%err, "reading the rendered dashboard");
            let mut res = Response::new(Body::from("The page could not be rendered."));
            *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            return res;
        }
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    pages(&state.kept).put(
        stamp,
        key,
        RenderedPage {
            headers: parts.headers.clone(),
            body: bytes.clone(),
        },
    );
    Response::from_parts(parts, Body::from(bytes))
}
