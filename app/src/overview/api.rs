//! Server functions of the overview. Everyone signed in reads it.

use leptos::prelude::*;

use super::model::IntegrationOverview;
use crate::error::AppError;

/// Integration `slug` at a glance, as of now.
#[server(endpoint = "get_overview")]
pub async fn get_overview(slug: String) -> Result<IntegrationOverview, AppError> {
    let viewer = crate::auth::session::require_signed_in().await?;
    super::service::overview(
        &crate::state::db()?,
        &viewer,
        &slug,
        chrono::Utc::now(),
        &crate::state::app_state()?.gate,
    )
    .await
}

/// Integration `slug`'s post-implementation review: the draft from the records and the saved
/// one.
#[server(endpoint = "get_review")]
pub async fn get_review(slug: String) -> Result<super::model::ReviewView, AppError> {
    let user = crate::auth::session::require_signed_in().await?;
    super::review::page(
        &crate::state::db()?,
        &user,
        &slug,
        chrono::Utc::now(),
        &crate::state::app_state()?.gate,
    )
    .await
}

/// Saves integration `integration_id`'s review (coordinators and admins).
#[server(endpoint = "save_review")]
pub async fn save_review(integration_id: String, body: String) -> Result<(), AppError> {
    let user = crate::auth::session::require_signed_in().await?;
    let id = crate::validate::form_id("integration_id", &integration_id)?;
    super::review::save(&crate::state::db()?, &user, id, &body).await
}
