//! (ssr) The portfolio dashboard's figures, each computed from records with a few grouped
//! queries whatever the size of the portfolio. The table reads only the page it shows: its
//! gates, health, uptime, incidents and milestones are loaded for those integrations at once.

use crate::calendar::LOOK_AHEAD_DAYS;
use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use super::model::{
    Capped, ComingUp, Dashboard, DueAudit, DueCredential, DueMilestone, ExpiringCertificate,
    Health, KeyFigures, LateIntegration, NextMilestone, PortfolioRow, Ratio, RecentEntry,
    StageCount, StageTime,
};
use crate::entities::{
    credential_refs, environments, incidents, integrations, milestones, monitors,
    stage_transitions, test_executions, test_runs,
};
use crate::error::Result;
use crate::implementation::model::{CredentialStatus, credential_status};
use crate::integrations::lookup::reference;
use crate::integrations::model::IntegrationRef;
use crate::integrations::model::{IntegrationQuery, Stage};
use crate::monitoring::model::IncidentStatus;
use crate::monitors::MonitorState;
use crate::planning::model::MilestoneStatus;
use crate::testing::model::{Counts, ExecutionStatus};

/// How many trail entries "recent activity" shows.
pub const RECENT: u64 = 10;

/// The stages whose stays the median time counts: those an integration passes through.
const TIMED: [Stage; 5] = [
    Stage::Planning,
    Stage::Implementation,
    Stage::Testing,
    Stage::Live,
    Stage::OnHold,
];

/// The stages before live, where a planned go-live can be missed.
const BEFORE_LIVE: [Stage; 4] = [
    Stage::Planning,
    Stage::Implementation,
    Stage::Testing,
    Stage::OnHold,
];

#[derive(Debug, FromQueryResult)]
struct IdCount {
    id: i32,
    n: i64,
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// How many integrations are in each stage, every stage listed in lifecycle order.
///
/// # Errors
/// Database failures.
pub async fn pipeline(db: &impl ConnectionTrait) -> Result<Vec<StageCount>> {
    let counts: Vec<(Stage, i64)> = integrations::Entity::find()
        .select_only()
        .column(integrations::Column::Stage)
        .column_as(integrations::Column::Id.count(), "n")
        .group_by(integrations::Column::Stage)
        .into_tuple()
        .all(db)
        .await?;
    Ok(Stage::ALL
        .iter()
        .map(|stage| StageCount {
            stage: *stage,
            count: counts
                .iter()
                .find(|(s, _)| s == stage)
                .map_or(0, |(_, n)| count(*n)),
        })
        .collect())
}

/// Done milestones completed on or before their due date, out of all done milestones.
///
/// # Errors
/// Database failures.
pub async fn milestones_on_time(db: &impl ConnectionTrait) -> Result<Ratio> {
    let done =
        || milestones::Entity::find().filter(milestones::Column::Status.eq(MilestoneStatus::Done));
    let whole = done().count(db).await?;
    let part = done()
        .filter(
            Expr::col(milestones::Column::CompletedOn).lte(Expr::col(milestones::Column::DueDate)),
        )
        .count(db)
        .await?;
    Ok(Ratio { part, whole })
}

/// Over the latest run of every test plan: passed executions out of those a pass rate is
/// taken over (`Counts::applicable`, the run page's rule).
///
/// # Errors
/// Database failures.
pub async fn qa_pass_rate(db: &impl ConnectionTrait) -> Result<Ratio> {
    // The latest run of a plan is its highest id, as the go-live gate reads it.
    let latest = Query::select()
        .expr(Expr::col(test_runs::Column::Id).max())
        .from(test_runs::Entity)
        .group_by_col(test_runs::Column::PlanId)
        .to_owned();
    let counted: Vec<(ExecutionStatus, i64)> = test_executions::Entity::find()
        .select_only()
        .column(test_executions::Column::Status)
        .column_as(test_executions::Column::Id.count(), "n")
        .filter(test_executions::Column::RunId.in_subquery(latest))
        .group_by(test_executions::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let counts = Counts::of_counted(
        counted
            .into_iter()
            .map(|(status, n)| (status, usize::try_from(n).unwrap_or(0))),
    );
    Ok(Ratio {
        part: counts.passed as u64,
        whole: counts.applicable() as u64,
    })
}

/// The lower median of `values` (which it sorts).
fn median(values: &mut [i64]) -> Option<i64> {
    values.sort_unstable();
    (!values.is_empty()).then(|| values[(values.len() - 1) / 2])
}

/// Per stage an integration passes through, the median hours it stayed there, over stays
/// that ended: an integration enters planning when it is created, and each move ends the
/// stay in the stage it leaves.
///
/// # Errors
/// Database failures.
pub async fn stage_times(db: &impl ConnectionTrait) -> Result<Vec<StageTime>> {
    #[derive(Debug, FromQueryResult)]
    struct Created {
        id: i32,
        created_at: DateTime<Utc>,
    }
    #[derive(Debug, FromQueryResult)]
    struct Move {
        integration_id: i32,
        from_stage: String,
        at: DateTime<Utc>,
    }
    let created: HashMap<i32, DateTime<Utc>> = integrations::Entity::find()
        .select_only()
        .columns([integrations::Column::Id, integrations::Column::CreatedAt])
        .into_model::<Created>()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.created_at))
        .collect();
    let moves: Vec<Move> = stage_transitions::Entity::find()
        .select_only()
        .columns([
            stage_transitions::Column::IntegrationId,
            stage_transitions::Column::FromStage,
            stage_transitions::Column::At,
        ])
        .order_by_asc(stage_transitions::Column::IntegrationId)
        .order_by_asc(stage_transitions::Column::Id)
        .into_model()
        .all(db)
        .await?;
    let mut stays: HashMap<&str, Vec<i64>> = HashMap::new();
    let mut since: Option<(i32, DateTime<Utc>)> = None;
    for m in &moves {
        let entered = match since {
            Some((id, at)) if id == m.integration_id => Some(at),
            // A deleted integration's moves stay; without its creation time the first
            // stay has no start.
            _ => created.get(&m.integration_id).copied(),
        };
        if let Some(entered) = entered {
            stays
                .entry(m.from_stage.as_str())
                .or_default()
                .push((m.at - entered).num_hours());
        }
        since = Some((m.integration_id, m.at));
    }
    Ok(TIMED
        .iter()
        .map(|stage| {
            let mut hours = stays.remove(stage.as_str()).unwrap_or_default();
            StageTime {
                stage: *stage,
                stays: hours.len() as u64,
                median_hours: median(&mut hours),
            }
        })
        .collect())
}

