//! Server functions of the spec pages, each calling one service function, which checks the
//! role. Uploading a document is a plain multipart form handled by the server crate
//! (`server/src/uploads.rs`), since a server function cannot take a 20 MB file.

use leptos::prelude::*;

use super::model::{ChangeList, OperationCatalogue, PointerSuggestion, SpecsOverview};
#[cfg(feature = "ssr")]
use super::{maintenance, pages, usage};
#[cfg(feature = "ssr")]
use crate::auth::session::require_signed_in;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::db;
#[cfg(feature = "ssr")]
use crate::validate::form_id as id;

/// The specs page of integration `slug`.
#[server(endpoint = "get_specs")]
pub async fn get_specs(slug: String) -> Result<SpecsOverview, AppError> {
    let viewer = require_signed_in().await?;
    pages::overview(&db()?, &viewer, &slug).await
}

/// One page of spec `spec`'s operations: of version `version` (the latest when absent),
/// searched for `q`, only the used ones when `used`.
#[server(endpoint = "get_spec_catalogue")]
pub async fn get_spec_catalogue(
    slug: String,
    spec: i32,
    version: Option<i32>,
    q: String,
    used: bool,
    page: usize,
) -> Result<OperationCatalogue, AppError> {
    let viewer = require_signed_in().await?;
    let query = pages::CatalogueQuery {
        version,
        q,
        used_only: used,
        page,
    };
    pages::catalogue(&db()?, &viewer, &slug, spec, &query).await
}

/// The changes between two versions of spec `spec` (by default the latest two).
#[server(endpoint = "get_spec_changes")]
pub async fn get_spec_changes(
    slug: String,
    spec: i32,
    base: Option<i32>,
    revision: Option<i32>,
) -> Result<ChangeList, AppError> {
    require_signed_in().await?;
    pages::changes(&db()?, &slug, spec, base, revision).await
}

/// The fields of the success responses of the operations integration `slug` uses, as JSON
/// pointers, for the mapping page to offer.
#[server(endpoint = "get_response_pointers")]
pub async fn get_response_pointers(slug: String) -> Result<Vec<PointerSuggestion>, AppError> {
    require_signed_in().await?;
    let db = db()?;
    let i = crate::integrations::lookup::integration(&db, &slug).await?;
    usage::response_pointers(&db, i.id).await
}

/// Marks operation `method path` of spec `spec_id` as used, with `note`.
#[server(endpoint = "mark_operation_used")]
pub async fn mark_operation_used(
    spec_id: String,
    method: String,
    path: String,
    note: String,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    usage::mark(
        &db()?,
        &actor,
        id("spec_id", &spec_id)?,
        &method,
        &path,
        &note,
    )
    .await?;
    Ok(())
}

/// Unmarks used operation `id`.
#[server(endpoint = "unmark_operation")]
pub async fn unmark_operation(id: i32) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    usage::unmark(&db()?, &actor, id).await
}

/// Imports the document at `url` as the next version of spec `name` of integration `slug`,
/// fetched again `refetch` (never, daily or weekly), and goes back to the specs page saying
/// what happened.
#[server(endpoint = "import_spec_url")]
pub async fn import_spec_url(
    slug: String,
    name: String,
    url: String,
    refetch: String,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    let state = crate::state::app_state()?;
    let i = crate::integrations::lookup::integration(&state.db, &slug).await?;
    let r = super::remote::import_url(
        &state.db,
        &state.outbound,
        &actor,
        i.id,
        (&name, &url, &refetch),
    )
    .await?;
    leptos_axum::redirect(&format!("/integrations/{slug}/specs?{}", r.notice_query()));
    Ok(())
}

/// Closes maintenance item `id`.
#[server(endpoint = "close_maintenance_item")]
pub async fn close_maintenance_item(id: i32) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    maintenance::close(&db()?, &actor, id).await
}
