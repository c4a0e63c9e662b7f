//! (ssr) The email channel: an email per recipient, queued with the notification (the mail
//! worker sends it), saying what happened, where to act, and why the reader gets it.

use sea_orm::ConnectionTrait;

use crate::entities::{mail_channel, users};
use crate::error::Result;
use crate::mail::letter::Letter;
use crate::notifications::model::Message;

/// Queues `message` as an email to each of `to` on `mail`.
///
/// # Errors
/// Database failures.
pub async fn deliver(
    db: &impl ConnectionTrait,
    mail: &mail_channel::Model,
    to: &[&users::Model],
    message: &Message<'_>,
) -> Result<()> {
    let letter = Letter {
        subject: format!("[Tollgate] {}", message.title),
        heading: message.title.to_string(),
        body: message.body.to_string(),
        link: format!("{}{}", mail.public_url, message.link),
        why: format!(
            "You get this because email is on for “{}” in your notification choices.",
            message.kind.label()
        ),
    };
    let to: Vec<(i32, String)> = to.iter().map(|u| (u.id, u.email.clone())).collect();
    crate::mail::service::enqueue(db, mail, Some(message.kind), &to, &letter).await
}
