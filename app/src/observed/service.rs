//! (ssr) Observed provider performance. Rules kept here:
//! - a call counts for an environment only when it goes to that environment's base URL (same
//!   scheme, host and port, under its path) and matches an operation of the latest version
//!   of one of the integration's specs; other calls are not kept;
//! - calls are kept per environment, operation (method and path template) and hour: the
//!   count, the failures and a latency histogram, merged as transactions arrive;
//! - an operation seen in real traffic is marked used, with "Seen in production" (or the
//!   environment's name) as the note, in the trail with no person as the actor; an operation
//!   already marked is left as it is.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, DurationRound, Utc};
use reqwest::Url;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
};
use serde_json::{Value, json};

use super::calls::{Operation, calls, operation_of};
use super::histogram::Histogram;
use super::model::{ObservedHour, ObservedOperation, ObservedView};
use crate::activity::service::{self as activity, NewActivity, child_id};
use crate::entities::{
    api_specs, environments, integrations, observed_hours, spec_operation_uses, spec_operations,
    spec_versions,
};
use crate::error::{AppError, Result};
use crate::implementation::model::EnvironmentKind;
use crate::integrations::lookup::{integration, reference};

/// The window a page shows when none is asked for, in hours.
pub const HOURS: i64 = 24;
/// The longest window, in hours (30 days).
pub const MAX_HOURS: i64 = 24 * 30;

/// The operations of the latest version of each of integration `integration_id`'s specs, in
/// three queries whatever the number of specs (the versions' documents are not read).
///
/// # Errors
/// Database failures.
pub async fn operations_of(
    db: &impl ConnectionTrait,
    integration_id: i32,
) -> Result<Vec<Operation>> {
    let specs: Vec<i32> = api_specs::Entity::find()
        .select_only()
        .column(api_specs::Column::Id)
        .filter(api_specs::Column::IntegrationId.eq(integration_id))
        .into_tuple()
        .all(db)
        .await?;
    let versions: Vec<(i32, i32, i32)> = spec_versions::Entity::find()
        .select_only()
        .columns([
            spec_versions::Column::Id,
            spec_versions::Column::SpecId,
            spec_versions::Column::Number,
        ])
        .filter(spec_versions::Column::SpecId.is_in(specs))
        .into_tuple()
        .all(db)
        .await?;
    // Each spec's newest version, and the spec it belongs to.
    let mut latest: HashMap<i32, (i32, i32)> = HashMap::new();
    for (id, spec_id, number) in versions {
        let newest = latest.entry(spec_id).or_insert((id, number));
        if number > newest.1 {
            *newest = (id, number);
        }
    }
    let spec_of: HashMap<i32, i32> = latest.iter().map(|(spec, (id, _))| (*id, *spec)).collect();
    let rows = spec_operations::Entity::find()
        .filter(spec_operations::Column::VersionId.is_in(spec_of.keys().copied()))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|o| {
            Some(Operation {
                spec_id: *spec_of.get(&o.version_id)?,
                method: o.method,
                template: crate::specs::model::template(&o.path),
                path: o.path,
            })
        })
        .collect())
}

/// An operation's hours on one environment, keyed by environment, method and template: its
/// path, all its latencies, and each hour.
type ByOperation = BTreeMap<(i32, String, String), (String, Histogram, Vec<ObservedHour>)>;

/// What one transaction batch adds to an operation's hour.
#[derive(Default)]
struct Tally {
    calls: i64,
    failures: i64,
    latencies: Histogram,
}

