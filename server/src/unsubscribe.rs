//! An email's one-click unsubscribe (RFC 8058): `GET /unsubscribe/{token}` asks, `POST` does
//! it (a mail client's one-click POST, or the page's button). No sign-in and no same-origin
//! check (`guards`): the token, one per email, is the proof, and all it can do is turn off
//! its reader's email of the kind that email told of.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use app::account::unsubscribe::{Unsubscribe, page};
use app::notifications::service;
use app::state::AppState;

/// Where the links point.
pub const PREFIX: &str = "/unsubscribe/";

/// The link's routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/unsubscribe/{token}", get(ask).post(confirm))
}

fn answer(state: &AppState, status: StatusCode, shown: Unsubscribe) -> Response {
    (status, Html(page(state.leptos_options.clone(), shown))).into_response()
}

fn failed(err: &app::error::AppError) -> Response {
    tracing::error!(%err, "an unsubscribe link failed");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "Tollgate could not read its database; try the link again in a minute.",
    )
        .into_response()
}

/// Asks before turning anything off.
async fn ask(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match service::unsubscribe_target(&state.db, &token).await {
        Ok(Some((_, what))) => answer(
            &state,
            StatusCode::OK,
            Unsubscribe::Ask {
                what,
                action: format!("{PREFIX}{token}"),
            },
        ),
        Ok(None) => answer(&state, StatusCode::NOT_FOUND, Unsubscribe::Unknown),
        Err(e) => failed(&e),
    }
}

/// Turns the email off.
async fn confirm(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match service::unsubscribe(&state.db, &token).await {
        Ok(Some(what)) => answer(&state, StatusCode::OK, Unsubscribe::Done { what }),
        Ok(None) => answer(&state, StatusCode::NOT_FOUND, Unsubscribe::Unknown),
        Err(e) => failed(&e),
    }
}
