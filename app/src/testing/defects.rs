//! (ssr) Defects: filed by QA and admins (usually from a failed execution), updated by QA,
//! admins and engineers. A fixed defect is verified only by re-running its execution: it
//! must have passed since the defect was marked fixed.

use crate::auth::access::Action;
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionSession, TransactionTrait,
};
use serde_json::json;

use super::model::{Defect, DefectForm, DefectStatus, ExecutionStatus, Severity};
use crate::activity::service as activity;
use crate::auth::model::CurrentUser;
use crate::entities::{defects, integrations, test_executions, test_plans, test_runs};
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::lookup::{integration, integration_by_id, reference};
use crate::planning::service::people;
use crate::records::{self};
use crate::validate::{optional_id, optional_url, required};

struct Valid {
    execution_id: Option<i32>,
    title: String,
    severity: Severity,
    status: DefectStatus,
    tracker_url: String,
}

fn validate(form: &DefectForm) -> Result<Valid> {
    let mut e = FieldErrors::default();
    let execution_id = optional_id(&mut e, "execution_id", &form.execution_id);
    let title = required(&mut e, "title", &form.title, "what is wrong", 200);
    let severity = Severity::parse(form.severity.trim());
    if severity.is_none() {
        e.add("severity", format!("Choose one of: {}.", Severity::names()));
    }
    let status = if form.status.trim().is_empty() {
        Some(DefectStatus::Open)
    } else {
        DefectStatus::parse(form.status.trim())
    };
    if status.is_none() {
        e.add(
            "status",
            format!("Choose one of: {}.", DefectStatus::names()),
        );
    }
    let tracker_url = optional_url(&mut e, "tracker_url", &form.tracker_url);
    e.into_result()?;
    Ok(Valid {
        execution_id,
        title,
        severity: severity.unwrap_or(Severity::Minor),
        status: status.unwrap_or(DefectStatus::Open),
        tracker_url,
    })
}

crate::integration_record!(defects, "defect", |m| {
    json!({"execution_id": m.execution_id, "title": m.title, "severity": m.severity, "status": m.status, "tracker_url": m.tracker_url})
});

/// The integration that execution `id` was run for.
async fn integration_of_execution(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<(test_executions::Model, i32)> {
    let e = test_executions::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("execution_id", "No such execution."))?;
    let run = test_runs::Entity::find_by_id(e.run_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let plan = test_plans::Entity::find_by_id(run.plan_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((e, plan.integration_id))
}

async fn wire(
    db: &impl ConnectionTrait,
    i: &integrations::Model,
    rows: Vec<defects::Model>,
) -> Result<Vec<Defect>> {
    let who = people(db, rows.iter().map(|d| d.created_by).collect()).await?;
    rows.into_iter()
        .map(|d| {
            Ok(Defect {
                id: d.id,
                integration: reference(i),
                execution_id: d.execution_id,
                severity: d.severity,
                status: d.status,
                created_by: who
                    .iter()
                    .find(|p| p.id == d.created_by)
                    .cloned()
                    .unwrap_or(crate::users::model::UserRef {
                        id: d.created_by,
                        name: String::new(),
                    }),
                title: d.title,
                tracker_url: d.tracker_url,
                created_at: d.created_at,
            })
        })
        .collect()
}

/// The defects of integration `slug`, newest first.
///
/// # Errors
/// `NotFound`.
pub async fn list(db: &impl ConnectionTrait, slug: &str) -> Result<Vec<Defect>> {
    let i = integration(db, slug).await?;
    let rows = defects::Entity::find()
        .filter(defects::Column::IntegrationId.eq(i.id))
        .order_by_desc(defects::Column::Id)
        .all(db)
        .await?;
    wire(db, &i, rows).await
}

/// The defects of integration `i` not yet fixed (open or in progress), newest first.
///
/// # Errors
/// Database failures.
pub async fn open(db: &impl ConnectionTrait, i: &integrations::Model) -> Result<Vec<Defect>> {
    let rows = defects::Entity::find()
        .filter(defects::Column::IntegrationId.eq(i.id))
        .filter(defects::Column::Status.is_in([DefectStatus::Open, DefectStatus::InProgress]))
        .order_by_desc(defects::Column::Id)
        .all(db)
        .await?;
    wire(db, i, rows).await
}

/// The defects filed from executions `ids` of integration `i`, oldest first.
///
/// # Errors
/// Database failures.
pub async fn of_executions(
    db: &impl ConnectionTrait,
    i: &integrations::Model,
    ids: Vec<i32>,
) -> Result<Vec<Defect>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = defects::Entity::find()
        .filter(defects::Column::ExecutionId.is_in(ids))
        .order_by_asc(defects::Column::Id)
        .all(db)
        .await?;
    wire(db, i, rows).await
}

/// One defect.
///
/// # Errors
/// `NotFound`.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Defect> {
    let d = defects::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let i = integration_by_id(db, d.integration_id).await?;
    wire(db, &i, vec![d]).await?.pop().ok_or(AppError::NotFound)
}

