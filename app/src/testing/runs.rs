//! (ssr) Test runs: a run expands into one execution per case, times the plan's
//! configurations for compatibility cases. QA, admins and engineers record results; QA and
//! admins sign a run off. A sign-off keeps a snapshot of every result with its SHA-256 and is
//! never edited: when a result of its run or a required case of its plan changes, it is
//! marked superseded, with why, in the same transaction as the change.

use crate::auth::access::Action;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::model::{
    CaseCategory, Counts, Execution, ExecutionStatus, ResultForm, RunDetail, RunSummary, Signoff,
    TestRun, TestRunForm,
};
use super::plans::{cases_of, plan_of};
use crate::activity::service as activity;
use crate::auth::model::CurrentUser;
use crate::entities::{
    environments, integrations, signoffs, test_cases, test_executions, test_plans, test_runs,
};
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::lookup::{integration, integration_by_id, reference};
use crate::planning::service::{people, person};
use crate::records;
use crate::users::model::UserRef;
use crate::validate::{optional, optional_id, required};

crate::filed_record!(test_runs, "test_run", |m| {
    json!({"name": m.name, "build": m.build, "environment_id": m.environment_id})
});

crate::filed_record!(signoffs, "signoff", |m| {
    json!({"run_id": m.run_id, "statement": m.statement, "sha256": m.sha256, "reason": m.superseded_reason})
});

