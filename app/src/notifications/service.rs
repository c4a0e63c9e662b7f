//! (ssr) Sending and reading notifications. Each user sees only their own.

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use super::model::{Inbox, Notification};
use crate::auth::model::CurrentUser;
use crate::entities::notifications;
use crate::error::Result;

/// How many notifications the page lists.
pub const SHOWN: u64 = 50;

/// What to tell, and where to act on it.
pub struct Message<'a> {
    pub integration_id: Option<i32>,
    pub title: &'a str,
    pub body: &'a str,
    pub link: &'a str,
}

/// Sends `message` to each of `user_ids` once (duplicates are dropped).
///
/// # Errors
/// Database failures.
pub async fn notify(
    db: &impl ConnectionTrait,
    mut user_ids: Vec<i32>,
    message: &Message<'_>,
) -> Result<()> {
    user_ids.sort_unstable();
    user_ids.dedup();
    if user_ids.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    notifications::Entity::insert_many(user_ids.into_iter().map(|user_id| {
        notifications::ActiveModel {
            user_id: Set(user_id),
            integration_id: Set(message.integration_id),
            title: Set(message.title.to_string()),
            body: Set(message.body.to_string()),
            link: Set(message.link.to_string()),
            created_at: Set(now),
            read_at: Set(None),
            ..Default::default()
        }
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// How many of `user`'s notifications are unread.
///
/// # Errors
/// Database failures.
pub async fn unread(db: &impl ConnectionTrait, user: &CurrentUser) -> Result<u64> {
    Ok(notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(user.id))
        .filter(notifications::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

/// `user`'s newest notifications and the unread count.
///
/// # Errors
/// Database failures.
pub async fn inbox(db: &impl ConnectionTrait, user: &CurrentUser) -> Result<Inbox> {
    let items = notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(user.id))
        .order_by_desc(notifications::Column::Id)
        .limit(SHOWN)
        .all(db)
        .await?
        .into_iter()
        .map(|n| Notification {
            id: n.id,
            title: n.title,
            body: n.body,
            link: n.link,
            created_at: n.created_at,
            read: n.read_at.is_some(),
        })
        .collect();
    Ok(Inbox {
        items,
        unread: unread(db, user).await?,
    })
}

/// Marks all of `user`'s notifications read.
///
/// # Errors
/// Database failures.
pub async fn mark_all_read(db: &impl ConnectionTrait, user: &CurrentUser) -> Result<()> {
    notifications::Entity::update_many()
        .col_expr(
            notifications::Column::ReadAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(notifications::Column::UserId.eq(user.id))
        .filter(notifications::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
