//! (ssr) Taking in error events and reading their groups. A batch is checked whole before
//! anything is written, and written in one transaction: events, group counts, hourly counts.

use crate::auth::access::Action;
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, DurationRound, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Select, TransactionSession,
    TransactionTrait,
    sea_query::{Expr, ExprTrait, OnConflict},
};
use serde_json::json;

use super::fingerprint::{grouped, normalize};
use super::model::{ErrorGroup, EventIn, EventLevel, GroupStatus, IngestReport};
use crate::activity::service::{self as activity};
use crate::auth::model::CurrentUser;
use crate::entities::{error_events, error_group_hours, error_groups};
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::lookup::integration_by_id;
use crate::limits::{EVENT_BATCH, EVENT_CONTEXT_BYTES};
use crate::notifications::model::Message;
use crate::notifications::service::notify;
use crate::paging::Paged;
use crate::records;

crate::integration_record!(error_groups, "error_group", |m| {
    json!({"status": m.status, "regressed": m.regressed})
});

/// One checked event.
struct Valid {
    level: EventLevel,
    message: String,
    error_type: String,
    operation: String,
    http_status: Option<i32>,
    latency_ms: Option<i32>,
    environment: String,
    at: DateTime<Utc>,
    context: String,
    /// Its group's fingerprint.
    print: String,
}

/// A text field of an event: checked for length and control characters (NUL among them,
/// which PostgreSQL cannot store), and with any secret in it redacted in place, counted in
/// `redactions`: an application's error message that quotes a key is kept, the key is not.
fn text(
    e: &mut FieldErrors,
    redactions: &mut usize,
    field: &str,
    value: &str,
    max: usize,
    required: bool,
) -> String {
    let value = value.trim();
    if required && value.is_empty() {
        e.add(field, "Required.");
    } else if value.chars().count() > max {
        e.add(field, format!("At most {max} characters."));
    } else if crate::validate::has_control(value) {
        e.add(field, crate::validate::CONTROL_MESSAGE);
    }
    let (clean, n) = crate::leak_guard::redact(value);
    *redactions += n;
    clean
}

fn check(
    e: &mut FieldErrors,
    redactions: &mut usize,
    i: usize,
    ev: &EventIn,
    now: DateTime<Utc>,
) -> Valid {
    let f = |name: &str| format!("events[{i}].{name}");
    let level = if ev.level.trim().is_empty() {
        Some(EventLevel::Error)
    } else {
        EventLevel::parse(&ev.level)
    };
    let level = level.unwrap_or_else(|| {
        e.add(
            &f("level"),
            format!("Choose one of: {}.", EventLevel::names()),
        );
        EventLevel::Error
    });
    let message = text(e, redactions, &f("message"), &ev.message, 4000, true);
    let error_type = text(e, redactions, &f("error_type"), &ev.error_type, 200, false);
    let operation = text(e, redactions, &f("operation"), &ev.operation, 200, false);
    let environment = text(
        e,
        redactions,
        &f("environment"),
        &ev.environment,
        100,
        false,
    );
    if ev.http_status.is_some_and(|s| !(100..=599).contains(&s)) {
        e.add(&f("http_status"), "An HTTP status from 100 to 599.");
    }
    let latency_ms = match ev.latency_ms {
        Some(ms) if (0..=3_600_000).contains(&ms) => i32::try_from(ms).ok(),
        Some(_) => {
            e.add(&f("latency_ms"), "Milliseconds from 0 to 3600000.");
            None
        }
        None => None,
    };
    let at = match ev.time.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => now,
        Some(t) => match DateTime::parse_from_rfc3339(t) {
            Ok(t) if t.with_timezone(&Utc) <= now + Duration::minutes(5) => t.with_timezone(&Utc),
            Ok(_) => {
                e.add(&f("time"), "The time is in the future.");
                now
            }
            Err(_) => {
                e.add(
                    &f("time"),
                    "An RFC 3339 time, such as 2026-11-29T14:05:00Z.",
                );
                now
            }
        },
    };
    let context = match &ev.context {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(v @ serde_json::Value::Object(_)) => {
            let s = v.to_string();
            if s.len() > EVENT_CONTEXT_BYTES {
                e.add(&f("context"), "At most 16 KB of context.");
            }
            // A placeholder holds no quote or backslash, so the JSON stays valid.
            let (clean, n) = crate::leak_guard::redact(&s);
            *redactions += n;
            clean
        }
        Some(_) => {
            e.add(&f("context"), "A JSON object.");
            String::new()
        }
    };
    if ev.fingerprint.len() > 10 {
        e.add(&f("fingerprint"), "At most 10 parts.");
    }
    for (k, part) in ev.fingerprint.iter().enumerate() {
        if part.chars().count() > 200 || part.trim().is_empty() {
            e.add(
                &f(&format!("fingerprint[{k}]")),
                "From 1 to 200 characters.",
            );
        }
    }
    let print = grouped(&ev.fingerprint, &error_type, &operation, &message);
    Valid {
        print,
        level,
        message,
        error_type,
        operation,
        http_status: ev.http_status,
        latency_ms,
        environment,
        at,
        context,
    }
}

