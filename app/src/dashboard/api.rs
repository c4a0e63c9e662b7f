//! Server functions of the dashboard. Everyone signed in reads it.

use leptos::prelude::*;

use super::model::Dashboard;
use crate::error::AppError;
use crate::integrations::model::IntegrationQuery;

/// The dashboard, its table filtered, sorted and paged by `query` like the integrations list.
/// The query's fields travel flat (`sort=name&page=2`), as that page's URL has them.
#[server(endpoint = "get_dashboard")]
pub async fn get_dashboard(
    #[server(flatten)] query: IntegrationQuery,
) -> Result<Dashboard, AppError> {
    crate::auth::session::require_signed_in().await?;
    let state = crate::state::app_state()?;
    super::cache::dashboard(
        &state.db,
        &state.kept,
        &query,
        chrono::Utc::now(),
        &state.gate,
    )
    .await
}
