//! (ssr) An integration's overview, gathered from the services that own each part, so the
//! overview, the pages it links to and the status report never disagree. Read in one
//! transaction, so every part sees the same snapshot.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, EntityTrait, TransactionTrait};

use super::model::{IntegrationOverview, SpecChanges};
use crate::entities::users;
use crate::error::Result;
use crate::integrations::lookup::{integration, reference};
use crate::monitors::MonitorState;
use crate::specs::model::Level;

/// The changes of every spec of `integration_id` that has two versions or more: its latest
/// against the one before, as the changes page compares them by default.
async fn spec_changes(db: &impl ConnectionTrait, integration_id: i32) -> Result<Vec<SpecChanges>> {
    let mut out = Vec::new();
    for spec in crate::specs::service::list(db, integration_id).await? {
        let Some(latest) = spec.versions.first() else {
            continue;
        };
        let (base, rows) = match spec.versions.get(1) {
            Some(base) => {
                let changes = crate::specs::service::compare(db, base.id, latest.id).await?;
                let keys = crate::specs::usage::keys(db, spec.id).await?;
                (Some(base.number), crate::specs::usage::rows(changes, &keys))
            }
            None => (None, Vec::new()),
        };
        let level = |l: Level| rows.iter().filter(|r| r.level == l).count();
        out.push(SpecChanges {
            spec_id: spec.id,
            name: spec.name.clone(),
            revision: latest.number,
            base,
            imported_at: latest.imported_at,
            breaking: level(Level::Err),
            warnings: level(Level::Warn),
            info: level(Level::Info),
            used: rows.iter().filter(|r| r.used).count(),
        });
    }
    Ok(out)
}

/// The overview of integration `slug` as of `now`, as `viewer` may read it: credential
/// references only for the roles that read them (`CREDENTIAL_READERS`; not stakeholders).
///
/// # Errors
/// `NotFound`; database failures.
pub async fn overview(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
    viewer: &crate::auth::model::CurrentUser,
    slug: &str,
    now: DateTime<Utc>,
    ctx: &crate::gate::GateContext,
) -> Result<IntegrationOverview> {
    let mut o = gather(db, slug, now, ctx).await?;
    if !viewer.can(crate::auth::access::Action::ReadCredentials) {
        o.credentials.clear();
    }
    Ok(o)
}

/// The overview of integration `slug` as of `now`: its open incidents and defects, never the
/// resolved and fixed ones (counted, not read), however many it has had.
///
/// # Errors
/// `NotFound` (the lifecycle refuses a slug with control characters); database failures.
pub async fn gather(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
    slug: &str,
    now: DateTime<Utc>,
    ctx: &crate::gate::GateContext,
) -> Result<IntegrationOverview> {
    let life = crate::lifecycle::service::lifecycle(db, slug, ctx).await?;
    let txn = db.begin().await?;
    let i = integration(&txn, slug).await?;
    let owner = users::Entity::find_by_id(i.owner_id)
        .one(&txn)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    let (runs, latest_run) = crate::testing::runs::count_and_latest(&txn, &i).await?;
    let environments = crate::monitoring::service::environments_of(&txn, i.id, now).await?;
    let states: Vec<(&str, MonitorState)> = environments
        .iter()
        .map(|e| (e.name.as_str(), e.state))
        .collect();
    let health = crate::dashboard::service::health_of(&states);
    let incidents = crate::monitoring::service::incident_count(&txn, i.id).await?;
    let mttr_minutes = crate::monitoring::service::mttr_minutes(&txn, i.id).await?;
    let mut timeline = life.timeline;
    timeline.reverse();
    let overview = IntegrationOverview {
        at: now,
        integration: reference(&i),
        stage: life.stage,
        provider: i.provider.clone(),
        owner,
        gate_overridden: i.gate_overridden,
        gate: life.gate,
        timeline,
        objectives: crate::planning::service::objectives::for_integration(&txn, i.id).await?,
        milestones: crate::planning::service::milestones::for_integration(&txn, &i).await?,
        runs,
        latest_run,
        health,
        open_incidents: crate::monitoring::service::open_incidents(&txn, i.id).await?,
        incidents: usize::try_from(incidents).unwrap_or(usize::MAX),
        mttr_minutes,
        environments,
        open_defects: crate::testing::defects::open(&txn, &i).await?,
        credentials: crate::implementation::credentials::for_integration(&txn, &i).await?,
        spec_changes: spec_changes(&txn, i.id).await?,
        maintenance: crate::specs::maintenance::of_integration(&txn, i.id)
            .await?
            .into_iter()
            .filter(|m| m.status == "open")
            .collect(),
    };
    txn.commit().await?;
    Ok(overview)
}
