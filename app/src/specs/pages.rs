//! (ssr) What each spec page shows, read in one call per page.

use crate::auth::access::Action;
use sea_orm::ConnectionTrait;

use super::model::{ChangeList, OperationCatalogue, SpecsOverview};
use super::{maintenance, service, usage};
use crate::auth::model::CurrentUser;
use crate::error::{AppError, Result};
use crate::integrations::lookup::{integration, reference};

/// Operations per catalogue page.
pub const PER_PAGE: usize = 50;

/// The specs page of integration `slug`.
///
/// # Errors
/// `NotFound`.
pub async fn overview(
    db: &impl ConnectionTrait,
    viewer: &CurrentUser,
    slug: &str,
) -> Result<SpecsOverview> {
    let i = integration(db, slug).await?;
    Ok(SpecsOverview {
        specs: service::list(db, i.id).await?,
        used: usage::used(db, i.id).await?,
        maintenance: maintenance::of_integration(db, i.id).await?,
        can_edit: viewer.role.can(Action::EditSpecs),
        integration: reference(&i),
    })
}

/// The spec `spec_id` of integration `slug`, or `NotFound` when it is another's.
async fn spec_of(
    db: &impl ConnectionTrait,
    slug: &str,
    spec_id: i32,
) -> Result<(
    crate::entities::integrations::Model,
    crate::entities::api_specs::Model,
)> {
    let i = integration(db, slug).await?;
    let s = usage::spec(db, spec_id).await?;
    if s.integration_id != i.id {
        return Err(AppError::NotFound);
    }
    Ok((i, s))
}

/// What the catalogue page asks for.
#[derive(Debug, Clone, Default)]
pub struct CatalogueQuery {
    /// A version id; the latest when `None`.
    pub version: Option<i32>,
    pub q: String,
    pub used_only: bool,
    /// From 1.
    pub page: usize,
}

/// One page of the operations of a version of spec `spec_id`.
///
/// # Errors
/// `NotFound` (also for a version of another spec).
pub async fn catalogue(
    db: &impl ConnectionTrait,
    viewer: &CurrentUser,
    slug: &str,
    spec_id: i32,
    query: &CatalogueQuery,
) -> Result<OperationCatalogue> {
    let (i, s) = spec_of(db, slug, spec_id).await?;
    let versions = service::versions(db, s.id).await?;
    let version = match query.version {
        Some(id) => versions.iter().find(|v| v.id == id),
        None => versions.first(),
    }
    .cloned()
    .ok_or(AppError::NotFound)?;
    let all = service::catalogue(db, version.id, &query.q, query.used_only).await?;
    let page = query.page.max(1).min(all.len().div_ceil(PER_PAGE).max(1));
    Ok(OperationCatalogue {
        total: all.len(),
        entries: all
            .into_iter()
            .skip((page - 1) * PER_PAGE)
            .take(PER_PAGE)
            .collect(),
        page,
        per_page: PER_PAGE,
        can_edit: viewer.role.can(Action::EditSpecs),
        integration: reference(&i),
        spec_id: s.id,
        spec_name: s.name,
        version,
    })
}

/// The changes between two versions of spec `spec_id`: by default from the one before the
/// latest to the latest.
///
/// # Errors
/// `NotFound`; `Validation` when the spec has one version only.
pub async fn changes(
    db: &impl ConnectionTrait,
    slug: &str,
    spec_id: i32,
    base: Option<i32>,
    revision: Option<i32>,
) -> Result<ChangeList> {
    let (i, s) = spec_of(db, slug, spec_id).await?;
    let versions = service::versions(db, s.id).await?;
    let pick = |id: Option<i32>, default: usize| {
        match id {
            Some(id) => versions.iter().find(|v| v.id == id),
            None => versions.get(default),
        }
        .cloned()
    };
    let revision = pick(revision, 0).ok_or(AppError::NotFound)?;
    let base = pick(base, 1).ok_or_else(|| {
        AppError::field(
            "base",
            "This spec has one version; import another to compare.",
        )
    })?;
    let changes = service::compare(db, base.id, revision.id).await?;
    Ok(ChangeList {
        changes: usage::rows(changes, &usage::keys(db, s.id).await?),
        integration: reference(&i),
        spec_id: s.id,
        spec_name: s.name,
        versions,
        base,
        revision,
    })
}
