//! (ssr) What waits on one person, read from the records: one read transaction, so every gate
//! is judged on the same snapshot.

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

use super::model::{Group, NeedsMe, Waiting};
use crate::auth::access::Action;
use crate::auth::model::{CurrentUser, Role};
use crate::entities::{environments, incidents, integrations, milestones, monitors, plans};
use crate::error::Result;
use crate::gate::GateContext;
use crate::integrations::lookup::reference;
use crate::integrations::model::Stage;
use crate::monitoring::model::IncidentStatus;
use crate::monitors::MonitorState;
use crate::planning::model::{MilestoneStatus, PlanState};

/// What waits on `user` as of `today`, by what their role does.
///
/// # Errors
/// Database failures.
pub async fn needs_me(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
    user: &CurrentUser,
    today: NaiveDate,
    ctx: &GateContext,
) -> Result<NeedsMe> {
    let txn = db.begin().await?;
    let active: Vec<integrations::Model> = integrations::Entity::find()
        .filter(integrations::Column::Stage.is_not_in([Stage::Retired, Stage::OnHold]))
        .order_by_asc(integrations::Column::Name)
        .all(&txn)
        .await?;
    let mut groups = Vec::new();
    if matches!(user.role, Role::Coordinator | Role::Admin) {
        let owned: Vec<&integrations::Model> =
            active.iter().filter(|i| i.owner_id == user.id).collect();
        groups.push(closed_gates(&txn, &owned, ctx).await?);
        groups.push(plans_sent_back(&txn, &owned).await?);
        groups.push(overdue_milestones(&txn, &owned, today).await?);
        groups.push(open_incidents(&txn, &owned).await?);
    }
    if user.can(Action::ReviewPlan) {
        groups.push(plans_in_review(&txn, &active).await?);
    }
    if user.role != Role::Stakeholder {
        groups.push(action_items(&txn, user, today).await?);
    }
    if matches!(user.role, Role::Engineer | Role::Admin) {
        groups.push(environments_down(&txn, &active).await?);
    }
    if matches!(user.role, Role::Qa | Role::Admin) {
        groups.push(runs_waiting(&txn, &active).await?);
    }
    txn.commit().await?;
    Ok(NeedsMe { groups })
}

fn href(i: &integrations::Model, below: &str) -> String {
    format!("/integrations/{}{below}", i.slug)
}

/// The integrations among `owned` whose gate to the next stage is closed, with what it needs.
async fn closed_gates(
    txn: &DatabaseTransaction,
    owned: &[&integrations::Model],
    ctx: &GateContext,
) -> Result<Group> {
    let mut all = Vec::new();
    for i in owned {
        let Some(to) = crate::lifecycle::model::next_stage(i.stage) else {
            continue;
        };
        let gate = crate::lifecycle::service::evaluate(txn, i, to, ctx).await?;
        if gate.criteria.is_empty() || gate.open() {
            continue;
        }
        all.push(Waiting {
            integration: reference(i),
            title: format!("Gate to {}", to.label()),
            detail: format!("Still needs: {}.", gate.missing().join("; ")),
            href: href(i, ""),
            due: None,
        });
    }
    Ok(Group::new(
        "gates",
        "Closed gates on your integrations",
        "Every gate in front of your integrations is open.",
        all,
    ))
}

/// The latest plans of `owned` that a reviewer sent back for changes.
async fn plans_sent_back(
    txn: &DatabaseTransaction,
    owned: &[&integrations::Model],
) -> Result<Group> {
    let rows = latest_plans(txn, owned.iter().map(|i| i.id)).await?;
    let all = rows
        .into_iter()
        .filter(|p| p.state == PlanState::ChangesRequested)
        .filter_map(|p| {
            let i = owned.iter().find(|i| i.id == p.integration_id)?;
            Some(Waiting {
                integration: reference(i),
                title: format!("Plan version {}", p.version),
                detail: p
                    .review_comment
                    .filter(|c| !c.trim().is_empty())
                    .map_or_else(
                        || "Changes requested.".into(),
                        |c| format!("Changes requested: {c}"),
                    ),
                href: href(i, "/planning/plan"),
                due: None,
            })
        })
        .collect();
    Ok(Group::new(
        "plans_back",
        "Plans sent back for changes",
        "No plan of yours waits for changes.",
        all,
    ))
}

