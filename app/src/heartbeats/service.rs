//! (ssr) Heartbeat monitors. Rules kept here:
//! - a monitor belongs to one environment of its integration, has a slug unique there (a
//!   Sentry check-in's `monitor_slug`), a secret token (its ping URL), and either an interval
//!   or a cron expression, with a grace period and a run-time limit;
//! - `due_at` is always when the monitor calls the job late: the next expected run plus the
//!   grace, or, while a run is going, its start plus the run-time limit;
//! - a failed run, or [`sweep`] finding `due_at` passed, puts the monitor down and opens an
//!   incident through the same path as a failed probe (one per monitor, none in a maintenance
//!   window); a good run puts it up and resolves that incident;
//! - a Sentry check-in with a `monitor_config` creates or updates its monitor, as Sentry does;
//!   one for a monitor that does not exist and carries none is counted and dropped.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionSession, TransactionTrait, sea_query::Expr,
};
use serde_json::json;

use super::model::{
    CheckIn, EnvironmentName, Heartbeat, HeartbeatForm, HeartbeatState, HeartbeatsView, Ping,
    Schedule,
};
use super::schedule::{self, GRACE_MINUTES, MAX_MINUTES, MAX_RUNTIME_MINUTES};
use crate::activity::service::{self as activity, NewActivity, child_id};
use crate::auth::access::Action;
use crate::auth::model::CurrentUser;
use crate::entities::{environments, heartbeats};
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::lookup::{integration, integration_by_id, reference};
use crate::monitoring::incidents;
use crate::records;
use crate::validate::{optional, optional_id, required, whole};

/// The most late monitors one sweep puts down (the rest wait for the next).
const SWEEP: u64 = 500;

/// The most monitors one integration may have.
pub const MAX_PER_INTEGRATION: usize = 200;

crate::integration_record!(heartbeats, "heartbeat", |m| {
    json!({
        "name": m.name,
        "slug": m.slug,
        "environment_id": m.environment_id,
        "interval_minutes": m.interval_minutes,
        "cron": m.cron,
        "grace_minutes": m.grace_minutes,
        "max_runtime_minutes": m.max_runtime_minutes,
    })
});

/// A new token: 128 random bits in hex.
fn new_token() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// The ping URL of `token` on the Tollgate at `public_url`.
pub fn ping_url(public_url: &str, token: &str) -> String {
    format!(
        "{}/api/v1/heartbeats/{token}",
        public_url.trim_end_matches('/')
    )
}

/// Monitor `m`'s schedule.
pub fn schedule_of(m: &heartbeats::Model) -> Schedule {
    Schedule {
        interval_minutes: m.interval_minutes,
        cron: m.cron.clone(),
        grace_minutes: m.grace_minutes,
        max_runtime_minutes: m.max_runtime_minutes,
    }
}

fn to_heartbeat(m: heartbeats::Model, environment: String) -> Heartbeat {
    let s = schedule_of(&m);
    let next_expected_at = match m.state {
        // A run is going: the next is due after it.
        HeartbeatState::Running => schedule::next_run(&s, m.last_ping_at.unwrap_or(m.created_at)),
        _ => m.due_at - chrono::Duration::minutes(i64::from(m.grace_minutes)),
    };
    Heartbeat {
        id: m.id,
        integration_id: m.integration_id,
        environment_id: m.environment_id,
        environment,
        schedule: schedule::describe(&s),
        name: m.name,
        slug: m.slug,
        interval_minutes: m.interval_minutes,
        cron: m.cron,
        grace_minutes: m.grace_minutes,
        max_runtime_minutes: m.max_runtime_minutes,
        state: m.state,
        last_ping: m.last_ping,
        last_ping_at: m.last_ping_at,
        next_expected_at,
        late_after: m.due_at,
        ping_url: None,
    }
}

