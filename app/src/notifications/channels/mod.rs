//! (ssr) Delivery channels. A channel is one module with a `deliver` function, listed in
//! `model::Channel` and in [`deliver`]'s match; email or webhooks would each be one more.

pub mod in_app;

use sea_orm::ConnectionTrait;

use super::model::Channel;
use super::model::Message;
use crate::error::Result;

/// Delivers `message` to `user_ids` on `channel`.
///
/// # Errors
/// The channel's failure.
pub async fn deliver(
    db: &impl ConnectionTrait,
    channel: Channel,
    user_ids: &[i32],
    message: &Message<'_>,
) -> Result<()> {
    match channel {
        Channel::InApp => in_app::deliver(db, user_ids, message).await,
    }
}
