//! Server functions of the errors page.

use leptos::prelude::*;

use super::model::ErrorGroup;
#[cfg(feature = "ssr")]
use super::{model::GroupStatus, service};
#[cfg(feature = "ssr")]
use crate::auth::session::require_signed_in;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::db;

/// The error groups of integration `slug`, only those with `status` when it is set.
#[server(endpoint = "get_error_groups")]
pub async fn get_error_groups(slug: String, status: String) -> Result<Vec<ErrorGroup>, AppError> {
    require_signed_in().await?;
    let db = db()?;
    let i = crate::integrations::lookup::integration(&db, &slug).await?;
    let status = match status.trim() {
        "" => None,
        s => Some(GroupStatus::parse(s).ok_or_else(|| {
            AppError::field(
                "status",
                format!("Choose one of: {}.", GroupStatus::names()),
            )
        })?),
    };
    service::groups(&db, i.id, status, chrono::Utc::now()).await
}

/// Sets group `id`'s status.
#[server(endpoint = "set_error_group_status")]
pub async fn set_error_group_status(id: i32, status: String) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    service::set_status(&db()?, &actor, id, &status).await
}
