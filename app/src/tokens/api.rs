//! Server functions for the account page's token section. Every signed-in user manages their
//! own tokens only.

use leptos::prelude::*;

use super::model::{NewToken, TokenList};
use crate::error::AppError;

/// The session key of a token just created, until the page shows it.
#[cfg(feature = "ssr")]
const CREATED_KEY: &str = "created_token";

/// The signed-in user's tokens, and (once) a token just created.
#[server(endpoint = "list_tokens")]
pub async fn list_tokens() -> Result<TokenList, AppError> {
    let me = crate::auth::session::require_signed_in().await?;
    let session = crate::auth::session::session().await?;
    let created = session
        .remove::<NewToken>(CREATED_KEY)
        .await
        .map_err(|e| AppError::internal("session", e))?;
    Ok(TokenList {
        tokens: super::service::list(&crate::state::db()?, me.id).await?,
        created,
    })
}

/// Creates a token for the signed-in user, after they enter their password again, and
/// returns its secret, once.
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
    let new = super::service::create(&db, &me, &name, &scope, &expires_in_days).await?;
    // The page loads again after the form is posted (with or without WebAssembly), and a
    // reload cannot carry the secret: keep it in the session for the page to show once.
    crate::auth::session::session()
        .await?
        .insert(CREATED_KEY, &new)
        .await
        .map_err(|e| AppError::internal("session", e))?;
    Ok(new)
}

/// Revokes one of the signed-in user's tokens.
#[server(endpoint = "revoke_token")]
pub async fn revoke_token(id: i32) -> Result<(), AppError> {
    let me = crate::auth::session::require_signed_in().await?;
    super::service::revoke(&crate::state::db()?, &me, id).await
}
