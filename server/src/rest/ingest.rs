//! The Sentry-compatible ingest's keys over REST: an environment's DSN, and its rotation
//! (the old key is taken for a day after). What the SDKs post is `sentry_ingest`'s.

use axum::extract::State;
use axum::http::StatusCode;

use app::sentry::keys;
use app::sentry::model::Dsn;
use app::state::AppState;

use super::auth::Caller;
use super::reply::{ApiResult, json};
use super::{ApiPath, Id};

/// An environment's DSN for the Sentry SDKs (engineers, coordinators and admins), with the
/// URL its envelopes go to.
#[utoipa::path(get, path = "/api/v1/environments/{id}/dsn", tag = "Environments", params(Id),
    responses((status = 200, description = "The DSN.", body = Dsn)))]
pub async fn dsn(
    _c: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult {
    let dsn = keys::dsn_of(&state.db, id, &state.public_url).await?;
    Ok(json(StatusCode::OK, &dsn))
}

/// Rotates an environment's DSN key (engineers, coordinators and admins): the new DSN; the
/// old key is still taken for 24 hours, so applications can move to the new one.
#[utoipa::path(post, path = "/api/v1/environments/{id}/dsn/rotation", tag = "Environments", params(Id),
    responses((status = 201, description = "Rotated: the new DSN.", body = Dsn)))]
pub async fn rotate(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult {
    keys::rotate(&state.db, &c.user, id, chrono::Utc::now()).await?;
    let dsn = keys::dsn_of(&state.db, id, &state.public_url).await?;
    Ok(json(StatusCode::CREATED, &dsn))
}
