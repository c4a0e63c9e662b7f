//! Provider API specifications over REST: import a document as a new version (the body is the
//! document itself, JSON or YAML, up to 20 MB), list an integration's specs and versions,
//! search a version's operations, and the changes between two versions as JSON or Markdown.
//! Every handler calls the service the command line and the pages call.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa::IntoParams;

use app::specs::diff::Change;
use app::specs::model::{CatalogueEntry, SpecSummary};
use app::specs::render::{Format, render};
use app::specs::service::{self as specs, Imported};
use app::state::AppState;

use super::auth::Caller;
use super::problem::ApiError;
use super::reply::{ApiResult, json};
use super::{ApiPath, ApiQuery, Id, Slug};

/// The spec a document is imported into.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The spec's name, such as `Stripe API`; made on its first import. (Optional here so
    /// that a missing name is a 422 naming the field, after the role check.)
    #[serde(default)]
    pub name: String,
}

/// A search of a version's operations.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CatalogueQuery {
    /// Text the method, path, operationId, summary or tags contain (any case).
    #[serde(default)]
    pub q: String,
    /// Only the operations the integration marked as used.
    #[serde(default)]
    pub used: bool,
}

/// The version to compare with, and how to answer.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// The earlier version's id.
    pub base: i32,
    /// `json` (the default) or `markdown`.
    #[serde(default)]
    pub format: Option<String>,
}

/// The integration's specs, each with its versions (newest first).
#[utoipa::path(get, path = "/api/v1/integrations/{slug}/specs", tag = "Specs", params(Slug),
    responses((status = 200, description = "The specs.", body = Vec<SpecSummary>)))]
pub async fn list(
    _: Caller,
    State(state): State<AppState>,
    ApiPath(Slug { slug }): ApiPath<Slug>,
) -> ApiResult {
    let i = app::integrations::lookup::integration(&state.db, &slug).await?;
    Ok(json(StatusCode::OK, &specs::list(&state.db, i.id).await?))
}

/// Imports an OpenAPI 2.0, 3.0 or 3.1 document (JSON or YAML, up to 20 MB) as the next version
/// of the named spec (admins, coordinators, engineers and QA). An identical document adds no
/// version: 200 with the existing one; a new one is 201.
#[utoipa::path(post, path = "/api/v1/integrations/{slug}/specs", tag = "Specs", params(Slug, ImportQuery),
    request_body(content = String, content_type = "application/yaml", description = "The document."),
    responses(
        (status = 201, description = "A new version.", body = Imported),
        (status = 200, description = "The identical document was already this version.", body = Imported)))]
pub async fn import(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Slug { slug }): ApiPath<Slug>,
    ApiQuery(query): ApiQuery<ImportQuery>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult {
    let bytes = body.map_err(|e| ApiError::http(e.status(), e.body_text()))?;
    let i = app::integrations::lookup::integration(&state.db, &slug).await?;
    let imported = specs::import(&state.db, &c.user, i.id, &query.name, &bytes).await?;
    let status = if imported.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(json(status, &imported))
}

/// The operations of a version, optionally searched.
#[utoipa::path(get, path = "/api/v1/spec-versions/{id}/operations", tag = "Specs", params(Id, CatalogueQuery),
    responses((status = 200, description = "The operations, in document order.", body = Vec<CatalogueEntry>)))]
pub async fn catalogue(
    _: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiQuery(query): ApiQuery<CatalogueQuery>,
) -> ApiResult {
    Ok(json(
        StatusCode::OK,
        &specs::catalogue(&state.db, id, &query.q, query.used).await?,
    ))
}

/// The changes from version `base` to this version, each with its oasdiff rule id and level,
/// errors first; as JSON or as a Markdown report.
#[utoipa::path(get, path = "/api/v1/spec-versions/{id}/changes", tag = "Specs", params(Id, ChangesQuery),
    responses((status = 200, description = "The changes.", content(
        (Vec<Change> = "application/json"),
        (String = "text/markdown")))))]
pub async fn changes(
    _: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiQuery(query): ApiQuery<ChangesQuery>,
) -> ApiResult {
    let format = match query.format.as_deref().unwrap_or("json") {
        "json" => Format::Json,
        "markdown" => Format::Markdown,
        _ => {
            return Err(app::error::AppError::field("format", "Choose json or markdown.").into());
        }
    };
    let changes = specs::compare(&state.db, query.base, id).await?;
    Ok(match format {
        Format::Markdown => (
            [(
                axum::http::header::CONTENT_TYPE,
                "text/markdown; charset=utf-8",
            )],
            render(&changes, Format::Markdown),
        )
            .into_response(),
        _ => json(StatusCode::OK, &changes),
    })
}
