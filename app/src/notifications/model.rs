//! A notification, as the page shows it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::choice_enum! {
    /// What a notification is about; each user chooses which kinds they get.
    Kind {
        EnvironmentDown => ("environment_down", "An environment went down"),
        EnvironmentUp => ("environment_up", "An environment came back up"),
        IncidentOpened => ("incident_opened", "An incident was opened"),
        IncidentResolved => ("incident_resolved", "An incident was resolved"),
        CertificateExpiring => ("certificate_expiring", "A provider's TLS certificate expires soon"),
        ErrorRegression => ("error_regression", "A resolved error came back"),
        SpecBreaking => ("spec_breaking", "A provider's API change breaks a used operation"),
    }
}

crate::choice_enum! {
    /// Where notifications are delivered. Each channel is one module of
    /// `notifications::channels`.
    Channel {
        InApp => ("in_app", "In Tollgate"),
    }
}

/// The kinds a user gets on each channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    /// (channel, kinds turned on).
    pub channels: Vec<(Channel, Vec<Kind>)>,
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

/// The newest notifications of the signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub items: Vec<Notification>,
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
