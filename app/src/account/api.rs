//! Server functions of the signed-in person's own pages: first-run set-up, their sessions,
//! their password and their notification choices.

use leptos::prelude::*;

use crate::error::AppError;

/// Creates the first admin, given the one-time code from the server log, and signs them in.
#[server(endpoint = "setup")]
pub async fn setup(
    setup_code: String,
    email: String,
    name: String,
    password: String,
) -> Result<(), AppError> {
    use crate::users::model::NewUser;
    let state = crate::state::app_state()?;
    if !crate::auth::service::needs_setup(&state.db).await? {
        return Err(AppError::Forbidden);
    }
    let expected = state
        .setup_code
        .lock()
        .map_err(|e| AppError::internal("setup code lock", e))?
        .clone()
        .ok_or(AppError::Forbidden)?;
    if !crate::auth::service::codes_match(&setup_code, &expected) {
        return Err(AppError::field(
            "setup_code",
            "That set-up code is not right. Copy it from the server log.",
        ));
    }
    let new = NewUser {
        email,
        name,
        role: "admin".into(),
        password,
    };
    let user = crate::users::service::create_user(&state.db, None, new).await?;
    if let Ok(mut code) = state.setup_code.lock() {
        *code = None;
    }
    let current = user.as_current();
    crate::auth::session::sign_in(&current).await?;
    leptos_axum::redirect("/integrations");
    Ok(())
}

/// Where the signed-in user is signed in: every live session of the account.
#[server(endpoint = "my_sessions")]
pub async fn my_sessions() -> Result<Vec<crate::auth::model::ActiveSession>, AppError> {
    let user = crate::auth::session::require_signed_in().await?;
    let current = crate::auth::session::current_session_id().await?;
    crate::auth::session::sessions_of(
        &crate::state::db()?,
        user.id,
        current.as_deref(),
        chrono::Utc::now(),
    )
    .await
}

/// Signs the signed-in user out of every other session, keeping this one.
#[server(endpoint = "end_other_sessions")]
pub async fn end_other_sessions() -> Result<u64, AppError> {
    let user = crate::auth::session::require_signed_in().await?;
    let keep = crate::auth::session::current_session_id().await?;
    let ended =
        crate::users::service::end_sessions(&crate::state::db()?, &user, user.id, keep.as_deref())
            .await?;
    crate::components::enhance::back_with("sessions_ended");
    Ok(ended)
}

/// Changes the signed-in user's own password; every other session of the account ends.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    let user = crate::auth::session::require_signed_in().await?;
    let db = crate::state::db()?;
    let keep = crate::auth::session::current_session_id().await?;
    crate::users::service::change_own_password(
        &db,
        &user,
        keep.as_deref(),
        current_password,
        new_password,
        confirm_password,
    )
    .await?;
    crate::components::enhance::back_with("password_changed");
    Ok(())
}

/// Sets what the signed-in user gets, as the preferences table sends it: `channels` names
/// the columns the form showed (`in_app`, `email`), each set to exactly the kinds ticked in
/// it (none when absent, as a form with every box of a column cleared sends it), and `daily`
/// the email kinds gathered into the daily digest.
#[server(endpoint = "save_notification_preferences")]
pub async fn save_notification_preferences(
    channels: Option<Vec<String>>,
    in_app: Option<Vec<String>>,
    email: Option<Vec<String>>,
    daily: Option<Vec<String>>,
) -> Result<(), AppError> {
    let user = crate::auth::session::require_signed_in().await?;
    let channels = channels.unwrap_or_default();
    let shown = |name: &str, kinds: Option<Vec<String>>| {
        channels
            .iter()
            .any(|c| c == name)
            .then(|| kinds.unwrap_or_default())
    };
    let (in_app, email) = (shown("in_app", in_app), shown("email", email));
    crate::notifications::service::set_preferences(
        &crate::state::db()?,
        &user,
        in_app.as_deref(),
        email.as_deref(),
        &daily.unwrap_or_default(),
    )
    .await?;
    crate::components::enhance::back_with("saved");
    Ok(())
}
