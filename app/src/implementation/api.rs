//! Server functions for environments, each calling one service function (which checks the
//! role too). The form's fields arrive flattened, as the HTML form posts them; ids arrive as
//! text for the same reason.

use leptos::prelude::*;

use super::model::{EnvironmentForm, EnvironmentsView};
#[cfg(feature = "ssr")]
use super::service as environments;
#[cfg(feature = "ssr")]
use crate::auth::{
    access::Action,
    session::{require, require_signed_in},
};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::db;

#[cfg(feature = "ssr")]
use crate::validate::form_id as id;

/// The environments of integration `slug`.
#[server(endpoint = "get_environments")]
pub async fn get_environments(slug: String) -> Result<EnvironmentsView, AppError> {
    let actor = require_signed_in().await?;
    let state = crate::state::app_state()?;
    environments::page_for(&state.db, &actor, &slug, &state.public_url).await
}

/// Adds an environment to integration `integration_id`.
#[server(endpoint = "create_environment")]
pub async fn create_environment(
    integration_id: String,
    #[server(flatten)] form: EnvironmentForm,
) -> Result<(), AppError> {
    let actor = require(Action::Build).await?;
    let integration_id = id("integration_id", &integration_id)?;
    environments::create(&db()?, &actor, integration_id, &form).await?;
    Ok(())
}

/// Edits environment `environment_id`.
#[server(endpoint = "update_environment")]
pub async fn update_environment(
    environment_id: String,
    #[server(flatten)] form: EnvironmentForm,
) -> Result<(), AppError> {
    let actor = require(Action::Build).await?;
    environments::update(
        &db()?,
        &actor,
        id("environment_id", &environment_id)?,
        &form,
    )
    .await
}

/// Deletes environment `id`.
#[server(endpoint = "delete_environment")]
pub async fn delete_environment(id: i32) -> Result<(), AppError> {
    let actor = require(Action::Build).await?;
    environments::delete(&db()?, &actor, id).await
}

/// The credential references of integration `slug`.
#[server(endpoint = "get_credentials")]
pub async fn get_credentials(slug: String) -> Result<super::model::CredentialsView, AppError> {
    require(Action::ReadCredentials).await?;
    super::credentials::page(&db()?, &slug).await
}

/// Records a credential reference for integration `integration_id`.
#[server(endpoint = "create_credential")]
pub async fn create_credential(
    integration_id: String,
    #[server(flatten)] form: super::model::CredentialForm,
) -> Result<(), AppError> {
    let actor = require(Action::Build).await?;
    let integration_id = id("integration_id", &integration_id)?;
    super::credentials::create(&db()?, &actor, integration_id, &form).await?;
    Ok(())
}

/// Edits credential reference `credential_id`.
#[server(endpoint = "update_credential")]
pub async fn update_credential(
    credential_id: String,
    #[server(flatten)] form: super::model::CredentialForm,
) -> Result<(), AppError> {
    let actor = require(Action::Build).await?;
    super::credentials::update(&db()?, &actor, id("credential_id", &credential_id)?, &form).await
}

/// Records that credential `id` was rotated today.
#[server(endpoint = "rotate_credential")]
pub async fn rotate_credential(id: i32) -> Result<(), AppError> {
    let actor = require(Action::Build).await?;
    super::credentials::record_rotation(&db()?, &actor, id).await
}

/// Deletes credential reference `id`.
#[server(endpoint = "delete_credential")]
pub async fn delete_credential(id: i32) -> Result<(), AppError> {
    let actor = require(Action::Build).await?;
    super::credentials::delete(&db()?, &actor, id).await
}

/// Grants access to credential `credential_id` (coordinators and admins).
#[server(endpoint = "grant_access")]
pub async fn grant_access(
    credential_id: String,
    #[server(flatten)] form: super::model::GrantForm,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    super::grants::grant(&db()?, &actor, id("credential_id", &credential_id)?, &form).await?;
    Ok(())
}