/// Records the provider calls in `transactions` (Sentry transaction payloads, as the ingest
/// hands them on) made on environment `env`. How many calls matched an operation.
///
/// # Errors
/// Database failures.
pub async fn record(
    db: &(impl ConnectionTrait + TransactionTrait),
    env: &environments::Model,
    transactions: &[Value],
) -> Result<usize> {
    let Ok(base) = Url::parse(&env.base_url) else {
        return Ok(0);
    };
    let found: Vec<_> = transactions.iter().flat_map(calls).collect();
    if found.is_empty() {
        return Ok(0);
    }
    let ops = operations_of(db, env.integration_id).await?;
    let mut tallies: BTreeMap<(String, String, DateTime<Utc>), (Operation, Tally)> =
        BTreeMap::new();
    let mut matched = 0;
    for c in &found {
        let Some(op) = operation_of(&ops, &base, &c.method, &c.url) else {
            continue;
        };
        let hour = c.at.duration_trunc(Duration::hours(1)).unwrap_or(c.at);
        let (_, t) = tallies
            .entry((op.method.clone(), op.template.clone(), hour))
            .or_insert_with(|| (op.clone(), Tally::default()));
        t.calls += 1;
        t.failures += i64::from(c.failed);
        t.latencies.add(c.millis);
        matched += 1;
    }
    if tallies.is_empty() {
        return Ok(0);
    }
    let txn = activity::begin(db).await?;
    let mut marked: Vec<&Operation> = Vec::new();
    for ((method, template, hour), (op, t)) in &tallies {
        add(&txn, env, (method, template, &op.path, *hour), t).await?;
        if !marked
            .iter()
            .any(|m| m.spec_id == op.spec_id && m.method == op.method && m.template == op.template)
        {
            marked.push(op);
        }
    }
    for op in marked {
        mark_seen(&txn, env, op).await?;
    }
    txn.commit().await?;
    Ok(matched)
}

