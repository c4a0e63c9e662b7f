//! The search server function. Everyone signed in searches what their role may read.

use leptos::prelude::*;

use super::model::Results;
use crate::error::AppError;

/// What the signed-in person finds for `q`: every kind, or page `page` of one `kind` (empty
/// for none).
#[server(endpoint = "search_records")]
pub async fn search_records(q: String, kind: String, page: String) -> Result<Results, AppError> {
    let user = crate::auth::session::require_signed_in().await?;
    let query = super::model::SearchQuery {
        q: Some(q),
        kind: Some(kind),
        page: Some(page),
    };
    super::service::search(&crate::state::db()?, &user, &query).await
}