/// The plans in review on `active` integrations, for someone who reviews them.
async fn plans_in_review(
    txn: &DatabaseTransaction,
    active: &[integrations::Model],
) -> Result<Group> {
    let rows = latest_plans(txn, active.iter().map(|i| i.id)).await?;
    let all = rows
        .into_iter()
        .filter(|p| p.state == PlanState::InReview)
        .filter_map(|p| {
            let i = active.iter().find(|i| i.id == p.integration_id)?;
            Some(Waiting {
                integration: reference(i),
                title: format!("Plan version {}", p.version),
                detail: p.submitted_at.map_or_else(
                    || "Submitted for review.".into(),
                    |at| format!("Submitted {}.", at.format("%Y-%m-%d")),
                ),
                href: href(i, "/planning/plan"),
                due: p.submitted_at.map(|at| at.date_naive()),
            })
        })
        .collect();
    Ok(Group::new(
        "plans_review",
        "Plans to review",
        "No plan waits for a review.",
        all,
    ))
}

/// Each of `ids`' newest plan version.
async fn latest_plans(
    txn: &DatabaseTransaction,
    ids: impl Iterator<Item = i32>,
) -> Result<Vec<plans::Model>> {
    let rows = plans::Entity::find()
        .filter(plans::Column::IntegrationId.is_in(ids.collect::<Vec<_>>()))
        .order_by_desc(plans::Column::Version)
        .all(txn)
        .await?;
    let mut latest: Vec<plans::Model> = Vec::new();
    for p in rows {
        if !latest.iter().any(|l| l.integration_id == p.integration_id) {
            latest.push(p);
        }
    }
    Ok(latest)
}

/// The milestones of `owned` past their due date and not done.
async fn overdue_milestones(
    txn: &DatabaseTransaction,
    owned: &[&integrations::Model],
    today: NaiveDate,
) -> Result<Group> {
    let rows = milestones::Entity::find()
        .filter(milestones::Column::IntegrationId.is_in(owned.iter().map(|i| i.id)))
        .filter(milestones::Column::Status.ne(MilestoneStatus::Done))
        .filter(milestones::Column::DueDate.lt(today))
        .all(txn)
        .await?;
    let all = rows
        .into_iter()
        .filter_map(|m| {
            let i = owned.iter().find(|i| i.id == m.integration_id)?;
            Some(Waiting {
                integration: reference(i),
                title: m.title,
                detail: format!("Overdue: due {}.", m.due_date),
                href: href(i, "/planning/milestones"),
                due: Some(m.due_date),
            })
        })
        .collect();
    Ok(Group::new(
        "milestones",
        "Overdue milestones",
        "No milestone of your integrations is overdue.",
        all,
    ))
}

/// The incidents of `owned` not resolved.
async fn open_incidents(
    txn: &DatabaseTransaction,
    owned: &[&integrations::Model],
) -> Result<Group> {
    let rows = incidents::Entity::find()
        .filter(incidents::Column::IntegrationId.is_in(owned.iter().map(|i| i.id)))
        .filter(incidents::Column::Status.ne(IncidentStatus::Resolved))
        .order_by_desc(incidents::Column::OpenedAt)
        .all(txn)
        .await?;
    let all = rows
        .into_iter()
        .filter_map(|x| {
            let i = owned.iter().find(|i| i.id == x.integration_id)?;
            Some(Waiting {
                integration: reference(i),
                title: x.title,
                detail: format!(
                    "{}, {} since {}.",
                    x.severity.label(),
                    x.status.label().to_lowercase(),
                    x.opened_at.format("%Y-%m-%d %H:%M UTC")
                ),
                href: format!("/incidents/{}", x.id),
                due: Some(x.opened_at.date_naive()),
            })
        })
        .collect();
    Ok(Group::new(
        "incidents",
        "Open incidents on your integrations",
        "No incident is open on your integrations.",
        all,
    ))
}

