//! (ssr) Audits: validation, the next-due rule, reads and audited writes (through `records`).
//! Coordinators and admins define, change and delete audits; everyone but stakeholders
//! records runs and findings and resolves findings.

use crate::auth::access::Action;
use std::collections::HashMap;

use chrono::{Days, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
};
use serde_json::json;

use super::model::{
    Audit, AuditForm, AuditRun, AuditStatus, AuditsView, Finding, FindingForm, FindingSeverity,
    RUNS_SHOWN, ResolutionForm, RunForm,
};
use crate::activity::service as activity;
use crate::auth::model::CurrentUser;
use crate::calendar::{LOOK_AHEAD_DAYS, today};
use crate::entities::{audit_findings, audit_runs, audits, integrations};
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::lookup::{integration, integration_by_id, reference};
use crate::planning::service::{check_active_user, name_of, people};
use crate::records::{self};
use crate::users::model::UserRef;
use crate::validate::{date, optional, optional_date, optional_id, required, whole};

crate::integration_record!(audits, "audit", |m| {
    json!({"title": m.title, "checks": m.checks, "interval_days": m.interval_days, "first_due": m.first_due.to_string(), "owner_id": m.owner_id})
});

crate::integration_record!(audit_runs, "audit_run", |m| {
    json!({"audit_id": m.audit_id, "performed_on": m.performed_on.to_string(), "performed_by": m.performed_by, "notes": m.notes})
});

crate::integration_record!(audit_findings, "audit_finding", |m| {
    json!({"audit_id": m.audit_id, "run_id": m.run_id, "summary": m.summary, "severity": m.severity, "remediation": m.remediation, "due_on": m.due_on.map(|d| d.to_string()), "resolved_on": m.resolved_on.map(|d| d.to_string()), "resolution": m.resolution})
});

/// When an audit is next due: its latest run's day plus the interval, or its first due day
/// before any run.
pub fn next_due(first_due: NaiveDate, interval_days: i32, latest: Option<NaiveDate>) -> NaiveDate {
    match latest {
        Some(day) => day + Days::new(u64::try_from(interval_days.max(1)).unwrap_or(1)),
        None => first_due,
    }
}

/// Overdue once its next due day has passed; due soon within the dashboard's look-ahead.
pub fn status_of(next_due: NaiveDate, today: NaiveDate) -> AuditStatus {
    if next_due < today {
        AuditStatus::Overdue
    } else if next_due <= today + Days::new(LOOK_AHEAD_DAYS.unsigned_abs()) {
        AuditStatus::DueSoon
    } else {
        AuditStatus::Scheduled
    }
}

struct ValidAudit {
    title: String,
    checks: String,
    interval_days: i32,
    first_due: NaiveDate,
    owner_id: Option<i32>,
}

async fn validate_audit(db: &impl ConnectionTrait, form: &AuditForm) -> Result<ValidAudit> {
    let mut e = FieldErrors::default();
    let title = required(&mut e, "title", &form.title, "a title", 160);
    let checks = required(
        &mut e,
        "checks",
        &form.checks,
        "what the audit checks",
        5000,
    );
    let interval_days = whole(
        &mut e,
        "interval_days",
        &form.interval_days,
        "the days between runs",
        (1, 366),
        None,
    );
    let first_due = date(
        &mut e,
        "first_due",
        &form.first_due,
        "the day the first run is due",
    );
    let owner_id = optional_id(&mut e, "owner_id", &form.owner_id);
    e.into_result()?;
    check_active_user(db, "owner_id", owner_id).await?;
    Ok(ValidAudit {
        title,
        checks,
        interval_days: interval_days.unwrap_or(1),
        first_due: first_due.unwrap_or_else(today),
        owner_id,
    })
}

