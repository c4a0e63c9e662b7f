//! Two layers every response passes: same-origin writes and security headers.
//!
//! - A state-changing request from a browser (any method but GET, HEAD and OPTIONS, to a
//!   server function, a form or an upload) must come from this site: its `Origin` (or
//!   `Referer`) names this host, or `Sec-Fetch-Site` says same-origin. SameSite cookies alone
//!   leave sibling subdomains and old browsers. REST calls with a bearer token carry no
//!   ambient authority and are let through here; REST calls with the session are checked by
//!   `rest::auth::Caller` with the same rule.
//! - Every response says: no sniffing, no framing (`frame-ancestors 'none'`), no plugins, no
//!   foreign base or form targets, the referrer only to this site, and HSTS when served over
//!   TLS (secure cookies on).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;

use app::state::AppState;

/// The client of a request that reached Tollgate from `peer`: the peer itself, unless the peer
/// is a trusted proxy; then the `X-Forwarded-For` hops are read from the right (the nearest
/// first), skipping trusted proxies, and the first other address is the client. A hop that is
/// not an address ends the walk at the last trusted one (whatever is left of it was written by
/// the client and proves nothing).
pub fn client_address(peer: IpAddr, forwarded_for: &[&str], trusted: &[ipnet::IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    for hop in forwarded_for.iter().rev().flat_map(|h| h.rsplit(',')) {
        let hop = hop.trim();
        let parsed = hop
            .parse::<IpAddr>()
            .ok()
            .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()));
        let Some(ip) = parsed else {
            break;
        };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

/// Puts the request's [`app::auth::session::ClientAddr`] in its extensions, for throttling.
pub async fn resolve_client(
    State(trusted): State<Arc<Vec<ipnet::IpNet>>>,
    mut req: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let hops: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let client = client_address(peer.ip(), &hops, &trusted);
        req.extensions_mut()
            .insert(app::auth::session::ClientAddr(client));
    }
    next.run(req).await
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
}

/// The 413 for a body over `limit` bytes, as problem details.
pub fn too_large(limit: usize) -> Response {
    let size = if limit.is_multiple_of(1024 * 1024) {
        format!("{} MiB", limit / 1024 / 1024)
    } else {
        format!("{} KiB", limit / 1024)
    };
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        [(header::CONTENT_TYPE, "application/problem+json")],
        serde_json::json!({
            "type": "about:blank",
            "title": "Payload Too Large",
            "status": 413,
            "detail": format!("The request body is larger than {size}, the limit here."),
        })
        .to_string(),
    )
        .into_response()
}

/// Refuses a request whose declared `Content-Length` is over `limit` with 413, before a byte
/// of its body is read; a body sent without a length stops at the limit, and either way the
/// answer is [`too_large`], naming the limit.
async fn length_limit(State(limit): State<usize>, req: Request, next: Next) -> Response {
    if declared_length(req.headers()).is_some_and(|n| n > limit as u64) {
        return too_large(limit);
    }
    let res = next.run(req).await;
    if res.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large(limit);
    }
    res
}

/// `route` with its bodies capped at `limit` bytes (see [`length_limit`]).
pub fn capped(route: MethodRouter<AppState>, limit: usize) -> MethodRouter<AppState> {
    route
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn_with_state(limit, length_limit))
}

/// Caps the body of a server function (`/api/<name>`, not the REST API or an upload, which
/// have their own limits) at `app::limits::FORM_BYTES`: a larger `Content-Length` is refused
/// with 413 before anything is read, and a chunked body stops at the limit with the same
/// answer (server functions read their bodies without a limit of their own).
pub async fn form_body_limit(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if !path.starts_with("/api/")
        || path.starts_with("/api/v1/")
        || crate::sentry_ingest::is_ingest(&req)
    {
        return next.run(req).await;
    }
    let limit = app::limits::FORM_BYTES;
    if declared_length(req.headers()).is_some_and(|n| n > limit as u64) {
        return too_large(limit);
    }
    // Read here, up to the limit, as the server function would read it whole anyway.
    let (parts, body) = req.into_parts();
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
                .await
        }
        Err(_) => too_large(limit),
    }
}

