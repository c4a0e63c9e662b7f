//! (ssr) Taking what an SDK sent for an environment: its events become error events of the
//! environment's integration (stored by the ingest's `writer`, many envelopes a round), its
//! cron check-ins and transactions are handed on (the heartbeats and observed rooms record
//! them; the ingest's handler calls them, as this room sits below them), and every other
//! item (sessions, client reports, types not known yet) is accepted and counted, never a
//! reason to refuse the envelope.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::envelope::Envelope;
use super::event::to_event;
use super::writer::Writer;
use crate::entities::environments;
use crate::error::Result;
use crate::events::model::EventIn;
use crate::events::service::{Prepared, prepare};

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

/// `id` if it is an event id Tollgate can echo: 32 hex digits, with or without the dashes
/// of a UUID.
fn event_id(id: &str) -> Option<String> {
    let id = id.replace('-', "");
    (id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())).then(|| id.to_lowercase())
}

/// An event item's JSON, unless it breaks the limits on a document or is not JSON.
fn parsed(payload: &[u8]) -> Option<Value> {
    crate::limits::check_json(payload, crate::limits::BODY_NODES).ok()?;
    serde_json::from_slice(payload).ok()
}

/// An envelope read for an environment: its events checked and ready to store.
#[derive(Default)]
pub struct Read {
    pub taken: Taken,
    events: Prepared,
    /// The cron check-ins' payloads, each a bounded JSON document, for the heartbeats room.
    pub check_ins: Vec<Value>,
    /// The transactions' payloads and the streamed spans' (`span` items), each a bounded
    /// JSON document, for the observed room.
    pub transactions: Vec<Value>,
}

impl Read {
    /// The events to store (what a quota counts).
    pub fn events(&self) -> usize {
        self.events.len()
    }
}

/// Reads `envelope` for the environment named `environment`, as it arrived at `now`: its
/// events mapped and checked, every other item counted. Pure.
///
/// # Errors
/// `Validation` if a mapped event fails the events' checks (the mapping keeps within them,
/// so this is a bug to report, answered 400 rather than stored half).
pub fn read(envelope: &Envelope<'_>, environment: &str, now: DateTime<Utc>) -> Result<Read> {
    let mut taken = Taken {
        event_id: envelope.header.event_id.as_deref().and_then(event_id),
        ..Default::default()
    };
    let mut events: Vec<EventIn> = Vec::new();
    let (mut check_ins, mut transactions) = (Vec::new(), Vec::new());
    for item in &envelope.items {
        let handed_on = match item.kind.as_str() {
            "check_in" => Some(&mut check_ins),
            "transaction" | "span" => Some(&mut transactions),
            _ => None,
        };
        if let Some(list) = handed_on {
            match parsed(item.payload) {
                Some(v) => list.push(v),
                None => taken.dropped += 1,
            }
            continue;
        }
        if item.kind != "event" {
            taken.other += 1;
            continue;
        }
        match parsed(item.payload) {
            Some(v) => {
                if taken.event_id.is_none() {
                    taken.event_id = v.get("event_id").and_then(Value::as_str).and_then(event_id);
                }
                events.push(to_event(&v, environment, now));
            }
            None => taken.dropped += 1,
        }
    }
    let events = if events.is_empty() {
        Prepared::default()
    } else {
        prepare(&events, now)?
    };
    Ok(Read {
        taken,
        events,
        check_ins,
        transactions,
    })
}

/// Stores the events [`read`] found in an envelope for `environment` through the ingest's
/// `writer` (its check-ins are left to the caller), and says what it came to.
///
/// # Errors
/// `Busy` (the writer's queue is full); database failures.
pub async fn store(
    writer: &Writer,
    environment: &environments::Model,
    read: Read,
    now: DateTime<Utc>,
) -> Result<Taken> {
    let Read {
        mut taken, events, ..
    } = read;
    if !events.is_empty() {
        taken.events = events.len();
        writer
            .store(environment.integration_id, events, now)
            .await?;
    }
    Ok(taken)
}
