//! (ssr) Following integrations. Anyone signed in may follow any integration (everyone reads
//! every integration); it is their own choice, so it is not in the trail. A follower gets the
//! integration in their weekly digest and hears of its progress (the kinds told from the
//! outbox), as the owner does.

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::OnConflict,
};

use crate::entities::integration_follows;
use crate::error::{AppError, Result};

/// Makes `user` follow integration `integration` (`follow` "yes") or stop following it
/// ("no"); doing what is already so changes nothing.
///
/// # Errors
/// `Validation` on `follow` when it is neither; database failures.
pub async fn set(
    db: &impl ConnectionTrait,
    user: i32,
    integration: i32,
    follow: &str,
) -> Result<()> {
    let on = match follow.trim() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::field("follow", "Choose yes or no.")),
    };
    if on {
        integration_follows::Entity::insert(integration_follows::ActiveModel {
            user_id: Set(user),
            integration_id: Set(integration),
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
            .filter(integration_follows::Column::IntegrationId.eq(integration))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Whether `user` follows integration `integration`.
///
/// # Errors
/// Database failures.
pub async fn follows(db: &impl ConnectionTrait, user: i32, integration: i32) -> Result<bool> {
    Ok(integration_follows::Entity::find_by_id((user, integration))
        .one(db)
        .await?
        .is_some())
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