/// A batch checked and with its secrets redacted, ready to store.
#[derive(Default)]
pub struct Prepared {
    valid: Vec<Valid>,
    redactions: usize,
}

impl Prepared {
    /// How many events the batch holds.
    pub fn len(&self) -> usize {
        self.valid.len()
    }

    /// Whether the batch holds no event.
    pub fn is_empty(&self) -> bool {
        self.valid.is_empty()
    }

    /// The fingerprint of each event, in order.
    pub fn fingerprints(&self) -> Vec<String> {
        self.valid.iter().map(|v| v.print.clone()).collect()
    }
}

/// Checks a batch as it arrived at `now`: its size, then every event (the errors name
/// `events[i].field`), redacting secrets in place. Pure, so it is fuzzed on its own.
///
/// # Errors
/// `Validation` naming every bad field.
pub fn prepare(events: &[EventIn], now: DateTime<Utc>) -> Result<Prepared> {
    let mut e = FieldErrors::default();
    if events.is_empty() {
        e.add("events", "Send at least one event.");
    } else if events.len() > EVENT_BATCH {
        e.add(
            "events",
            format!("Send at most {EVENT_BATCH} events per request."),
        );
    }
    e.into_result()?;
    let mut e = FieldErrors::default();
    let mut redactions = 0;
    let valid: Vec<Valid> = events
        .iter()
        .enumerate()
        .map(|(i, ev)| check(&mut e, &mut redactions, i, ev, now))
        .collect();
    e.into_result()?;
    Ok(Prepared { valid, redactions })
}

/// Takes in `events` for integration `integration_id`: all of them or, when any is invalid,
/// none (the errors name `events[i].field`).
///
/// # Errors
/// `Forbidden` (stakeholders and QA report no events); `NotFound`; `Validation`.
pub async fn ingest(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    events: &[EventIn],
) -> Result<IngestReport> {
    if !actor.can(Action::Build) {
        return Err(AppError::Forbidden);
    }
    store(db, Some(actor), integration_id, events).await
}

/// Takes in `events` for integration `integration_id` as [`ingest`] does, reported by `by`,
/// or by no one in particular: an application with the ingest key of one of the
/// integration's environments, which was checked before (the Sentry-compatible ingest).
///
/// # Errors
/// `NotFound`; `Validation`.
pub async fn store(
    db: &(impl ConnectionTrait + TransactionTrait),
    by: Option<&CurrentUser>,
    integration_id: i32,
    events: &[EventIn],
) -> Result<IngestReport> {
    let now = Utc::now();
    let prepared = prepare(events, now)?;
    let txn = activity::begin(db).await?;
    let report = write(&txn, by, integration_id, &prepared, now).await?;
    txn.commit().await?;
    Ok(report)
}

