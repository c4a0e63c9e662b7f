//! Audits over REST: define, read, change and delete an integration's audits, record runs,
//! add findings and resolve them. Every handler calls the service the page calls, which
//! checks the role.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;

use app::audits::model::{
    Audit, AuditForm, AuditsView, Finding, FindingForm, ResolutionForm, RunForm,
};
use app::audits::service as audits;
use app::error::Result;
use app::state::AppState;
use sea_orm::DatabaseConnection;

use super::auth::Caller;
use super::problem::ApiJson;
use super::records::{child_resource, same};
use super::reply::{ApiResult, check_if_match, merge_form, no_content, tagged};
use super::{ApiPath, Id, Slug};

/// The audits page, as of today.
async fn read_page(db: &DatabaseConnection, slug: &str) -> Result<AuditsView> {
    audits::page(db, slug, app::calendar::today()).await
}

/// One audit, as of today.
async fn read_audit(db: &DatabaseConnection, id: i32) -> Result<Audit> {
    audits::get(db, id, app::calendar::today()).await
}

child_resource!(
    audit,
    tag = "Audits",
    collection = "/api/v1/integrations/{slug}/audits",
    item = "/api/v1/audits/{id}",
    page = AuditsView,
    record = Audit,
    form = AuditForm,
    list = read_page,
    create = audits::create,
    created_id = same,
    get = read_audit,
    update = audits::update,
    delete = audits::delete,
    what = "audit",
    editors = "coordinators and admins"
);

/// Records a run of an audit (everyone but stakeholders); the audit with its runs.
#[utoipa::path(post, path = "/api/v1/audits/{id}/runs", tag = "Audits", params(Id),
    request_body = RunForm,
    responses((status = 201, description = "Recorded; the audit.", body = Audit, headers(("etag" = String)))))]
pub async fn record_run(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let form = merge_form(&RunForm::default(), body)?;
    audits::record_run(&state.db, &c.user, id, &form, app::calendar::today()).await?;
    let audit = read_audit(&state.db, id).await?;
    Ok(tagged(StatusCode::CREATED, &audit, &audit))
}

/// Adds a finding to an audit run (everyone but stakeholders).
#[utoipa::path(post, path = "/api/v1/audit-runs/{id}/findings", tag = "Audits", params(Id),
    request_body = FindingForm,
    responses((status = 201, description = "Added.", body = Finding, headers(("etag" = String)))))]
pub async fn add_finding(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let form = merge_form(&FindingForm::default(), body)?;
    let finding_id = audits::add_finding(&state.db, &c.user, id, &form).await?;
    let finding = audits::finding(&state.db, finding_id, app::calendar::today()).await?;
    Ok(tagged(StatusCode::CREATED, &finding, &finding))
}

/// Resolves a finding (everyone but stakeholders); 409 when it is already resolved.
#[utoipa::path(post, path = "/api/v1/audit-findings/{id}/resolution", tag = "Audits", params(Id),
    request_body = ResolutionForm,
    responses((status = 200, description = "Resolved.", body = Finding, headers(("etag" = String)))))]
pub async fn resolve_finding(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let form = merge_form(&ResolutionForm::default(), body)?;
    audits::resolve_finding(&state.db, &c.user, id, &form, app::calendar::today()).await?;
    let finding = audits::finding(&state.db, id, app::calendar::today()).await?;
    Ok(tagged(StatusCode::OK, &finding, &finding))
}
