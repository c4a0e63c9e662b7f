//! (ssr) The email channel's switch and its queue.
//!
//! Rules kept here:
//! - the channel is on while a server of this instance has SMTP configured: it says so at
//!   start ([`switch_on`] or [`switch_off`]); only then is email queued or offered;
//! - an email is queued in the transaction of what causes it, so none is lost or sent for a
//!   change that rolled back;
//! - each email has its own unsubscribe token; its link works while the email is kept
//!   ([`KEPT_DAYS`] from when it was queued, once sent or failed).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::OnConflict,
};

use super::letter::{Letter, html, plain};
use crate::choices::notifications::{Kind, MailState};
use crate::entities::{mail_channel, mail_messages};
use crate::error::Result;

/// How long a sent or failed email (and so its unsubscribe link) is kept, from when it was
/// queued.
pub const KEPT_DAYS: i64 = 90;

/// The channel, when it is on.
///
/// # Errors
/// Database failures.
pub async fn channel(db: &impl ConnectionTrait) -> Result<Option<mail_channel::Model>> {
    Ok(mail_channel::Entity::find_by_id(1).one(db).await?)
}

/// Turns the channel on, sending as `from` with links under `public_url`.
///
/// # Errors
/// Database failures.
pub async fn switch_on(db: &impl ConnectionTrait, from: &str, public_url: &str) -> Result<()> {
    mail_channel::Entity::insert(mail_channel::ActiveModel {
        id: Set(1),
        from_address: Set(from.to_string()),
        public_url: Set(public_url.trim_end_matches('/').to_string()),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(mail_channel::Column::Id)
            .update_columns([
                mail_channel::Column::FromAddress,
                mail_channel::Column::PublicUrl,
                mail_channel::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Turns the channel off: no email is queued or offered (what is queued stays).
///
/// # Errors
/// Database failures.
pub async fn switch_off(db: &impl ConnectionTrait) -> Result<()> {
    mail_channel::Entity::delete_by_id(1).exec(db).await?;
    Ok(())
}

/// The unsubscribe link of token `token`, under `public_url`.
pub fn unsubscribe_url(public_url: &str, token: &str) -> String {
    format!("{}/unsubscribe/{token}", public_url.trim_end_matches('/'))
}

/// Queues `letter` to each of `to` (user id, address), telling of `kind`, on `channel`: to go
/// now, or, with `held_until`, held for the daily digest due then.
///
/// # Errors
/// Database failures.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    channel: &mail_channel::Model,
    kind: Option<Kind>,
    to: &[(i32, String)],
    letter: &Letter,
    held_until: Option<DateTime<Utc>>,
) -> Result<()> {
    if to.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let (state, due) = match held_until {
        Some(at) => (MailState::Held, at),
        None => (MailState::Pending, now),
    };
    let rows = to.iter().map(|(user_id, address)| {
        let token = hex::encode(rand::random::<[u8; 16]>());
        let link = unsubscribe_url(&channel.public_url, &token);
        mail_messages::ActiveModel {
            user_id: Set(*user_id),
            kind: Set(kind),
            to_address: Set(address.clone()),
            subject: Set(letter.subject.clone()),
            text_body: Set(plain(letter, &link)),
            html_body: Set(html(letter, &link)),
            unsubscribe_token: Set(token),
            state: Set(state),
            attempts: Set(0),
            next_attempt_at: Set(due),
            lease_owner: Set(None),
            lease_until: Set(None),
            last_error: Set(None),
            created_at: Set(now),
            sent_at: Set(None),
            ..Default::default()
        }
    });
    mail_messages::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The email whose unsubscribe token is `token`, while it is kept.
///
/// # Errors
/// Database failures.
pub async fn by_token(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<mail_messages::Model>> {
    if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    Ok(mail_messages::Entity::find()
        .filter(mail_messages::Column::UnsubscribeToken.eq(token))
        .one(db)
        .await?)
}

/// Forgets the emails sent or failed queued before `before`; returns how many.
///
/// # Errors
/// Database failures.
pub async fn prune(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64> {
    Ok(mail_messages::Entity::delete_many()
        .filter(mail_messages::Column::State.is_in([MailState::Sent, MailState::Failed]))
        .filter(mail_messages::Column::CreatedAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

/// When emails made before it are forgotten, from `now`.
pub fn kept_since(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(KEPT_DAYS)
}