/// The heartbeats of integration `slug`, by name, each completed by `shown` from its row.
async fn listed(
    db: &impl ConnectionTrait,
    slug: &str,
    shown: impl Fn(&heartbeats::Model, Heartbeat) -> Heartbeat,
) -> Result<HeartbeatsView> {
    let i = integration(db, slug).await?;
    let rows = heartbeats::Entity::find()
        .filter(heartbeats::Column::IntegrationId.eq(i.id))
        .order_by_asc(heartbeats::Column::Name)
        .order_by_asc(heartbeats::Column::Id)
        .all(db)
        .await?;
    let envs = environments::Entity::find()
        .filter(environments::Column::IntegrationId.eq(i.id))
        .order_by_asc(environments::Column::Name)
        .all(db)
        .await?;
    let names: std::collections::HashMap<i32, String> =
        envs.iter().map(|e| (e.id, e.name.clone())).collect();
    Ok(HeartbeatsView {
        integration: reference(&i),
        environments: envs
            .into_iter()
            .map(|e| EnvironmentName {
                id: e.id,
                name: e.name,
            })
            .collect(),
        heartbeats: rows
            .into_iter()
            .map(|m| {
                let env = names.get(&m.environment_id).cloned().unwrap_or_default();
                shown(&m, to_heartbeat(m.clone(), env))
            })
            .collect(),
    })
}

/// The heartbeats of integration `slug`, by name (without ping URLs: see [`page_for`]).
///
/// # Errors
/// `NotFound`; database failures.
pub async fn page(db: &impl ConnectionTrait, slug: &str) -> Result<HeartbeatsView> {
    listed(db, slug, |_, hb| hb).await
}

/// `hb` as `actor` sees it: with its ping URL on the Tollgate at `public_url` when `actor`
/// builds (the token lets anyone report a run).
pub fn shown(actor: &CurrentUser, mut hb: Heartbeat, token: &str, public_url: &str) -> Heartbeat {
    if actor.can(Action::Build) {
        hb.ping_url = Some(ping_url(public_url, token));
    }
    hb
}

/// The heartbeats of integration `slug` as `actor` sees them ([`page`] with [`shown`]).
///
/// # Errors
/// `NotFound`; database failures.
pub async fn page_for(
    db: &impl ConnectionTrait,
    actor: &CurrentUser,
    slug: &str,
    public_url: &str,
) -> Result<HeartbeatsView> {
    listed(db, slug, |m, hb| shown(actor, hb, &m.token, public_url)).await
}

/// One heartbeat (without its ping URL).
///
/// # Errors
/// `NotFound`; database failures.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Heartbeat> {
    let m = records::find::<heartbeats::Entity>(db, id).await?;
    let env = records::find::<environments::Entity>(db, m.environment_id).await?;
    Ok(to_heartbeat(m, env.name))
}

/// Heartbeat `hb` as `actor` sees it, with its ping URL for those who build.
///
/// # Errors
/// `NotFound`; database failures.
pub async fn get_for(
    db: &impl ConnectionTrait,
    actor: &CurrentUser,
    hb: Heartbeat,
    public_url: &str,
) -> Result<Heartbeat> {
    let m = records::find::<heartbeats::Entity>(db, hb.id).await?;
    Ok(shown(actor, hb, &m.token, public_url))
}

/// A form checked: what to save.
struct Valid {
    name: String,
    slug: String,
    environment: environments::Model,
    schedule: Schedule,
}

