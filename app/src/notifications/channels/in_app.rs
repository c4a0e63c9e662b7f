//! (ssr) The in-app channel: a row per recipient, which the bell counts and the
//! notifications page lists.

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

use crate::entities::notifications;
use crate::error::Result;
use crate::notifications::model::Message;

/// Stores `message` for each of `user_ids`.
///
/// # Errors
/// Database failures.
pub async fn deliver(
    db: &impl ConnectionTrait,
    user_ids: &[i32],
    message: &Message<'_>,
) -> Result<()> {
    if user_ids.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    notifications::Entity::insert_many(user_ids.iter().map(|user_id| notifications::ActiveModel {
        user_id: Set(*user_id),
        integration_id: Set(message.integration_id),
        kind: Set(message.kind),
        title: Set(message.title.to_string()),
        body: Set(message.body.to_string()),
        link: Set(message.link.to_string()),
        created_at: Set(now),
        read_at: Set(None),
        ..Default::default()
    }))
    .exec(db)
    .await?;
    Ok(())
}
