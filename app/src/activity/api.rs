//! Server functions of the activity trail. Everyone signed in reads an integration's history.

use leptos::prelude::*;

use super::model::ActivityView;
use crate::error::AppError;

/// Page `page` (from 1; the first when empty) of integration `slug`'s history, newest first.
#[server(endpoint = "list_history")]
pub async fn list_history(slug: String, page: String) -> Result<ActivityView, AppError> {
    let viewer = crate::auth::session::require_signed_in().await?;
    let query = super::model::ActivityQuery {
        integration: Some(slug),
        page: Some(page),
        ..super::model::ActivityQuery::default()
    };
    super::service::list(&crate::state::db()?, &viewer, &query).await
}
