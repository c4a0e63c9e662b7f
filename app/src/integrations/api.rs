//! Server functions for the integrations registry. Everyone signed in reads; coordinators and
//! admins write.
// A server function takes its form's fields one by one (that is how an HTML form posts), so
// some take more than seven.
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
use crate::auth::access::Action;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::model::IntegrationQuery;
use super::model::{IntegrationDetail, IntegrationList};
#[cfg(feature = "ssr")]
use crate::auth::session::require;
use crate::error::AppError;

/// A page of the registry. The parameters are those of the list page's URL, flat and
/// optional, so an empty query is simply no parameters.
#[server(endpoint = "list_integrations")]
pub async fn list_integrations(
    q: Option<String>,
    stage: Option<String>,
    category: Option<String>,
    owner: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
) -> Result<IntegrationList, AppError> {
    crate::auth::session::require_signed_in().await?;
    let query = IntegrationQuery {
        q,
        stage,
        category,
        owner,
        sort,
        dir,
        page,
    };
    super::service::list(&crate::state::db()?, &query).await
}

/// One integration with its history.
#[server(endpoint = "get_integration")]
pub async fn get_integration(slug: String) -> Result<IntegrationDetail, AppError> {
    crate::auth::session::require_signed_in().await?;
    super::service::get_by_slug(&crate::state::db()?, &slug).await
}

/// Creates an integration, then shows it.
#[server(endpoint = "create_integration")]
pub async fn create_integration(
    name: String,
    slug: String,
    provider: String,
    category: String,
    owner_id: String,
    business_objective: String,
    priority: String,
    tags: String,
) -> Result<(), AppError> {
    let actor = require(Action::EditIntegrations).await?;
    let form = super::model::IntegrationForm {
        name,
        slug,
        provider,
        category,
        owner_id,
        business_objective,
        priority,
        tags,
    };
    let created = super::service::create(&crate::state::db()?, &actor, &form).await?;
    leptos_axum::redirect(&format!("/integrations/{}", created.slug));
    Ok(())
}

/// Updates an integration, then shows it.
#[server(endpoint = "update_integration")]
pub async fn update_integration(
    id: i32,
    name: String,
    slug: String,
    provider: String,
    category: String,
    owner_id: String,
    business_objective: String,
    priority: String,
    tags: String,
) -> Result<(), AppError> {
    let actor = require(Action::EditIntegrations).await?;
    let form = super::model::IntegrationForm {
        name,
        slug,
        provider,
        category,
        owner_id,
        business_objective,
        priority,
        tags,
    };
    let updated = super::service::update(&crate::state::db()?, &actor, id, &form).await?;
    leptos_axum::redirect(&format!("/integrations/{}", updated.slug));
    Ok(())
}

/// Deletes an integration, then shows the list.
#[server(endpoint = "delete_integration")]
pub async fn delete_integration(id: i32) -> Result<(), AppError> {
    let actor = require(Action::EditIntegrations).await?;
    super::service::delete(&crate::state::db()?, &actor, id).await?;
    leptos_axum::redirect("/integrations");
    Ok(())
}
