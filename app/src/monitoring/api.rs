//! Server functions of the health and incident pages, each calling one service function
//! (which checks the role too). Forms arrive flattened, as the HTML forms post them.

use leptos::prelude::*;

use super::model::{HealthView, Incident, IncidentForm, IncidentUpdateForm, MaintenanceForm};
#[cfg(feature = "ssr")]
use super::{incidents, service, windows};
#[cfg(feature = "ssr")]
use crate::auth::session::require_signed_in;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::db;
#[cfg(feature = "ssr")]
use crate::validate::form_id as id;

/// Integration `slug`'s monitored environments, maintenance windows, newest outage events,
/// and page `page` (from 1; the first when empty) of its incidents.
#[server(endpoint = "get_health")]
pub async fn get_health(slug: String, page: String) -> Result<HealthView, AppError> {
    require_signed_in().await?;
    let db = db()?;
    let page = crate::paging::page_number(Some(&page))?;
    let i = crate::integrations::lookup::integration(&db, &slug).await?;
    service::health(&db, i.id, chrono::Utc::now(), page).await
}

/// Incident `id` with its timeline.
#[server(endpoint = "get_incident")]
pub async fn get_incident(id: i32) -> Result<Incident, AppError> {
    require_signed_in().await?;
    incidents::get(&db()?, id).await
}

/// Opens an incident on integration `integration_id` by hand.
#[server(endpoint = "create_incident")]
pub async fn create_incident(
    integration_id: String,
    #[server(flatten)] form: IncidentForm,
) -> Result<i32, AppError> {
    let actor = require_signed_in().await?;
    let integration_id = id("integration_id", &integration_id)?;
    let created = incidents::create(&db()?, &actor, integration_id, &form).await?;
    leptos_axum::redirect(&format!("/incidents/{created}"));
    Ok(created)
}

/// Moves incident `incident_id` on, with a note, its ticket, root cause and post-mortem.
#[server(endpoint = "update_incident")]
pub async fn update_incident(
    incident_id: String,
    #[server(flatten)] form: IncidentUpdateForm,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    incidents::update(&db()?, &actor, id("incident_id", &incident_id)?, &form).await
}

/// Schedules a maintenance window on integration `integration_id`.
#[server(endpoint = "schedule_maintenance")]
pub async fn schedule_maintenance(
    integration_id: String,
    #[server(flatten)] form: MaintenanceForm,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    let integration_id = id("integration_id", &integration_id)?;
    windows::create(&db()?, &actor, integration_id, &form, chrono::Utc::now()).await?;
    Ok(())
}

/// Cancels maintenance window `id`.
#[server(endpoint = "cancel_maintenance")]
pub async fn cancel_maintenance(id: i32) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    windows::delete(&db()?, &actor, id).await
}

/// Sets environment `environment_id`'s availability objective, a percentage such as 99.9.
#[server(endpoint = "set_slo")]
pub async fn set_slo(environment_id: String, target: String) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    service::set_slo(
        &db()?,
        &actor,
        id("environment_id", &environment_id)?,
        &target,
    )
    .await
}
