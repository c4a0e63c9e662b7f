//! Server functions of the heartbeats card on the health page, each calling one service
//! function (which checks the role too). Forms arrive flattened, as the HTML forms post them.

use leptos::prelude::*;

use super::model::{HeartbeatForm, HeartbeatsView};
#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::auth::session::require_signed_in;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::db;
#[cfg(feature = "ssr")]
use crate::validate::form_id as id;

/// Integration `slug`'s heartbeat monitors, with their ping URLs for those who build.
#[server(endpoint = "get_heartbeats")]
pub async fn get_heartbeats(slug: String) -> Result<HeartbeatsView, AppError> {
    let actor = require_signed_in().await?;
    let state = crate::state::app_state()?;
    service::page_for(&state.db, &actor, &slug, &state.public_url).await
}

/// Adds a heartbeat monitor to integration `integration_id`.
#[server(endpoint = "create_heartbeat")]
pub async fn create_heartbeat(
    integration_id: String,
    #[server(flatten)] form: HeartbeatForm,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    let integration_id = id("integration_id", &integration_id)?;
    service::create(&db()?, &actor, integration_id, &form).await?;
    Ok(())
}

/// Deletes heartbeat monitor `id`.
#[server(endpoint = "delete_heartbeat")]
pub async fn delete_heartbeat(id: String) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    service::delete(&db()?, &actor, self::id("id", &id)?).await
}