/// `user`'s open action items.
async fn action_items(
    txn: &DatabaseTransaction,
    user: &CurrentUser,
    today: NaiveDate,
) -> Result<Group> {
    let items = crate::planning::service::meetings::open_items_for(txn, user.id).await?;
    let all = items
        .into_iter()
        .map(|a| Waiting {
            detail: match a.due_date {
                Some(d) if d < today => format!("Overdue: due {d}."),
                Some(d) => format!("Due {d}."),
                None => "No due date.".into(),
            },
            href: format!("/integrations/{}/planning/meetings", a.integration.slug),
            integration: a.integration,
            title: a.text,
            due: a.due_date,
        })
        .collect();
    Ok(Group::new(
        "actions",
        "Your action items",
        "No action item is assigned to you.",
        all,
    ))
}

/// The environments of `active` integrations whose health check finds them down.
async fn environments_down(
    txn: &DatabaseTransaction,
    active: &[integrations::Model],
) -> Result<Group> {
    let down: Vec<monitors::Model> = monitors::Entity::find()
        .filter(monitors::Column::State.eq(MonitorState::Down))
        .all(txn)
        .await?;
    let envs = environments::Entity::find()
        .filter(environments::Column::Id.is_in(down.iter().map(|m| m.environment_id)))
        .all(txn)
        .await?;
    let all = envs
        .into_iter()
        .filter_map(|e| {
            let i = active.iter().find(|i| i.id == e.integration_id)?;
            let since = down
                .iter()
                .find(|m| m.environment_id == e.id)
                .and_then(|m| m.changed_at);
            Some(Waiting {
                integration: reference(i),
                title: e.name,
                detail: since.map_or_else(
                    || "Down.".into(),
                    |at| format!("Down since {}.", at.format("%Y-%m-%d %H:%M UTC")),
                ),
                href: href(i, "/health"),
                due: since.map(|at| at.date_naive()),
            })
        })
        .collect();
    Ok(Group::new(
        "environments",
        "Environments down",
        "Every monitored environment is up.",
        all,
    ))
}

/// For each integration in testing, its latest run when it waits on QA: results not all
/// recorded, recorded but not signed off, or its sign-off superseded; or no run yet.
async fn runs_waiting(txn: &DatabaseTransaction, active: &[integrations::Model]) -> Result<Group> {
    let testing: Vec<&integrations::Model> = active
        .iter()
        .filter(|i| i.stage == Stage::Testing)
        .collect();
    let latest = crate::testing::runs::latest(txn, &testing).await?;
    let mut all = Vec::new();
    for i in testing {
        let (title, detail, below) = match latest.iter().find(|r| r.run.integration.id == i.id) {
            None => (
                "No run yet".to_string(),
                "Start a run of the test plan.".to_string(),
                "/testing".to_string(),
            ),
            Some(r) if r.counts.untested > 0 => (
                r.run.name.clone(),
                format!(
                    "Awaiting results: {} of {} recorded.",
                    r.counts.recorded(),
                    r.counts.total
                ),
                format!("/runs/{}", r.run.id),
            ),
            Some(r) => match &r.latest_signoff {
                None => (
                    r.run.name.clone(),
                    "Every result recorded; awaiting sign-off.".to_string(),
                    format!("/runs/{}", r.run.id),
                ),
                Some(s) if !s.is_live() => (
                    r.run.name.clone(),
                    "Its sign-off was superseded by a changed result; sign off again.".to_string(),
                    format!("/runs/{}", r.run.id),
                ),
                Some(_) => continue,
            },
        };
        all.push(Waiting {
            integration: reference(i),
            title,
            detail,
            href: href(i, &below),
            due: None,
        });
    }
    Ok(Group::new(
        "runs",
        "Test runs waiting on QA",
        "No integration in testing waits on a run, a result or a sign-off.",
        all,
    ))
}