/// Writes a batch [`prepare`]d at `now` for integration `integration_id` in `txn` (begun with
/// `activity::begin`, so it holds the write lock): the events, their groups' counts (a
/// resolved group that recurs regresses, and its owner is told) and the hourly counts.
/// Several batches may share one transaction (the Sentry ingest's writer).
///
/// # Errors
/// `NotFound` (no such integration); database failures.
pub async fn write(
    txn: &impl ConnectionTrait,
    by: Option<&CurrentUser>,
    integration_id: i32,
    prepared: &Prepared,
    now: DateTime<Utc>,
) -> Result<IngestReport> {
    let Prepared { valid, redactions } = prepared;
    let mut by_print: BTreeMap<String, Vec<&Valid>> = BTreeMap::new();
    for v in valid {
        by_print.entry(v.print.clone()).or_default().push(v);
    }
    let i = integration_by_id(txn, integration_id).await?;
    let existing = error_groups::Entity::find()
        .filter(error_groups::Column::IntegrationId.eq(integration_id))
        .filter(error_groups::Column::Fingerprint.is_in(by_print.keys().cloned()))
        .all(txn)
        .await?;
    let mut report = IngestReport {
        accepted: valid.len(),
        groups: by_print.len(),
        redactions: *redactions,
        ..Default::default()
    };
    let mut rows = Vec::with_capacity(valid.len());
    let mut hours: BTreeMap<(i32, DateTime<Utc>), i64> = BTreeMap::new();
    for (print, group) in &by_print {
        let first = group.iter().map(|v| v.at).min().unwrap_or(now);
        let last = group.iter().map(|v| v.at).max().unwrap_or(now);
        let level = group
            .iter()
            .map(|v| v.level)
            .max_by_key(|l| rank(*l))
            .unwrap_or(EventLevel::Error);
        #[allow(clippy::cast_possible_wrap)]
        let n = group.len() as i64;
        let id = match existing.iter().find(|g| &g.fingerprint == print) {
            Some(g) => {
                let recurred = g.status == GroupStatus::Resolved
                    && last > g.resolved_at.unwrap_or(g.last_seen);
                let mut active: error_groups::ActiveModel = g.clone().into();
                active.count = Set(g.count + n);
                active.first_seen = Set(std::cmp::min(g.first_seen, first));
                active.last_seen = Set(std::cmp::max(g.last_seen, last));
                if rank(level) > rank(g.level) {
                    active.level = Set(level);
                }
                if recurred {
                    active.status = Set(GroupStatus::Unresolved);
                    active.regressed = Set(true);
                    active.resolved_at = Set(None);
                    report.regressions += 1;
                    notify(
                        txn,
                        vec![i.owner_id],
                        &Message {
                            kind: crate::notifications::model::Kind::ErrorRegression,
                            integration_id: Some(i.id),
                            title: &format!("{}: a resolved error is back", i.name),
                            body: &format!("{} {}: {}", g.error_type, g.operation, g.message),
                            link: &format!("/integrations/{}/errors", i.slug),
                        },
                    )
                    .await?;
                }
                // Only a regression changes what the trail shows of a group.
                let action = if recurred { "regress" } else { "update" };
                records::save_by::<error_groups::Entity>(txn, by, action, g, active).await?;
                g.id
            }
            None => {
                let v = group[0];
                report.new_groups += 1;
                error_groups::ActiveModel {
                    integration_id: Set(integration_id),
                    fingerprint: Set(print.clone()),
                    error_type: Set(v.error_type.clone()),
                    operation: Set(v.operation.clone()),
                    message: Set(normalize(&v.message)),
                    level: Set(level),
                    status: Set(GroupStatus::Unresolved),
                    regressed: Set(false),
                    count: Set(n),
                    first_seen: Set(first),
                    last_seen: Set(last),
                    resolved_at: Set(None),
                    ..Default::default()
                }
                .insert(txn)
                .await?
                .id
            }
        };
        for v in group {
            *hours.entry((id, hour_of(v.at))).or_default() += 1;
            rows.push(error_events::ActiveModel {
                group_id: Set(id),
                level: Set(v.level),
                message: Set(v.message.clone()),
                http_status: Set(v.http_status),
                latency_ms: Set(v.latency_ms),
                environment: Set(v.environment.clone()),
                occurred_at: Set(v.at),
                context: Set(v.context.clone()),
                ..Default::default()
            });
        }
    }
    for chunk in rows.chunks(500) {
        error_events::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await?;
    }
    let hour_rows: Vec<error_group_hours::ActiveModel> = hours
        .into_iter()
        .map(|((group_id, hour), count)| error_group_hours::ActiveModel {
            group_id: Set(group_id),
            hour: Set(hour),
            count: Set(count),
        })
        .collect();
    for chunk in hour_rows.chunks(500) {
        error_group_hours::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([
                    error_group_hours::Column::GroupId,
                    error_group_hours::Column::Hour,
                ])
                .value(
                    error_group_hours::Column::Count,
                    Expr::col((error_group_hours::Entity, error_group_hours::Column::Count))
                        .add(Expr::cust("excluded.count")),
                )
                .to_owned(),
            )
            .exec(txn)
            .await?;
    }
    Ok(report)
}

