//! Server functions of the notifications: every signed-in user reads and clears their own.

use leptos::prelude::*;

use super::model::{Inbox, Preferences};
#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::auth::session::require_signed_in;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::db;

/// How many notifications the signed-in user has not read.
#[server(endpoint = "unread_notifications")]
pub async fn unread_notifications() -> Result<u64, AppError> {
    let user = require_signed_in().await?;
    if let Some(s) = crate::auth::session::stand_in().await {
        return Ok(s.unread);
    }
    service::unread(&db()?, &user).await
}

/// Page `page` (from 1; the first when empty) of the signed-in user's notifications.
#[server(endpoint = "get_notifications")]
pub async fn get_notifications(page: String) -> Result<Inbox, AppError> {
    let user = require_signed_in().await?;
    service::inbox(&db()?, &user, &page).await
}

/// Marks every notification of the signed-in user read.
#[server(endpoint = "mark_notifications_read")]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    let user = require_signed_in().await?;
    service::mark_all_read(&db()?, &user).await
}

/// The kinds the signed-in user gets on each channel.
#[server(endpoint = "get_notification_preferences")]
pub async fn get_notification_preferences() -> Result<Preferences, AppError> {
    let user = require_signed_in().await?;
    service::preferences(&db()?, &user).await
}
