//! The pages readers reload most (the dashboard, the integrations list, an integration's page:
//! `app::shared_pages`), rendered once per change for every reader of one role and served to
//! each with their own name and unread count put in. Readers reload them far more often than
//! anything changes, rendering is most of their cost, and all that differs between two readers
//! of one role is the name and the count in the navigation (and saved views, below).
//!
//! A kept page is rendered for a stand-in reader (`app::auth::session::StandIn`) whose name
//! and count are markers; it is kept only when each marker is where the navigation puts it
//! and nowhere else, and a reader's page is the kept one with their name (escaped as the page
//! escapes text) and count in the markers' place. A reader with saved views on the page gets a
//! page of their own, rendered for them. When the records change, one request renders a page
//! again while the others are served the one it replaces (see `app::kept`). Anything else,
//! and anyone signed out or deactivated, goes to the page as usual.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_sessions::Session;

use app::auth::session::{STAND_IN_NAME, STAND_IN_NEEDS, STAND_IN_UNREAD, StandIn};
use app::changes::Changes;
use app::kept::{Lookup, Stamp};
use app::shared_pages::{KeptPage, PageKey, Readers, RenderedPage, SharedKey, kept_page, pages};
use app::state::AppState;

/// The largest page kept.
const MAX_PAGE: usize = 4 << 20;

/// What the kept page is for and the stamp, when this request may be answered from one.
/// Read from the session's id in its cookie, without loading the session: one statement.
async fn key_of(
    state: &AppState,
    session: &Session,
    path: String,
    page: KeptPage<'_>,
) -> Option<(PageKey, Stamp)> {
    let session_id = session.id()?.to_string();
    app::shared_pages::reader(
        &state.db,
        &state.kept,
        &session_id,
        path,
        page,
        chrono::Utc::now(),
        &state.gate,
    )
    .await
    .ok()?
}

/// Whether `body`, rendered for the stand-in of `key`, has its name once and each count (in
/// its badge's label and text) twice or not at all, as `key` asks: then putting a reader's
/// own in their place makes the page rendered for that reader.
fn fits(body: &str, key: &SharedKey) -> bool {
    let twice = |marker: u64, badge: bool| {
        body.matches(marker.to_string().as_str()).count() == if badge { 2 } else { 0 }
    };
    body.matches(STAND_IN_NAME).count() == 1
        && twice(STAND_IN_UNREAD, key.badge)
        && twice(STAND_IN_NEEDS, key.needs_badge)
}

