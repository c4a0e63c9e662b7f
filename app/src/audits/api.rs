//! Server functions of the audits page, each calling one service function (which checks the
//! role too). Forms arrive flattened, as the HTML forms post them.

use leptos::prelude::*;

use super::model::{AuditForm, AuditsView, FindingForm, ResolutionForm, RunForm};
#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::auth::session::require_signed_in;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::db;
#[cfg(feature = "ssr")]
use crate::validate::form_id as id;

/// Integration `slug`'s audits with their runs and findings.
#[server(endpoint = "get_audit_page")]
pub async fn get_audit_page(slug: String) -> Result<AuditsView, AppError> {
    require_signed_in().await?;
    service::page(&db()?, &slug, crate::calendar::today()).await
}

/// Defines an audit.
#[server(endpoint = "create_audit")]
pub async fn create_audit(
    integration_id: String,
    #[server(flatten)] form: AuditForm,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    service::create(
        &db()?,
        &actor,
        id("integration_id", &integration_id)?,
        &form,
    )
    .await?;
    Ok(())
}

/// Changes audit `audit_id`.
#[server(endpoint = "update_audit")]
pub async fn update_audit(
    audit_id: String,
    #[server(flatten)] form: AuditForm,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    service::update(&db()?, &actor, id("audit_id", &audit_id)?, &form).await
}

/// Deletes audit `id` with its runs and findings.
#[server(endpoint = "delete_audit")]
pub async fn delete_audit(id: i32) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    service::delete(&db()?, &actor, id).await
}

/// Records a run of audit `audit_id`.
#[server(endpoint = "record_audit_run")]
pub async fn record_audit_run(
    audit_id: String,
    #[server(flatten)] form: RunForm,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    service::record_run(
        &db()?,
        &actor,
        id("audit_id", &audit_id)?,
        &form,
        crate::calendar::today(),
    )
    .await?;
    Ok(())
}

/// Adds a finding to audit run `run_id`.
#[server(endpoint = "add_audit_finding")]
pub async fn add_audit_finding(
    run_id: String,
    #[server(flatten)] form: FindingForm,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    service::add_finding(&db()?, &actor, id("run_id", &run_id)?, &form).await?;
    Ok(())
}

/// Resolves finding `finding_id`.
#[server(endpoint = "resolve_audit_finding")]
pub async fn resolve_audit_finding(
    finding_id: String,
    #[server(flatten)] form: ResolutionForm,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    service::resolve_finding(
        &db()?,
        &actor,
        id("finding_id", &finding_id)?,
        &form,
        crate::calendar::today(),
    )
    .await
}
