//! Server functions for the account page's token section. Every signed-in user manages their
//! own tokens only.

use leptos::prelude::*;

use super::model::{NewToken, TokenList};
use crate::error::AppError;

/// The signed-in user's tokens.
#[server(endpoint = "list_tokens")]
pub async fn list_tokens() -> Result<TokenList, AppError> {
    let me = crate::auth::session::require_signed_in().await?;
    Ok(TokenList {
        tokens: super::service::list(&crate::state::db()?, me.id).await?,
    })
}

/// Creates a token for the signed-in user, after they enter their password again, and
/// returns its secret in this answer only (the account page's form posts to the server's
/// `/account/tokens` instead, which answers with a page showing it).
#[server(endpoint = "create_token")]
pub async fn create_token(
    name: String,
    scope: String,
    expires_in_days: String,
    password: String,
) -> Result<NewToken, AppError> {
    let me = crate::auth::session::require_signed_in().await?;
    let db = crate::state::db()?;
    crate::users::service::confirm_password(&db, &me, password).await?;
    let max_days = crate::state::app_state()?.token_max_days;
    super::service::create(&db, &me, &name, &scope, &expires_in_days, max_days).await
}

/// Revokes one of the signed-in user's tokens.
#[server(endpoint = "revoke_token")]
pub async fn revoke_token(id: i32) -> Result<(), AppError> {
    let me = crate::auth::session::require_signed_in().await?;
    super::service::revoke(&crate::state::db()?, &me, id).await
}
