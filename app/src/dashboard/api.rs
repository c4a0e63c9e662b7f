//! Server functions of the dashboard. Everyone signed in reads it.

use leptos::prelude::*;

use super::model::Dashboard;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::integrations::model::IntegrationQuery;

/// The dashboard, its table filtered, sorted and paged like the integrations list (the
/// parameters are that page's URL parameters).
#[server(endpoint = "get_dashboard")]
pub async fn get_dashboard(
    q: Option<String>,
    stage: Option<String>,
    category: Option<String>,
    owner: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
) -> Result<Dashboard, AppError> {
    crate::auth::session::require_signed_in().await?;
    let query = IntegrationQuery {
        q,
        stage,
        category,
        owner,
        sort,
        dir,
        page,
    };
    super::service::dashboard(&crate::state::db()?, &query, chrono::Utc::now()).await
}
