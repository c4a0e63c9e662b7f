//! `/api/v1/dashboard` and `/api/v1/reports`: the portfolio dashboard and its report, for
//! anyone signed in or holding a token.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use app::dashboard::model::Dashboard;
use app::dashboard::report;
use app::integrations::model::IntegrationQuery;
use app::state::AppState;

use app::overview::model::IntegrationOverview;

use super::auth::Caller;
use super::problem::ApiError;
use super::reply::{ApiResult, json};
use super::{ApiPath, ApiQuery, Slug};

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
    let d = app::dashboard::cache::dashboard(
        &state.db,
        &state.kept,
        &query,
        chrono::Utc::now(),
        &state.gate,
    )
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
    let p = report::portfolio(&state.db, chrono::Utc::now(), &state.gate).await?;
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
    let p = report::portfolio(&state.db, chrono::Utc::now(), &state.gate).await?;
    Ok(download(
        "text/markdown; charset=utf-8",
        "portfolio.md",
        report::markdown(&p),
    ))
}

/// Integration `slug` at a glance: its stage timeline and gate, objectives, milestones, latest
/// test run, health and SLO, incidents, open defects, credentials and spec changes.
#[utoipa::path(get, path = "/api/v1/integrations/{slug}/overview", tag = "Dashboard", params(Slug),
    responses((status = 200, description = "The overview.", body = IntegrationOverview)))]
pub async fn overview(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Slug { slug }): ApiPath<Slug>,
) -> ApiResult {
    let o = app::overview::service::overview(
        &state.db,
        &c.user,
        &slug,
        chrono::Utc::now(),
        &state.gate,
    )
    .await?;
    Ok(json(StatusCode::OK, &o))
}

/// Integration `slug`'s status report as CSV: each table of the report under its own header
/// line, every line led by the section's title.
#[utoipa::path(get, path = "/api/v1/integrations/{slug}/report.csv", tag = "Dashboard", params(Slug),
    responses((status = 200, description = "The report.", content_type = "text/csv", body = String)))]
pub async fn status_csv(
    caller: Caller,
    state: State<AppState>,
    path: ApiPath<Slug>,
) -> Result<Response, ApiError> {
    status_report(caller, state, path, "csv", app::overview::report::csv).await
}

/// Integration `slug`'s status report in Markdown.
#[utoipa::path(get, path = "/api/v1/integrations/{slug}/report.md", tag = "Dashboard", params(Slug),
    responses((status = 200, description = "The report.", content_type = "text/markdown", body = String)))]
pub async fn status_markdown(
    caller: Caller,
    state: State<AppState>,
    path: ApiPath<Slug>,
) -> Result<Response, ApiError> {
    status_report(caller, state, path, "md", app::overview::report::markdown).await
}

/// Integration `slug`'s status report as a download, rendered by `render`.
async fn status_report(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Slug { slug }): ApiPath<Slug>,
    extension: &str,
    render: fn(&IntegrationOverview) -> String,
) -> Result<Response, ApiError> {
    let o = app::overview::service::overview(
        &state.db,
        &c.user,
        &slug,
        chrono::Utc::now(),
        &state.gate,
    )
    .await?;
    let content_type = if extension == "csv" {
        "text/csv; charset=utf-8"
    } else {
        "text/markdown; charset=utf-8"
    };
    Ok(download(
        content_type,
        &format!("{slug}-status.{extension}"),
        render(&o),
    ))
}
