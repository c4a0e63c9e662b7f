//! The account page's token form. Creating a token answers with a page that shows its secret,
//! once, and keeps it nowhere: not in the session, not in a URL, not in a log. A refusal goes
//! back to the account page with the message in the URL (never the password).

use axum::extract::{Form, State, rejection::FormRejection};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Router, http::StatusCode};
use serde::Deserialize;

use app::auth::access::Action;
use app::components::query_value;
use app::state::AppState;

use crate::form_reply::failed;
use crate::rest::auth::Caller;
use crate::rest::problem::ApiError;

/// Where the form posts.
pub const PATH: &str = "/account/tokens";

/// The form's route.
pub fn routes() -> Router<AppState> {
    Router::new().route(PATH, post(create).layer(Extension(Action::Account)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TokenForm {
    name: String,
    scope: String,
    expires_in_days: String,
    password: String,
}

/// Creates a token for the signed-in user (with the session only: a token does not make
/// tokens) after their password, and answers with the page that shows it.
async fn create(
    c: Result<Caller, ApiError>,
    State(state): State<AppState>,
    form: Result<Form<TokenForm>, FormRejection>,
) -> Response {
    let caller = match c {
        Ok(c) if c.scope.is_none() => c,
        Ok(_) => {
            return ApiError::http(
                StatusCode::FORBIDDEN,
                "Tokens are created from the account page, signed in; an API token cannot make another.",
            )
            .into_response();
        }
        Err(e) => return e.into_response(),
    };
    let Ok(Form(form)) = form else {
        return ApiError::http(StatusCode::BAD_REQUEST, "Send the token form.").into_response();
    };
    let made = async {
        app::users::service::confirm_password(&state.db, &caller.user, form.password).await?;
        app::tokens::service::create(
            &state.db,
            &caller.user,
            &form.name,
            &form.scope,
            &form.expires_in_days,
            state.token_max_days,
        )
        .await
    }
    .await;
    match made {
        Ok(new) => Html(app::tokens::views::created_page(
            state.leptos_options.clone(),
            new,
        ))
        .into_response(),
        // Back with what was typed (never the password), so only the mistake is typed again.
        Err(e) => failed(
            &format!(
                "/account?name={}&scope={}&expires_in_days={}",
                query_value(&form.name),
                query_value(&form.scope),
                query_value(&form.expires_in_days)
            ),
            "token_error",
            e,
            &["password", "name", "scope", "expires_in_days"],
        ),
    }
}
