//! A notification, as the page shows it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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

/// The newest notifications of the signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub items: Vec<Notification>,
    pub unread: u64,
}
