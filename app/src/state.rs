//! (ssr) The state every handler and server function shares, handed over by context.

use std::sync::{Arc, Mutex};

use axum::extract::FromRef;
use leptos::prelude::*;
use sea_orm::DatabaseConnection;

use crate::error::{AppError, Result};

/// Shared application state. Cheap to clone.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub leptos_options: LeptosOptions,
    /// The one-time set-up code printed to the log while no user exists; `None` once used.
    pub setup_code: Arc<Mutex<Option<String>>>,
    /// What server-side fetches may reach.
    pub outbound: crate::outbound::Guard,
    /// What this process computed and rendered, kept while nothing has changed (the
    /// dashboards and their pages: `dashboard::cache`).
    pub kept: crate::kept::Shelf,
    /// `TOLLGATE_ONE_PERSON_TEAM`: a plan's author may approve it (recorded as such).
    pub one_person_team: bool,
    /// `TOLLGATE_TOKEN_MAX_DAYS`: the longest an API token may live.
    pub token_max_days: i64,
    /// What the gates' criteria ask for (`TOLLGATE_GATE_HEALTH_SUCCESSES`).
    pub gate: crate::gate::GateContext,
    /// The address people and SDKs reach this Tollgate at (`TOLLGATE_PUBLIC_URL`): what DSNs
    /// name.
    pub public_url: String,
}

/// The state from the Leptos context of the current request.
///
/// # Errors
/// `Internal` when called outside a request (a wiring bug, logged).
#[track_caller]
pub fn app_state() -> Result<AppState> {
    let at = std::panic::Location::caller();
    use_context::<AppState>()
        .ok_or_else(|| AppError::internal("context", format!("AppState missing at {at}")))
}

/// The database connection of the current request.
///
/// # Errors
/// As [`app_state`].
#[track_caller]
pub fn db() -> Result<DatabaseConnection> {
    Ok(app_state()?.db)
}
