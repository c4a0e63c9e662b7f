//! (ssr) Events the calendar causes rather than a change: a credential's rotation falling
//! due, a milestone passing its due day unfinished. The delivery worker sweeps for them every
//! few minutes; each is told once per due day (its dedup key), however often the sweep runs
//! and however many replicas run it.

use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::EventType;
use super::service::{Event, emit};
use crate::choices::planning::MilestoneStatus;
use crate::entities::{credential_refs, integrations, milestones};
use crate::error::Result;

/// Emits what is due on `today` and not told yet. Returns how many events it wrote.
///
/// # Errors
/// Database failures.
pub async fn sweep(db: &impl ConnectionTrait, today: NaiveDate) -> Result<usize> {
    let credentials = credential_refs::Entity::find()
        .filter(credential_refs::Column::RotationDays.is_not_null())
        .all(db)
        .await?;
    let rotations: Vec<(credential_refs::Model, NaiveDate)> = credentials
        .into_iter()
        .filter_map(|c| {
            let due = c.last_rotated + Duration::days(i64::from(c.rotation_days?));
            (due <= today).then_some((c, due))
        })
        .collect();
    let overdue = milestones::Entity::find()
        .filter(milestones::Column::DueDate.lt(today))
        .filter(milestones::Column::Status.ne(MilestoneStatus::Done))
        .all(db)
        .await?;
    if rotations.is_empty() && overdue.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i32> = rotations
        .iter()
        .map(|(c, _)| c.integration_id)
        .chain(overdue.iter().map(|m| m.integration_id))
        .collect();
    let owners = integrations::Entity::find()
        .filter(integrations::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let mut told = 0;
    for (c, due) in &rotations {
        let Some(i) = owners.iter().find(|i| i.id == c.integration_id) else {
            continue;
        };
        let event = Event::new(
            EventType::CredentialRotationDue,
            Some(i),
            format!("{}: {} is due for rotation ({due})", i.name, c.name),
            format!("/integrations/{}/credentials", i.slug),
            json!({"credential": c.name, "due_on": due.to_string()}),
        )
        .once(format!("credential.rotation_due:{}:{due}", c.id));
        told += usize::from(emit(db, event).await?);
    }
    for m in &overdue {
        let Some(i) = owners.iter().find(|i| i.id == m.integration_id) else {
            continue;
        };
        let event = Event::new(
            EventType::MilestoneOverdue,
            Some(i),
            format!(
                "{}: milestone {} is overdue (due {})",
                i.name, m.title, m.due_date
            ),
            format!("/integrations/{}/planning", i.slug),
            json!({"milestone": m.title, "due_on": m.due_date.to_string()}),
        )
        .once(format!("milestone.overdue:{}:{}", m.id, m.due_date));
        told += usize::from(emit(db, event).await?);
    }
    Ok(told)
}
