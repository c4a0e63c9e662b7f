//! Planning: meetings and their action items.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::integrations::model::IntegrationRef;
use crate::users::model::UserRef;

/// An action item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActionItem {
    pub id: i32,
    pub integration: IntegrationRef,
    pub meeting_id: Option<i32>,
    pub text: String,
    pub assignee: Option<UserRef>,
    pub due_date: Option<NaiveDate>,
    pub done: bool,
    pub overdue: bool,
}

/// A meeting with its action items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Meeting {
    pub id: i32,
    pub starts_at: DateTime<Utc>,
    pub title: String,
    pub attendees: Vec<UserRef>,
    pub outside_attendees: String,
    pub agenda: String,
    pub notes: String,
    pub decisions: String,
    pub action_items: Vec<ActionItem>,
}

impl Meeting {
    /// The edit form filled with this meeting's values.
    pub fn form(&self) -> MeetingForm {
        MeetingForm {
            starts_at: self.starts_at.format("%Y-%m-%dT%H:%M").to_string(),
            title: self.title.clone(),
            attendee_ids: self.attendees.iter().map(|a| a.id.to_string()).collect(),
            outside_attendees: self.outside_attendees.clone(),
            agenda: self.agenda.clone(),
            notes: self.notes.clone(),
            decisions: self.decisions.clone(),
        }
    }
}

/// The meeting form, as submitted. `starts_at` is a local date and time as a
/// `datetime-local` input sends it (taken as UTC).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MeetingForm {
    pub starts_at: String,
    pub title: String,
    pub attendee_ids: Vec<String>,
    pub outside_attendees: String,
    pub agenda: String,
    pub notes: String,
    pub decisions: String,
}

/// The action item form, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ActionItemForm {
    pub text: String,
    pub assignee_id: String,
    pub due_date: String,
}

/// How many meetings a page shows.
pub const MEETINGS_PER_PAGE: u64 = 10;

/// Which page of an integration's meetings to show: page `page` (from 1; the first when
/// empty), or the page holding meeting `meeting`, which wins when both are given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(default)]
pub struct MeetingsQuery {
    pub page: Option<String>,
    pub meeting: Option<String>,
}

/// The meetings page of one integration: one page of its meetings, newest first, each with
/// its action items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MeetingsView {
    pub integration: IntegrationRef,
    pub meetings: Vec<Meeting>,
    /// How many meetings it has in all.
    pub total: u64,
    /// From 1; a page past the end reads as the last.
    pub page: u64,
    pub pages: u64,
    pub people: Vec<UserRef>,
}
