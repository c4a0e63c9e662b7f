//! (ssr) The testing stage's exit criteria (testing -> live), registered in
//! `lifecycle::gates`: the latest run signed off and not superseded, every required case
//! passed in every configuration, every required category covered, and no open critical or
//! major defect. Production's registration and health are `implementation`'s and
//! `monitoring`'s criteria on the same move.

use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};

use super::model::{CaseCategory, DefectStatus, ExecutionStatus, Severity};
use crate::entities::{
    defects, integrations, signoffs, test_cases, test_executions, test_plans, test_runs,
};
use crate::error::Result;
use crate::gate::{CheckFuture, Criterion, GateContext, Outcome};

/// Testing -> live.
pub const TESTING_EXIT: &[Criterion] = &[
    Criterion {
        key: "latest_run_signed_off",
        label: "The latest test run signed off by QA, and not superseded",
        fix_path: "testing",
        check: latest_run_signed_off,
    },
    Criterion {
        key: "required_cases_passed",
        label: "Every required case passed in every configuration it runs in",
        fix_path: "testing",
        check: required_cases_passed,
    },
    Criterion {
        key: "categories_covered",
        label: "Every category the plan requires covered by a passed case",
        fix_path: "testing",
        check: categories_covered,
    },
    Criterion {
        key: "no_blocking_defects",
        label: "No open critical or major defect",
        fix_path: "testing",
        check: no_blocking_defects,
    },
];

struct Latest {
    plan: test_plans::Model,
    run: test_runs::Model,
    executions: Vec<test_executions::Model>,
    cases: Vec<test_cases::Model>,
}

async fn latest(txn: &DatabaseTransaction, i: &integrations::Model) -> Result<Option<Latest>> {
    let Some(plan) = super::plans::plan_of(txn, i.id).await? else {
        return Ok(None);
    };
    let Some(run) = test_runs::Entity::find()
        .filter(test_runs::Column::PlanId.eq(plan.id))
        .order_by_desc(test_runs::Column::Id)
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    let executions = test_executions::Entity::find()
        .filter(test_executions::Column::RunId.eq(run.id))
        .all(txn)
        .await?;
    let cases = super::plans::cases_of(txn, plan.id).await?;
    Ok(Some(Latest {
        plan,
        run,
        executions,
        cases,
    }))
}

const NO_RUN: &str = "No test run yet.";

fn latest_run_signed_off<'a>(
    txn: &'a DatabaseTransaction,
    i: &'a integrations::Model,
    _ctx: &'a GateContext,
) -> CheckFuture<'a> {
    Box::pin(async move {
        let Some(l) = latest(txn, i).await? else {
            return Ok(Outcome::unmet(NO_RUN));
        };
        let newest = signoffs::Entity::find()
            .filter(signoffs::Column::RunId.eq(l.run.id))
            .order_by_desc(signoffs::Column::Id)
            .one(txn)
            .await?;
        Ok(match newest {
            Some(s) if s.superseded_at.is_none() => Outcome::met(format!(
                "{} signed off on {}.",
                l.run.name,
                s.signed_at.format("%Y-%m-%d")
            )),
            Some(s) => Outcome::unmet(format!(
                "The sign-off of {} was superseded: {}",
                l.run.name,
                s.superseded_reason.unwrap_or_default()
            )),
            None => Outcome::unmet(format!("{} is not signed off yet.", l.run.name)),
        })
    })
}

fn required_cases_passed<'a>(
    txn: &'a DatabaseTransaction,
    i: &'a integrations::Model,
    _ctx: &'a GateContext,
) -> CheckFuture<'a> {
    Box::pin(async move {
        let Some(l) = latest(txn, i).await? else {
            return Ok(Outcome::unmet(NO_RUN));
        };
        let mut missing = Vec::new();
        for c in l.cases.iter().filter(|c| c.required) {
            let runs: Vec<_> = l.executions.iter().filter(|e| e.case_id == c.id).collect();
            if runs.is_empty() {
                missing.push(format!("{} (not in the run)", c.key));
            }
            for e in runs.iter().filter(|e| e.status != ExecutionStatus::Passed) {
                let at = if e.configuration.is_empty() {
                    String::new()
                } else {
                    format!(" on {}", e.configuration)
                };
                missing.push(format!("{}{at} ({})", c.key, e.status.as_str()));
            }
        }
        Ok(if missing.is_empty() {
            Outcome::met(format!("Every required case passed in {}.", l.run.name))
        } else {
            Outcome::unmet(format!("Not passed: {}.", missing.join(", ")))
        })
    })
}

fn categories_covered<'a>(
    txn: &'a DatabaseTransaction,
    i: &'a integrations::Model,
    _ctx: &'a GateContext,
) -> CheckFuture<'a> {
    Box::pin(async move {
        let Some(l) = latest(txn, i).await? else {
            return Ok(Outcome::unmet(NO_RUN));
        };
        let wanted = super::plans::plan_wire(&l.plan).required_categories;
        let uncovered: Vec<&str> = wanted
            .iter()
            .filter(|cat: &&CaseCategory| {
                !l.executions.iter().any(|e| {
                    e.status == ExecutionStatus::Passed
                        && l.cases
                            .iter()
                            .any(|c| c.id == e.case_id && c.category == **cat)
                })
            })
            .map(|c| c.label())
            .collect();
        Ok(if uncovered.is_empty() {
            Outcome::met(format!("{} required categor(ies) covered.", wanted.len()))
        } else {
            Outcome::unmet(format!("No passed case in: {}.", uncovered.join(", ")))
        })
    })
}

fn no_blocking_defects<'a>(
    txn: &'a DatabaseTransaction,
    i: &'a integrations::Model,
    _ctx: &'a GateContext,
) -> CheckFuture<'a> {
    Box::pin(async move {
        let open = defects::Entity::find()
            .filter(defects::Column::IntegrationId.eq(i.id))
            .filter(defects::Column::Severity.is_in([Severity::Critical, Severity::Major]))
            .filter(defects::Column::Status.is_in([
                DefectStatus::Open,
                DefectStatus::InProgress,
                DefectStatus::Fixed,
            ]))
            .all(txn)
            .await?;
        Ok(if open.is_empty() {
            Outcome::met("No open critical or major defect.")
        } else {
            Outcome::unmet(format!(
                "Open: {}.",
                open.iter()
                    .map(|d| format!("{} ({})", d.title, d.severity.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    })
}
