//! (ssr) Objectives: what the integration must move, measured (metric, unit, baseline,
//! target, current).

use crate::auth::access::Action;
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionSession, TransactionTrait,
};
use serde_json::json;

use crate::activity::service::{self as activity};
use crate::auth::model::CurrentUser;
use crate::entities::objectives;
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::lookup::{integration, reference};
use crate::planning::model::{Objective, ObjectiveForm, ObjectivesView};
use crate::validate::{number, optional_number, required};

/// The trail's name for this kind of record.
pub const ENTITY_KIND: &str = "objective";

struct Valid {
    description: String,
    metric: String,
    unit: String,
    baseline: f64,
    target: f64,
    current: Option<f64>,
}

fn validate(form: &ObjectiveForm) -> Result<Valid> {
    let mut e = FieldErrors::default();
    let description = required(
        &mut e,
        "description",
        &form.description,
        "a description",
        1000,
    );
    let metric = required(&mut e, "metric", &form.metric, "the metric", 120);
    let unit = required(&mut e, "unit", &form.unit, "the unit, such as % or ms", 20);
    let baseline = number(&mut e, "baseline", &form.baseline, "the baseline");
    let target = number(&mut e, "target", &form.target, "the target");
    let current = optional_number(&mut e, "current", &form.current, "the current value");
    if let (Some(b), Some(t)) = (baseline, target)
        && b == t
    {
        e.add("target", "The target must differ from the baseline.");
    }
    e.into_result()?;
    Ok(Valid {
        description,
        metric,
        unit,
        baseline: baseline.unwrap_or_default(),
        target: target.unwrap_or_default(),
        current,
    })
}

crate::integration_record!(objectives, ENTITY_KIND, |m| {
    json!({
        "description": m.description,
        "metric": m.metric,
        "unit": m.unit,
        "baseline": m.baseline,
        "target": m.target,
        "current": m.current,
    })
});

fn to_objective(m: objectives::Model) -> Objective {
    Objective {
        id: m.id,
        description: m.description,
        metric: m.metric,
        unit: m.unit,
        baseline: m.baseline,
        target: m.target,
        current: m.current,
    }
}

/// The objectives of one integration, oldest first.
///
/// # Errors
/// Database failures.
pub async fn for_integration(
    db: &impl ConnectionTrait,
    integration_id: i32,
) -> Result<Vec<Objective>> {
    Ok(objectives::Entity::find()
        .filter(objectives::Column::IntegrationId.eq(integration_id))
        .order_by_asc(objectives::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_objective)
        .collect())
}

/// The objectives page of integration `slug`.
///
/// # Errors
/// `NotFound`.
pub async fn page(db: &impl ConnectionTrait, slug: &str) -> Result<ObjectivesView> {
    let i = integration(db, slug).await?;
    Ok(ObjectivesView {
        objectives: for_integration(db, i.id).await?,
        integration: reference(&i),
    })
}

/// One objective.
///
/// # Errors
/// `NotFound`.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Objective> {
    objectives::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(to_objective)
        .ok_or(AppError::NotFound)
}

/// Adds an objective.
///
/// # Errors
/// `Forbidden` for non-planners; `NotFound`; `Validation` naming bad fields.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &ObjectiveForm,
) -> Result<Objective> {
    actor.may(Action::Plan)?;
    let v = validate(form)?;
    let txn = activity::begin(db).await?;
    crate::integrations::lookup::integration_by_id(&txn, integration_id).await?;
    let m = crate::records::insert::<objectives::Entity>(
        &txn,
        actor,
        objectives::ActiveModel {
            integration_id: Set(integration_id),
            description: Set(v.description),
            metric: Set(v.metric),
            unit: Set(v.unit),
            baseline: Set(v.baseline),
            target: Set(v.target),
            current: Set(v.current),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(to_objective(m))
}

/// Edits an objective (including recording its current value).
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation`.
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    form: &ObjectiveForm,
) -> Result<Objective> {
    actor.may(Action::Plan)?;
    let v = validate(form)?;
    let txn = activity::begin(db).await?;
    let before = objectives::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut active: objectives::ActiveModel = before.clone().into();
    active.description = Set(v.description);
    active.metric = Set(v.metric);
    active.unit = Set(v.unit);
    active.baseline = Set(v.baseline);
    active.target = Set(v.target);
    active.current = Set(v.current);
    let after =
        crate::records::save::<objectives::Entity>(&txn, actor, "update", &before, active).await?;
    txn.commit().await?;
    Ok(to_objective(after))
}

/// Deletes an objective.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn delete(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    crate::records::delete::<objectives::Entity>(db, actor, Action::Plan, id).await
}
