//! (ssr) QA sign-offs of a test run: a sign-off keeps a snapshot of every result with its
//! SHA-256 and is never edited; when a result of its run or a required case of its plan
//! changes, it is marked superseded, with why, in the same transaction as the change.

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionSession,
    TransactionTrait,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::model::{ExecutionStatus, Signoff};
use super::plans::cases_of;
use super::run_lookup::{executions_of, run_and_plan};
use crate::activity::service as activity;
use crate::auth::access::Action;
use crate::auth::model::CurrentUser;
use crate::entities::{signoffs, test_cases, test_executions, test_plans, test_runs};
use crate::error::{AppError, FieldErrors, Result};
use crate::outbox::EventType;
use crate::outbox::service::{Event, emit};
use crate::planning::service::person;
use crate::records;
use crate::users::model::UserRef;
use crate::validate::required;

crate::filed_record!(signoffs, "signoff", |m| {
    json!({"run_id": m.run_id, "statement": m.statement, "sha256": m.sha256, "reason": m.superseded_reason})
});

pub(super) fn signoff_wire(who: &[UserRef], s: signoffs::Model) -> Signoff {
    Signoff {
        id: s.id,
        run_id: s.run_id,
        statement: s.statement,
        signer: person(who, s.signer_id),
        signed_at: s.signed_at,
        sha256: s.sha256,
        superseded_at: s.superseded_at,
        superseded_reason: s.superseded_reason,
    }
}

/// The snapshot a sign-off keeps: every execution's result, in id order, and its SHA-256.
fn snapshot(rows: &[test_executions::Model], cases: &[test_cases::Model]) -> (String, String) {
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let key = cases
                .iter()
                .find(|c| c.id == r.case_id)
                .map(|c| c.key.as_str())
                .unwrap_or_default();
            json!({
                "execution_id": r.id, "case": key, "configuration": r.configuration,
                "status": r.status, "actual": r.actual, "tester_id": r.tester_id,
                "recorded_at": r.recorded_at.map(|t| t.to_rfc3339()),
            })
        })
        .collect();
    let text = serde_json::Value::Array(items).to_string();
    let hash = hex::encode(Sha256::digest(text.as_bytes()));
    (text, hash)
}

/// Signs run `run_id` off with `statement`. Every execution must have a result.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` (no statement); `Conflict` (untested executions).
pub async fn sign_off(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    run_id: i32,
    statement: &str,
) -> Result<i32> {
    actor.may(Action::WriteTests)?;
    let mut e = FieldErrors::default();
    let statement = required(
        &mut e,
        "statement",
        statement,
        "what you sign off, such as: Release 2.4 meets the test plan",
        2000,
    );
    e.into_result()?;
    let txn = activity::begin(db).await?;
    let (run, plan, i) = run_and_plan(&txn, run_id).await?;
    let rows = executions_of(&txn, run.id).await?;
    let untested = rows
        .iter()
        .filter(|r| r.status == ExecutionStatus::Untested)
        .count();
    if untested > 0 {
        return Err(AppError::Conflict(format!(
            "Record every execution before signing off: {untested} untested."
        )));
    }
    let (text, hash) = snapshot(&rows, &cases_of(&txn, plan.id).await?);
    let signoff = signoffs::ActiveModel {
        run_id: Set(run.id),
        statement: Set(statement),
        signer_id: Set(actor.id),
        signed_at: Set(Utc::now()),
        snapshot: Set(text),
        sha256: Set(hash),
        ..Default::default()
    };
    let m =
        records::insert_under::<signoffs::Entity>(&txn, actor, "sign_off", i.id, signoff).await?;
    emit(
        &txn,
        Event::new(
            EventType::SignoffRecorded,
            Some(&i),
            format!("{}: QA signed off {}", i.name, run.name),
            format!("/integrations/{}/runs/{}", i.slug, run.id),
            json!({"run_id": run.id, "run": run.name, "statement": m.statement, "by": actor.name}),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(m.id)
}

/// Marks the live sign-offs of `run_ids` superseded, with `reason`.
pub(super) async fn supersede(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    integration_id: i32,
    run_ids: Vec<i32>,
    reason: &str,
) -> Result<()> {
    let live = signoffs::Entity::find()
        .filter(signoffs::Column::RunId.is_in(run_ids))
        .filter(signoffs::Column::SupersededAt.is_null())
        .all(txn)
        .await?;
    if live.is_empty() {
        return Ok(());
    }
    let i = crate::integrations::lookup::integration_by_id(txn, integration_id).await?;
    let runs = test_runs::Entity::find()
        .filter(test_runs::Column::Id.is_in(live.iter().map(|s| s.run_id)))
        .all(txn)
        .await?;
    for run in &runs {
        emit(
            txn,
            Event::new(
                EventType::SignoffSuperseded,
                Some(&i),
                format!("{}: the sign-off of {} no longer holds", i.name, run.name),
                format!("/integrations/{}/runs/{}", i.slug, run.id),
                json!({"run_id": run.id, "run": run.name, "reason": reason}),
            ),
        )
        .await?;
    }
    for s in live {
        let mut active: signoffs::ActiveModel = s.clone().into();
        active.superseded_at = Set(Some(Utc::now()));
        active.superseded_reason = Set(Some(reason.to_string()));
        records::save_under::<signoffs::Entity>(
            txn,
            actor,
            "supersede",
            integration_id,
            &s,
            active,
        )
        .await?;
    }
    Ok(())
}

/// Supersedes the live sign-offs of every run of plan `plan_id`.
///
/// # Errors
/// Database failures.
pub async fn supersede_plan(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    plan_id: i32,
    reason: &str,
) -> Result<()> {
    let plan = test_plans::Entity::find_by_id(plan_id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let runs: Vec<i32> = test_runs::Entity::find()
        .filter(test_runs::Column::PlanId.eq(plan_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    supersede(txn, actor, plan.integration_id, runs, reason).await
}

/// Before case `c` is deleted (with its executions): supersedes the sign-offs it affects.
///
/// # Errors
/// Database failures.
pub async fn supersede_case(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    c: &test_cases::Model,
) -> Result<()> {
    if c.required {
        return supersede_plan(
            txn,
            actor,
            c.plan_id,
            &format!("Required case {} was removed from the plan.", c.key),
        )
        .await;
    }
    let plan = test_plans::Entity::find_by_id(c.plan_id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let runs: Vec<i32> = test_executions::Entity::find()
        .filter(test_executions::Column::CaseId.eq(c.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|e| e.run_id)
        .collect();
    supersede(
        txn,
        actor,
        plan.integration_id,
        runs,
        &format!("Case {} and its results were removed.", c.key),
    )
    .await
}

/// Re-computes a sign-off's hash from its stored snapshot: whether it still matches.
pub fn snapshot_intact(s: &signoffs::Model) -> bool {
    hex::encode(Sha256::digest(s.snapshot.as_bytes())) == s.sha256
}
