//! (ssr) Finding an integration by slug or id, and its wire reference: the lookups every room's
//! services start from. Imports no domain room.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::model::IntegrationRef;
use crate::entities::integrations;
use crate::error::{AppError, Result};

/// The integration with this slug.
///
/// # Errors
/// `NotFound`.
pub async fn integration(db: &impl ConnectionTrait, slug: &str) -> Result<integrations::Model> {
    if crate::validate::has_control(slug) {
        return Err(AppError::NotFound);
    }
    integrations::Entity::find()
        .filter(integrations::Column::Slug.eq(slug))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The integration with this id.
///
/// # Errors
/// `NotFound`.
pub async fn integration_by_id(db: &impl ConnectionTrait, id: i32) -> Result<integrations::Model> {
    integrations::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The wire reference to an integration.
pub fn reference(m: &integrations::Model) -> IntegrationRef {
    IntegrationRef {
        id: m.id,
        slug: m.slug.clone(),
        name: m.name.clone(),
        gate_overridden: m.gate_overridden,
    }
}
