//! (ssr) The scheduler. Every process ticks a few times a second and, when a read finds any
//! due, claims the monitors that are due with one UPDATE whose subquery locks them with
//! `FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite has one writer, and one process runs
//! there): the claim writes a lease
//! (owner and expiry), so replicas sharing a database run each check once, and a replica
//! that dies mid-check loses its lease when it expires. A result is kept only while the lease
//! is held, and at most once per environment and scheduled time (a unique index).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TransactionSession, TransactionTrait,
    sea_query::{Expr, LockBehavior, LockType, Order, Query},
};

use super::incidents::{came_back, certificate_expiring, state_changed, went_down};
use super::probe::{Outcome, Prober};
use super::tls::warning_due;
use crate::activity::service as activity;
use crate::entities::{environments, monitors, probe_results};
use crate::error::Result;
use crate::implementation::service::health_check_of;
use crate::monitors::MonitorState;

/// How the scheduler behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// Consecutive failures before an environment is down (`TOLLGATE_DOWN_AFTER`).
    pub down_after: i32,
    /// How long a claim holds before another process may take the check over.
    pub lease: Duration,
    /// The most checks one tick claims, and the most the loop ([`run`]) runs at once.
    pub batch: u64,
    /// Days raw results are kept before only their roll-ups remain
    /// (`TOLLGATE_PROBE_RETENTION_DAYS`).
    pub retention_days: i64,
    /// Held while a check's result is written: at most [`WRITING_AT_ONCE`] at a time, so a
    /// tick's burst of results never holds every database connection (on SQLite they would
    /// only wait for its one writer, while the pages waited for them).
    pub writing: std::sync::Arc<tokio::sync::Semaphore>,
}

/// How many checks' results are written at once.
pub const WRITING_AT_ONCE: usize = 2;

impl Default for Config {
    fn default() -> Self {
        Config {
            down_after: 3,
            // The longest timeout a check may have is 60 s.
            lease: Duration::seconds(90),
            batch: 200,
            retention_days: 30,
            writing: std::sync::Arc::new(tokio::sync::Semaphore::new(WRITING_AT_ONCE)),
        }
    }
}

/// A claimed check: the monitor as it was due, and its environment.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub monitor: monitors::Model,
    pub environment: environments::Model,
}

