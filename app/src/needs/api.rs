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