async fn validate(
    db: &impl ConnectionTrait,
    integration_id: i32,
    form: &HeartbeatForm,
    id: Option<i32>,
) -> Result<Valid> {
    let mut e = FieldErrors::default();
    let name = required(&mut e, "name", &form.name, "a name", 100);
    let slug_text = optional(&mut e, "slug", &form.slug, schedule::SLUG_CHARS);
    let slug = schedule::slug(if slug_text.is_empty() {
        &name
    } else {
        &slug_text
    });
    if slug.is_none() && !name.is_empty() {
        e.add("slug", "Use letters or digits in the slug.");
    }
    let env_id = optional_id(&mut e, "environment_id", &form.environment_id);
    let interval = whole(
        &mut e,
        "interval_minutes",
        &form.interval_minutes,
        "the minutes between runs",
        (1, MAX_MINUTES),
        Some(0),
    )
    .filter(|m| *m > 0);
    let cron_text = form.cron.trim();
    let cron = if cron_text.is_empty() {
        None
    } else {
        match schedule::cron(cron_text) {
            Ok(_) => Some(cron_text.to_string()),
            Err(message) => {
                e.add("cron", message);
                None
            }
        }
    };
    match (interval.is_some(), cron_text.is_empty()) {
        (true, false) => e.add("cron", "Give an interval or a cron expression, not both."),
        (false, true) if form.interval_minutes.trim().is_empty() => e.add(
            "interval_minutes",
            "Give the minutes between runs, or a cron expression.",
        ),
        _ => {}
    }
    let grace = whole(
        &mut e,
        "grace_minutes",
        &form.grace_minutes,
        "the grace in minutes",
        (0, MAX_MINUTES),
        Some(GRACE_MINUTES),
    );
    let runtime = whole(
        &mut e,
        "max_runtime_minutes",
        &form.max_runtime_minutes,
        "the longest run in minutes",
        (1, MAX_MINUTES),
        Some(MAX_RUNTIME_MINUTES),
    );
    let env = match env_id {
        Some(id) => environments::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|m| m.integration_id == integration_id),
        None => None,
    };
    if env.is_none() {
        e.add(
            "environment_id",
            "Choose an environment of this integration.",
        );
    }
    if let (Some(env), Some(slug)) = (&env, &slug) {
        let taken = heartbeats::Entity::find()
            .filter(heartbeats::Column::EnvironmentId.eq(env.id))
            .filter(heartbeats::Column::Slug.eq(slug.as_str()))
            .one(db)
            .await?
            .is_some_and(|m| Some(m.id) != id);
        if taken {
            e.add(
                "slug",
                format!("{} already has a heartbeat with the slug {slug}.", env.name),
            );
        }
    }
    e.into_result()?;
    let (Some(environment), Some(slug)) = (env, slug) else {
        return Err(AppError::field("environment_id", "Choose an environment."));
    };
    Ok(Valid {
        name,
        slug,
        environment,
        schedule: Schedule {
            interval_minutes: interval,
            cron,
            grace_minutes: grace.unwrap_or(GRACE_MINUTES),
            max_runtime_minutes: runtime.unwrap_or(MAX_RUNTIME_MINUTES),
        },
    })
}

fn fresh(
    integration_id: i32,
    environment_id: i32,
    (name, slug): (String, String),
    s: &Schedule,
    now: DateTime<Utc>,
) -> heartbeats::ActiveModel {
    let mut active = heartbeats::ActiveModel {
        integration_id: Set(integration_id),
        environment_id: Set(environment_id),
        slug: Set(slug),
        name: Set(name),
        token: Set(new_token()),
        state: Set(HeartbeatState::New),
        last_ping: Set(None),
        last_ping_at: Set(None),
        due_at: Set(schedule::deadline(s, now)),
        created_at: Set(now),
        ..Default::default()
    };
    set_schedule(&mut active, s);
    active
}

/// Puts schedule `s` on `active`.
fn set_schedule(active: &mut heartbeats::ActiveModel, s: &Schedule) {
    active.interval_minutes = Set(s.interval_minutes);
    active.cron = Set(s.cron.clone());
    active.grace_minutes = Set(s.grace_minutes);
    active.max_runtime_minutes = Set(s.max_runtime_minutes);
}

/// Whether integration `integration_id` may have one more monitor.
async fn room_for_one(db: &impl ConnectionTrait, integration_id: i32) -> Result<bool> {
    let count = heartbeats::Entity::find()
        .filter(heartbeats::Column::IntegrationId.eq(integration_id))
        .count(db)
        .await?;
    Ok(count < MAX_PER_INTEGRATION as u64)
}

/// Adds a heartbeat monitor to integration `integration_id`; its first run is expected by
/// the schedule from now.
///
/// # Errors
/// `Forbidden` (engineers, coordinators and admins); `NotFound`; `Validation` naming the
/// field.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &HeartbeatForm,
) -> Result<i32> {
    actor.may(Action::Build)?;
    let txn = activity::begin(db).await?;
    integration_by_id(&txn, integration_id).await?;
    let v = validate(&txn, integration_id, form, None).await?;
    if !room_for_one(&txn, integration_id).await? {
        return Err(AppError::field(
            "name",
            format!("An integration has at most {MAX_PER_INTEGRATION} heartbeats."),
        ));
    }
    let active = fresh(
        integration_id,
        v.environment.id,
        (v.name, v.slug),
        &v.schedule,
        Utc::now(),
    );
    let m = records::insert::<heartbeats::Entity>(&txn, actor, active).await?;
    txn.commit().await?;
    Ok(m.id)
}

