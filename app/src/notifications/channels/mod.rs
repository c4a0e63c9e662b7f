//! (ssr) Delivery channels. A channel is one module with a `deliver` function, listed in
//! `model::Channel` and in [`deliver`]'s match.

pub mod email;
pub mod in_app;

use sea_orm::ConnectionTrait;

use super::model::Channel;
use super::model::Message;
use crate::entities::{mail_channel, users};
use crate::error::Result;

/// Someone to tell, and whether their email of this kind waits for the daily digest.
pub struct Recipient<'a> {
    pub user: &'a users::Model,
    pub daily: bool,
}

/// Delivers `message` to `to` on `channel`; email only when `mail` (the email channel) is on.
///
/// # Errors
/// The channel's failure.
pub async fn deliver(
    db: &impl ConnectionTrait,
    channel: Channel,
    to: &[Recipient<'_>],
    message: &Message<'_>,
    mail: Option<&mail_channel::Model>,
) -> Result<()> {
    match channel {
        Channel::InApp => {
            let ids: Vec<i32> = to.iter().map(|r| r.user.id).collect();
            in_app::deliver(db, &ids, message).await
        }
        Channel::Email => match mail {
            Some(mail) => email::deliver(db, mail, to, message).await,
            None => Ok(()),
        },
    }
}
