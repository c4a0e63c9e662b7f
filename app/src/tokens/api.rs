//! Server functions for the account page's token section. Every signed-in user manages their
//! own tokens only.

use leptos::prelude::*;

use super::model::{ApiToken, NewToken};
use crate::error::AppError;

/// The signed-in user's tokens.
#[server(endpoint = "list_tokens")]
pub async fn list_tokens() -> Result<Vec<ApiToken>, AppError> {
    let me = crate::auth::session::require_signed_in().await?;
    super::service::list(&crate::state::db()?, me.id).await
}

/// Creates a token for the signed-in user and returns its secret, once.
#[server(endpoint = "create_token")]
pub async fn create_token(
    name: String,
    scope: String,
    expires_in_days: String,
) -> Result<NewToken, AppError> {
    let me = crate::auth::session::require_signed_in().await?;
    super::service::create(&crate::state::db()?, &me, &name, &scope, &expires_in_days).await
}

/// Revokes one of the signed-in user's tokens.
#[server(endpoint = "revoke_token")]
pub async fn revoke_token(id: i32) -> Result<(), AppError> {
    let me = crate::auth::session::require_signed_in().await?;
    super::service::revoke(&crate::state::db()?, &me, id).await
}
