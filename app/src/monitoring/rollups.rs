//! (ssr) Roll-ups and retention. Completed hours and days of raw results are rolled up into
//! `probe_hours` and `probe_days` (checks, failures, latency sum and percentiles), kept for
//! good; raw results older than the retention are deleted once their day is rolled up. The
//! roll-up is an upsert, so two processes doing it at once agree. Uptime reads the hourly
//! roll-ups and only the raw results of hours not rolled up yet.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, DurationRound, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
    sea_query::{Expr, Func, OnConflict},
};

use crate::entities::{probe_days, probe_hours, probe_results};
use crate::error::Result;

/// A result is recorded within its lease (90 s) of its time; hours that ended longer ago
/// than this are complete.
pub const SETTLE: i64 = 5;

/// One bucket's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figures {
    pub checks: i32,
    pub failures: i32,
    pub latency_sum: i64,
    pub p50: i32,
    pub p95: i32,
    pub p99: i32,
}

/// The `q`-th percentile (0 to 100) of sorted `v` by the nearest-rank method.
pub fn percentile(sorted: &[i32], q: u32) -> i32 {
    if sorted.is_empty() {
        return 0;
    }
    let n = sorted.len();
    let rank = (usize::try_from(q).unwrap_or(100) * n).div_ceil(100).max(1);
    sorted[rank.min(n) - 1]
}

/// The figures of a bucket of (latency, up) results.
pub fn figures(results: &[(i32, bool)]) -> Figures {
    let mut lat: Vec<i32> = results.iter().map(|r| r.0).collect();
    lat.sort_unstable();
    Figures {
        checks: i32::try_from(results.len()).unwrap_or(i32::MAX),
        failures: i32::try_from(results.iter().filter(|r| !r.1).count()).unwrap_or(i32::MAX),
        latency_sum: lat.iter().map(|l| i64::from(*l)).sum(),
        p50: percentile(&lat, 50),
        p95: percentile(&lat, 95),
        p99: percentile(&lat, 99),
    }
}

fn hour_of(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(Duration::hours(1)).unwrap_or(t)
}

fn day_of(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(Duration::days(1)).unwrap_or(t)
}

#[derive(Debug, FromQueryResult)]
struct Latest {
    environment_id: i32,
    start: Option<DateTime<Utc>>,
}

#[derive(Debug, FromQueryResult)]
struct Raw {
    scheduled_at: DateTime<Utc>,
    latency_ms: i32,
    up: bool,
}