/// Defines an audit on integration `integration_id`.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` naming the field.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &AuditForm,
) -> Result<i32> {
    actor.may(Action::Plan)?;
    let v = validate_audit(db, form).await?;
    let txn = activity::begin(db).await?;
    integration_by_id(&txn, integration_id).await?;
    let m = records::insert::<audits::Entity>(
        &txn,
        actor,
        audits::ActiveModel {
            integration_id: Set(integration_id),
            title: Set(v.title),
            checks: Set(v.checks),
            interval_days: Set(v.interval_days),
            first_due: Set(v.first_due),
            owner_id: Set(v.owner_id),
            created_by: Set(actor.id),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m.id)
}

/// Changes audit `id`; its runs and findings stay.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` naming the field.
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    form: &AuditForm,
) -> Result<()> {
    actor.may(Action::Plan)?;
    let v = validate_audit(db, form).await?;
    let txn = activity::begin(db).await?;
    let before = records::find::<audits::Entity>(&txn, id).await?;
    let mut active = before.clone().into_active_model();
    active.title = Set(v.title);
    active.checks = Set(v.checks);
    active.interval_days = Set(v.interval_days);
    active.first_due = Set(v.first_due);
    active.owner_id = Set(v.owner_id);
    records::save::<audits::Entity>(&txn, actor, "update", &before, active).await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes audit `id` with its runs and findings.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn delete(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    crate::records::delete::<audits::Entity>(db, actor, Action::Plan, id).await
}

/// A day given on a form that may be blank (today) and may not be after `today`.
fn day_not_after(
    e: &mut FieldErrors,
    field: &str,
    value: &str,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let day = if value.trim().is_empty() {
        Some(today)
    } else {
        optional_date(e, field, value)
    };
    if day.is_some_and(|d| d > today) {
        e.add(field, format!("Use today ({today}) or an earlier day."));
    }
    day
}

/// Records a run of audit `audit_id`, performed on the form's day (blank is `today`).
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` naming the field.
pub async fn record_run(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    audit_id: i32,
    form: &RunForm,
    today: NaiveDate,
) -> Result<i32> {
    actor.may(Action::Audit)?;
    let mut e = FieldErrors::default();
    let performed_on = day_not_after(&mut e, "performed_on", &form.performed_on, today);
    let notes = optional(&mut e, "notes", &form.notes, 5000);
    e.into_result()?;
    let txn = activity::begin(db).await?;
    let audit = records::find::<audits::Entity>(&txn, audit_id).await?;
    let m = records::insert::<audit_runs::Entity>(
        &txn,
        actor,
        audit_runs::ActiveModel {
            audit_id: Set(audit.id),
            integration_id: Set(audit.integration_id),
            performed_on: Set(performed_on.unwrap_or(today)),
            performed_by: Set(actor.id),
            notes: Set(notes),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m.id)
}

/// Adds a finding to audit run `run_id`.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` naming the field.
pub async fn add_finding(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    run_id: i32,
    form: &FindingForm,
) -> Result<i32> {
    actor.may(Action::Audit)?;
    let mut e = FieldErrors::default();
    let summary = required(&mut e, "summary", &form.summary, "what was found", 300);
    let severity = FindingSeverity::parse(form.severity.trim());
    if severity.is_none() {
        e.add(
            "severity",
            format!("Choose a severity: {}.", FindingSeverity::names()),
        );
    }
    let remediation = required(
        &mut e,
        "remediation",
        &form.remediation,
        "what will be done about it",
        5000,
    );
    let due_on = optional_date(&mut e, "due_on", &form.due_on);
    e.into_result()?;
    let txn = activity::begin(db).await?;
    let run = records::find::<audit_runs::Entity>(&txn, run_id).await?;
    if due_on.is_some_and(|d| d < run.performed_on) {
        return Err(AppError::field(
            "due_on",
            format!(
                "The remediation cannot be due before the run ({}).",
                run.performed_on
            ),
        ));
    }
    let m = records::insert::<audit_findings::Entity>(
        &txn,
        actor,
        audit_findings::ActiveModel {
            run_id: Set(run.id),
            audit_id: Set(run.audit_id),
            integration_id: Set(run.integration_id),
            summary: Set(summary),
            severity: Set(severity.unwrap_or(FindingSeverity::Low)),
            remediation: Set(remediation),
            due_on: Set(due_on),
            resolved_on: Set(None),
            resolved_by: Set(None),
            resolution: Set(String::new()),
            created_by: Set(actor.id),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    )
    .await?;
    let audit = records::find::<audits::Entity>(&txn, run.audit_id).await?;
    let i = crate::integrations::lookup::integration_by_id(&txn, run.integration_id).await?;
    crate::outbox::service::emit(
        &txn,
        crate::outbox::service::Event::new(
            crate::outbox::EventType::AuditFindingOpened,
            Some(&i),
            format!("{}: {} found {}", i.name, audit.title, m.summary),
            format!("/integrations/{}/audits", i.slug),
            json!({
                "audit": audit.title,
                "summary": m.summary,
                "severity": m.severity,
                "due_on": m.due_on.map(|d| d.to_string()),
            }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(m.id)
}

/// Resolves finding `id`: how, and on which day (blank is `today`; not before its run).
///
/// # Errors
/// `Forbidden`; `NotFound`; `Conflict` when it is already resolved; `Validation`.
pub async fn resolve_finding(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    form: &ResolutionForm,
    today: NaiveDate,
) -> Result<()> {
    actor.may(Action::Audit)?;
    let mut e = FieldErrors::default();
    let resolved_on = day_not_after(&mut e, "resolved_on", &form.resolved_on, today);
    let resolution = required(
        &mut e,
        "resolution",
        &form.resolution,
        "how it was resolved",
        5000,
    );
    e.into_result()?;
    let txn = activity::begin(db).await?;
    let before = records::find::<audit_findings::Entity>(&txn, id).await?;
    if let Some(day) = before.resolved_on {
        return Err(AppError::Conflict(format!(
            "This finding was already resolved on {day}."
        )));
    }
    let run = records::find::<audit_runs::Entity>(&txn, before.run_id).await?;
    let resolved_on = resolved_on.unwrap_or(today);
    if resolved_on < run.performed_on {
        return Err(AppError::field(
            "resolved_on",
            format!(
                "A finding cannot be resolved before the run that found it ({}).",
                run.performed_on
            ),
        ));
    }
    let mut active = before.clone().into_active_model();
    active.resolved_on = Set(Some(resolved_on));
    active.resolved_by = Set(Some(actor.id));
    active.resolution = Set(resolution);
    records::save::<audit_findings::Entity>(&txn, actor, "resolve", &before, active).await?;
    txn.commit().await?;
    Ok(())
}

/// Finding `f` as its audit shows it, its resolver named from `who`, as of `today`.
fn to_finding(f: audit_findings::Model, who: &[UserRef], today: NaiveDate) -> Finding {
    Finding {
        id: f.id,
        overdue: f.resolved_on.is_none() && f.due_on.is_some_and(|d| d < today),
        summary: f.summary,
        severity: f.severity,
        remediation: f.remediation,
        due_on: f.due_on,
        resolved_on: f.resolved_on,
        resolved_by: name_of(who, f.resolved_by),
        resolution: f.resolution,
    }
}

/// The audits of `integrations`, soonest due first, each with its newest [`RUNS_SHOWN`] runs
/// and any older run with an open finding (newest first), their findings, and how many runs
/// it has had: what is read stays bounded however long an audit recurs.
async fn load(
    db: &impl ConnectionTrait,
    rows: Vec<audits::Model>,
    integrations: &[integrations::Model],
    today: NaiveDate,
) -> Result<Vec<Audit>> {
    let ids: Vec<i32> = rows.iter().map(|a| a.id).collect();
    let newest_first = |q: sea_orm::Select<audit_runs::Entity>| {
        q.order_by_desc(audit_runs::Column::PerformedOn)
            .order_by_desc(audit_runs::Column::Id)
    };
    // The open findings (bounded by the work outstanding): the older runs to show, and each
    // audit's count.
    let open: Vec<(i32, i32)> = audit_findings::Entity::find()
        .select_only()
        .column(audit_findings::Column::AuditId)
        .column(audit_findings::Column::RunId)
        .filter(audit_findings::Column::AuditId.is_in(ids.clone()))
        .filter(audit_findings::Column::ResolvedOn.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let mut runs = Vec::new();
    for id in &ids {
        let of = audit_runs::Entity::find().filter(audit_runs::Column::AuditId.eq(*id));
        runs.extend(newest_first(of).limit(RUNS_SHOWN).all(db).await?);
    }
    let older: Vec<i32> = open
        .iter()
        .map(|(_, run)| *run)
        .filter(|r| !runs.iter().any(|x| x.id == *r))
        .collect();
    if !older.is_empty() {
        let of = audit_runs::Entity::find().filter(audit_runs::Column::Id.is_in(older));
        runs.extend(newest_first(of).all(db).await?);
    }
    runs.sort_by_key(|r| std::cmp::Reverse((r.performed_on, r.id)));
    let run_counts: HashMap<i32, i64> = audit_runs::Entity::find()
        .select_only()
        .column(audit_runs::Column::AuditId)
        .column_as(audit_runs::Column::Id.count(), "n")
        .filter(audit_runs::Column::AuditId.is_in(ids.clone()))
        .group_by(audit_runs::Column::AuditId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let findings = audit_findings::Entity::find()
        .filter(audit_findings::Column::RunId.is_in(runs.iter().map(|r| r.id)))
        .order_by_asc(audit_findings::Column::Id)
        .all(db)
        .await?;
    let who: Vec<UserRef> = people(
        db,
        rows.iter()
            .filter_map(|a| a.owner_id)
            .chain(runs.iter().map(|r| r.performed_by))
            .chain(findings.iter().filter_map(|f| f.resolved_by))
            .collect(),
    )
    .await?;
    let mut by_run: HashMap<i32, Vec<Finding>> = HashMap::new();
    for f in findings {
        by_run
            .entry(f.run_id)
            .or_default()
            .push(to_finding(f, &who, today));
    }
    let mut by_audit: HashMap<i32, Vec<AuditRun>> = HashMap::new();
    for r in runs {
        by_audit.entry(r.audit_id).or_default().push(AuditRun {
            id: r.id,
            performed_on: r.performed_on,
            performed_by: name_of(&who, Some(r.performed_by)).unwrap_or_default(),
            notes: r.notes,
            findings: by_run.remove(&r.id).unwrap_or_default(),
        });
    }
    let mut list: Vec<Audit> = rows
        .into_iter()
        .filter_map(|a| {
            let integration = integrations.iter().find(|i| i.id == a.integration_id)?;
            let runs = by_audit.remove(&a.id).unwrap_or_default();
            let next_due = next_due(
                a.first_due,
                a.interval_days,
                runs.first().map(|r| r.performed_on),
            );
            Some(Audit {
                id: a.id,
                integration: reference(integration),
                status: status_of(next_due, today),
                next_due,
                open_findings: open.iter().filter(|(audit, _)| *audit == a.id).count(),
                run_count: run_counts
                    .get(&a.id)
                    .map_or(0, |n| u64::try_from(*n).unwrap_or(0)),
                owner: a
                    .owner_id
                    .and_then(|id| who.iter().find(|p| p.id == id).cloned()),
                title: a.title,
                checks: a.checks,
                interval_days: a.interval_days,
                first_due: a.first_due,
                runs,
            })
        })
        .collect();
    list.sort_by(|a, b| a.next_due.cmp(&b.next_due).then(a.id.cmp(&b.id)));
    Ok(list)
}

/// The audits page of integration `slug`.
///
/// # Errors
/// `NotFound`.
pub async fn page(db: &impl ConnectionTrait, slug: &str, today: NaiveDate) -> Result<AuditsView> {
    let i = integration(db, slug).await?;
    let rows = audits::Entity::find()
        .filter(audits::Column::IntegrationId.eq(i.id))
        .all(db)
        .await?;
    Ok(AuditsView {
        audits: load(db, rows, std::slice::from_ref(&i), today).await?,
        integration: reference(&i),
        people: crate::users::service::user_choices(db).await?,
        today,
    })
}

/// Audit `id` with its runs and findings.
///
/// # Errors
/// `NotFound`.
pub async fn get(db: &impl ConnectionTrait, id: i32, today: NaiveDate) -> Result<Audit> {
    let a = records::find::<audits::Entity>(db, id).await?;
    let i = integration_by_id(db, a.integration_id).await?;
    load(db, vec![a], std::slice::from_ref(&i), today)
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Every audit due by `horizon` (overdue ones too) with its next due day, soonest first: what
/// the dashboard's "coming up" lists. The rule is [`next_due`]'s, as on the audits page.
///
/// # Errors
/// Database failures.
pub async fn due_by(
    db: &impl ConnectionTrait,
    horizon: NaiveDate,
) -> Result<Vec<(audits::Model, NaiveDate)>> {
    // One row per audit that has runs: its latest run's day.
    let latest: HashMap<i32, NaiveDate> = audit_runs::Entity::find()
        .select_only()
        .column(audit_runs::Column::AuditId)
        .column_as(audit_runs::Column::PerformedOn.max(), "latest")
        .group_by(audit_runs::Column::AuditId)
        .into_tuple::<(i32, NaiveDate)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut due: Vec<(audits::Model, NaiveDate)> = audits::Entity::find()
        .order_by_asc(audits::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|a| {
            let day = next_due(a.first_due, a.interval_days, latest.get(&a.id).copied());
            (a, day)
        })
        .filter(|(_, day)| *day <= horizon)
        .collect();
    due.sort_by_key(|(a, day)| (*day, a.id));
    Ok(due)
}

/// Finding `id` as its audit shows it.
///
/// # Errors
/// `NotFound`.
pub async fn finding(db: &impl ConnectionTrait, id: i32, today: NaiveDate) -> Result<Finding> {
    let m = records::find::<audit_findings::Entity>(db, id).await?;
    let who = people(db, m.resolved_by.into_iter().collect()).await?;
    Ok(to_finding(m, &who, today))
}
