//! Observed provider performance over REST: what the integration's code was seen calling,
//! per operation of the provider's spec and environment, from its Sentry transactions.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use app::observed::model::ObservedView;
use app::observed::service;
use app::state::AppState;

use super::auth::Caller;
use super::reply::{ApiResult, json};
use super::{ApiPath, ApiQuery, Slug};

/// Which hours to read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HoursQuery {
    /// How many hours back, from 1 to 720 (24 when absent).
    #[serde(default)]
    pub hours: Option<String>,
}

/// The operations of the provider's spec that the integration's code was seen calling (from
/// the `http.client` spans of its Sentry transactions) in the last `hours` hours, per
/// environment, the most called first: calls, failures, failure rate and p50/p95/p99 latency
/// in milliseconds, overall and hour by hour.
#[utoipa::path(get, path = "/api/v1/integrations/{slug}/observed-operations", tag = "Events", params(Slug, HoursQuery),
    responses((status = 200, description = "The operations seen.", body = ObservedView)))]
pub async fn observed_operations(
    _: Caller,
    State(state): State<AppState>,
    ApiPath(Slug { slug }): ApiPath<Slug>,
    ApiQuery(query): ApiQuery<HoursQuery>,
) -> ApiResult {
    let hours = service::hours(query.hours.as_deref())?;
    let view = service::page(&state.db, &slug, hours, chrono::Utc::now()).await?;
    Ok(json(StatusCode::OK, &view))
}
