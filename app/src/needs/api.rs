//! Server functions of "Needs me". Everyone signed in reads their own.

use leptos::prelude::*;

use super::model::NeedsMe;
use crate::error::AppError;

/// What waits on the signed-in person, as of today.
#[server(endpoint = "get_needs_me")]
pub async fn get_needs_me() -> Result<NeedsMe, AppError> {
    let user = crate::auth::session::require_signed_in().await?;
    super::service::needs_me(
        &crate::state::db()?,
        &user,
        chrono::Utc::now().date_naive(),
        &crate::state::app_state()?.gate,
    )
    .await
}

/// How many things wait on the signed-in person (the navigation's count; kept for a while,
/// see `needs::count`).
#[server(endpoint = "needs_count")]
pub async fn needs_count() -> Result<u64, AppError> {
    let user = crate::auth::session::require_signed_in().await?;
    if let Some(s) = crate::auth::session::stand_in().await {
        return Ok(s.needs);
    }
    let state = crate::state::app_state()?;
    super::count::waiting(
        &state.db,
        &state.kept,
        &user,
        &state.gate,
        chrono::Utc::now(),
    )
    .await
}