/// Rolls up every completed hour and day not rolled up yet, as of `now`. Returns how many
/// hourly rows were written.
///
/// # Errors
/// Database failures.
pub async fn roll_up(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<usize> {
    let settled = now - Duration::minutes(SETTLE);
    let hours = roll::<probe_hours::Entity>(db, hour_of(settled), hour_of, |env, start, f| {
        probe_hours::ActiveModel {
            environment_id: Set(env),
            start: Set(start),
            checks: Set(f.checks),
            failures: Set(f.failures),
            latency_sum: Set(f.latency_sum),
            p50: Set(f.p50),
            p95: Set(f.p95),
            p99: Set(f.p99),
        }
    })
    .await?;
    roll::<probe_days::Entity>(db, day_of(settled), day_of, |env, start, f| {
        probe_days::ActiveModel {
            environment_id: Set(env),
            start: Set(start),
            checks: Set(f.checks),
            failures: Set(f.failures),
            latency_sum: Set(f.latency_sum),
            p50: Set(f.p50),
            p95: Set(f.p95),
            p99: Set(f.p99),
        }
    })
    .await?;
    Ok(hours)
}

/// The roll-up into table `E` of buckets (by `bucket`) that end by `until`.
async fn roll<E>(
    db: &impl ConnectionTrait,
    until: DateTime<Utc>,
    bucket: fn(DateTime<Utc>) -> DateTime<Utc>,
    row: impl Fn(i32, DateTime<Utc>, Figures) -> E::ActiveModel,
) -> Result<usize>
where
    E: EntityTrait,
    E::ActiveModel: Send,
{
    let env_col = Expr::col("environment_id");
    let latest: Vec<Latest> = E::find()
        .select_only()
        .column_as(env_col.clone(), "environment_id")
        .column_as(Expr::from(Func::max(Expr::col("start"))), "start")
        .group_by(env_col)
        .into_model()
        .all(db)
        .await?;
    // Each environment from the bucket after its latest roll-up (all its results if none).
    let mut envs: Vec<i32> = probe_results::Entity::find()
        .select_only()
        .column(probe_results::Column::EnvironmentId)
        .distinct()
        .filter(probe_results::Column::ScheduledAt.lt(until))
        .into_tuple()
        .all(db)
        .await?;
    envs.sort_unstable();
    let mut written = 0;
    for env in envs {
        let since = latest
            .iter()
            .find(|l| l.environment_id == env)
            .and_then(|l| l.start);
        let mut q = probe_results::Entity::find()
            .select_only()
            .columns([
                probe_results::Column::ScheduledAt,
                probe_results::Column::LatencyMs,
                probe_results::Column::Up,
            ])
            .filter(probe_results::Column::EnvironmentId.eq(env))
            .filter(probe_results::Column::ScheduledAt.lt(until))
            .order_by_asc(probe_results::Column::ScheduledAt);
        if let Some(since) = since {
            // The latest bucket again (it may have been rolled before it filled up), then on.
            q = q.filter(probe_results::Column::ScheduledAt.gte(since));
        }
        let raw: Vec<Raw> = q.into_model().all(db).await?;
        let mut buckets: BTreeMap<DateTime<Utc>, Vec<(i32, bool)>> = BTreeMap::new();
        for r in &raw {
            buckets
                .entry(bucket(r.scheduled_at))
                .or_default()
                .push((r.latency_ms, r.up));
        }
        let rows: Vec<E::ActiveModel> = buckets
            .into_iter()
            .map(|(start, results)| row(env, start, figures(&results)))
            .collect();
        written += rows.len();
        for chunk in rows.chunks(500) {
            E::insert_many(chunk.to_vec())
                .on_conflict(
                    OnConflict::columns(
                        ["environment_id", "start"].map(sea_orm::sea_query::Alias::new),
                    )
                    .update_columns(
                        ["checks", "failures", "latency_sum", "p50", "p95", "p99"]
                            .map(sea_orm::sea_query::Alias::new),
                    )
                    .to_owned(),
                )
                .exec(db)
                .await?;
        }
    }
    Ok(written)
}

#[derive(Debug, FromQueryResult)]
struct EnvSums {
    environment_id: i32,
    checks: Option<i64>,
    failures: Option<i64>,
}

#[derive(Debug, FromQueryResult)]
struct EnvCount {
    environment_id: i32,
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct EnvLatest {
    environment_id: i32,
    latest: Option<DateTime<Utc>>,
}

/// Checks and failures of each environment in `envs` from `from` to `until` (to now when
/// none): the hourly roll-ups from `from`'s hour, and the raw results after the environment's
/// latest rolled-up hour. A few grouped queries, whatever the number of environments.
///
/// # Errors
/// Database failures.
pub async fn counts_between(
    db: &impl ConnectionTrait,
    envs: &[i32],
    from: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
) -> Result<HashMap<i32, (i64, i64)>> {
    let mut out: HashMap<i32, (i64, i64)> = envs.iter().map(|e| (*e, (0, 0))).collect();
    if envs.is_empty() {
        return Ok(out);
    }
    let rolled: Vec<EnvSums> = probe_hours::Entity::find()
        .select_only()
        .column(probe_hours::Column::EnvironmentId)
        .column_as(probe_hours::Column::Checks.sum(), "checks")
        .column_as(probe_hours::Column::Failures.sum(), "failures")
        .filter(probe_hours::Column::EnvironmentId.is_in(envs.iter().copied()))
        .filter(probe_hours::Column::Start.gte(hour_of(from)))
        .apply_if(until, |q, until| {
            q.filter(probe_hours::Column::Start.lt(until))
        })
        .group_by(probe_hours::Column::EnvironmentId)
        .into_model()
        .all(db)
        .await?;
    for r in rolled {
        let e = out.entry(r.environment_id).or_default();
        e.0 += r.checks.unwrap_or(0);
        e.1 += r.failures.unwrap_or(0);
    }
    let latest: Vec<EnvLatest> = probe_hours::Entity::find()
        .select_only()
        .column(probe_hours::Column::EnvironmentId)
        .column_as(probe_hours::Column::Start.max(), "latest")
        .filter(probe_hours::Column::EnvironmentId.is_in(envs.iter().copied()))
        .group_by(probe_hours::Column::EnvironmentId)
        .into_model()
        .all(db)
        .await?;
    // Raw results count from the end of each environment's latest rolled-up hour; the
    // roll-up runs for every environment at once, so most share one start.
    let mut tails: BTreeMap<DateTime<Utc>, Vec<i32>> = BTreeMap::new();
    for env in envs {
        let rolled_to = latest
            .iter()
            .find(|l| l.environment_id == *env)
            .and_then(|l| l.latest)
            .map(|l| l + Duration::hours(1));
        let tail_from = rolled_to.map_or(from, |l| std::cmp::max(l, from));
        tails.entry(tail_from).or_default().push(*env);
    }
    for (tail_from, group) in tails {
        let count = |failed_only: bool| {
            let mut q = probe_results::Entity::find()
                .select_only()
                .column(probe_results::Column::EnvironmentId)
                .column_as(probe_results::Column::Id.count(), "n")
                .filter(probe_results::Column::EnvironmentId.is_in(group.iter().copied()))
                .filter(probe_results::Column::ScheduledAt.gte(tail_from))
                .apply_if(until, |q, until| {
                    q.filter(probe_results::Column::ScheduledAt.lt(until))
                })
                .group_by(probe_results::Column::EnvironmentId);
            if failed_only {
                q = q.filter(probe_results::Column::Up.eq(false));
            }
            q.into_model::<EnvCount>().all(db)
        };
        for c in count(false).await? {
            out.entry(c.environment_id).or_default().0 += c.n;
        }
        for c in count(true).await? {
            out.entry(c.environment_id).or_default().1 += c.n;
        }
    }
    Ok(out)
}

/// The hourly roll-ups of the environments in `envs` from `from`, oldest first.
///
/// # Errors
/// Database failures.
pub async fn hours_since(
    db: &impl ConnectionTrait,
    envs: &[i32],
    from: DateTime<Utc>,
) -> Result<Vec<probe_hours::Model>> {
    Ok(probe_hours::Entity::find()
        .filter(probe_hours::Column::EnvironmentId.is_in(envs.iter().copied()))
        .filter(probe_hours::Column::Start.gte(hour_of(from)))
        .order_by_asc(probe_hours::Column::Start)
        .all(db)
        .await?)
}

/// Deletes raw results older than `days` before `now` whose day is rolled up. Returns how
/// many.
///
/// # Errors
/// Database failures.
pub async fn prune(db: &impl ConnectionTrait, days: i64, now: DateTime<Utc>) -> Result<u64> {
    let before = std::cmp::min(
        now - Duration::days(days),
        day_of(now - Duration::minutes(SETTLE)),
    );
    Ok(probe_results::Entity::delete_many()
        .filter(probe_results::Column::ScheduledAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let v: Vec<i32> = (1..=100).collect();
        assert_eq!(
            (percentile(&v, 50), percentile(&v, 95), percentile(&v, 99)),
            (50, 95, 99)
        );
        assert_eq!(percentile(&[7], 99), 7);
        assert_eq!(percentile(&[], 50), 0);
        assert_eq!(percentile(&[10, 20, 30, 40], 50), 20);
        let f = figures(&[(10, true), (30, false), (20, true)]);
        assert_eq!(
            f,
            Figures {
                checks: 3,
                failures: 1,
                latency_sum: 60,
                p50: 20,
                p95: 30,
                p99: 30
            }
        );
    }
}
