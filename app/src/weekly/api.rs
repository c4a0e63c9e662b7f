//! Server functions of the weekly digest and of following: everyone signed in previews their
//! own digest and follows what they choose.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::WeeklyDigest;
use crate::error::AppError;

/// Whether the signed-in user follows an integration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowState {
    pub following: bool,
}

/// The signed-in user's digest of the last seven days.
#[server(endpoint = "get_weekly_digest")]
pub async fn get_weekly_digest() -> Result<WeeklyDigest, AppError> {
    let user = crate::auth::session::require_signed_in().await?;
    super::service::preview(&crate::state::db()?, &user, chrono::Utc::now()).await
}

/// Whether the signed-in user follows integration `slug`.
#[server(endpoint = "get_follow")]
pub async fn get_follow(slug: String) -> Result<FollowState, AppError> {
    let user = crate::auth::session::require_signed_in().await?;
    let db = crate::state::db()?;
    let i = crate::integrations::lookup::integration(&db, &slug).await?;
    Ok(FollowState {
        following: crate::notifications::follows::follows(&db, user.id, i.id).await?,
    })
}

/// Makes the signed-in user follow integration `slug` (`follow` "yes") or stop (`no`).
#[server(endpoint = "set_following")]
pub async fn set_following(slug: String, follow: String) -> Result<(), AppError> {
    let user = crate::auth::session::require_signed_in().await?;
    let db = crate::state::db()?;
    let i = crate::integrations::lookup::integration(&db, &slug).await?;
    crate::notifications::follows::set(&db, user.id, i.id, &follow).await?;
    crate::components::enhance::back_with("following");
    Ok(())
}
