//! Heartbeat pings over HTTP, as healthchecks.io takes them: a scheduled job reports a good
//! run with `GET` or `POST /api/v1/heartbeats/{token}`, a start with `.../start` and a failure
//! with `.../fail`. The token is the proof (no session, no bearer token, no same-origin
//! check), and all it can do is report its own monitor's runs. Answers are plain text: 200
//! `OK`, 404 for a token no monitor has, 429 with `Retry-After` past
//! [`PINGS_PER_MINUTE`] for one token; a body is not read.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};

use app::error::AppError;
use app::heartbeats::model::Ping;
use app::heartbeats::service;
use app::state::AppState;

use crate::allowance::Allowance;

/// Pings one token may send a minute.
pub const PINGS_PER_MINUTE: u32 = 60;

/// The pings' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/heartbeats/{token}", get(ok).post(ok))
        .route(
            "/api/v1/heartbeats/{token}/{signal}",
            get(signal).post(signal),
        )
        .layer(Extension(Allowance::<String>::new(PINGS_PER_MINUTE)))
}

async fn ok(
    State(state): State<AppState>,
    Extension(allowance): Extension<Allowance<String>>,
    Path(token): Path<String>,
) -> Response {
    receive(&state, &allowance, &token, Ping::Ok).await
}

async fn signal(
    State(state): State<AppState>,
    Extension(allowance): Extension<Allowance<String>>,
    Path((token, signal)): Path<(String, String)>,
) -> Response {
    let ping = match signal.as_str() {
        "start" => Ping::Start,
        "fail" => Ping::Fail,
        _ => return text(StatusCode::NOT_FOUND, "not found: use /start or /fail"),
    };
    receive(&state, &allowance, &token, ping).await
}

async fn receive(
    state: &AppState,
    allowance: &Allowance<String>,
    token: &str,
    ping: Ping,
) -> Response {
    if token.len() > 64 {
        return text(StatusCode::NOT_FOUND, "not found");
    }
    if let Err(seconds) = allowance.take(&token.to_string(), 1) {
        let mut res = text(StatusCode::TOO_MANY_REQUESTS, "rate limited");
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        return res;
    }
    match service::ping(&state.db, token, ping, chrono::Utc::now()).await {
        Ok(()) => text(StatusCode::OK, "OK"),
        Err(AppError::NotFound) => text(StatusCode::NOT_FOUND, "not found"),
        Err(err) => {
            tracing::warn!(%err, "recording a heartbeat ping failed");
            let mut res = text(StatusCode::SERVICE_UNAVAILABLE, "try again");
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(5));
            res
        }
    }
}

fn text(status: StatusCode, body: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}