/// Files a defect, from a failed execution when `execution_id` is given.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation`.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &DefectForm,
) -> Result<i32> {
    actor.may(Action::WriteTests)?;
    let v = validate(form)?;
    let txn = activity::begin(db).await?;
    integration_by_id(&txn, integration_id).await?;
    if let Some(id) = v.execution_id {
        let (e, owner) = integration_of_execution(&txn, id).await?;
        if owner != integration_id {
            return Err(AppError::field(
                "execution_id",
                "Choose an execution of this integration's runs.",
            ));
        }
        if e.status != ExecutionStatus::Failed {
            return Err(AppError::field(
                "execution_id",
                "File defects from failed executions.",
            ));
        }
    }
    let now = Utc::now();
    let active = defects::ActiveModel {
        integration_id: Set(integration_id),
        execution_id: Set(v.execution_id),
        title: Set(v.title),
        severity: Set(v.severity),
        status: Set(v.status),
        tracker_url: Set(v.tracker_url),
        created_by: Set(actor.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let m = records::insert::<defects::Entity>(&txn, actor, active).await?;
    txn.commit().await?;
    Ok(m.id)
}

/// Updates a defect. Verifying needs its execution passed since the defect was marked fixed.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation`.
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    form: &DefectForm,
) -> Result<()> {
    actor.may(Action::RecordResults)?;
    let v = validate(form)?;
    let txn = activity::begin(db).await?;
    let before = records::find::<defects::Entity>(&txn, id).await?;
    if v.execution_id != before.execution_id {
        return Err(AppError::field(
            "execution_id",
            "A defect stays with the execution it was filed from.",
        ));
    }
    if v.status == DefectStatus::Verified && before.status != DefectStatus::Verified {
        let rerun = match before.execution_id {
            Some(e) => test_executions::Entity::find_by_id(e).one(&txn).await?,
            None => None,
        };
        let fixed = before.status == DefectStatus::Fixed;
        let passed_since = rerun.is_some_and(|e| {
            e.status == ExecutionStatus::Passed
                && e.recorded_at.is_some_and(|t| t > before.updated_at)
        });
        if !(fixed && passed_since) {
            return Err(AppError::field(
                "status",
                "Verify a defect by re-running its execution: mark it fixed, then record a pass.",
            ));
        }
    }
    let mut active: defects::ActiveModel = before.clone().into();
    active.title = Set(v.title);
    active.severity = Set(v.severity);
    active.status = Set(v.status);
    active.tracker_url = Set(v.tracker_url);
    active.updated_at = Set(Utc::now());
    records::save::<defects::Entity>(&txn, actor, "update", &before, active).await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes a defect filed by mistake (QA and admins); the trail keeps it.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn delete(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    crate::records::delete::<defects::Entity>(db, actor, Action::WriteTests, id).await
}