/// Claims for `owner` up to `config.batch` checks due at `now`.
///
/// # Errors
/// Database failures.
pub async fn claim(
    db: &impl ConnectionTrait,
    owner: &str,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<Vec<Claimed>> {
    let due_now = || {
        Condition::all()
            .add(monitors::Column::NextRunAt.lte(now))
            .add(
                Condition::any()
                    .add(monitors::Column::LeaseUntil.is_null())
                    .add(monitors::Column::LeaseUntil.lt(now)),
            )
    };
    // Most ticks find nothing due: a plain read says so without the UPDATE, which on SQLite
    // would take the database's one write lock ten times a second.
    if monitors::Entity::find()
        .filter(due_now())
        .one(db)
        .await?
        .is_none()
    {
        return Ok(Vec::new());
    }
    let due = Query::select()
        .column(monitors::Column::EnvironmentId)
        .from(monitors::Entity)
        .cond_where(due_now())
        .order_by(monitors::Column::NextRunAt, Order::Asc)
        .limit(config.batch)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    let taken = monitors::Entity::update_many()
        .col_expr(monitors::Column::LeaseOwner, Expr::value(owner))
        .col_expr(
            monitors::Column::LeaseUntil,
            Expr::value(now + config.lease),
        )
        .filter(monitors::Column::EnvironmentId.in_subquery(due))
        .exec_with_returning(db)
        .await?;
    if taken.is_empty() {
        return Ok(Vec::new());
    }
    let envs = environments::Entity::find()
        .filter(environments::Column::Id.is_in(taken.iter().map(|m| m.environment_id)))
        .all(db)
        .await?;
    Ok(taken
        .into_iter()
        .filter_map(|monitor| {
            let environment = envs
                .iter()
                .find(|e| e.id == monitor.environment_id)?
                .clone();
            Some(Claimed {
                monitor,
                environment,
            })
        })
        .collect())
}

/// The next time a check scheduled at `scheduled` with `interval` runs: one interval later,
/// or, when the schedule has fallen behind (a backlog, a stopped server), the first slot of
/// the same phase after `now`. Checks spread over the interval stay spread: a server started
/// after a pause runs the backlog once, not every interval in one burst ever after.
pub fn next_slot(
    scheduled: DateTime<Utc>,
    interval: Duration,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    let next = scheduled + interval;
    if next > now {
        return next;
    }
    let step = interval.num_milliseconds().max(1_000);
    let behind = (now - scheduled).num_milliseconds();
    scheduled + Duration::milliseconds((behind / step + 1) * step)
}

/// Runs claimed check `c` and records its result.
///
/// # Errors
/// Database failures.
pub async fn run_one(
    db: &DatabaseConnection,
    prober: &Prober,
    owner: &str,
    config: &Config,
    c: &Claimed,
) -> Result<bool> {
    let Some(check) = health_check_of(&c.environment)? else {
        return Ok(false);
    };
    let started = Utc::now();
    let outcome = prober.probe(&c.environment, &check).await;
    record(db, owner, config, c, started, &outcome).await
}

/// Records `outcome` of claimed check `c`, started at `started`: the result, the monitor's
/// counts and state, and on a change of state the incident. Returns false (and keeps
/// nothing) when this process no longer holds the lease or the slot was already recorded.
///
/// # Errors
/// Database failures.
pub async fn record(
    db: &(impl ConnectionTrait + TransactionTrait),
    owner: &str,
    config: &Config,
    c: &Claimed,
    started: DateTime<Utc>,
    outcome: &Outcome,
) -> Result<bool> {
    let m = &c.monitor;
    let now = Utc::now();
    let up = outcome.up();
    let (failures, successes) = if up {
        (0, m.successes.saturating_add(1))
    } else {
        (m.failures.saturating_add(1), 0)
    };
    let old = m.state;
    let new = if up {
        MonitorState::Up
    } else if failures >= config.down_after {
        MonitorState::Down
    } else {
        old
    };
    // Unknown -> up is the first look, not news; any other change of state is, and so is an
    // environment still down without an incident once its maintenance window has closed.
    let news = (new != old && !(old == MonitorState::Unknown && new == MonitorState::Up))
        || (new == MonitorState::Down && needs_incident(db, &c.environment, now).await?);
    let interval = Duration::seconds(i64::from(
        c.environment.health_interval_seconds.unwrap_or(60),
    ));
    // Closed only if the semaphore is, which it never is: then write without it.
    let _writing = config.writing.acquire().await.ok();
    let txn = if news {
        activity::begin(db).await?
    } else {
        db.begin().await?
    };
    let kept = probe_results::Entity::insert(probe_results::ActiveModel {
        environment_id: Set(m.environment_id),
        scheduled_at: Set(m.next_run_at),
        started_at: Set(started),
        latency_ms: Set(outcome.latency_ms),
        status_code: Set(outcome.status_code),
        up: Set(up),
        error_class: Set(outcome.error.as_ref().map(|e| e.0)),
        message: Set(outcome.message()),
        ..Default::default()
    })
    .exec(&txn)
    .await;
    match kept {
        Ok(_) => {}
        Err(e) if crate::error::is_unique_violation(&e) => {
            tracing::warn!(
                environment = m.environment_id,
                "a check's slot was already recorded"
            );
            return Ok(false);
        }
        Err(e) => return Err(e.into()),
    }
    let mut update = monitors::Entity::update_many()
        .col_expr(monitors::Column::State, Expr::value(new))
        .col_expr(monitors::Column::Failures, Expr::value(failures))
        .col_expr(monitors::Column::Successes, Expr::value(successes))
        .col_expr(
            monitors::Column::NextRunAt,
            Expr::value(next_slot(m.next_run_at, interval, now)),
        )
        .col_expr(
            monitors::Column::LeaseOwner,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            monitors::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(monitors::Column::LastCheckedAt, Expr::value(now))
        .filter(monitors::Column::EnvironmentId.eq(m.environment_id))
        .filter(monitors::Column::LeaseOwner.eq(owner));
    if new != old {
        update = update.col_expr(monitors::Column::ChangedAt, Expr::value(now));
    }
    let mut warn = None;
    if let Some(expires) = outcome.tls_expires_at {
        // A renewed certificate starts its warnings afresh.
        let sent = m
            .tls_warned
            .filter(|_| m.tls_expires_at.is_none_or(|t| t >= expires));
        warn = warning_due(expires, now, sent);
        update = update
            .col_expr(monitors::Column::TlsExpiresAt, Expr::value(expires))
            .col_expr(monitors::Column::TlsWarned, Expr::value(warn.or(sent)));
    }
    if update.exec(&txn).await?.rows_affected != 1 {
        tracing::warn!(
            environment = m.environment_id,
            "a check's lease was lost before its result"
        );
        return Ok(false);
    }
    if news {
        match new {
            MonitorState::Down => {
                if old != MonitorState::Down {
                    state_changed(&txn, &c.environment, false, &outcome.message(), now).await?;
                }
                went_down(&txn, &c.environment, failures, &outcome.message(), now).await?;
            }
            MonitorState::Up => {
                state_changed(&txn, &c.environment, true, &outcome.message(), now).await?;
                came_back(&txn, &c.environment, now).await?;
            }
            MonitorState::Unknown => {}
        }
    }
    if let (Some(days), Some(expires)) = (warn, outcome.tls_expires_at) {
        certificate_expiring(&txn, &c.environment, days, expires).await?;
    }
    txn.commit().await?;
    Ok(true)
}

/// Whether down environment `env` should have an incident it lacks: no automatic incident
/// is open and no maintenance window is.
async fn needs_incident(
    db: &impl ConnectionTrait,
    env: &environments::Model,
    now: DateTime<Utc>,
) -> Result<bool> {
    Ok(!super::incidents::has_open_automatic(db, env.id).await?
        && !super::windows::in_window(db, env.id, now).await?)
}

/// Claims and runs every check due at `now`, waiting for them all. Returns how many results
/// were kept.
///
/// # Errors
/// Database failures.
pub async fn run_due(
    db: &DatabaseConnection,
    prober: &Prober,
    owner: &str,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<usize> {
    let claimed = claim(db, owner, config, now).await?;
    let mut set = tokio::task::JoinSet::new();
    for c in claimed {
        let (db, prober, owner, config) = (
            db.clone(),
            prober.clone(),
            owner.to_string(),
            config.clone(),
        );
        set.spawn(async move { run_one(&db, &prober, &owner, &config, &c).await });
    }
    crate::leases::count_kept(set).await
}

/// How long a stopping scheduler waits for the checks it started to be recorded.
pub const DRAIN: std::time::Duration = std::time::Duration::from_secs(15);

/// The scheduler's loop: adopts the monitors missing for existing health checks, then every
/// `tick` claims what is due and runs each check in its own task, so a slow check delays no
/// other, at most `config.batch` at once; once a minute it rolls up completed hours and days
/// and prunes old raw results. When `stop` completes it claims no more and returns once the
/// checks it started are recorded (at most [`DRAIN`]): a check that reached the provider is
/// not lost to a restart; one still running after that keeps its lease until it expires.
pub async fn run(
    db: DatabaseConnection,
    prober: Prober,
    config: Config,
    tick: std::time::Duration,
    stop: impl std::future::Future<Output = ()>,
) {
    let owner = crate::leases::owner_name();
    if let Err(err) = super::service::adopt(&db).await {
        tracing::warn!(%err, "could not set up monitors");
    }
    let mut last_rollup: Option<std::time::Instant> = None;
    let chores = || {
        if last_rollup.is_none_or(|t| t.elapsed() >= std::time::Duration::from_secs(60)) {
            last_rollup = Some(std::time::Instant::now());
            let (db, days) = (db.clone(), config.retention_days);
            tokio::spawn(async move {
                let now = Utc::now();
                if let Err(err) = super::rollups::roll_up(&db, now).await {
                    tracing::warn!(%err, "rolling up health checks failed");
                } else if let Err(err) = super::rollups::prune(&db, days, now).await {
                    tracing::warn!(%err, "pruning health checks failed");
                }
            });
        }
        std::future::ready(())
    };
    let claim = |room: u64| {
        let (db, owner) = (db.clone(), owner.clone());
        let batch = Config {
            batch: room.min(config.batch),
            ..config.clone()
        };
        async move { claim(&db, &owner, &batch, Utc::now()).await }
    };
    let work = |c: Claimed| {
        let (db, prober, owner, config) =
            (db.clone(), prober.clone(), owner.clone(), config.clone());
        async move {
            if let Err(err) = run_one(&db, &prober, &owner, &config, &c).await {
                tracing::warn!(%err, environment = c.monitor.environment_id, "recording a health check failed");
            }
        }
    };
    // A place per check that may run at once; the batch is a few hundred at most.
    let places = crate::leases::Places::new(config.batch);
    crate::leases::run(
        places,
        tick,
        DRAIN,
        "health checks",
        chores,
        claim,
        work,
        stop,
    )
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schedule_behind_keeps_its_phase() {
        let t0 = DateTime::parse_from_rfc3339("2026-12-01T10:00:07Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let minute = Duration::seconds(60);
        let at = |s: i64| t0 + Duration::seconds(s);
        assert_eq!(
            next_slot(t0, minute, at(5)),
            at(60),
            "on time: one interval on"
        );
        assert_eq!(
            next_slot(t0, minute, at(61)),
            at(120),
            "late: the next slot"
        );
        assert_eq!(
            next_slot(t0, minute, at(120)),
            at(180),
            "a slot at now is past"
        );
        assert_eq!(
            next_slot(t0, minute, at(3_600 + 59)),
            at(3_660),
            "an hour behind: still at :07"
        );
        // Ten checks spread over the minute, all run at once after a pause, stay spread.
        let after_pause = at(7_200 + 30);
        let mut next: Vec<i64> = (0..10)
            .map(|k| (next_slot(at(6 * k), minute, after_pause) - t0).num_seconds() % 60)
            .collect();
        next.dedup();
        assert_eq!(next.len(), 10);
    }
}
