//! (ssr) Following integrations. Anyone signed in may follow any integration (everyone reads
//! every integration); it is their own choice, so it is not in the trail. A follower gets the
//! integration in their weekly digest and hears of its progress (the kinds told from the
//! outbox), as the owner does.

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    sea_query::OnConflict,
};

use crate::entities::{integration_follows, integrations};
use crate::error::{AppError, Result};

/// The integration with slug `slug`.
async fn by_slug(db: &impl ConnectionTrait, slug: &str) -> Result<integrations::Model> {
    if crate::validate::has_control(slug) {
        return Err(AppError::NotFound);
    }
    integrations::Entity::find()
        .filter(integrations::Column::Slug.eq(slug))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Makes `user` follow integration `slug` (`on`) or stop following it; doing what is already
/// so changes nothing.
///
/// # Errors
/// `NotFound` for an unknown slug; database failures.
pub async fn set(db: &impl ConnectionTrait, user: i32, slug: &str, on: bool) -> Result<()> {
    let i = by_slug(db, slug).await?;
    if on {
        integration_follows::Entity::insert(integration_follows::ActiveModel {
            user_id: Set(user),
            integration_id: Set(i.id),
            created_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::columns([
                integration_follows::Column::UserId,
                integration_follows::Column::IntegrationId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    } else {
        integration_follows::Entity::delete_many()
            .filter(integration_follows::Column::UserId.eq(user))
            .filter(integration_follows::Column::IntegrationId.eq(i.id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Whether `user` follows integration `slug`, and how many people do.
///
/// # Errors
/// `NotFound` for an unknown slug; database failures.
pub async fn state(db: &impl ConnectionTrait, user: i32, slug: &str) -> Result<(bool, u64)> {
    let i = by_slug(db, slug).await?;
    let of = integration_follows::Entity::find()
        .filter(integration_follows::Column::IntegrationId.eq(i.id));
    let followers = of.clone().count(db).await?;
    let mine = of
        .filter(integration_follows::Column::UserId.eq(user))
        .one(db)
        .await?
        .is_some();
    Ok((mine, followers))
}

/// The ids of the integrations `user` follows.
///
/// # Errors
/// Database failures.
pub async fn followed(db: &impl ConnectionTrait, user: i32) -> Result<Vec<i32>> {
    Ok(integration_follows::Entity::find()
        .filter(integration_follows::Column::UserId.eq(user))
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.integration_id)
        .collect())
}

/// Every (user, integration) follow of `integrations`.
///
/// # Errors
/// Database failures.
pub async fn of(
    db: &impl ConnectionTrait,
    integrations: impl IntoIterator<Item = i32>,
) -> Result<Vec<integration_follows::Model>> {
    Ok(integration_follows::Entity::find()
        .filter(integration_follows::Column::IntegrationId.is_in(integrations))
        .all(db)
        .await?)
}
