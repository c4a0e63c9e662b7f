//! The webhook pages' two plain forms that make a secret: adding an endpoint and rotating its
//! secret. Each answers with the page that shows the secret once (`components::shown_once`);
//! a refusal goes back to the page with the message and what was typed in the URL.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Extension, Router};

use app::auth::access::Action;
use app::choices::webhooks::EndpointFormat;
use app::components::query_value;
use app::components::shown_once::{ShownOnce, page};
use app::state::AppState;
use app::webhooks::model::{EndpointForm, NewSecret};
use app::webhooks::service as webhooks;

use crate::form_reply::failed;
use crate::rest::auth::Caller;
use crate::rest::problem::ApiError;

/// Where the add form posts.
pub const PATH: &str = "/settings/webhooks";

/// The forms' routes (admins and coordinators, as the service checks again).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(PATH, post(create).layer(Extension(Action::ManageWebhooks)))
        .route(
            "/settings/webhooks/{id}/rotate",
            post(rotate).layer(Extension(Action::ManageWebhooks)),
        )
}

/// The posted fields, repeated ones (`events[]`) in order.
fn fields(body: &Bytes) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).unwrap_or_default()
}

fn all(fields: &[(String, String)], name: &str) -> Vec<String> {
    let bracketed = format!("{name}[]");
    fields
        .iter()
        .filter(|(k, _)| *k == name || *k == bracketed)
        .map(|(_, v)| v.clone())
        .collect()
}

fn one(fields: &[(String, String)], name: &str) -> String {
    all(fields, name).into_iter().next().unwrap_or_default()
}

/// The page showing `made`'s secret, `what` saying how it was made; for an endpoint without
/// one (Slack-compatible), its page.
fn shown(state: &AppState, made: NewSecret, what: &str) -> Response {
    let e = made.endpoint;
    let Some(secret) = made.secret else {
        return Redirect::to(&format!("/settings/webhooks/{}?added=1", e.id)).into_response();
    };
    Html(page(
        state.leptos_options.clone(),
        ShownOnce {
            title: "Your webhook signing secret".into(),
            name: e.url.clone(),
            lead: format!(
                "{what} Copy the secret into your receiver now: it is shown only this once."
            ),
            secret,
            details: vec![
                "Verify each delivery's webhook-signature with it, as the Standard Webhooks libraries do (the README shows how).".into(),
            ],
            back: (
                format!("/settings/webhooks/{}", e.id),
                "Go to the endpoint".into(),
            ),
        },
    ))
    .into_response()
}

/// Adds an endpoint (with the session: the REST API has its own route).
async fn create(
    c: Result<Caller, ApiError>,
    State(state): State<AppState>,
    body: Bytes,
) -> Response {
    let caller = match c {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let f = fields(&body);
    let form = EndpointForm {
        url: one(&f, "url"),
        format: one(&f, "format"),
        description: one(&f, "description"),
        events: all(&f, "events"),
        integrations: all(&f, "integrations"),
        enabled: true,
    };
    match webhooks::create(&state.db, &caller.user, &state.outbound, &form).await {
        Ok(made) => shown(&state, made, "Endpoint added."),
        Err(e) => failed(
            &format!(
                "/settings/webhooks?url={}&format={}&description={}",
                // A Slack-compatible address is a credential: not into a redirect's query. Read
                // as the service reads the format (trimmed), so no spelling it takes slips by.
                query_value(
                    if EndpointFormat::parse(&form.format) == Some(EndpointFormat::Slack) {
                        ""
                    } else {
                        &form.url
                    }
                ),
                query_value(&form.format),
                query_value(&form.description)
            ),
            "webhook_error",
            e,
            &["url", "format", "description", "events", "integrations"],
        ),
    }
}

/// Rotates endpoint `id`'s secret.
async fn rotate(
    c: Result<Caller, ApiError>,
    State(state): State<AppState>,
    Path(id): Path<i32>,
    body: Bytes,
) -> Response {
    let caller = match c {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let f = fields(&body);
    match webhooks::rotate(&state.db, &caller.user, id, &one(&f, "overlap_hours")).await {
        Ok(made) => shown(&state, made, "Secret rotated."),
        Err(e) => failed(
            &format!("/settings/webhooks/{id}"),
            "rotate_error",
            e,
            &["overlap_hours"],
        ),
    }
}
