//! Provider contacts, support tickets and feedback as they cross the wire.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use crate::choices::provider::{FeedbackSource, FeedbackStatus, TicketStatus};
use crate::integrations::model::IntegrationRef;

/// A contact at the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: i32,
    pub name: String,
    pub role: String,
    pub email: String,
    pub phone: String,
    pub escalation_order: i32,
}

/// The contact form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactForm {
    pub name: String,
    pub role: String,
    pub email: String,
    pub phone: String,
    pub escalation_order: String,
}

/// A support ticket with the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: i32,
    pub reference: String,
    pub subject: String,
    pub status: TicketStatus,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    /// The linked incident: its id and title.
    pub incident: Option<(i32, String)>,
}

/// The ticket form; closing a ticket records the day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TicketForm {
    pub reference: String,
    pub subject: String,
    pub status: String,
    pub opened_on: String,
    pub incident_id: String,
}

/// One piece of user feedback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feedback {
    pub id: i32,
    pub source: FeedbackSource,
    pub rating: i32,
    pub comment: String,
    pub feature_area: String,
    pub status: FeedbackStatus,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// The feedback form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FeedbackForm {
    pub source: String,
    pub rating: String,
    pub comment: String,
    pub feature_area: String,
}

/// What users say, in figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackSummary {
    pub count: usize,
    /// The mean rating in hundredths (437 is 4.37); `None` without feedback.
    pub mean_rating_x100: Option<i64>,
    /// How many gave each rating, 1 to 5.
    pub by_rating: [usize; 5],
    pub by_source: Vec<(FeedbackSource, usize)>,
    pub by_status: Vec<(FeedbackStatus, usize)>,
}

/// The provider page of an integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderView {
    pub integration: IntegrationRef,
    pub contacts: Vec<Contact>,
    pub tickets: Vec<Ticket>,
    /// Incidents a ticket may link to: id and title, newest first.
    pub incidents: Vec<(i32, String)>,
    pub feedback: Vec<Feedback>,
    pub summary: FeedbackSummary,
}
