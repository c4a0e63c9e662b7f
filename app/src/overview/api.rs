//! Server functions of the overview. Everyone signed in reads it.

use leptos::prelude::*;

use super::model::IntegrationOverview;
use crate::error::AppError;

/// Integration `slug` at a glance, as of now.
#[server(endpoint = "get_overview")]
pub async fn get_overview(slug: String) -> Result<IntegrationOverview, AppError> {
    crate::auth::session::require_signed_in().await?;
    super::service::overview(&crate::state::db()?, &slug, chrono::Utc::now()).await
}
