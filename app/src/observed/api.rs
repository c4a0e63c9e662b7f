//! The server function of the observed operations card on the health page.

use leptos::prelude::*;

use super::model::ObservedView;
#[cfg(feature = "ssr")]
use crate::auth::session::require_signed_in;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::db;

/// The operations integration `slug`'s code was seen calling in the last day.
#[server(endpoint = "get_observed_operations")]
pub async fn get_observed_operations(slug: String) -> Result<ObservedView, AppError> {
    require_signed_in().await?;
    super::service::page(&db()?, &slug, super::service::HOURS, chrono::Utc::now()).await
}
