//! (ssr) Monitors follow their environments' health checks, and an integration's health is
//! read from its monitors, latest results and incidents.

use crate::auth::access::Action;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::model::{
    EnvironmentHealth, ErrorClass, HealthView, HourLatency, INCIDENTS_PER_PAGE, Incident,
    IncidentEvents, IncidentStatus, IncidentUpdate, OUTAGES_SHOWN, ProbeResult, Uptime,
};
use super::{rollups, windows};
use crate::entities::{
    environments, incident_updates, incidents, integrations, monitors, probe_results, users,
};
use crate::error::Result;
use crate::integrations::lookup::reference;
use crate::monitors::{DEFAULT_SLO, MonitorState, fresh};

/// How many results the health page shows per environment.
pub const RECENT: u64 = 20;

/// Gives every environment with a health check and no monitor one (those saved before
/// monitoring existed). Returns how many.
///
/// # Errors
/// Database failures.
pub async fn adopt(db: &impl ConnectionTrait) -> Result<usize> {
    let watched: Vec<i32> = monitors::Entity::find()
        .select_only()
        .column(monitors::Column::EnvironmentId)
        .into_tuple()
        .all(db)
        .await?;
    let missing: Vec<i32> = environments::Entity::find()
        .select_only()
        .column(environments::Column::Id)
        .filter(environments::Column::HealthPath.is_not_null())
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .filter(|id| !watched.contains(id))
        .collect();
    let now = Utc::now();
    for chunk in missing.chunks(500) {
        monitors::Entity::insert_many(chunk.iter().map(|id| fresh(*id, now)))
            .on_conflict_do_nothing()
            .exec(db)
            .await?;
    }
    Ok(missing.len())
}

/// Records past results of environment `env` (each its time, latency and whether it was up)
/// as if its monitor had run them, and sets the monitor's state and counts from the latest:
/// for the demo and the benchmarks' generated history.
///
/// # Errors
/// `NotFound` when `env` has no monitor; database failures.
pub async fn import_history(
    db: &impl ConnectionTrait,
    env: i32,
    results: &[(DateTime<Utc>, i32, bool)],
    down_after: i32,
) -> Result<()> {
    let m = monitors::Entity::find_by_id(env)
        .one(db)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let mut sorted = results.to_vec();
    sorted.sort_by_key(|r| r.0);
    for chunk in sorted.chunks(500) {
        probe_results::Entity::insert_many(chunk.iter().map(|(at, latency, up)| {
            probe_results::ActiveModel {
                environment_id: Set(env),
                scheduled_at: Set(*at),
                started_at: Set(*at),
                latency_ms: Set(*latency),
                status_code: Set(Some(if *up { 200 } else { 503 })),
                up: Set(*up),
                error_class: Set((!up).then_some(ErrorClass::Status)),
                message: Set(if *up {
                    format!("Answered 200 in {latency} ms.")
                } else {
                    "Answered 503, expected 200.".into()
                }),
                ..Default::default()
            }
        }))
        .exec(db)
        .await?;
    }
    let Some(last) = sorted.last() else {
        return Ok(());
    };
    let streak = |up: bool| {
        i32::try_from(sorted.iter().rev().take_while(|r| r.2 == up).count()).unwrap_or(i32::MAX)
    };
    let (successes, failures) = (streak(true), streak(false));
    let state = if last.2 {
        MonitorState::Up
    } else if failures >= down_after {
        MonitorState::Down
    } else {
        m.state
    };
    let mut active: monitors::ActiveModel = m.into();
    active.state = Set(state);
    active.successes = Set(successes);
    active.failures = Set(failures);
    active.last_checked_at = Set(Some(last.0));
    active.next_run_at = Set(std::cmp::max(last.0, Utc::now()));
    sea_orm::ActiveModelTrait::update(active, db).await?;
    Ok(())
}

fn to_result(r: probe_results::Model) -> ProbeResult {
    ProbeResult {
        scheduled_at: r.scheduled_at,
        started_at: r.started_at,
        latency_ms: r.latency_ms,
        status_code: r.status_code,
        up: r.up,
        error_class: r.error_class,
        message: r.message,
    }
}

