//! (ssr) The planning stage's exit criteria (planning -> implementation), registered in
//! `lifecycle::gates`. Each reads the database inside the caller's transaction.

use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use crate::entities::{integrations, milestones, objectives, plans, vendor_selections};
use crate::gate::{CheckFuture, Criterion, GateContext, Outcome};
use crate::planning::model::PlanState;

/// Planning -> implementation.
pub const PLANNING_EXIT: &[Criterion] = &[
    Criterion {
        key: "vendor_selected",
        label: "A vendor selected with a rationale",
        fix_path: "planning/vendors",
        check: vendor_selected,
    },
    Criterion {
        key: "objective_with_target",
        label: "At least one objective with a metric and a target",
        fix_path: "planning/objectives",
        check: objective_with_target,
    },
    Criterion {
        key: "plan_approved",
        label: "The latest plan version approved",
        fix_path: "planning/plan",
        check: plan_approved,
    },
    Criterion {
        key: "milestone_with_due_date",
        label: "At least one milestone with a due date",
        fix_path: "planning/milestones",
        check: milestone_with_due_date,
    },
];

fn vendor_selected<'a>(
    txn: &'a DatabaseTransaction,
    i: &'a integrations::Model,
    _ctx: &'a GateContext,
) -> CheckFuture<'a> {
    Box::pin(async move {
        let latest = vendor_selections::Entity::find()
            .filter(vendor_selections::Column::IntegrationId.eq(i.id))
            .order_by_desc(vendor_selections::Column::Id)
            .one(txn)
            .await?;
        Ok(match latest {
            Some(s) if !s.rationale.trim().is_empty() => {
                Outcome::met(format!("{} selected.", s.candidate_name))
            }
            _ => Outcome::unmet("No vendor has been selected yet."),
        })
    })
}

fn objective_with_target<'a>(
    txn: &'a DatabaseTransaction,
    i: &'a integrations::Model,
    _ctx: &'a GateContext,
) -> CheckFuture<'a> {
    Box::pin(async move {
        // Metric and target are required fields, so every stored objective qualifies.
        let count = objectives::Entity::find()
            .filter(objectives::Column::IntegrationId.eq(i.id))
            .filter(objectives::Column::Metric.ne(""))
            .count(txn)
            .await?;
        Ok(if count > 0 {
            Outcome::met(format!(
                "{count} objective{} with a metric and target.",
                if count == 1 { "" } else { "s" }
            ))
        } else {
            Outcome::unmet("No objective with a metric and a target yet.")
        })
    })
}

fn plan_approved<'a>(
    txn: &'a DatabaseTransaction,
    i: &'a integrations::Model,
    _ctx: &'a GateContext,
) -> CheckFuture<'a> {
    Box::pin(async move {
        let latest = plans::Entity::find()
            .filter(plans::Column::IntegrationId.eq(i.id))
            .order_by_desc(plans::Column::Version)
            .one(txn)
            .await?;
        Ok(match latest {
            None => Outcome::unmet("No plan has been written yet."),
            Some(p) => match p.state {
                PlanState::Approved => Outcome::met(format!("Version {} is approved.", p.version)),
                state => Outcome::unmet(format!(
                    "Version {} is {}, not approved.",
                    p.version,
                    state.label().to_lowercase()
                )),
            },
        })
    })
}

fn milestone_with_due_date<'a>(
    txn: &'a DatabaseTransaction,
    i: &'a integrations::Model,
    _ctx: &'a GateContext,
) -> CheckFuture<'a> {
    Box::pin(async move {
        let next = milestones::Entity::find()
            .filter(milestones::Column::IntegrationId.eq(i.id))
            .order_by_asc(milestones::Column::DueDate)
            .one(txn)
            .await?;
        Ok(match next {
            Some(m) => Outcome::met(format!(
                "First milestone \"{}\" due {}.",
                m.title, m.due_date
            )),
            None => Outcome::unmet("No milestone with a due date yet."),
        })
    })
}
