//! (ssr) People hear of the outbox's progress events (`Kind::told_from_outbox`: stage moves,
//! plans, sign-offs, overdue milestones, rotations due, audit findings) from the event
//! itself, as it is handed on: the integration's owner and its followers, on the channels
//! each chose for that kind. The rooms that cause them only write the event.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::follows;
use super::model::{Kind, Message};
use super::service::notify;
use crate::entities::{integrations, outbox_events};
use crate::error::Result;

/// What a notification of `event` says beneath its title: what happened, then its facts.
fn body(event: &outbox_events::Model) -> Result<String> {
    let mut lines = vec![format!("{}.", event.event_type.label())];
    lines.extend(
        crate::outbox::service::facts(event)?
            .into_iter()
            .map(|(field, value)| format!("{}: {value}", field.replace('_', " "))),
    );
    Ok(lines.join("\n"))
}

/// Tells the owner and the followers of each of `events`' integrations of those whose kind
/// is told from the outbox (called once per event, in the transaction that hands it on).
///
/// # Errors
/// Database failures.
pub async fn tell(db: &impl ConnectionTrait, events: &[outbox_events::Model]) -> Result<()> {
    let told: Vec<(&outbox_events::Model, Kind, i32)> = events
        .iter()
        .filter_map(|e| {
            let kind = Kind::of_event(e.event_type).filter(|k| k.told_from_outbox())?;
            Some((e, kind, e.integration_id?))
        })
        .collect();
    if told.is_empty() {
        return Ok(());
    }
    let ids: Vec<i32> = told.iter().map(|(_, _, i)| *i).collect();
    let owners = integrations::Entity::find()
        .filter(integrations::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?;
    let following = follows::of(db, ids).await?;
    for (event, kind, integration_id) in told {
        let Some(i) = owners.iter().find(|i| i.id == integration_id) else {
            continue;
        };
        let to: Vec<i32> = std::iter::once(i.owner_id)
            .chain(
                following
                    .iter()
                    .filter(|f| f.integration_id == i.id)
                    .map(|f| f.user_id),
            )
            .collect();
        let (title, path) = crate::outbox::service::title_and_path(event)?;
        notify(
            db,
            to,
            &Message {
                kind,
                integration_id: Some(i.id),
                title: &title,
                body: &body(event)?,
                link: &path,
            },
        )
        .await?;
    }
    Ok(())
}
