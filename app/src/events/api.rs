//! Server functions of the errors page.

use leptos::prelude::*;

use super::model::{ErrorGroup, GroupDetail};
#[cfg(feature = "ssr")]
use super::{model::GroupStatus, service};
#[cfg(feature = "ssr")]
use crate::auth::session::require_signed_in;
use crate::error::AppError;
use crate::paging::Paged;
#[cfg(feature = "ssr")]
use crate::state::db;

/// Page `page` (from 1; the first when empty) of integration `slug`'s error groups, only those
/// with `status` when it is set.
#[server(endpoint = "get_error_groups")]
pub async fn get_error_groups(
    slug: String,
    status: String,
    page: String,
) -> Result<Paged<ErrorGroup>, AppError> {
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
    let page = crate::paging::page_number(Some(&page))?;
    service::groups_page(&db, i.id, status, chrono::Utc::now(), page).await
}

/// Error group `id` with its latest event's detail.
#[server(endpoint = "get_error_group")]
pub async fn get_error_group(id: String) -> Result<GroupDetail, AppError> {
    require_signed_in().await?;
    let id = id.trim().parse().map_err(|_| AppError::NotFound)?;
    super::detail::group(&db()?, id).await
}

/// Sets group `id`'s status.
#[server(endpoint = "set_error_group_status")]
pub async fn set_error_group_status(id: i32, status: String) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    service::set_status(&db()?, &actor, id, &status).await
}
