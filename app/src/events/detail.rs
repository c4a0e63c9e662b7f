//! (ssr) One error group as its page and `GET /api/v1/error-groups/{id}` show it: the
//! environments it was seen in, the releases of its first and latest events, and the latest
//! event's stack trace, breadcrumbs and tags (what a Sentry SDK sent, kept in the event's
//! context by `sentry::event`); a context the REST ingest was sent is shown as it came.

use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;

use super::model::{Breadcrumb, Frame, GroupDetail, LatestEvent};
use crate::entities::{error_events, error_groups};
use crate::error::{AppError, Result};
use crate::integrations::lookup::integration_by_id;

/// Environments a group's page names at most.
const ENVIRONMENTS_SHOWN: u64 = 20;

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// What an SDK sent, from an event's stored context (`{"sentry": {...}}`).
fn sentry_part(context: &str) -> Option<Value> {
    let mut v: Value = serde_json::from_str(context).ok()?;
    v.get_mut("sentry").map(Value::take)
}

/// The release an SDK named, from what it sent.
fn release_in(sent: Option<&Value>) -> Option<String> {
    sent.and_then(|s| s.get("release").and_then(Value::as_str).map(str::to_string))
        .filter(|r| !r.is_empty())
}

fn release(e: &error_events::Model) -> Option<String> {
    release_in(sentry_part(&e.context).as_ref())
}

/// The latest event as its page shows it.
fn latest(e: error_events::Model) -> LatestEvent {
    let sent = sentry_part(&e.context);
    let list = |key: &str| {
        sent.as_ref()
            .and_then(|s| s.get(key))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let frames = list("frames")
        .iter()
        .rev()
        .map(|f| Frame {
            function: text(f, "function"),
            file: Some(text(f, "filename"))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| text(f, "module")),
            line: f.get("lineno").and_then(Value::as_i64),
            in_app: f.get("in_app").and_then(Value::as_bool).unwrap_or(false),
        })
        .collect();
    let breadcrumbs = list("breadcrumbs")
        .iter()
        .map(|b| Breadcrumb {
            category: Some(text(b, "category"))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| text(b, "type")),
            level: text(b, "level"),
            message: text(b, "message"),
        })
        .collect();
    let tags = sent
        .as_ref()
        .and_then(|s| s.get("tags"))
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    LatestEvent {
        release: release_in(sent.as_ref()),
        context: (sent.is_none() && !e.context.is_empty()).then(|| e.context.clone()),
        message: e.message,
        environment: e.environment,
        occurred_at: e.occurred_at,
        frames,
        breadcrumbs,
        tags,
    }
}

/// Group `id` with its page's detail.
///
/// # Errors
/// `NotFound`; database failures.
pub async fn group(db: &impl ConnectionTrait, id: i32) -> Result<GroupDetail> {
    let g = error_groups::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let i = integration_by_id(db, g.integration_id).await?;
    let events = || error_events::Entity::find().filter(error_events::Column::GroupId.eq(id));
    let newest = events()
        .order_by_desc(error_events::Column::OccurredAt)
        .order_by_desc(error_events::Column::Id)
        .one(db)
        .await?;
    let first = events()
        .order_by_asc(error_events::Column::OccurredAt)
        .order_by_asc(error_events::Column::Id)
        .one(db)
        .await?;
    let environments: Vec<String> = events()
        .select_only()
        .column(error_events::Column::Environment)
        .distinct()
        .order_by_asc(error_events::Column::Environment)
        .limit(ENVIRONMENTS_SHOWN)
        .into_tuple()
        .all(db)
        .await?;
    let group = super::service::with_hours(db, vec![g], Utc::now())
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let latest = newest.map(latest);
    Ok(GroupDetail {
        group,
        integration: crate::integrations::lookup::reference(&i),
        environments: environments.into_iter().filter(|e| !e.is_empty()).collect(),
        first_release: first.as_ref().and_then(release),
        last_release: latest.as_ref().and_then(|l| l.release.clone()),
        latest,
    })
}