/// Whether a request comes from this site: its Origin (or, failing that, Referer) names this
/// host, or the browser's `Sec-Fetch-Site` says same-origin. The one rule REST session writes
/// and every browser write ask.
pub fn same_origin(headers: &HeaderMap) -> bool {
    if headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "same-origin")
    {
        return true;
    }
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

fn writes(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Refuses a browser write that does not come from this site with 403, before it reaches a
/// server function, a form handler or an upload.
pub async fn same_origin_writes(req: Request, next: Next) -> Response {
    let rest = req.uri().path().starts_with("/api/v1/");
    // An email's one-click unsubscribe comes from a mail client: its token is the proof.
    // So is an SDK's report to the Sentry-compatible ingest: its DSN's key is.
    let by_token = req.uri().path().starts_with(crate::unsubscribe::PREFIX)
        || crate::sentry_ingest::is_ingest(&req);
    let bearer = req.headers().contains_key(header::AUTHORIZATION);
    if writes(req.method()) && !rest && !by_token && !bearer && !same_origin(req.headers()) {
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::json!({
                "error": "This request did not come from Tollgate's own pages (its Origin names another site, or none), so it was refused. Send forms from Tollgate, or call the REST API with a token."
            })
            .to_string(),
        )
            .into_response();
    }
    next.run(req).await
}

/// The headers every response carries; `tls` adds HSTS.
pub fn secure_headers(headers: &mut HeaderMap, tls: bool) {
    let fixed = [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        ("content-security-policy", app::csp::BASE),
    ];
    for (name, value) in fixed {
        if !headers.contains_key(name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    if tls {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse()
            .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn forwarded_for_names_the_client_only_behind_a_trusted_proxy() {
        let trusted: Vec<ipnet::IpNet> = ["10.0.0.0/8", "127.0.0.1/32"]
            .iter()
            .filter_map(|n| n.parse().ok())
            .collect();
        // Anyone else's header is ignored: the peer is the client.
        assert_eq!(
            client_address(ip("203.0.113.9"), &["198.51.100.1"], &trusted),
            ip("203.0.113.9")
        );
        // Through the proxy: the nearest untrusted hop, not whatever the client prepended.
        assert_eq!(
            client_address(
                ip("127.0.0.1"),
                &["1.2.3.4, 198.51.100.7", "10.1.1.1"],
                &trusted
            ),
            ip("198.51.100.7")
        );
        // A garbage hop stops the walk at the last trusted address.
        assert_eq!(
            client_address(ip("10.0.0.2"), &["198.51.100.7, nonsense"], &trusted),
            ip("10.0.0.2")
        );
        // No header behind the proxy: the proxy is all we know.
        assert_eq!(
            client_address(ip("10.0.0.2"), &[], &trusted),
            ip("10.0.0.2")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), &["[2001:db8::1]:443"], &trusted),
            ip("2001:db8::1")
        );
        // No trusted proxies configured: never read.
        assert_eq!(
            client_address(ip("127.0.0.1"), &["198.51.100.7"], &[]),
            ip("127.0.0.1")
        );
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn a_request_is_same_origin_by_its_origin_referer_or_fetch_metadata() {
        let host = ("host", "tollgate.example:3000");
        assert!(same_origin(&headers(&[
            host,
            ("origin", "https://tollgate.example:3000")
        ])));
        assert!(same_origin(&headers(&[
            host,
            ("referer", "http://tollgate.example:3000/a")
        ])));
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!same_origin(&headers(&[
            host,
            ("origin", "https://evil.example")
        ])));
        assert!(!same_origin(&headers(&[
            host,
            ("origin", "https://tollgate.example:3000.evil.example")
        ])));
        assert!(!same_origin(&headers(&[
            host,
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(!same_origin(&headers(&[host])), "neither");
        assert!(!same_origin(&headers(&[host, ("origin", "null")])));
    }
}
