//! (ssr) Sending and reading notifications, and each user's choice of the kinds they get.
//! Each user sees only their own.

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Select, TransactionSession, TransactionTrait,
};

use super::channels;
use super::model::{Channel, Inbox, Kind, Message, Notification, Preferences};
use crate::auth::model::CurrentUser;
use crate::entities::{notification_preferences, notifications};
use crate::error::{AppError, Result};

/// How many notifications a page of the inbox lists.
pub const PER_PAGE: u64 = 25;

/// Sends `message` to each of `user_ids` once (duplicates are dropped), on every channel
/// where they have not turned its kind off.
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
    let off = notification_preferences::Entity::find()
        .filter(notification_preferences::Column::Kind.eq(message.kind))
        .filter(notification_preferences::Column::Enabled.eq(false))
        .filter(notification_preferences::Column::UserId.is_in(user_ids.clone()))
        .all(db)
        .await?;
    for channel in Channel::ALL {
        let to: Vec<i32> = user_ids
            .iter()
            .copied()
            .filter(|u| !off.iter().any(|p| p.user_id == *u && p.channel == *channel))
            .collect();
        channels::deliver(db, *channel, &to, message).await?;
    }
    Ok(())
}

/// The kinds `user` gets on each channel.
///
/// # Errors
/// Database failures.
pub async fn preferences(db: &impl ConnectionTrait, user: &CurrentUser) -> Result<Preferences> {
    let off = notification_preferences::Entity::find()
        .filter(notification_preferences::Column::UserId.eq(user.id))
        .filter(notification_preferences::Column::Enabled.eq(false))
        .all(db)
        .await?;
    Ok(Preferences {
        channels: Channel::ALL
            .iter()
            .map(|c| {
                let on = Kind::ALL
                    .iter()
                    .copied()
                    .filter(|k| !off.iter().any(|p| p.kind == *k && p.channel == *c))
                    .collect();
                (*c, on)
            })
            .collect(),
    })
}

/// Sets the kinds `user` gets on `channel` to exactly `kinds` (stored names).
///
/// # Errors
/// `Validation` on `kinds` naming an unknown kind or channel.
pub async fn set_preferences(
    db: &(impl ConnectionTrait + TransactionTrait),
    user: &CurrentUser,
    channel: &str,
    kinds: &[String],
) -> Result<()> {
    let channel = Channel::parse(channel.trim()).ok_or_else(|| {
        AppError::field("channel", format!("Choose one of: {}.", Channel::names()))
    })?;
    let mut on = Vec::with_capacity(kinds.len());
    for k in kinds {
        on.push(
            Kind::parse(k.trim()).ok_or_else(|| {
                AppError::field("kinds", format!("Choose from: {}.", Kind::names()))
            })?,
        );
    }
    let txn = db.begin().await?;
    notification_preferences::Entity::delete_many()
        .filter(notification_preferences::Column::UserId.eq(user.id))
        .filter(notification_preferences::Column::Channel.eq(channel))
        .exec(&txn)
        .await?;
    let rows: Vec<_> = Kind::ALL
        .iter()
        .map(|k| notification_preferences::ActiveModel {
            user_id: Set(user.id),
            kind: Set(*k),
            channel: Set(channel),
            enabled: Set(on.contains(k)),
        })
        .collect();
    notification_preferences::Entity::insert_many(rows)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// How many of `user`'s notifications are unread.
///
/// # Errors
/// Database failures.
pub async fn unread(db: &impl ConnectionTrait, user: &CurrentUser) -> Result<u64> {
    Ok(unread_of(user.id).count(db).await?)
}

/// The unread notifications of account `user` (an id, or a column holding one), as [`unread`]
/// counts them.
pub fn unread_of(user: impl Into<sea_orm::sea_query::Expr>) -> Select<notifications::Entity> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    notifications::Entity::find()
        .filter(Expr::col((notifications::Entity, notifications::Column::UserId)).eq(user))
        .filter(notifications::Column::ReadAt.is_null())
}

/// Page `page` of `user`'s notifications, newest first, and the unread count.
///
/// # Errors
/// `Validation` on `page`; database failures.
pub async fn inbox(db: &impl ConnectionTrait, user: &CurrentUser, page: &str) -> Result<Inbox> {
    let page = crate::paging::page_number(Some(page))?;
    let select = notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(user.id))
        .order_by_desc(notifications::Column::Id);
    let list = crate::paging::fetch(db, select, PER_PAGE, page)
        .await?
        .map(|n| Notification {
            id: n.id,
            title: n.title,
            body: n.body,
            link: n.link,
            created_at: n.created_at,
            read: n.read_at.is_some(),
        });
    Ok(Inbox {
        list,
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