/// Revokes grant `grant_id`, keeping it in the history (coordinators and admins).
#[server(endpoint = "revoke_access")]
pub async fn revoke_access(grant_id: String, reason: String) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    super::grants::revoke(&db()?, &actor, id("grant_id", &grant_id)?, &reason).await?;
    Ok(())
}

/// The data mapping of integration `slug`.
#[server(endpoint = "get_mapping")]
pub async fn get_mapping(slug: String) -> Result<super::mapping::MappingView, AppError> {
    require_signed_in().await?;
    super::mapping_service::page(&db()?, &slug).await
}

/// Adds a mapping row to integration `integration_id`.
#[server(endpoint = "create_mapping_row")]
pub async fn create_mapping_row(
    integration_id: String,
    #[server(flatten)] form: super::mapping::MappingRowForm,
) -> Result<(), AppError> {
    let actor = require(Action::Build).await?;
    super::mapping_service::create(
        &db()?,
        &actor,
        id("integration_id", &integration_id)?,
        &form,
    )
    .await?;
    Ok(())
}

/// Edits mapping row `row_id`.
#[server(endpoint = "update_mapping_row")]
pub async fn update_mapping_row(
    row_id: String,
    #[server(flatten)] form: super::mapping::MappingRowForm,
) -> Result<(), AppError> {
    let actor = require(Action::Build).await?;
    super::mapping_service::update(&db()?, &actor, id("row_id", &row_id)?, &form).await
}

/// Deletes mapping row `id`.
#[server(endpoint = "delete_mapping_row")]
pub async fn delete_mapping_row(id: i32) -> Result<(), AppError> {
    let actor = require(Action::Build).await?;
    super::mapping_service::delete(&db()?, &actor, id).await
}

/// Marks the mapping of integration `integration_id` reviewed.
#[server(endpoint = "review_mapping")]
pub async fn review_mapping(integration_id: String) -> Result<(), AppError> {
    let actor = require(Action::Build).await?;
    super::mapping_service::review(&db()?, &actor, id("integration_id", &integration_id)?).await
}

/// The checklists of integration `slug`.
#[server(endpoint = "get_checklists")]
pub async fn get_checklists(slug: String) -> Result<super::checklist::ChecklistView, AppError> {
    require_signed_in().await?;
    super::checklist_service::page(&db()?, &slug).await
}

/// Adds a checklist item to integration `integration_id`.
#[server(endpoint = "create_checklist_item")]
pub async fn create_checklist_item(
    integration_id: String,
    #[server(flatten)] form: super::checklist::ChecklistItemForm,
) -> Result<(), AppError> {
    let actor = require(Action::Build).await?;
    super::checklist_service::create(
        &db()?,
        &actor,
        id("integration_id", &integration_id)?,
        &form,
    )
    .await?;
    Ok(())
}

/// Edits checklist item `item_id`.
#[server(endpoint = "update_checklist_item")]
pub async fn update_checklist_item(
    item_id: String,
    #[server(flatten)] form: super::checklist::ChecklistItemForm,
) -> Result<(), AppError> {
    let actor = require(Action::Build).await?;
    super::checklist_service::update(&db()?, &actor, id("item_id", &item_id)?, &form).await
}

/// Deletes checklist item `id`.
#[server(endpoint = "delete_checklist_item")]
pub async fn delete_checklist_item(id: i32) -> Result<(), AppError> {
    let actor = require(Action::Build).await?;
    super::checklist_service::delete(&db()?, &actor, id).await
}

/// Adds the missing template items to integration `integration_id`'s checklists.
#[server(endpoint = "apply_checklist_template")]
pub async fn apply_checklist_template(integration_id: String) -> Result<(), AppError> {
    let actor = require(Action::Build).await?;
    super::checklist_service::apply_template(
        &db()?,
        &actor,
        id("integration_id", &integration_id)?,
    )
    .await?;
    Ok(())
}
