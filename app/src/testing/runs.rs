//! (ssr) Test runs: a run expands into one execution per case, times the plan's
//! configurations for compatibility cases. QA, admins and engineers record results; a changed
//! result supersedes the run's sign-offs (`signoffs`).

use crate::auth::access::Action;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
};
use serde_json::json;

use super::model::{
    CaseCategory, Counts, Execution, ExecutionStatus, ResultForm, RunDetail, RunSummary, TestRun,
    TestRunForm,
};
use super::plans::{cases_of, plan_of};
use super::run_lookup::{executions_of, run_and_plan};
use super::signoffs::{signoff_wire, supersede};
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

/// Page `page` of the runs of integration `slug`, newest first, `per_page` a page, with their
/// counts and latest sign-offs: only that page's runs are read.
///
/// # Errors
/// `NotFound`.
pub async fn summaries_page(
    db: &impl ConnectionTrait,
    slug: &str,
    per_page: u64,
    page: u64,
) -> Result<crate::paging::Paged<RunSummary>> {
    let i = integration(db, slug).await?;
    let Some(plan) = plan_of(db, i.id).await? else {
        return Ok(crate::paging::Paged::cut(Vec::new(), per_page, page));
    };
    let select = test_runs::Entity::find()
        .filter(test_runs::Column::PlanId.eq(plan.id))
        .order_by_desc(test_runs::Column::Id);
    let rows = crate::paging::fetch(db, select, per_page, page).await?;
    Ok(crate::paging::Paged {
        items: summarise(db, rows.items, |_| Some(&i)).await?,
        total: rows.total,
        page: rows.page,
        pages: rows.pages,
    })
}

/// How many runs integration `i` has had, and its latest with its counts and
/// latest sign-off.
///
/// # Errors
/// Database failures.
pub async fn count_and_latest(
    db: &impl ConnectionTrait,
    i: &integrations::Model,
) -> Result<(u64, Option<RunSummary>)> {
    let Some(plan) = plan_of(db, i.id).await? else {
        return Ok((0, None));
    };
    let runs = test_runs::Entity::find()
        .filter(test_runs::Column::PlanId.eq(plan.id))
        .count(db)
        .await?;
    let newest = test_runs::Entity::find()
        .filter(test_runs::Column::PlanId.eq(plan.id))
        .order_by_desc(test_runs::Column::Id)
        .limit(1)
        .all(db)
        .await?;
    let latest = summarise(db, newest, |_| Some(i)).await?;
    Ok((runs, latest.into_iter().next()))
}

/// The latest run of each of `of` that has had one, with its counts and latest sign-off: a
/// fixed number of queries however many integrations and runs there are.
///
/// # Errors
/// Database failures.
pub async fn latest(
    db: &impl ConnectionTrait,
    of: &[&integrations::Model],
) -> Result<Vec<RunSummary>> {
    let plans = test_plans::Entity::find()
        .filter(test_plans::Column::IntegrationId.is_in(of.iter().map(|i| i.id)))
        .all(db)
        .await?;
    let newest: Vec<Option<i32>> = test_runs::Entity::find()
        .select_only()
        .column_as(test_runs::Column::Id.max(), "id")
        .filter(test_runs::Column::PlanId.is_in(plans.iter().map(|p| p.id)))
        .group_by(test_runs::Column::PlanId)
        .into_tuple()
        .all(db)
        .await?;
    let rows = test_runs::Entity::find()
        .filter(test_runs::Column::Id.is_in(newest.into_iter().flatten()))
        .order_by_desc(test_runs::Column::Id)
        .all(db)
        .await?;
    summarise(db, rows, |plan| {
        let p = plans.iter().find(|p| p.id == plan)?;
        of.iter().copied().find(|i| i.id == p.integration_id)
    })
    .await
}

/// `rows` with their counts and latest sign-offs, in their order; `of` gives a plan's
/// integration. Five queries however many runs.
async fn summarise<'a>(
    db: &impl ConnectionTrait,
    rows: Vec<test_runs::Model>,
    of: impl Fn(i32) -> Option<&'a integrations::Model>,
) -> Result<Vec<RunSummary>> {
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
            let i = of(r.plan_id).ok_or(AppError::NotFound)?;
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
                    integration: reference(i),
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