/// Uptime over `window` in basis points, from `checks` and `failures`.
pub fn uptime_bp(checks: i64, failures: i64) -> Option<i32> {
    (checks > 0).then(|| i32::try_from((checks - failures) * 10_000 / checks).unwrap_or(0))
}

/// What is left of an error budget in basis points of the budget: with `target_bp` (9990),
/// `checks` may fail at most (10000 - 9990) / 10000 of the time.
pub fn budget_left_bp(target_bp: i32, checks: i64, failures: i64) -> Option<i32> {
    if checks == 0 {
        return None;
    }
    let allowed = checks * i64::from(10_000 - target_bp);
    if allowed <= 0 {
        return Some(if failures == 0 { 10_000 } else { -10_000 });
    }
    // Budget left = 1 - failures / (checks * (1 - target)), in basis points of the budget.
    Some(i32::try_from(10_000 - failures * 10_000 * 10_000 / allowed).unwrap_or(i32::MIN))
}

/// The uptime windows the health page shows.
pub const WINDOWS: [(&str, i64); 4] = [
    ("24 hours", 1),
    ("7 days", 7),
    ("30 days", 30),
    ("90 days", 90),
];

/// The monitored environments of integration `integration_id`, each with its latest
/// results, uptime over each window, error budget and hourly latency, as of `now`.
///
/// # Errors
/// Database failures.
pub async fn environments_health(
    db: &impl ConnectionTrait,
    envs: &[environments::Model],
    now: DateTime<Utc>,
) -> Result<Vec<EnvironmentHealth>> {
    let envs: Vec<&environments::Model> = envs.iter().filter(|e| e.health_path.is_some()).collect();
    let mons = monitors::Entity::find()
        .filter(monitors::Column::EnvironmentId.is_in(envs.iter().map(|e| e.id)))
        .all(db)
        .await?;
    let ids: Vec<i32> = envs.iter().map(|e| e.id).collect();
    let mut windows = Vec::with_capacity(WINDOWS.len());
    for (label, days) in WINDOWS {
        windows.push((
            label,
            days,
            rollups::counts_between(db, &ids, now - Duration::days(days), None).await?,
        ));
    }
    let hours = rollups::hours_since(db, &ids, now - Duration::hours(24)).await?;
    let in_maintenance = windows::open_at(db, &ids, now).await?;
    let mut out = Vec::with_capacity(envs.len());
    for e in envs {
        let m = mons.iter().find(|m| m.environment_id == e.id);
        let recent = probe_results::Entity::find()
            .filter(probe_results::Column::EnvironmentId.eq(e.id))
            .order_by_desc(probe_results::Column::ScheduledAt)
            .limit(RECENT)
            .all(db)
            .await?
            .into_iter()
            .map(to_result)
            .collect();
        let mut uptime = Vec::with_capacity(WINDOWS.len());
        let mut month = (0, 0);
        for (label, days, counts) in &windows {
            let (checks, failures) = counts.get(&e.id).copied().unwrap_or_default();
            if *days == 30 {
                month = (checks, failures);
            }
            uptime.push(Uptime {
                label: (*label).into(),
                checks,
                failures,
                uptime_bp: uptime_bp(checks, failures),
            });
        }
        let slo_target_bp = m.map_or(DEFAULT_SLO, |m| m.slo_target);
        let p95_by_hour = hours
            .iter()
            .filter(|h| h.environment_id == e.id)
            .map(|h| HourLatency {
                hour: h.start,
                p95_ms: h.p95,
                checks: h.checks,
                failures: h.failures,
            })
            .collect();
        out.push(EnvironmentHealth {
            environment_id: e.id,
            url: format!(
                "{}{}",
                e.base_url.trim_end_matches('/'),
                e.health_path.clone().unwrap_or_default()
            ),
            interval_seconds: e.health_interval_seconds.unwrap_or(60),
            // No monitor yet is not checked yet; a monitor's stored state must be one.
            state: m.map_or(MonitorState::Unknown, |m| m.state),
            failures: m.map_or(0, |m| m.failures),
            successes: m.map_or(0, |m| m.successes),
            last_checked_at: m.and_then(|m| m.last_checked_at),
            changed_at: m.and_then(|m| m.changed_at),
            name: e.name.clone(),
            recent,
            slo_target_bp,
            budget_left_bp: budget_left_bp(slo_target_bp, month.0, month.1),
            uptime,
            p95_by_hour,
            in_maintenance: in_maintenance.contains(&e.id),
            tls_expires_at: m.and_then(|m| m.tls_expires_at),
            tls_days_left: m
                .and_then(|m| m.tls_expires_at)
                .map(|t| (t - now).num_days()),
            tls_warning: m
                .and_then(|m| m.tls_expires_at)
                .is_some_and(|t| super::tls::warning_due(t, now, None).is_some()),
        });
    }
    Ok(out)
}

