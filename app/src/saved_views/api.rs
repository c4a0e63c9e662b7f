//! Server functions of saved views. Everyone signed in keeps their own.

use leptos::prelude::*;

use super::model::{SavedView, SavedViewForm};
use crate::error::AppError;

/// The signed-in user's views of `page`.
#[server(endpoint = "get_saved_views")]
pub async fn get_saved_views(page: String) -> Result<Vec<SavedView>, AppError> {
    let user = crate::auth::session::require_signed_in().await?;
    super::service::list(&crate::state::db()?, &user, &page).await
}

/// Saves the current view under a name.
#[server(endpoint = "save_view")]
pub async fn save_view(#[server(flatten)] form: SavedViewForm) -> Result<(), AppError> {
    let user = crate::auth::session::require_signed_in().await?;
    super::service::save(&crate::state::db()?, &user, &form)
        .await
        .map(|_| ())
}

/// Deletes one of the signed-in user's views.
#[server(endpoint = "delete_view")]
pub async fn delete_view(id: i32) -> Result<(), AppError> {
    let user = crate::auth::session::require_signed_in().await?;
    super::service::delete(&crate::state::db()?, &user, id).await
}
