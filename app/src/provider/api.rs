//! Server functions of the provider page, each calling one service function (which checks
//! the role too). Forms arrive flattened, as the HTML forms post them.

use leptos::prelude::*;

use super::model::{ContactForm, FeedbackForm, ProviderView, TicketForm};
#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::auth::session::require_signed_in;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::db;
#[cfg(feature = "ssr")]
use crate::validate::form_id as id;

/// Integration `slug`'s contacts, tickets and feedback.
#[server(endpoint = "get_provider_page")]
pub async fn get_provider_page(slug: String) -> Result<ProviderView, AppError> {
    require_signed_in().await?;
    service::page(&db()?, &slug).await
}

/// Adds a provider contact.
#[server(endpoint = "add_provider_contact")]
pub async fn add_provider_contact(
    integration_id: String,
    #[server(flatten)] form: ContactForm,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    service::add_contact(
        &db()?,
        &actor,
        id("integration_id", &integration_id)?,
        &form,
    )
    .await?;
    Ok(())
}

/// Removes provider contact `id`.
#[server(endpoint = "delete_provider_contact")]
pub async fn delete_provider_contact(id: i32) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    service::delete_contact(&db()?, &actor, id).await
}

/// Records a support ticket.
#[server(endpoint = "add_support_ticket")]
pub async fn add_support_ticket(
    integration_id: String,
    #[server(flatten)] form: TicketForm,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    service::add_ticket(
        &db()?,
        &actor,
        id("integration_id", &integration_id)?,
        &form,
    )
    .await?;
    Ok(())
}

/// Updates support ticket `ticket_id`.
#[server(endpoint = "update_support_ticket")]
pub async fn update_support_ticket(
    ticket_id: String,
    #[server(flatten)] form: TicketForm,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    service::update_ticket(&db()?, &actor, id("ticket_id", &ticket_id)?, &form).await
}

/// Records user feedback.
#[server(endpoint = "add_feedback")]
pub async fn add_feedback(
    integration_id: String,
    #[server(flatten)] form: FeedbackForm,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    service::add_feedback(
        &db()?,
        &actor,
        id("integration_id", &integration_id)?,
        &form,
    )
    .await?;
    Ok(())
}

/// Sets feedback `id`'s status.
#[server(endpoint = "set_feedback_status")]
pub async fn set_feedback_status(id: i32, status: String) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    service::set_feedback_status(&db()?, &actor, id, &status).await
}