/// Starts a run of the integration's plan and expands it into executions.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation`; `Conflict` when the plan has no cases.
pub async fn create_run(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &TestRunForm,
) -> Result<i32> {
    actor.may(Action::WriteTests)?;
    let mut e = FieldErrors::default();
    let name = required(
        &mut e,
        "name",
        &form.name,
        "a name, such as Release 2.4 regression",
        120,
    );
    let build = optional(&mut e, "build", &form.build, 120);
    let environment_id = optional_id(&mut e, "environment_id", &form.environment_id);
    e.into_result()?;
    let txn = activity::begin(db).await?;
    integration_by_id(&txn, integration_id).await?;
    if let Some(id) = environment_id {
        match environments::Entity::find_by_id(id).one(&txn).await? {
            Some(env) if env.integration_id == integration_id => {}
            _ => {
                return Err(AppError::field(
                    "environment_id",
                    "Choose one of this integration's environments.",
                ));
            }
        }
    }
    let plan = plan_of(&txn, integration_id).await?;
    let cases = match &plan {
        Some(p) => cases_of(&txn, p.id).await?,
        None => Vec::new(),
    };
    let Some(plan) = plan.filter(|_| !cases.is_empty()) else {
        return Err(AppError::Conflict(
            "The test plan has no cases yet; add them (or apply the template) first.".into(),
        ));
    };
    let run = test_runs::ActiveModel {
        plan_id: Set(plan.id),
        name: Set(name),
        build: Set(build),
        environment_id: Set(environment_id),
        started_by: Set(actor.id),
        started_at: Set(Utc::now()),
        ..Default::default()
    };
    let run =
        records::insert_under::<test_runs::Entity>(&txn, actor, "create", integration_id, run)
            .await?;
    let configurations = super::plans::plan_wire(&plan).configurations();
    for c in &cases {
        let configs: Vec<String> =
            if c.category == CaseCategory::Compatibility && !configurations.is_empty() {
                configurations.clone()
            } else {
                vec![String::new()]
            };
        for configuration in configs {
            test_executions::ActiveModel {
                run_id: Set(run.id),
                case_id: Set(c.id),
                configuration: Set(configuration),
                status: Set(ExecutionStatus::Untested),
                actual: Set(String::new()),
                notes: Set(String::new()),
                evidence: Set(String::new()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    Ok(run.id)
}

async fn run_and_plan(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<(test_runs::Model, test_plans::Model, integrations::Model)> {
    let run = test_runs::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let plan = test_plans::Entity::find_by_id(run.plan_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let i = integration_by_id(db, plan.integration_id).await?;
    Ok((run, plan, i))
}

/// Checks that run `id` belongs to integration `slug`, so a page address cannot pair one
/// integration with another's run.
///
/// # Errors
/// `NotFound` when the run does not exist or belongs to another integration.
pub async fn check_run_of(db: &impl ConnectionTrait, slug: &str, id: i32) -> Result<()> {
    let (_, _, i) = run_and_plan(db, id).await?;
    if i.slug != slug {
        return Err(AppError::NotFound);
    }
    Ok(())
}

async fn run_wire(
    db: &impl ConnectionTrait,
    run: &test_runs::Model,
    i: &integrations::Model,
) -> Result<TestRun> {
    let starter = people(db, vec![run.started_by]).await?;
    let environment = match run.environment_id {
        Some(id) => environments::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|e| e.name),
        None => None,
    };
    Ok(TestRun {
        id: run.id,
        integration: reference(i),
        name: run.name.clone(),
        build: run.build.clone(),
        environment,
        started_by: person(&starter, run.started_by),
        started_at: run.started_at,
    })
}

async fn executions_of(
    db: &impl ConnectionTrait,
    run_id: i32,
) -> Result<Vec<test_executions::Model>> {
    Ok(test_executions::Entity::find()
        .filter(test_executions::Column::RunId.eq(run_id))
        .order_by_asc(test_executions::Column::Id)
        .all(db)
        .await?)
}

/// One run with its executions (in plan order), counts and sign-offs.
///
/// # Errors
/// `NotFound`.
pub async fn run_page(db: &impl ConnectionTrait, id: i32) -> Result<RunDetail> {
    let (run, plan, i) = run_and_plan(db, id).await?;
    let cases = cases_of(db, plan.id).await?;
    let rows = executions_of(db, id).await?;
    let mut ids: Vec<i32> = rows.iter().filter_map(|r| r.tester_id).collect();
    let signed = signoffs::Entity::find()
        .filter(signoffs::Column::RunId.eq(id))
        .order_by_desc(signoffs::Column::Id)
        .all(db)
        .await?;
    ids.extend(signed.iter().map(|s| s.signer_id));
    let who = people(db, ids).await?;
    let mut executions: Vec<Execution> = rows
        .into_iter()
        .filter_map(|r| {
            let c = cases.iter().find(|c| c.id == r.case_id)?;
            Some(execution_wire(&who, c, r))
        })
        .collect::<Result<_>>()?;
    let order = |e: &Execution| {
        cases
            .iter()
            .position(|c| c.id == e.case_id)
            .unwrap_or(usize::MAX)
    };
    executions.sort_by_key(|e| (order(e), e.id));
    let defects =
        super::defects::of_executions(db, &i, executions.iter().map(|e| e.id).collect()).await?;
    Ok(RunDetail {
        defects,
        counts: Counts::of(executions.iter().map(|e| e.status)),
        executions,
        signoffs: signed.into_iter().map(|s| signoff_wire(&who, s)).collect(),
        run: run_wire(db, &run, &i).await?,
    })
}

fn execution_wire(
    who: &[UserRef],
    c: &test_cases::Model,
    r: test_executions::Model,
) -> Result<Execution> {
    Ok(Execution {
        id: r.id,
        case_id: c.id,
        case_key: c.key.clone(),
        case_title: c.title.clone(),
        category: c.category,
        required: c.required,
        configuration: r.configuration,
        status: r.status,
        actual: r.actual,
        notes: r.notes,
        evidence: r.evidence,
        tester: r.tester_id.map(|t| person(who, t)),
        recorded_at: r.recorded_at,
    })
}

/// One execution, as its run shows it.
///
/// # Errors
/// `NotFound`.
pub async fn execution(db: &impl ConnectionTrait, id: i32) -> Result<Execution> {
    let r = test_executions::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = test_cases::Entity::find_by_id(r.case_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let who = people(db, r.tester_id.into_iter().collect()).await?;
    execution_wire(&who, &c, r)
}

/// The runs of integration `slug`, newest first.
///
/// # Errors
/// `NotFound`.
pub async fn runs(db: &impl ConnectionTrait, slug: &str) -> Result<Vec<TestRun>> {
    Ok(summaries(db, slug)
        .await?
        .into_iter()
        .map(|s| s.run)
        .collect())
}

/// The runs of integration `slug`, newest first, with their counts and latest sign-offs: a
/// fixed number of queries however many runs there are.
///
/// # Errors
/// `NotFound`.
pub async fn summaries(db: &impl ConnectionTrait, slug: &str) -> Result<Vec<RunSummary>> {
    let i = integration(db, slug).await?;
    let Some(plan) = plan_of(db, i.id).await? else {
        return Ok(Vec::new());
    };
    let rows = test_runs::Entity::find()
        .filter(test_runs::Column::PlanId.eq(plan.id))
        .order_by_desc(test_runs::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let statuses: Vec<(i32, String)> = test_executions::Entity::find()
        .select_only()
        .column(test_executions::Column::RunId)
        .column(test_executions::Column::Status)
        .filter(test_executions::Column::RunId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let signed = signoffs::Entity::find()
        .filter(signoffs::Column::RunId.is_in(ids))
        .order_by_desc(signoffs::Column::Id)
        .all(db)
        .await?;
    let env_ids: Vec<i32> = rows.iter().filter_map(|r| r.environment_id).collect();
    let envs = environments::Entity::find()
        .filter(environments::Column::Id.is_in(env_ids))
        .all(db)
        .await?;
    let mut who_ids: Vec<i32> = rows.iter().map(|r| r.started_by).collect();
    who_ids.extend(signed.iter().map(|s| s.signer_id));
    let who = people(db, who_ids).await?;
    rows.into_iter()
        .map(|r| {
            Ok(RunSummary {
                counts: Counts::of(
                    statuses
                        .iter()
                        .filter(|(run, _)| *run == r.id)
                        .map(|(_, s)| ExecutionStatus::stored(s))
                        .collect::<Result<Vec<_>>>()?,
                ),
                latest_signoff: signed
                    .iter()
                    .find(|s| s.run_id == r.id)
                    .map(|s| signoff_wire(&who, s.clone())),
                run: TestRun {
                    id: r.id,
                    integration: reference(&i),
                    environment: r
                        .environment_id
                        .and_then(|e| envs.iter().find(|x| x.id == e))
                        .map(|e| e.name.clone()),
                    started_by: person(&who, r.started_by),
                    started_at: r.started_at,
                    name: r.name,
                    build: r.build,
                },
            })
        })
        .collect()
}

fn signoff_wire(who: &[UserRef], s: signoffs::Model) -> Signoff {
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

/// Records the result of execution `id`. A change supersedes the run's live sign-offs.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation`.
pub async fn record_result(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    form: &ResultForm,
) -> Result<()> {
    actor.may(Action::RecordResults)?;
    let mut e = FieldErrors::default();
    let status = ExecutionStatus::parse(form.status.trim());
    if status.is_none() {
        e.add(
            "status",
            format!("Choose one of: {}.", ExecutionStatus::names()),
        );
    }
    let actual = optional(&mut e, "actual", &form.actual, 4000);
    let notes = optional(&mut e, "notes", &form.notes, 4000);
    let evidence = optional(&mut e, "evidence", &form.evidence, 1000);
    e.into_result()?;
    let status = status.unwrap_or(ExecutionStatus::Untested);
    let txn = activity::begin(db).await?;
    let result = Recorded {
        status,
        actual,
        notes,
        evidence,
    };
    record_in(&txn, actor, id, result).await?;
    txn.commit().await?;
    Ok(())
}

/// A validated result.
pub struct Recorded {
    pub status: ExecutionStatus,
    pub actual: String,
    pub notes: String,
    pub evidence: String,
}

/// Records a validated result inside the caller's transaction (the form, and JUnit imports,
/// share it): stores it, records the change, and supersedes the run's live sign-offs when
/// anything changed.
///
/// # Errors
/// `NotFound`; database failures.
pub async fn record_in(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    id: i32,
    result: Recorded,
) -> Result<()> {
    let before = test_executions::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let (_, _, i) = run_and_plan(txn, before.run_id).await?;
    let case = test_cases::Entity::find_by_id(before.case_id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut active: test_executions::ActiveModel = before.clone().into();
    active.status = Set(result.status);
    active.actual = Set(result.actual);
    active.notes = Set(result.notes);
    active.evidence = Set(result.evidence);
    active.tester_id = Set(Some(actor.id));
    active.recorded_at = Set(Some(Utc::now()));
    let show = |m: &test_executions::Model| json!({"case": case.key, "configuration": m.configuration, "status": m.status, "actual": m.actual, "notes": m.notes, "evidence": m.evidence});
    let filing = records::shown("test_execution", i.id, |m| m.id, &show);
    let after = records::save_filed(txn, actor, "record_result", filing, &before, active).await?;
    if result.status == ExecutionStatus::Passed && case.retest_reason.is_some() {
        super::retest::clear(txn, actor, i.id, &case).await?;
    }
    if show(&before) != show(&after) {
        let at = if after.configuration.is_empty() {
            String::new()
        } else {
            format!(" on {}", after.configuration)
        };
        let reason = format!(
            "The result of {}{at} changed from {} to {}.",
            case.key,
            before.status.as_str(),
            after.status.as_str()
        );
        supersede(txn, actor, i.id, vec![after.run_id], &reason).await?;
    }
    Ok(())
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
    txn.commit().await?;
    Ok(m.id)
}

/// Marks the live sign-offs of `run_ids` superseded, with `reason`.
async fn supersede(
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
