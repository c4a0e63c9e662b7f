//! A notification, as the page shows it.

pub use crate::choices::notifications::{Channel, Kind};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The kinds a user gets on each channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    /// (channel, kinds turned on).
    pub channels: Vec<(Channel, Vec<Kind>)>,
    /// The kinds whose emails wait for the daily digest rather than go at once.
    pub daily: Vec<Kind>,
}

/// One notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i32,
    pub title: String,
    pub body: String,
    /// Where to act on it.
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

/// A page of the signed-in user's notifications, newest first, and how many are unread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub list: crate::paging::Paged<Notification>,
    pub unread: u64,
}

/// What to tell, and where to act on it.
pub struct Message<'a> {
    pub kind: Kind,
    pub integration_id: Option<i32>,
    pub title: &'a str,
    pub body: &'a str,
    pub link: &'a str,
}