/// Every incident of integration `integration_id`, newest first, each with its timeline (for
/// the post-launch review, which lists them all).
///
/// # Errors
/// Database failures.
pub async fn incidents_of(db: &impl ConnectionTrait, integration_id: i32) -> Result<Vec<Incident>> {
    let rows = of_integration(integration_id).all(db).await?;
    to_incidents(db, rows).await
}

/// `rows` with their integrations, environments and timelines.
///
/// # Errors
/// Database failures.
pub async fn to_incidents(
    db: &impl ConnectionTrait,
    rows: Vec<incidents::Model>,
) -> Result<Vec<Incident>> {
    let integration_rows = integrations::Entity::find()
        .filter(integrations::Column::Id.is_in(rows.iter().map(|r| r.integration_id)))
        .all(db)
        .await?;
    let updates = incident_updates::Entity::find()
        .filter(incident_updates::Column::IncidentId.is_in(rows.iter().map(|r| r.id)))
        .order_by_asc(incident_updates::Column::Id)
        .all(db)
        .await?;
    let author_ids: Vec<i32> = updates.iter().filter_map(|u| u.author_id).collect();
    let authors = users::Entity::find()
        .filter(users::Column::Id.is_in(author_ids))
        .all(db)
        .await?;
    let env_ids: Vec<i32> = rows.iter().filter_map(|r| r.environment_id).collect();
    let envs = environments::Entity::find()
        .filter(environments::Column::Id.is_in(env_ids))
        .all(db)
        .await?;
    let mut out: Vec<Incident> = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(integration) = integration_rows.iter().find(|i| i.id == r.integration_id) else {
            continue;
        };
        let timeline = updates
            .iter()
            .filter(|u| u.incident_id == r.id)
            .map(|u| {
                Ok(IncidentUpdate {
                    status: u.status,
                    note: u.note.clone(),
                    author: u
                        .author_id
                        .and_then(|a| authors.iter().find(|p| p.id == a))
                        .map(|p| p.name.clone()),
                    at: u.created_at,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let integration = reference(integration);
        out.push(Incident {
            id: r.id,
            integration,
            severity: r.severity,
            status: r.status,
            automatic: r.automatic,
            environment: r
                .environment_id
                .and_then(|id| envs.iter().find(|e| e.id == id))
                .map(|e| e.name.clone()),
            opened_at: r.opened_at,
            resolved_at: r.resolved_at,
            ticket_ref: r.ticket_ref,
            root_cause: r.root_cause,
            postmortem: r.postmortem,
            timeline,
            title: r.title,
        });
    }
    out.sort_by_key(|i| i.status == IncidentStatus::Resolved);
    Ok(out)
}

/// The mean of `values`, rounded down; `None` for none.
pub fn mean(values: &[i64]) -> Option<i64> {
    let n = i64::try_from(values.len()).ok().filter(|n| *n > 0)?;
    Some(values.iter().sum::<i64>() / n)
}

/// The incidents of integration `integration_id` that are not resolved, newest first.
///
/// # Errors
/// Database failures.
pub async fn open_incidents(
    db: &impl ConnectionTrait,
    integration_id: i32,
) -> Result<Vec<Incident>> {
    let rows = of_integration(integration_id)
        .filter(incidents::Column::Status.ne(IncidentStatus::Resolved))
        .all(db)
        .await?;
    to_incidents(db, rows).await
}

/// The incidents of integration `integration_id` opened or resolved from `from` on, or still
/// open, newest first: what a week's digest tells of.
///
/// # Errors
/// Database failures.
pub async fn incidents_since(
    db: &impl ConnectionTrait,
    integration_id: i32,
    from: DateTime<Utc>,
) -> Result<Vec<Incident>> {
    let rows = of_integration(integration_id)
        .filter(
            sea_orm::Condition::any()
                .add(incidents::Column::OpenedAt.gte(from))
                .add(incidents::Column::ResolvedAt.gte(from))
                .add(incidents::Column::Status.ne(IncidentStatus::Resolved)),
        )
        .all(db)
        .await?;
    to_incidents(db, rows).await
}

/// Integration `integration_id`'s incidents, newest first (the later id first at one time).
fn of_integration(integration_id: i32) -> sea_orm::Select<incidents::Entity> {
    incidents::Entity::find()
        .filter(incidents::Column::IntegrationId.eq(integration_id))
        .order_by_desc(incidents::Column::OpenedAt)
        .order_by_desc(incidents::Column::Id)
}

/// The mean minutes to resolve integration `integration_id`'s resolved incidents: from two
/// columns of the resolved rows, never their timelines.
///
/// # Errors
/// Database failures.
pub async fn mttr_minutes(db: &impl ConnectionTrait, integration_id: i32) -> Result<Option<i64>> {
    let spans: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> = incidents::Entity::find()
        .select_only()
        .column(incidents::Column::OpenedAt)
        .column(incidents::Column::ResolvedAt)
        .filter(incidents::Column::IntegrationId.eq(integration_id))
        .filter(incidents::Column::ResolvedAt.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    let done: Vec<i64> = spans
        .into_iter()
        .filter_map(|(opened, resolved)| resolved.map(|r| (r - opened).num_minutes()))
        .collect();
    Ok(mean(&done))
}

/// How many incidents integration `integration_id` has had.
///
/// # Errors
/// Database failures.
pub async fn incident_count(db: &impl ConnectionTrait, integration_id: i32) -> Result<u64> {
    use sea_orm::PaginatorTrait;
    Ok(of_integration(integration_id).count(db).await?)
}

/// Integration `integration_id`'s environments, by name.
async fn env_rows(
    db: &impl ConnectionTrait,
    integration_id: i32,
) -> Result<Vec<environments::Model>> {
    Ok(environments::Entity::find()
        .filter(environments::Column::IntegrationId.eq(integration_id))
        .order_by_asc(environments::Column::Name)
        .all(db)
        .await?)
}

/// Each monitored environment of integration `integration_id`, by name, with its uptime (in
/// basis points; none without checks) from `from` to `until`.
///
/// # Errors
/// Database failures.
pub async fn uptime_between(
    db: &impl ConnectionTrait,
    integration_id: i32,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<(String, Option<i32>)>> {
    let envs: Vec<environments::Model> = env_rows(db, integration_id)
        .await?
        .into_iter()
        .filter(|e| e.health_path.is_some())
        .collect();
    let ids: Vec<i32> = envs.iter().map(|e| e.id).collect();
    let counts = rollups::counts_between(db, &ids, from, Some(until)).await?;
    Ok(envs
        .into_iter()
        .map(|e| {
            let (checks, failures) = counts.get(&e.id).copied().unwrap_or_default();
            (e.name, uptime_bp(checks, failures))
        })
        .collect())
}

/// Integration `integration_id`'s environments with their monitors' health as of `now`.
///
/// # Errors
/// Database failures.
pub async fn environments_of(
    db: &impl ConnectionTrait,
    integration_id: i32,
    now: DateTime<Utc>,
) -> Result<Vec<EnvironmentHealth>> {
    let envs = env_rows(db, integration_id).await?;
    environments_health(db, &envs, now).await
}

/// Integration `integration_id`'s health page as of `now`: its environments, maintenance
/// windows and time to resolve, page `page` of its incidents, and its newest outage events.
/// Only that page's incidents are read with their timelines, and the newest few opened and
/// resolved for the events, however many it has had.
///
/// # Errors
/// Database failures.
pub async fn health(
    db: &impl ConnectionTrait,
    integration_id: i32,
    now: DateTime<Utc>,
    page: u64,
) -> Result<HealthView> {
    let envs = env_rows(db, integration_id).await?;
    // Every one of the newest events is the opening of one of the newest opened, or the
    // resolution of one of the newest resolved. Read before the list, so that what the
    // events name the list holds too when the monitor opens an incident meanwhile.
    let shown = OUTAGES_SHOWN as u64;
    let mut recent = of_integration(integration_id).limit(shown).all(db).await?;
    let resolved = incidents::Entity::find()
        .filter(incidents::Column::IntegrationId.eq(integration_id))
        .filter(incidents::Column::ResolvedAt.is_not_null())
        .order_by_desc(incidents::Column::ResolvedAt)
        .limit(shown)
        .all(db)
        .await?;
    for r in resolved {
        if !recent.iter().any(|x| x.id == r.id) {
            recent.push(r);
        }
    }
    let recent: Vec<IncidentEvents> = recent
        .into_iter()
        .map(|r| IncidentEvents {
            title: r.title,
            severity: r.severity,
            opened_at: r.opened_at,
            resolved_at: r.resolved_at,
        })
        .collect();
    let windows = windows::list(db, &envs, now).await?;
    let found =
        crate::paging::fetch(db, of_integration(integration_id), INCIDENTS_PER_PAGE, page).await?;
    let mttr_minutes = mttr_minutes(db, integration_id).await?;
    Ok(HealthView {
        integration_id,
        environments: environments_health(db, &envs, now).await?,
        outages: HealthView::outages(&recent, &windows),
        windows,
        mttr_minutes,
        incidents: crate::paging::Paged {
            items: to_incidents(db, found.items).await?,
            total: found.total,
            page: found.page,
            pages: found.pages,
        },
    })
}

/// Parses an availability objective given as a percentage ("99.9", "99.95%") into basis
/// points.
///
/// # Errors
/// `Validation` on `target`.
pub fn parse_slo(target: &str) -> Result<i32> {
    let bad = || {
        crate::error::AppError::field(
            "target",
            "Enter a percentage from 50 to 99.99 with at most two decimals, such as 99.9.",
        )
    };
    let t = target.trim().trim_end_matches('%').trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if frac.len() > 2
        || whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: i32 = whole.parse().map_err(|_| bad())?;
    let frac: i32 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    let bp = whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(frac))
        .ok_or_else(bad)?;
    if (5_000..=9_999).contains(&bp) {
        Ok(bp)
    } else {
        Err(bad())
    }
}

/// Sets environment `env`'s availability objective (a percentage such as 99.9).
///
/// # Errors
/// `Forbidden`; `NotFound` (no monitored environment); `Validation` on `target`.
pub async fn set_slo(
    db: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    actor: &crate::auth::model::CurrentUser,
    env: i32,
    target: &str,
) -> Result<()> {
    use sea_orm::TransactionSession;
    if !actor.can(Action::Build) {
        return Err(crate::error::AppError::Forbidden);
    }
    let bp = parse_slo(target)?;
    let txn = crate::activity::service::begin(db).await?;
    let m = monitors::Entity::find_by_id(env)
        .one(&txn)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let e = environments::Entity::find_by_id(env)
        .one(&txn)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let mut active: monitors::ActiveModel = m.clone().into();
    active.slo_target = Set(bp);
    // An objective is shown as a setting of its environment.
    let filing = crate::records::shown(
        "environment",
        e.integration_id,
        |m: &monitors::Model| m.environment_id,
        |m| serde_json::json!({"slo_target": super::model::percent(m.slo_target)}),
    );
    crate::records::save_filed(&txn, actor, "update", filing, &m, active).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objectives_parse_as_percentages_and_budgets_follow_them() {
        assert_eq!(parse_slo("99.9"), Ok(9990));
        assert_eq!(parse_slo(" 99.95% "), Ok(9995));
        assert_eq!(parse_slo("95"), Ok(9500));
        for bad in ["100", "99.999", "abc", "", "49.99", "-99", "99,9", "9 9"] {
            assert!(parse_slo(bad).is_err(), "{bad}");
        }
        assert_eq!(uptime_bp(0, 0), None);
        assert_eq!(uptime_bp(1000, 1), Some(9990));
        // 99% over 1,000 checks allows 10 failures: 2 spend a fifth of it.
        assert_eq!(budget_left_bp(9900, 1000, 2), Some(8000));
        assert_eq!(budget_left_bp(9900, 1000, 10), Some(0));
        assert_eq!(budget_left_bp(9900, 1000, 15), Some(-5000));
        assert_eq!(budget_left_bp(9900, 0, 0), None);
    }
}
