//! (ssr) The portfolio dashboard, each part computed from records with a few grouped
//! queries whatever the size of the portfolio. The table reads only the page it shows: its
//! gates, health, uptime, incidents and milestones are loaded for those integrations at once.

use crate::calendar::LOOK_AHEAD_DAYS;
use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};

use super::figures::{IdCount, count, figures, pipeline};
use super::model::{
    Capped, ComingUp, Dashboard, DueAudit, DueCredential, DueMilestone, ExpiringCertificate,
    Health, KeyFigures, NextMilestone, PortfolioRow, Ratio, RecentEntry, SHOWN, StageCount,
};
use crate::entities::{
    credential_refs, environments, incidents, integrations, milestones, monitors,
};
use crate::error::Result;
use crate::implementation::model::{CredentialStatus, credential_status};
use crate::integrations::lookup::reference;
use crate::integrations::model::IntegrationQuery;
use crate::integrations::model::IntegrationRef;
use crate::monitoring::model::IncidentStatus;
use crate::monitors::MonitorState;
use crate::planning::model::MilestoneStatus;

/// How many trail entries "recent activity" shows.
pub const RECENT: u64 = 10;

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
    // Of milestones and certificates only those shown are read, and the rest counted: the
    // page is the same size however many fall due.
    let due_milestones = milestones::Entity::find()
        .filter(milestones::Column::Status.ne(MilestoneStatus::Done))
        .filter(milestones::Column::DueDate.gte(today))
        .filter(milestones::Column::DueDate.lte(horizon));
    let milestones_due = due_milestones.clone().count(db).await?;
    let due_milestones = due_milestones
        .order_by_asc(milestones::Column::DueDate)
        .order_by_asc(milestones::Column::Id)
        .limit(SHOWN as u64)
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
    let expiring = monitors::Entity::find().filter(monitors::Column::TlsExpiresAt.lt(warn));
    let certificates_due = expiring.clone().count(db).await?;
    let expiring = expiring
        .order_by_asc(monitors::Column::TlsExpiresAt)
        .order_by_asc(monitors::Column::EnvironmentId)
        .limit(SHOWN as u64)
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
        milestones: Capped::counted(
            milestones_due,
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
        certificates: Capped::counted(
            certificates_due,
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
        crate::monitoring::rollups::counts_between(&txn, &env_ids, now - Duration::days(30), None)
            .await?;
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
    let integration_of = |e: &crate::activity::model::ActivityEntry| {
        crate::activity::service::integration_of(&e.kind, &e.entity_id)
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
/// integrations list is, computed from scratch (`cache` keeps it, and its parts).
///
/// # Errors
/// Database failures.
pub async fn dashboard(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
    query: &IntegrationQuery,
    now: DateTime<Utc>,
    ctx: &crate::gate::GateContext,
) -> Result<Dashboard> {
    let list = crate::integrations::service::list(db, query).await?;
    let rows = rows(db, &list.items, now, ctx).await?;
    let figures = figures(db, now.date_naive()).await?;
    let pipeline = pipeline(db).await?;
    assemble(db, query, now, list, rows, figures, pipeline).await
}

/// The dashboard of `list` (`query`'s page of the integrations list), with its table's `rows`,
/// key `figures` and `pipeline`, and the rest read as of `now`.
///
/// # Errors
/// Database failures.
pub async fn assemble(
    db: &impl ConnectionTrait,
    query: &IntegrationQuery,
    now: DateTime<Utc>,
    list: crate::integrations::model::IntegrationList,
    rows: Vec<PortfolioRow>,
    figures: KeyFigures,
    pipeline: Vec<StageCount>,
) -> Result<Dashboard> {
    let today = now.date_naive();
    let started = std::time::Instant::now();
    let coming_up = coming_up(db, today, now).await?;
    let come = started.elapsed();
    let recent = recent(db).await?;
    tracing::debug!(
        coming_up_us = come.as_micros(),
        recent_us = (started.elapsed() - come).as_micros(),
        "dashboard assembled"
    );
    Ok(Dashboard {
        today,
        pipeline,
        rows,
        query: query.without_control(),
        total: list.total,
        page: list.page,
        pages: list.pages,
        figures,
        coming_up,
        recent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
