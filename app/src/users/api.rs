//! Server functions for the admin's user management.

#[cfg(feature = "ssr")]
use crate::auth::access::Action;
use leptos::prelude::*;

use super::model::{User, UserRef};
use crate::error::AppError;

/// Every account. Admins only.
#[server(endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<User>, AppError> {
    use crate::auth::session::require;
    require(Action::Administer).await?;
    super::service::list_users(&crate::state::db()?).await
}

/// Active users for pickers. Anyone signed in.
#[server(endpoint = "user_choices")]
pub async fn user_choices() -> Result<Vec<UserRef>, AppError> {
    crate::auth::session::require_signed_in().await?;
    super::service::user_choices(&crate::state::db()?).await
}

/// Creates an account with a role. Admins only.
#[server(endpoint = "create_user")]
pub async fn create_user(
    email: String,
    name: String,
    role: String,
    password: String,
) -> Result<User, AppError> {
    use crate::auth::session::require;
    let actor = require(Action::Administer).await?;
    let input = super::model::NewUser {
        email,
        name,
        role,
        password,
    };
    super::service::create_user(&crate::state::db()?, Some(actor.id), input).await
}

/// Changes a user's role. Admins only.
#[server(endpoint = "change_role")]
pub async fn change_role(user_id: i32, role: String) -> Result<User, AppError> {
    use crate::auth::session::require;
    let actor = require(Action::Administer).await?;
    super::service::change_role(&crate::state::db()?, &actor, user_id, &role).await
}

/// Signs a user out everywhere, leaving the account active. Admins only.
#[server(endpoint = "end_user_sessions")]
pub async fn end_user_sessions(user_id: i32) -> Result<(), AppError> {
    use crate::auth::session::require;
    let actor = require(Action::Administer).await?;
    super::service::end_sessions(&crate::state::db()?, &actor, user_id, None).await?;
    Ok(())
}

/// Deactivates (ending their sessions) or reactivates a user. Admins only.
#[server(endpoint = "set_user_active")]
pub async fn set_user_active(user_id: i32, active: bool) -> Result<User, AppError> {
    use crate::auth::session::require;
    let actor = require(Action::Administer).await?;
    super::service::set_active(&crate::state::db()?, &actor, user_id, active).await
}
