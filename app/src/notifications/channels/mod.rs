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

/// Delivers each message to its recipients on `channel`; email only when `mail` (the email
/// channel) is on.
///
/// # Errors
/// The channel's failure.
pub async fn deliver(
    db: &impl ConnectionTrait,
    channel: Channel,
    batch: &[(Vec<Recipient<'_>>, &Message<'_>)],
    mail: Option<&mail_channel::Model>,
) -> Result<()> {
    match channel {
        Channel::InApp => {
            let rows: Vec<(Vec<i32>, &Message)> = batch
                .iter()
                .map(|(to, message)| (to.iter().map(|r| r.user.id).collect(), *message))
                .collect();
            in_app::deliver(db, &rows).await
        }
        Channel::Email => {
            let Some(mail) = mail else {
                return Ok(());
            };
            for (to, message) in batch {
                email::deliver(db, mail, to, message).await?;
            }
            Ok(())
        }
    }
}
