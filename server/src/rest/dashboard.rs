//! `/api/v1/dashboard` and `/api/v1/reports`: the portfolio dashboard and its report, for
//! anyone signed in or holding a token.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use app::dashboard::model::Dashboard;
use app::dashboard::report;
use app::integrations::model::IntegrationQuery;
use app::state::AppState;

use super::ApiQuery;
use super::auth::Caller;
use super::problem::ApiError;
use super::reply::{ApiResult, json};

/// The portfolio dashboard: the pipeline, one page of the table (with the integrations
/// list's search, filters, sorting and pages), the key figures, what is coming up in the
/// next 14 days and the newest trail entries.
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "Dashboard", params(IntegrationQuery),
    responses((status = 200, description = "The dashboard.", body = Dashboard)))]
pub async fn dashboard(
    _: Caller,
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<IntegrationQuery>,
) -> ApiResult {
    let d = state
        .dashboards
        .dashboard(&state.db, &query, chrono::Utc::now())
        .await?;
    Ok(json(StatusCode::OK, &d))
}

fn download(content_type: &str, name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// The portfolio report as CSV: one line per integration, by name, with the dashboard's
/// columns. Text that a spreadsheet would run as a formula is defused.
#[utoipa::path(get, path = "/api/v1/reports/portfolio.csv", tag = "Dashboard",
    responses((status = 200, description = "The report.", content_type = "text/csv", body = String)))]
pub async fn portfolio_csv(_: Caller, State(state): State<AppState>) -> Result<Response, ApiError> {
    let p = report::portfolio(&state.db, chrono::Utc::now()).await?;
    Ok(download(
        "text/csv; charset=utf-8",
        "portfolio.csv",
        report::csv(&p),
    ))
}

/// The portfolio report in Markdown: the pipeline, the key figures and the table.
#[utoipa::path(get, path = "/api/v1/reports/portfolio.md", tag = "Dashboard",
    responses((status = 200, description = "The report.", content_type = "text/markdown", body = String)))]
pub async fn portfolio_markdown(
    _: Caller,
    State(state): State<AppState>,
) -> Result<Response, ApiError> {
    let p = report::portfolio(&state.db, chrono::Utc::now()).await?;
    Ok(download(
        "text/markdown; charset=utf-8",
        "portfolio.md",
        report::markdown(&p),
    ))
}