/// The kept page as `reader` reads it: their name and unread count in the stand-in's place
/// (unless it is a page of their own), and a fresh nonce in place of the one it was rendered
/// with (in the page and in its Content-Security-Policy), so no two responses share one.
/// `X-Cache` says whether it was kept (`hit`) or rendered for this request (`miss`).
fn for_reader(page: &RenderedPage, reader: &PageKey, stand_in: bool, hit: bool) -> Response {
    let text = String::from_utf8_lossy(&page.body);
    let mut body = if stand_in {
        let name = html_escape::encode_text(&reader.name);
        // The counts first: a name may hold digits, never the marker's letters.
        text.replace(&STAND_IN_UNREAD.to_string(), &reader.unread.to_string())
            .replace(&STAND_IN_NEEDS.to_string(), &reader.needs.to_string())
            .replacen(STAND_IN_NAME, &name, 1)
    } else {
        text.to_string()
    };
    let mut headers = page.headers.clone();
    let old = text
        .split_once("nonce=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(nonce, _)| nonce.to_string())
        .filter(|n| n.len() >= 16);
    if let Some(old) = old {
        let fresh = leptos::nonce::Nonce::new().to_string();
        body = body.replace(&old, &fresh);
        let policy = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| HeaderValue::from_str(&v.replace(&old, &fresh)).ok());
        if let Some(policy) = policy {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
    }
    headers.insert(
        "x-cache",
        HeaderValue::from_static(if hit { "hit" } else { "miss" }),
    );
    let mut res = Response::new(Body::from(body));
    *res.headers_mut() = headers;
    res
}

/// After a write (a request of any method but GET, HEAD and OPTIONS), before its response
/// goes: the trail's head is read again (`app::changes::Changes::wrote`), so whoever changed
/// something sees it on their next load, and what is kept about the writing session's reader
/// is forgotten (`app::shared_pages::Readers::forget`): signed out, they are answered as
/// such; their unread count, saved views and things waiting (`app::needs::count`) are read
/// afresh.
pub async fn after_writes(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let write = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let session = write
        .then(|| req.extensions().get::<Session>().cloned())
        .flatten();
    // Read before the write: signing out ends the session and its id.
    let session_id = session.as_ref().and_then(Session::id);
    let res = next.run(req).await;
    if write {
        if let Err(err) = state.kept.held::<Changes>().wrote(&state.db).await {
            // Read again within `app::changes::HEAD_FOR` anyway.
            tracing::warn!(%err, "reading the trail's head after a write");
        }
        if let Some(id) = session_id {
            state.kept.held::<Readers>().forget(&id.to_string());
        }
        // The session is loaded already when the write used it: no statement.
        if let Some(session) = session
            && let Ok(Some(user_id)) = app::auth::session::user_id_of(&session).await
        {
            app::needs::count::forget(&state.kept, user_id);
        }
    }
    res
}

/// Serves a kept page, or renders it (for the stand-in, unless it is the reader's own) and
/// keeps it.
pub async fn kept_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // Only the kept pages, and only with a session (a body is not `Sync`, so nothing borrowed
    // from the request is held across the reads below: the route is a copy).
    let route = req.uri().path().to_string();
    let page = (req.method() == Method::GET)
        .then(|| kept_page(&route))
        .flatten();
    let session = page
        .is_some()
        .then(|| req.extensions().get::<Session>().cloned())
        .flatten();
    let (Some(page), Some(session)) = (page, session) else {
        return next.run(req).await;
    };
    let path = req
        .uri()
        .path_and_query()
        .map_or_else(String::new, |p| p.as_str().to_string());
    let Some((reader, stamp)) = key_of(&state, &session, path, page).await else {
        return next.run(req).await;
    };
    let key = reader.shared();
    let stand_in = key.own.is_none();
    let kept = pages(&state.kept);
    // Dropped unkept (the page could not be kept, or the reader left), it lets the next
    // request render the page.
    let maker = match kept.lookup(stamp, &key).await {
        Lookup::Fresh(page) | Lookup::Stale(page) => {
            return for_reader(&page, &reader, stand_in, true);
        }
        Lookup::Miss(maker) => maker,
    };
    // The same request again, as the reader sends it, for when the stand-in's page is no use.
    let (mut parts, body) = req.into_parts();
    let again = {
        let mut r = Request::new(Body::empty());
        *r.method_mut() = parts.method.clone();
        *r.uri_mut() = parts.uri.clone();
        *r.version_mut() = parts.version;
        *r.headers_mut() = parts.headers.clone();
        *r.extensions_mut() = parts.extensions.clone();
        r
    };
    if stand_in {
        parts.extensions.insert(StandIn {
            role: key.role,
            unread: if key.badge { STAND_IN_UNREAD } else { 0 },
            needs: if key.needs_badge { STAND_IN_NEEDS } else { 0 },
        });
    }
    let started = std::time::Instant::now();
    let res = next.clone().run(Request::from_parts(parts, body)).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if res.status() != StatusCode::OK || !html {
        return next.run(again).await;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match to_bytes(body, MAX_PAGE).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::error!(%err, path = %key.path, "reading a rendered page");
            return next.run(again).await;
        }
    };
    if stand_in && !std::str::from_utf8(&bytes).is_ok_and(|text| fits(text, &key)) {
        tracing::error!(path = %key.path, "a page rendered for a stand-in does not show its name and count once: not kept");
        return next.run(again).await;
    }
    tracing::debug!(path = %key.path, render_us = started.elapsed().as_micros(), "page rendered");
    parts.headers.remove(header::CONTENT_LENGTH);
    let page = RenderedPage {
        headers: parts.headers,
        body: bytes,
    };
    let res = for_reader(&page, &reader, stand_in, false);
    maker.keep(stamp, page);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(badge: bool) -> SharedKey {
        SharedKey {
            role: app::auth::model::Role::Stakeholder,
            path: "/".into(),
            badge,
            needs_badge: false,
            own: None,
        }
    }

    #[test]
    fn a_page_fits_when_each_marker_is_there_once() {
        let n = STAND_IN_UNREAD;
        let named = format!("<span>{STAND_IN_NAME} · QA</span>");
        assert!(fits(&named, &key(false)));
        assert!(!fits(&format!("{named}{named}"), &key(false)));
        assert!(!fits("<span>Ann · QA</span>", &key(false)));
        let badge = format!(r#"{named}<span aria-label="{n} unread">{n}</span>"#);
        assert!(fits(&badge, &key(true)));
        assert!(!fits(&badge, &key(false)));
        assert!(!fits(&named, &key(true)));
        let w = STAND_IN_NEEDS;
        let needs = format!(r#"<span aria-label="{w} waiting">{w}</span>{named}"#);
        let needs_key = SharedKey {
            needs_badge: true,
            ..key(false)
        };
        assert!(fits(&needs, &needs_key));
        assert!(!fits(&needs, &key(false)));
        assert!(!fits(&named, &needs_key));
    }

    #[test]
    fn a_reader_gets_their_escaped_name_their_count_and_a_nonce_of_their_own() {
        let n = STAND_IN_UNREAD;
        let nonce = "abcdefghijklmnopqrstuv";
        let page = RenderedPage {
            headers: {
                let mut h = http::HeaderMap::new();
                h.insert(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_str(&format!("script-src 'nonce-{nonce}'"))
                        .expect("header"),
                );
                h
            },
            body: format!(
                r#"<script nonce="{nonce}"></script><span aria-label="{w} waiting">{w}</span><span aria-label="{n} unread">{n}</span><span>{STAND_IN_NAME} · QA</span>"#,
                w = STAND_IN_NEEDS
            )
            .into(),
        };
        let reader = PageKey {
            user_id: 7,
            name: "Bé <Ann> 987".into(),
            role: app::auth::model::Role::Qa,
            unread: 3,
            needs: 12,
            path: "/".into(),
            own_views: false,
        };
        let res = for_reader(&page, &reader, true, true);
        assert_eq!(res.headers()["x-cache"], "hit");
        let policy = res
            .headers()
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert!(!policy.contains(nonce), "{policy}");
        let body = futures_body(res);
        assert!(
            body.contains(
                r#"<span aria-label="12 waiting">12</span><span aria-label="3 unread">3</span><span>Bé &lt;Ann&gt; 987 · QA</span>"#
            ),
            "{body}"
        );
        assert!(!body.contains(nonce));
        let fresh = policy
            .trim_start_matches("script-src 'nonce-")
            .trim_end_matches('\'');
        assert!(body.contains(&format!(r#"nonce="{fresh}""#)), "{body}");
    }

    fn futures_body(res: Response) -> String {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let bytes = rt
            .block_on(to_bytes(res.into_body(), MAX_PAGE))
            .expect("body");
        String::from_utf8_lossy(&bytes).into_owned()
    }
}