/// Changes heartbeat `id`; a new schedule takes effect from now.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` naming the field.
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    form: &HeartbeatForm,
) -> Result<()> {
    actor.may(Action::Build)?;
    let txn = activity::begin(db).await?;
    let before = records::find::<heartbeats::Entity>(&txn, id).await?;
    let v = validate(&txn, before.integration_id, form, Some(id)).await?;
    let moved = v.schedule != schedule_of(&before) || v.environment.id != before.environment_id;
    let mut active: heartbeats::ActiveModel = before.clone().into();
    active.name = Set(v.name);
    active.slug = Set(v.slug);
    active.environment_id = Set(v.environment.id);
    set_schedule(&mut active, &v.schedule);
    if moved && before.state != HeartbeatState::Running {
        active.due_at = Set(schedule::deadline(&v.schedule, Utc::now()));
    }
    records::save::<heartbeats::Entity>(&txn, actor, "update", &before, active).await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes heartbeat `id` (its incidents stay, as history).
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn delete(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    records::delete::<heartbeats::Entity>(db, actor, Action::Build, id).await
}

/// Records `ping` on monitor `m` at `now`, in `txn`: the new state and deadline, and the
/// incident opened or resolved.
async fn record(
    txn: &impl ConnectionTrait,
    m: heartbeats::Model,
    ping: Ping,
    now: DateTime<Utc>,
) -> Result<()> {
    let s = schedule_of(&m);
    let (state, due_at) = match ping {
        Ping::Start => (
            HeartbeatState::Running,
            now + chrono::Duration::minutes(i64::from(m.max_runtime_minutes)),
        ),
        Ping::Ok => (HeartbeatState::Up, schedule::deadline(&s, now)),
        Ping::Fail => (HeartbeatState::Down, schedule::deadline(&s, now)),
    };
    let mut active: heartbeats::ActiveModel = m.clone().into();
    active.state = Set(state);
    active.last_ping = Set(Some(ping));
    active.last_ping_at = Set(Some(now));
    active.due_at = Set(due_at);
    let m = active.update(txn).await?;
    let env = records::find::<environments::Entity>(txn, m.environment_id).await?;
    match ping {
        Ping::Start => Ok(()),
        Ping::Ok => incidents::heartbeat_back(txn, &env, &m, now).await,
        Ping::Fail => {
            let why = format!(
                "{} reported a failed run at {}.",
                m.name,
                now.format("%Y-%m-%d %H:%M UTC")
            );
            incidents::heartbeat_down(txn, &env, &m, &why, now).await
        }
    }
}

/// A ping to the monitor whose token is `token`, at `now`.
///
/// # Errors
/// `NotFound` (no monitor has that token); database failures.
pub async fn ping(
    db: &(impl ConnectionTrait + TransactionTrait),
    token: &str,
    ping: Ping,
    now: DateTime<Utc>,
) -> Result<()> {
    if token.len() > 64 {
        return Err(AppError::NotFound);
    }
    let txn = activity::begin(db).await?;
    let m = heartbeats::Entity::find()
        .filter(heartbeats::Column::Token.eq(token))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    record(&txn, m, ping, now).await?;
    txn.commit().await?;
    Ok(())
}

/// A Sentry cron check-in `c` for environment `env` at `now`: recorded on its monitor, which
/// a `monitor_config` creates or updates. Whether it was recorded (false: no such monitor and
/// no schedule to make one with).
///
/// # Errors
/// Database failures.
pub async fn check_in(
    db: &(impl ConnectionTrait + TransactionTrait),
    env: &environments::Model,
    c: &CheckIn,
    now: DateTime<Utc>,
) -> Result<bool> {
    let txn = activity::begin(db).await?;
    let found = heartbeats::Entity::find()
        .filter(heartbeats::Column::EnvironmentId.eq(env.id))
        .filter(heartbeats::Column::Slug.eq(c.slug.as_str()))
        .one(&txn)
        .await?;
    let m = match (found, &c.config) {
        (Some(m), Some(s)) if *s != schedule_of(&m) => {
            let mut active: heartbeats::ActiveModel = m.clone().into();
            set_schedule(&mut active, s);
            let saved = active.update(&txn).await?;
            configured(&txn, &saved, "update").await?;
            saved
        }
        (Some(m), _) => m,
        (None, Some(s)) => {
            if !room_for_one(&txn, env.integration_id).await? {
                return Ok(false);
            }
            let active = fresh(
                env.integration_id,
                env.id,
                (c.slug.clone(), c.slug.clone()),
                s,
                now,
            );
            let saved = active.insert(&txn).await?;
            configured(&txn, &saved, "create").await?;
            saved
        }
        (None, None) => return Ok(false),
    };
    record(&txn, m, c.ping, now).await?;
    txn.commit().await?;
    Ok(true)
}

/// A Sentry `check_in` item's payload `v` for environment `env` at `now` (what the ingest
/// hands on): recorded as [`check_in`] records it; false when it is not one Tollgate can read
/// (no monitor slug, an unknown status) or names no monitor and carries no schedule.
///
/// # Errors
/// Database failures.
pub async fn sentry_check_in(
    db: &(impl ConnectionTrait + TransactionTrait),
    env: &environments::Model,
    v: &serde_json::Value,
    now: DateTime<Utc>,
) -> Result<bool> {
    match schedule::check_in(v) {
        Some(c) => check_in(db, env, &c, now).await,
        None => Ok(false),
    }
}

/// Puts in the trail, with no person as the actor, that an SDK's check-in configured `m`.
async fn configured(txn: &impl ConnectionTrait, m: &heartbeats::Model, action: &str) -> Result<()> {
    activity::record(
        txn,
        NewActivity {
            actor_id: None,
            action,
            entity_kind: "heartbeat",
            entity_id: child_id(m.integration_id, m.id),
            before: None,
            after: Some(<heartbeats::Entity as records::Audited>::snapshot(m)),
        },
    )
    .await
}

/// Puts down every monitor whose job is late at `now` (its `due_at` passed with no report),
/// each opening its incident. How many went down. The monitor's loop calls it; tests call
/// it with their own clock.
///
/// # Errors
/// Database failures.
pub async fn sweep(
    db: &(impl ConnectionTrait + TransactionTrait),
    now: DateTime<Utc>,
) -> Result<usize> {
    let late = heartbeats::Entity::find()
        .filter(heartbeats::Column::DueAt.lte(now))
        .filter(heartbeats::Column::State.ne(HeartbeatState::Down))
        .order_by_asc(heartbeats::Column::DueAt)
        .limit(SWEEP)
        .all(db)
        .await?;
    let mut n = 0;
    for m in late {
        let txn = activity::begin(db).await?;
        let why = match (m.state, m.last_ping_at) {
            (HeartbeatState::Running, Some(started)) => format!(
                "{} started at {} and did not finish within {} min.",
                m.name,
                started.format("%Y-%m-%d %H:%M UTC"),
                m.max_runtime_minutes
            ),
            (_, Some(last)) => format!(
                "{} missed a run: none reported since {}, expected by {}.",
                m.name,
                last.format("%Y-%m-%d %H:%M UTC"),
                m.due_at.format("%Y-%m-%d %H:%M UTC")
            ),
            (_, None) => format!(
                "{} missed its first run, expected by {}.",
                m.name,
                m.due_at.format("%Y-%m-%d %H:%M UTC")
            ),
        };
        // Only if it is still late: another replica's sweep, or a report, may have come first.
        let taken = heartbeats::Entity::update_many()
            .col_expr(
                heartbeats::Column::State,
                Expr::value(HeartbeatState::Down.as_str()),
            )
            .col_expr(
                heartbeats::Column::DueAt,
                Expr::value(schedule::deadline(&schedule_of(&m), now)),
            )
            .filter(heartbeats::Column::Id.eq(m.id))
            .filter(heartbeats::Column::DueAt.eq(m.due_at))
            .filter(heartbeats::Column::State.ne(HeartbeatState::Down))
            .exec(&txn)
            .await?;
        if taken.rows_affected != 1 {
            continue;
        }
        let env = records::find::<environments::Entity>(&txn, m.environment_id).await?;
        incidents::heartbeat_down(&txn, &env, &m, &why, now).await?;
        txn.commit().await?;
        n += 1;
    }
    Ok(n)
}
