//! (ssr) Taking what an SDK sent for an environment: its events become error events of the
//! environment's integration (one write for the envelope, however many events), and every
//! other item (transactions, check-ins, sessions, client reports, types not known yet) is
//! accepted and counted, never a reason to refuse the envelope.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::envelope::Envelope;
use super::event::to_event;
use crate::entities::environments;
use crate::error::Result;
use crate::events::model::EventIn;

/// What an envelope came to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Taken {
    /// The id the SDK gave its event (the envelope's, else its first event's).
    pub event_id: Option<String>,
    /// Events stored.
    pub events: usize,
    /// Events dropped: not JSON, or past the limits on a document.
    pub dropped: usize,
    /// Items of other types, accepted and counted.
    pub other: usize,
}

/// The id an SDK gave `event`, if it is one Tollgate can echo: 32 hex digits, with or
/// without the dashes of a UUID.
fn event_id(event: &Value) -> Option<String> {
    let id = event.get("event_id")?.as_str()?.replace('-', "");
    (id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())).then(|| id.to_lowercase())
}

/// An event item's JSON, unless it breaks the limits on a document or is not JSON.
fn parsed(payload: &[u8]) -> Option<Value> {
    crate::limits::check_json(payload, crate::limits::BODY_NODES).ok()?;
    serde_json::from_slice(payload).ok()
}

/// Takes `envelope` for `environment`, as it arrived at `now`.
///
/// # Errors
/// Database failures.
pub async fn take(
    db: &(impl sea_orm::ConnectionTrait + sea_orm::TransactionTrait),
    environment: &environments::Model,
    envelope: &Envelope<'_>,
    now: DateTime<Utc>,
) -> Result<Taken> {
    let mut taken = Taken {
        event_id: envelope
            .header
            .event_id
            .as_deref()
            .and_then(|id| event_id(&serde_json::json!({ "event_id": id }))),
        ..Default::default()
    };
    let mut events: Vec<EventIn> = Vec::new();
    for item in &envelope.items {
        if item.kind != "event" {
            taken.other += 1;
            continue;
        }
        match parsed(item.payload) {
            Some(v) => {
                taken.event_id = taken.event_id.or_else(|| event_id(&v));
                events.push(to_event(&v, &environment.name, now));
            }
            None => taken.dropped += 1,
        }
    }
    for batch in events.chunks(crate::limits::EVENT_BATCH) {
        crate::events::service::store(db, None, environment.integration_id, batch).await?;
        taken.events += batch.len();
    }
    Ok(taken)
}
