//! Server functions for signing in and out, whether set-up is needed, and the signed-in user.

use leptos::prelude::*;

use super::model::CurrentUser;
use crate::error::AppError;

/// The signed-in user, or `None`.
#[server(endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    super::session::current_user().await
}

/// Whether the instance still needs its first admin.
#[server(endpoint = "needs_setup")]
pub async fn needs_setup() -> Result<bool, AppError> {
    super::service::needs_setup(&crate::state::db()?).await
}

/// Signs in with email and password.
#[server(endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let ip = super::session::client_ip().await;
    let user = super::service::authenticate(&db, &email, &password, &ip).await?;
    super::session::sign_in(&user).await?;
    leptos_axum::redirect(user.role.landing());
    Ok(())
}

/// Signs out and deletes the session.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    super::session::sign_out().await?;
    leptos_axum::redirect("/login");
    Ok(())
}
