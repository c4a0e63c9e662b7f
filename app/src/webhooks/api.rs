//! Server functions of the webhook pages (admins and coordinators; the service checks the
//! role again). Adding an endpoint and rotating its secret are plain forms the server answers
//! with the page showing the secret once (the server's `webhook_forms`), not server functions.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::model::EndpointForm;
use super::model::{EndpointList, EndpointView};
#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::auth::access::Action;
#[cfg(feature = "ssr")]
use crate::auth::session::require;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::{app_state, db};

/// Every endpoint, with the integrations the form offers.
#[server(endpoint = "get_webhooks")]
pub async fn get_webhooks() -> Result<EndpointList, AppError> {
    let actor = require(Action::ManageWebhooks).await?;
    service::list(&db()?, &actor).await
}

/// Endpoint `id` and page `page` of its attempts.
#[server(endpoint = "get_webhook")]
pub async fn get_webhook(id: i32, page: String) -> Result<EndpointView, AppError> {
    let actor = require(Action::ManageWebhooks).await?;
    service::view(&db()?, &actor, id, &page).await
}

/// Saves endpoint `id` (no event type or integration ticked means all; `enabled` is a
/// checkbox: present when ticked).
#[server(endpoint = "update_webhook")]
pub async fn update_webhook(
    id: i32,
    url: String,
    description: String,
    events: Option<Vec<String>>,
    integrations: Option<Vec<String>>,
    enabled: Option<String>,
) -> Result<(), AppError> {
    let actor = require(Action::ManageWebhooks).await?;
    let form = EndpointForm {
        url,
        format: String::new(),
        description,
        events: events.unwrap_or_default(),
        integrations: integrations.unwrap_or_default(),
        enabled: enabled.is_some(),
    };
    service::update(&db()?, &actor, &app_state()?.outbound, id, &form).await
}

/// Removes endpoint `id` with its log, then goes to the list.
#[server(endpoint = "delete_webhook")]
pub async fn delete_webhook(id: i32) -> Result<(), AppError> {
    let actor = require(Action::ManageWebhooks).await?;
    service::delete(&db()?, &actor, id).await?;
    leptos_axum::redirect("/settings/webhooks");
    Ok(())
}

/// Sends a test event to endpoint `id`.
#[server(endpoint = "send_test_webhook")]
pub async fn send_test_webhook(id: i32) -> Result<(), AppError> {
    let actor = require(Action::ManageWebhooks).await?;
    service::send_test(&db()?, &actor, id).await?;
    crate::components::enhance::back_with("test_sent");
    Ok(())
}

/// Sends delivery `id` again now.
#[server(endpoint = "retry_delivery")]
pub async fn retry_delivery(id: i32) -> Result<(), AppError> {
    let actor = require(Action::ManageWebhooks).await?;
    service::retry(&db()?, &actor, id).await?;
    crate::components::enhance::back_with("resent");
    Ok(())
}
