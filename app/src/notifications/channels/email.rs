//! (ssr) The email channel: an email per recipient, queued with the notification (the mail
//! worker sends it, at once or in the reader's daily digest), saying what happened, where to
//! act, and why the reader gets it.

use sea_orm::ConnectionTrait;

use super::Recipient;
use crate::entities::mail_channel;
use crate::error::Result;
use crate::mail::letter::Letter;
use crate::notifications::model::Message;

/// Queues `message` as an email to each of `to` on `mail`: now, or held for the daily digest.
///
/// # Errors
/// Database failures.
pub async fn deliver(
    db: &impl ConnectionTrait,
    mail: &mail_channel::Model,
    to: &[Recipient<'_>],
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
    let digest = crate::mail::digest::next_time(chrono::Utc::now());
    for (daily, held_until) in [(false, None), (true, Some(digest))] {
        let group: Vec<(i32, String)> = to
            .iter()
            .filter(|r| r.daily == daily)
            .map(|r| (r.user.id, r.user.email.clone()))
            .collect();
        crate::mail::service::enqueue(db, mail, Some(message.kind), &group, &letter, held_until)
            .await?;
    }
    Ok(())
}