/// Adds `t` to the hour `hour` of operation `method template` on `env`.
async fn add(
    txn: &impl ConnectionTrait,
    env: &environments::Model,
    (method, template, path, hour): (&str, &str, &str, DateTime<Utc>),
    t: &Tally,
) -> Result<()> {
    let existing = observed_hours::Entity::find()
        .filter(observed_hours::Column::EnvironmentId.eq(env.id))
        .filter(observed_hours::Column::Method.eq(method))
        .filter(observed_hours::Column::Template.eq(template))
        .filter(observed_hours::Column::Hour.eq(hour))
        .one(txn)
        .await?;
    match existing {
        Some(row) => {
            let mut latencies = Histogram::decode(&row.latencies);
            latencies.merge(&t.latencies);
            let mut active: observed_hours::ActiveModel = row.clone().into();
            active.calls = Set(row.calls.saturating_add(t.calls));
            active.failures = Set(row.failures.saturating_add(t.failures));
            active.latencies = Set(latencies.encode());
            active.path = Set(path.to_string());
            active.update(txn).await?;
        }
        None => {
            observed_hours::ActiveModel {
                integration_id: Set(env.integration_id),
                environment_id: Set(env.id),
                method: Set(method.to_string()),
                template: Set(template.to_string()),
                path: Set(path.to_string()),
                hour: Set(hour),
                calls: Set(t.calls),
                failures: Set(t.failures),
                latencies: Set(t.latencies.encode()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}

/// Marks `op` used by its integration, seen in `env`'s traffic, unless it is marked already.
async fn mark_seen(
    txn: &impl ConnectionTrait,
    env: &environments::Model,
    op: &Operation,
) -> Result<()> {
    let marked = spec_operation_uses::Entity::find()
        .filter(spec_operation_uses::Column::SpecId.eq(op.spec_id))
        .filter(spec_operation_uses::Column::Method.eq(op.method.as_str()))
        .filter(spec_operation_uses::Column::Template.eq(op.template.as_str()))
        .one(txn)
        .await?;
    if marked.is_some() {
        return Ok(());
    }
    let Some(i) = integrations::Entity::find_by_id(env.integration_id)
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    let note = if env.kind == EnvironmentKind::Production {
        "Seen in production".to_string()
    } else {
        format!("Seen in {}'s traffic", env.name)
    };
    let u = spec_operation_uses::ActiveModel {
        spec_id: Set(op.spec_id),
        method: Set(op.method.clone()),
        template: Set(op.template.clone()),
        path: Set(op.path.clone()),
        note: Set(note.clone()),
        // Marked by no one in particular: the owner answers for the integration's uses.
        marked_by: Set(i.owner_id),
        marked_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    activity::record(
        txn,
        NewActivity {
            actor_id: None,
            action: "create",
            entity_kind: "spec_operation_use",
            entity_id: child_id(i.id, u.id),
            before: None,
            after: Some(json!({"operation": format!("{} {}", u.method, u.path), "note": note})),
        },
    )
    .await
}

fn hours_error() -> AppError {
    AppError::field(
        "hours",
        format!("Give a number of hours from 1 to {MAX_HOURS}."),
    )
}

/// The window asked for as text (a query parameter): blank is [`HOURS`].
///
/// # Errors
/// `Validation` on `hours` when it is not a whole number from 1 to [`MAX_HOURS`].
pub fn hours(text: Option<&str>) -> Result<i64> {
    match text.map(str::trim).filter(|h| !h.is_empty()) {
        None => Ok(HOURS),
        Some(h) => h
            .parse::<i64>()
            .ok()
            .filter(|h| (1..=MAX_HOURS).contains(h))
            .ok_or_else(hours_error),
    }
}

fn round(ms: Option<f64>) -> Option<f64> {
    ms.map(|v| (v * 10.0).round() / 10.0)
}

/// The operations integration `slug`'s code was seen calling in the `hours` hours before
/// `now` (1 to [`MAX_HOURS`]), the most called first.
///
/// # Errors
/// `NotFound`; `Validation` on `hours`; database failures.
pub async fn page(
    db: &impl ConnectionTrait,
    slug: &str,
    hours: i64,
    now: DateTime<Utc>,
) -> Result<ObservedView> {
    if !(1..=MAX_HOURS).contains(&hours) {
        return Err(hours_error());
    }
    let i = integration(db, slug).await?;
    let since = now.duration_trunc(Duration::hours(1)).unwrap_or(now) - Duration::hours(hours - 1);
    let rows = observed_hours::Entity::find()
        .filter(observed_hours::Column::IntegrationId.eq(i.id))
        .filter(observed_hours::Column::Hour.gte(since))
        .order_by_asc(observed_hours::Column::Hour)
        .all(db)
        .await?;
    let names: HashMap<i32, String> = environments::Entity::find()
        .filter(environments::Column::IntegrationId.eq(i.id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    let mut by_op: ByOperation = BTreeMap::new();
    for r in rows {
        let latencies = Histogram::decode(&r.latencies);
        let (_, all, hours) = by_op
            .entry((r.environment_id, r.method.clone(), r.template.clone()))
            .or_insert_with(|| (r.path.clone(), Histogram::default(), Vec::new()));
        all.merge(&latencies);
        hours.push(ObservedHour {
            hour: r.hour,
            calls: r.calls,
            failures: r.failures,
            p50_ms: round(latencies.quantile(0.5)),
            p95_ms: round(latencies.quantile(0.95)),
            p99_ms: round(latencies.quantile(0.99)),
        });
    }
    let mut operations: Vec<ObservedOperation> = by_op
        .into_iter()
        .filter_map(|((environment_id, method, _), (path, all, hours))| {
            let calls: i64 = hours.iter().map(|h| h.calls).sum();
            let failures: i64 = hours.iter().map(|h| h.failures).sum();
            #[allow(clippy::cast_precision_loss)]
            let failure_rate = if calls > 0 {
                failures as f64 / calls as f64
            } else {
                0.0
            };
            Some(ObservedOperation {
                method,
                path,
                environment_id,
                environment: names.get(&environment_id).cloned().unwrap_or_default(),
                calls,
                failures,
                failure_rate: (failure_rate * 10_000.0).round() / 10_000.0,
                p50_ms: round(all.quantile(0.5)),
                p95_ms: round(all.quantile(0.95)),
                p99_ms: round(all.quantile(0.99)),
                last_hour: hours.last()?.hour,
                hours,
            })
        })
        .collect();
    operations.sort_by(|a, b| b.calls.cmp(&a.calls).then_with(|| a.path.cmp(&b.path)));
    Ok(ObservedView {
        integration: reference(&i),
        hours,
        operations,
    })
}
