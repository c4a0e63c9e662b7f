//! (ssr) Emitting events into the outbox, in the caller's transaction, and the payload each
//! one is sent as.

use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, sea_query::OnConflict};
use serde_json::{Value, json};

use super::EventType;
use super::catalogue::conforms;
use crate::entities::{integrations, outbox_events};
use crate::error::{AppError, Result};

/// An event to emit.
pub struct Event<'a> {
    pub event_type: EventType,
    /// The integration it is about, if any: endpoints may follow only some.
    pub integration: Option<&'a integrations::Model>,
    /// One line a person reads ("Stripe payments: production is down").
    pub title: String,
    /// Where in Tollgate to act on it (`/integrations/stripe-payments/health`).
    pub path: String,
    /// The fields its catalogue entry lists, and no others.
    pub data: Value,
    /// A key told once: a second event with the same key is dropped.
    pub dedup_key: Option<String>,
}

impl<'a> Event<'a> {
    /// An event of `event_type` about `integration`, titled `title`, acted on at `path`.
    pub fn new(
        event_type: EventType,
        integration: Option<&'a integrations::Model>,
        title: impl Into<String>,
        path: impl Into<String>,
        data: Value,
    ) -> Self {
        Event {
            event_type,
            integration,
            title: title.into(),
            path: path.into(),
            data,
            dedup_key: None,
        }
    }

    /// The same event, told at most once for `key`.
    pub fn once(mut self, key: impl Into<String>) -> Self {
        self.dedup_key = Some(key.into());
        self
    }
}

/// A new event's `webhook-id`: `msg_` and 128 random bits.
fn new_uid() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("msg_{}", hex::encode(bytes))
}

/// The outbox row of `event`, not yet written ([`emit`] writes it; a test event is written
/// already dispatched, to its one endpoint).
///
/// # Errors
/// In debug builds, `data` not matching the catalogue (a release build logs that and sends
/// it anyway: an event is never dropped).
pub fn row(event: Event<'_>) -> Result<outbox_events::ActiveModel> {
    let fits = event
        .data
        .as_object()
        .is_some_and(|d| conforms(event.event_type, d));
    if !fits {
        let why = format!(
            "{} data {} does not match the catalogue",
            event.event_type.as_str(),
            event.data
        );
        if cfg!(debug_assertions) {
            return Err(AppError::internal("outbox", why));
        }
        tracing::error!("{why}");
    }
    let stored = json!({
        "integration": event.integration.map(|i| json!({"id": i.id, "slug": i.slug, "name": i.name})),
        "title": event.title,
        "path": event.path,
        "data": event.data,
    });
    Ok(outbox_events::ActiveModel {
        uid: Set(new_uid()),
        event_type: Set(event.event_type),
        integration_id: Set(event.integration.map(|i| i.id)),
        data: Set(stored.to_string()),
        dedup_key: Set(event.dedup_key),
        created_at: Set(Utc::now()),
        dispatched_at: Set(None),
        ..Default::default()
    })
}

/// Writes `event` to the outbox in `txn` (the transaction of the change it tells of); the
/// delivery worker sends it after the commit. False when its key was told already.
///
/// # Errors
/// Database failures; as [`row`].
pub async fn emit(txn: &impl ConnectionTrait, event: Event<'_>) -> Result<bool> {
    let written = outbox_events::Entity::insert(row(event)?)
        .on_conflict(
            OnConflict::column(outbox_events::Column::DedupKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    Ok(written > 0)
}

/// The JSON body `event` is sent as, its link made absolute with `public_url`, its timestamp
/// `at` (the moment of the attempt, as the `webhook-timestamp` header says).
///
/// # Errors
/// `Internal` when the stored row is not the JSON [`emit`] wrote.
pub fn payload(
    event: &outbox_events::Model,
    public_url: &str,
    at: DateTime<Utc>,
) -> Result<String> {
    let stored: Value =
        serde_json::from_str(&event.data).map_err(|e| AppError::internal("outbox event", e))?;
    let path = stored["path"].as_str().unwrap_or("/");
    Ok(json!({
        "type": event.event_type.as_str(),
        "version": event.event_type.version(),
        "id": event.uid,
        "timestamp": at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "occurred_at": event.created_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        "integration": stored["integration"],
        "title": stored["title"],
        "link": format!("{}{}", public_url.trim_end_matches('/'), path),
        "data": stored["data"],
    })
    .to_string())
}

/// What a stored event tells a person: its title, its link path, and the facts of its
/// `data` as (field, value) in the catalogue's order.
pub struct Told {
    pub title: String,
    pub path: String,
    pub facts: Vec<(&'static str, String)>,
}

/// What `event` tells a person, from one read of its stored JSON.
///
/// # Errors
/// `Internal` when the stored row is not the JSON [`emit`] wrote.
pub fn told(event: &outbox_events::Model) -> Result<Told> {
    let stored: Value =
        serde_json::from_str(&event.data).map_err(|e| AppError::internal("outbox event", e))?;
    let facts = event
        .event_type
        .fields()
        .iter()
        .filter_map(|f| {
            let value = match &stored["data"][f.name] {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            Some((f.name, value))
        })
        .collect();
    Ok(Told {
        title: stored["title"].as_str().unwrap_or_default().to_string(),
        path: stored["path"].as_str().unwrap_or("/").to_string(),
        facts,
    })
}
