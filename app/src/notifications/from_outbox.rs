//! (ssr) People hear of the outbox's progress events (`Kind::told_from_outbox`: stage moves,
//! plans, sign-offs, overdue milestones, rotations due, audit findings) from the event
//! itself, as it is handed on: the integration's owner and its followers, on the channels
//! each chose for that kind. The rooms that cause them only write the event.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::follows;
use super::model::{Kind, Message};
use super::service::notify_all;
use crate::entities::{integrations, outbox_events};
use crate::error::Result;
use crate::outbox::service::{Told, told};

/// What a notification of `event` says beneath its title: what happened, then its facts.
fn body(event: &outbox_events::Model, told: &Told) -> String {
    let mut lines = vec![format!("{}.", event.event_type.label())];
    lines.extend(
        told.facts
            .iter()
            .map(|(field, value)| format!("{}: {value}", field.replace('_', " "))),
    );
    lines.join("\n")
}

/// One notification to write: its people, kind, integration, what it says and where it
/// links.
struct Telling {
    to: Vec<i32>,
    kind: Kind,
    integration_id: i32,
    told: Told,
    body: String,
}

/// Tells the owner and the followers of each of `events`' integrations of those whose kind
/// is told from the outbox, in the transaction that hands them on: a few reads and one
/// write per channel for the lot, however many events.
///
/// # Errors
/// Database failures.
pub async fn tell(db: &impl ConnectionTrait, events: &[outbox_events::Model]) -> Result<()> {
    let chosen: Vec<(&outbox_events::Model, Kind, i32)> = events
        .iter()
        .filter_map(|e| {
            let kind = Kind::of_event(e.event_type).filter(|k| k.told_from_outbox())?;
            Some((e, kind, e.integration_id?))
        })
        .collect();
    if chosen.is_empty() {
        return Ok(());
    }
    let ids: Vec<i32> = chosen.iter().map(|(_, _, i)| *i).collect();
    let owners = integrations::Entity::find()
        .filter(integrations::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?;
    let following = follows::of(db, ids).await?;
    let mut tellings = Vec::with_capacity(chosen.len());
    for (event, kind, integration_id) in chosen {
        let Some(i) = owners.iter().find(|i| i.id == integration_id) else {
            continue;
        };
        let to = std::iter::once(i.owner_id)
            .chain(
                following
                    .iter()
                    .filter(|f| f.integration_id == i.id)
                    .map(|f| f.user_id),
            )
            .collect();
        let told = told(event)?;
        tellings.push(Telling {
            to,
            kind,
            integration_id,
            body: body(event, &told),
            told,
        });
    }
    let messages: Vec<Message> = tellings
        .iter()
        .map(|t| Message {
            kind: t.kind,
            integration_id: Some(t.integration_id),
            title: &t.told.title,
            body: &t.body,
            link: &t.told.path,
        })
        .collect();
    let notices: Vec<(Vec<i32>, &Message)> = tellings
        .iter()
        .zip(&messages)
        .map(|(t, m)| (t.to.clone(), m))
        .collect();
    notify_all(db, &notices).await
}