/// Mean minutes from opening to resolving, over every resolved incident.
///
/// # Errors
/// Database failures.
pub async fn mttr_minutes(db: &impl ConnectionTrait) -> Result<Option<i64>> {
    #[derive(Debug, FromQueryResult)]
    struct Span {
        opened_at: DateTime<Utc>,
        resolved_at: Option<DateTime<Utc>>,
    }
    let spans: Vec<Span> = incidents::Entity::find()
        .select_only()
        .columns([incidents::Column::OpenedAt, incidents::Column::ResolvedAt])
        .filter(incidents::Column::ResolvedAt.is_not_null())
        .into_model()
        .all(db)
        .await?;
    let minutes: Vec<i64> = spans
        .iter()
        .filter_map(|s| s.resolved_at.map(|r| (r - s.opened_at).num_minutes()))
        .collect();
    Ok(crate::monitoring::service::mean(&minutes))
}

/// Integrations short of live whose planned go-live, the due date of their last milestone,
/// is before `today`; the latest first.
///
/// # Errors
/// Database failures.
pub async fn past_go_live(
    db: &impl ConnectionTrait,
    today: NaiveDate,
) -> Result<Vec<LateIntegration>> {
    #[derive(Debug, FromQueryResult)]
    struct Last {
        integration_id: i32,
        planned: Option<NaiveDate>,
    }
    let last: Vec<Last> = milestones::Entity::find()
        .select_only()
        .column(milestones::Column::IntegrationId)
        .column_as(milestones::Column::DueDate.max(), "planned")
        .filter(
            milestones::Column::IntegrationId.in_subquery(
                Query::select()
                    .column(integrations::Column::Id)
                    .from(integrations::Entity)
                    .and_where(integrations::Column::Stage.is_in(BEFORE_LIVE.iter().copied()))
                    .to_owned(),
            ),
        )
        .group_by(milestones::Column::IntegrationId)
        .into_model()
        .all(db)
        .await?;
    let late: HashMap<i32, NaiveDate> = last
        .into_iter()
        .filter_map(|l| {
            l.planned
                .filter(|p| *p < today)
                .map(|p| (l.integration_id, p))
        })
        .collect();
    let rows = integrations::Entity::find()
        .filter(integrations::Column::Id.is_in(late.keys().copied()))
        .all(db)
        .await?;
    let mut out: Vec<LateIntegration> = rows
        .iter()
        .filter_map(|i| {
            Some(LateIntegration {
                integration: reference(i),
                stage: i.stage,
                planned: *late.get(&i.id)?,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.planned
            .cmp(&b.planned)
            .then(a.integration.name.cmp(&b.integration.name))
    });
    Ok(out)
}

/// Every key figure as of `today`.
///
/// # Errors
/// Database failures.
pub async fn figures(db: &impl ConnectionTrait, today: NaiveDate) -> Result<KeyFigures> {
    Ok(KeyFigures {
        milestones_on_time: milestones_on_time(db).await?,
        qa_pass_rate: qa_pass_rate(db).await?,
        stage_times: stage_times(db).await?,
        mttr_minutes: mttr_minutes(db).await?,
        past_go_live: Capped::of(past_go_live(db, today).await?),
    })
}

async fn references(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, IntegrationRef>> {
    let mut ids: Vec<i32> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(integrations::Entity::find()
        .filter(integrations::Column::Id.is_in(ids))
        .all(db)
        .await?
        .iter()
        .map(|i| (i.id, reference(i)))
        .collect())
}

/// What falls due within [`LOOK_AHEAD_DAYS`] of `today` (or is already past, for
/// credentials and audits): milestones not done, credential rotations and expiries, TLS
/// certificates inside the monitor's first warning, and audits.
///
/// # Errors
/// Database failures.
pub async fn coming_up(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<ComingUp> {
    let horizon = today + Duration::days(LOOK_AHEAD_DAYS);
    let due_milestones = milestones::Entity::find()
        .filter(milestones::Column::Status.ne(MilestoneStatus::Done))
        .filter(milestones::Column::DueDate.gte(today))
        .filter(milestones::Column::DueDate.lte(horizon))
        .order_by_asc(milestones::Column::DueDate)
        .order_by_asc(milestones::Column::Id)
        .all(db)
        .await?;
    // The rotation rule is `credential_status`'s, so the dashboard and the credentials page
    // never disagree; the dates it needs are a few columns per reference.
    let credentials = credential_refs::Entity::find()
        .order_by_asc(credential_refs::Column::Id)
        .all(db)
        .await?;
    let due_credentials: Vec<(credential_refs::Model, CredentialStatus, NaiveDate)> = credentials
        .into_iter()
        .filter_map(|c| {
            let status = credential_status(today, c.last_rotated, c.rotation_days, c.expires_on);
            let rotation = c
                .rotation_days
                .map(|d| c.last_rotated + Duration::days(i64::from(d)));
            let due = [rotation, c.expires_on].into_iter().flatten().min()?;
            (status != CredentialStatus::Ok).then_some((c, status, due))
        })
        .collect();
    // Inside the first warning: what `tls::warning_due` warns of, as a bound a query can use.
    let warn = now + Duration::days(i64::from(crate::monitoring::tls::WARN_DAYS[0]));
    let expiring = monitors::Entity::find()
        .filter(monitors::Column::TlsExpiresAt.lt(warn))
        .order_by_asc(monitors::Column::TlsExpiresAt)
        .all(db)
        .await?;
    let due_audits = crate::audits::service::due_by(db, horizon).await?;
    let env_ids = due_credentials
        .iter()
        .map(|(c, ..)| c.environment_id)
        .chain(expiring.iter().map(|m| m.environment_id));
    let envs: HashMap<i32, environments::Model> = environments::Entity::find()
        .filter(environments::Column::Id.is_in(env_ids.collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let refs = references(
        db,
        due_milestones
            .iter()
            .map(|m| m.integration_id)
            .chain(due_credentials.iter().map(|(c, ..)| c.integration_id))
            .chain(envs.values().map(|e| e.integration_id))
            .chain(due_audits.iter().map(|(a, _)| a.integration_id)),
    )
    .await?;
    let mut credentials: Vec<DueCredential> = due_credentials
        .into_iter()
        .filter_map(|(c, status, due)| {
            Some(DueCredential {
                integration: refs.get(&c.integration_id)?.clone(),
                environment: envs
                    .get(&c.environment_id)
                    .map(|e| e.name.clone())
                    .unwrap_or_default(),
                name: c.name,
                status,
                due,
            })
        })
        .collect();
    credentials.sort_by_key(|c| c.due);
    Ok(ComingUp {
        days: LOOK_AHEAD_DAYS,
        milestones: Capped::of(
            due_milestones
                .into_iter()
                .filter_map(|m| {
                    Some(DueMilestone {
                        integration: refs.get(&m.integration_id)?.clone(),
                        title: m.title,
                        due_date: m.due_date,
                    })
                })
                .collect(),
        ),
        credentials: Capped::of(credentials),
        certificates: Capped::of(
            expiring
                .into_iter()
                .filter_map(|m| {
                    let env = envs.get(&m.environment_id)?;
                    let expires_at = m.tls_expires_at?;
                    Some(ExpiringCertificate {
                        integration: refs.get(&env.integration_id)?.clone(),
                        environment: env.name.clone(),
                        days_left: (expires_at - now).num_days(),
                        expires_at,
                    })
                })
                .collect(),
        ),
        audits: Capped::of(
            due_audits
                .into_iter()
                .filter_map(|(a, next_due)| {
                    Some(DueAudit {
                        integration: refs.get(&a.integration_id)?.clone(),
                        title: a.title,
                        overdue: next_due < today,
                        next_due,
                    })
                })
                .collect(),
        ),
    })
}

/// An integration's health from the (kind, state) of its monitored environments, leaving out those
/// not checked yet: not monitored when none is left; down when production is down or every
/// one is; degraded when some are down; otherwise up.
pub fn health_of(states: &[(&str, MonitorState)]) -> Health {
    let checked: Vec<&(&str, MonitorState)> = states
        .iter()
        .filter(|(_, s)| *s != MonitorState::Unknown)
        .collect();
    if checked.is_empty() {
        return Health::NotMonitored;
    }
    let down = checked
        .iter()
        .filter(|(_, s)| *s == MonitorState::Down)
        .count();
    let production_down = checked
        .iter()
        .any(|(name, s)| name.eq_ignore_ascii_case("production") && *s == MonitorState::Down);
    if production_down || down == checked.len() {
        Health::Down
    } else if down > 0 {
        Health::Degraded
    } else {
        Health::Up
    }
}

/// The table's columns for the integrations `page` (one page of the list), as of `now`.
///
/// # Errors
/// Database failures.
pub async fn rows(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
    page: &[crate::integrations::model::Integration],
    now: DateTime<Utc>,
    ctx: &crate::gate::GateContext,
) -> Result<Vec<PortfolioRow>> {
    let today = now.date_naive();
    let ids: Vec<i32> = page.iter().map(|i| i.id).collect();
    // One read transaction, so every gate sees the same snapshot (as the stage panel does).
    let txn = db.begin().await?;
    let models = integrations::Entity::find()
        .filter(integrations::Column::Id.is_in(ids.clone()))
        .all(&txn)
        .await?;
    let mut gates: HashMap<i32, Ratio> = HashMap::new();
    for m in &models {
        let Some(to) = crate::lifecycle::model::next_stage(m.stage) else {
            continue;
        };
        let panel = crate::lifecycle::service::evaluate(&txn, m, to, ctx).await?;
        // A move no criterion guards (live -> retired) is no gate.
        if panel.criteria.is_empty() {
            continue;
        }
        gates.insert(
            m.id,
            Ratio {
                part: panel.criteria.iter().filter(|c| c.met).count() as u64,
                whole: panel.criteria.len() as u64,
            },
        );
    }
    let envs = environments::Entity::find()
        .filter(environments::Column::IntegrationId.is_in(ids.clone()))
        .filter(environments::Column::HealthPath.is_not_null())
        .all(&txn)
        .await?;
    let env_ids: Vec<i32> = envs.iter().map(|e| e.id).collect();
    let states: HashMap<i32, MonitorState> = monitors::Entity::find()
        .filter(monitors::Column::EnvironmentId.is_in(env_ids.clone()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| Ok((m.environment_id, m.state)))
        .collect::<Result<_>>()?;
    let uptime =
        crate::monitoring::rollups::counts_since(&txn, &env_ids, now - Duration::days(30)).await?;
    let open: Vec<IdCount> = incidents::Entity::find()
        .select_only()
        .column_as(incidents::Column::IntegrationId, "id")
        .column_as(incidents::Column::Id.count(), "n")
        .filter(incidents::Column::IntegrationId.is_in(ids.clone()))
        .filter(incidents::Column::Status.ne(IncidentStatus::Resolved))
        .group_by(incidents::Column::IntegrationId)
        .into_model()
        .all(&txn)
        .await?;
    let pending = milestones::Entity::find()
        .filter(milestones::Column::IntegrationId.is_in(ids))
        .filter(milestones::Column::Status.ne(MilestoneStatus::Done))
        .order_by_asc(milestones::Column::DueDate)
        .order_by_asc(milestones::Column::Id)
        .all(&txn)
        .await?;
    txn.commit().await?;
    Ok(page
        .iter()
        .map(|i| {
            let mine: Vec<&environments::Model> =
                envs.iter().filter(|e| e.integration_id == i.id).collect();
            let env_states: Vec<(&str, MonitorState)> = mine
                .iter()
                .map(|e| {
                    (
                        e.kind.as_str(),
                        states.get(&e.id).copied().unwrap_or(MonitorState::Unknown),
                    )
                })
                .collect();
            let (checks, failures) = mine
                .iter()
                .filter_map(|e| uptime.get(&e.id))
                .fold((0, 0), |(c, f), (c2, f2)| (c + c2, f + f2));
            let milestones: Vec<&milestones::Model> = pending
                .iter()
                .filter(|m| m.integration_id == i.id)
                .collect();
            PortfolioRow {
                integration: IntegrationRef {
                    id: i.id,
                    slug: i.slug.clone(),
                    name: i.name.clone(),
                    gate_overridden: i.gate_overridden,
                },
                provider: i.provider.clone(),
                owner: i.owner.name.clone(),
                priority: i.priority,
                stage: i.stage,
                gate: gates.get(&i.id).copied(),
                health: health_of(&env_states),
                uptime_30d_bp: crate::monitoring::service::uptime_bp(checks, failures),
                open_incidents: open.iter().find(|o| o.id == i.id).map_or(0, |o| count(o.n)),
                next_milestone: milestones.first().map(|m| NextMilestone {
                    title: m.title.clone(),
                    due_date: m.due_date,
                }),
                overdue: milestones.iter().any(|m| m.due_date < today),
            }
        })
        .collect())
}

/// The trail's newest entries, each with the integration it concerns.
///
/// # Errors
/// Database failures.
pub async fn recent(db: &impl ConnectionTrait) -> Result<Vec<RecentEntry>> {
    let entries = crate::activity::service::recent(db, RECENT).await?;
    // A trail id is `7` for integration 7 itself and `7/12` for record 12 of it.
    let integration_of = |e: &crate::activity::model::ActivityEntry| -> Option<i32> {
        let head = e.entity_id.split('/').next()?;
        (e.kind == crate::integrations::service::ENTITY_KIND || e.entity_id.contains('/'))
            .then(|| head.parse().ok())
            .flatten()
    };
    let refs = references(db, entries.iter().filter_map(integration_of)).await?;
    Ok(entries
        .into_iter()
        .map(|entry| RecentEntry {
            integration: integration_of(&entry).and_then(|id| refs.get(&id).cloned()),
            entry,
        })
        .collect())
}

/// The whole dashboard as of `now`, its table filtered, sorted and paged by `query` as the
/// integrations list is.
///
/// # Errors
/// Database failures.
pub async fn dashboard(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
    query: &IntegrationQuery,
    now: DateTime<Utc>,
    ctx: &crate::gate::GateContext,
) -> Result<Dashboard> {
    let today = now.date_naive();
    let list = crate::integrations::service::list(db, query).await?;
    Ok(Dashboard {
        today,
        pipeline: pipeline(db).await?,
        rows: rows(db, &list.items, now, ctx).await?,
        query: query.without_control(),
        total: list.total,
        page: list.page,
        pages: list.pages,
        figures: figures(db, today).await?,
        coming_up: coming_up(db, today, now).await?,
        recent: recent(db).await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_takes_the_lower_middle() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5]), Some(5));
        assert_eq!(median(&mut [9, 1, 5]), Some(5));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2));
    }

    #[test]
    fn health_is_down_when_production_is() {
        use MonitorState::{Down, Unknown, Up};
        assert_eq!(health_of(&[]), Health::NotMonitored);
        assert_eq!(
            health_of(&[("sandbox", Up), ("production", Up)]),
            Health::Up
        );
        assert_eq!(
            health_of(&[("sandbox", Down), ("production", Up)]),
            Health::Degraded
        );
        assert_eq!(
            health_of(&[("sandbox", Up), ("Production", Down)]),
            Health::Down
        );
        assert_eq!(health_of(&[("sandbox", Down)]), Health::Down);
        assert_eq!(health_of(&[("sandbox", Unknown)]), Health::NotMonitored);
        assert_eq!(
            health_of(&[("sandbox", Unknown), ("staging", Down)]),
            Health::Down
        );
    }
}
