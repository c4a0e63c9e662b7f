//! Server functions for stage moves. Everyone signed in reads the stage panel; coordinators
//! and admins move stages (and only admins override a closed gate, which the service checks).

#[cfg(feature = "ssr")]
use crate::auth::access::Action;
use leptos::prelude::*;

use super::model::Lifecycle;
#[cfg(feature = "ssr")]
use crate::auth::session::require;
use crate::error::AppError;

/// The stage panel of integration `slug`, its gate evaluated now.
#[server(endpoint = "get_lifecycle")]
pub async fn get_lifecycle(slug: String) -> Result<Lifecycle, AppError> {
    crate::auth::session::require_signed_in().await?;
    super::service::lifecycle(
        &crate::state::db()?,
        &slug,
        &crate::state::app_state()?.gate,
    )
    .await
}

/// Moves integration `integration_id` to stage `to`.
#[server(endpoint = "move_stage")]
pub async fn move_stage(
    integration_id: i32,
    // No move is chosen for the user: a form sent without one is told to choose.
    #[server(default)] to: String,
    reason: String,
    override_justification: String,
) -> Result<(), AppError> {
    let actor = require(Action::MoveStage).await?;
    let request = super::model::MoveRequest {
        to,
        reason,
        override_justification,
    };
    super::service::transition(
        &crate::state::db()?,
        &actor,
        integration_id,
        &request,
        &crate::state::app_state()?.gate,
    )
    .await?;
    Ok(())
}