fn rank(l: EventLevel) -> usize {
    EventLevel::ALL.iter().position(|x| *x == l).unwrap_or(0)
}

/// The start of `t`'s hour.
pub fn hour_of(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(Duration::hours(1)).unwrap_or(t)
}

/// Groups a page lists at once.
pub const PER_PAGE: u64 = 25;

/// The groups of integration `integration_id`, most recently seen first, optionally only
/// those with `status`.
fn groups_of(integration_id: i32, status: Option<GroupStatus>) -> Select<error_groups::Entity> {
    let q = error_groups::Entity::find()
        .filter(error_groups::Column::IntegrationId.eq(integration_id))
        .order_by_desc(error_groups::Column::LastSeen)
        .order_by_desc(error_groups::Column::Id);
    match status {
        Some(s) => q.filter(error_groups::Column::Status.eq(s)),
        None => q,
    }
}

/// Page `page` of the groups of integration `integration_id`, [`PER_PAGE`] a page.
///
/// # Errors
/// Database failures.
pub async fn groups_page(
    db: &impl ConnectionTrait,
    integration_id: i32,
    status: Option<GroupStatus>,
    now: DateTime<Utc>,
    page: u64,
) -> Result<Paged<ErrorGroup>> {
    let found = crate::paging::fetch(db, groups_of(integration_id, status), PER_PAGE, page).await?;
    Ok(Paged {
        items: with_hours(db, found.items, now).await?,
        total: found.total,
        page: found.page,
        pages: found.pages,
    })
}

/// `groups` with each one's counts over the 24 hours before `now`.
pub(crate) async fn with_hours(
    db: &impl ConnectionTrait,
    groups: Vec<error_groups::Model>,
    now: DateTime<Utc>,
) -> Result<Vec<ErrorGroup>> {
    let start = hour_of(now) - Duration::hours(23);
    let counts = error_group_hours::Entity::find()
        .filter(error_group_hours::Column::GroupId.is_in(groups.iter().map(|g| g.id)))
        .filter(error_group_hours::Column::Hour.gte(start))
        .all(db)
        .await?;
    groups
        .into_iter()
        .map(|g| {
            let mut last_24h = vec![0; 24];
            for c in counts.iter().filter(|c| c.group_id == g.id) {
                if let Ok(slot) = usize::try_from((c.hour - start).num_hours())
                    && slot < 24
                {
                    last_24h[slot] += c.count;
                }
            }
            Ok(ErrorGroup {
                id: g.id,
                level: g.level,
                status: g.status,
                fingerprint: g.fingerprint,
                error_type: g.error_type,
                operation: g.operation,
                message: g.message,
                regressed: g.regressed,
                count: g.count,
                first_seen: g.first_seen,
                last_seen: g.last_seen,
                resolved_at: g.resolved_at,
                last_24h,
            })
        })
        .collect()
}

/// Sets group `id`'s status (engineers, coordinators and admins); resolving clears the
/// regression flag.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` on `status`.
pub async fn set_status(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    status: &str,
) -> Result<()> {
    if !actor.can(Action::Build) {
        return Err(AppError::Forbidden);
    }
    let status = GroupStatus::parse(status).ok_or_else(|| {
        AppError::field(
            "status",
            format!("Choose one of: {}.", GroupStatus::names()),
        )
    })?;
    let txn = activity::begin(db).await?;
    let g = error_groups::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut active: error_groups::ActiveModel = g.clone().into();
    active.status = Set(status);
    if status == GroupStatus::Resolved {
        active.resolved_at = Set(Some(Utc::now()));
        active.regressed = Set(false);
    }
    records::save::<error_groups::Entity>(&txn, actor, "update", &g, active).await?;
    txn.commit().await?;
    Ok(())
}
