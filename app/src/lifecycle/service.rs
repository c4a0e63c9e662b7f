//! (ssr) The one function that moves an integration between stages, and the reads behind the
//! stage panel. A move re-evaluates its gate inside the transaction that commits it: what the
//! page showed is never trusted.

use crate::auth::access::Action;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::json;

use super::gates;
use super::model::{
    CriterionCheck, GatePanel, Lifecycle, MIN_JUSTIFICATION, MoveKind, MoveRequest,
    TransitionRecord, allowed_moves, next_stage,
};
use crate::activity::service::{self as activity, NewActivity};
use crate::auth::model::CurrentUser;
use crate::entities::{integrations, stage_transitions, users};
use crate::error::{AppError, Result};
use crate::gate::{GateContext, Outcome};
use crate::integrations::model::Stage;
use crate::integrations::service::ENTITY_KIND;

/// The stage an on-hold integration left: the origin of its latest move to `on_hold`.
async fn held_from(db: &impl ConnectionTrait, integration_id: i32) -> Result<Option<Stage>> {
    Ok(stage_transitions::Entity::find()
        .filter(stage_transitions::Column::IntegrationId.eq(integration_id))
        .filter(stage_transitions::Column::ToStage.eq(Stage::OnHold))
        .order_by_desc(stage_transitions::Column::Id)
        .one(db)
        .await?
        .map(|t| t.from_stage))
}

/// Evaluates every criterion of the gate `from` -> `to` inside `txn`.
///
/// # Errors
/// Database failures.
pub async fn evaluate(
    txn: &DatabaseTransaction,
    integration: &integrations::Model,
    to: Stage,
    ctx: &GateContext,
) -> Result<GatePanel> {
    let from = integration.stage;
    let mut criteria = Vec::new();
    for criterion in gates::criteria(from, to) {
        let Outcome { met, explanation } = (criterion.check)(txn, integration, ctx).await?;
        criteria.push(CriterionCheck {
            key: criterion.key.to_string(),
            label: criterion.label.to_string(),
            met,
            explanation,
            fix_href: format!("/integrations/{}/{}", integration.slug, criterion.fix_path),
        });
    }
    Ok(GatePanel { to, criteria })
}

fn text(field: &str, value: &str, max: usize) -> Result<Option<String>> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(AppError::field(
            field,
            format!("Use at most {max} characters."),
        ));
    }
    if crate::validate::has_control(value) {
        return Err(AppError::field(field, crate::validate::CONTROL_MESSAGE));
    }
    if let Some(message) = crate::validate::leak(value) {
        return Err(AppError::field(field, message));
    }
    Ok((!value.is_empty()).then(|| value.to_string()))
}

/// Moves an integration to another stage: the one code path for pages, the REST API and the
/// CLI. Forward moves pass their gate, evaluated here inside the move's transaction; an admin
/// may pass a closed gate with a written justification, which is kept with the move and
/// flags the integration until its next move.
///
/// # Errors
/// `NotFound`; `Validation` for an unknown stage, a missing reason or a short justification;
/// `Conflict` for a move the current stage does not allow; `GateClosed` listing what is
/// missing; `Forbidden` when a non-admin tries to override.
pub async fn transition(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
    actor: &CurrentUser,
    integration_id: i32,
    request: &MoveRequest,
    ctx: &GateContext,
) -> Result<TransitionRecord> {
    // Coordinators and admins move stages, whichever door the request came through.
    actor.may(Action::MoveStage)?;
    let to = Stage::parse(&request.to)
        .ok_or_else(|| AppError::field("to", format!("Choose a stage: {}.", Stage::names())))?;
    let reason = text("reason", &request.reason, 2000)?;
    let justification = text(
        "override_justification",
        &request.override_justification,
        2000,
    )?;
    let txn = activity::begin(db).await?;
    let integration = integrations::Entity::find_by_id(integration_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let from = integration.stage;
    let held = if from == Stage::OnHold {
        held_from(&txn, integration_id).await?
    } else {
        None
    };
    let Some(kind) = allowed_moves(from, held)
        .into_iter()
        .find(|m| m.to == to)
        .map(|m| m.kind)
    else {
        return Err(AppError::Conflict(format!(
            "An integration in {} cannot move to {}.",
            from.label(),
            to.label()
        )));
    };
    if kind.needs_reason() && reason.is_none() {
        return Err(AppError::field(
            "reason",
            format!("Say why: \"{}\" needs a reason.", kind.label()),
        ));
    }
    let mut overridden: Option<(String, Vec<String>)> = None;
    if kind == MoveKind::Forward {
        let gate = evaluate(&txn, &integration, to, ctx).await?;
        if !gate.open() {
            let missing = gate.missing();
            let Some(justification) = justification else {
                return Err(AppError::GateClosed {
                    to: to.label().to_string(),
                    missing,
                });
            };
            // Overriding a gate is an admin's decision alone, and it must be explained.
            actor.may(Action::OverrideGate)?;
            if justification.chars().count() < MIN_JUSTIFICATION {
                return Err(AppError::field(
                    "override_justification",
                    format!(
                        "Write at least {MIN_JUSTIFICATION} characters explaining why the gate is overridden."
                    ),
                ));
            }
            overridden = Some((justification, missing));
        }
    }
    let now = Utc::now();
    let mut active: integrations::ActiveModel = integration.clone().into();
    active.stage = Set(to);
    active.gate_overridden = Set(overridden.is_some());
    active.updated_at = Set(now);
    active.update(&txn).await?;
    let (override_justification, unmet) = match overridden {
        Some((j, missing)) => (Some(j), missing),
        None => (None, Vec::new()),
    };
    let row = stage_transitions::ActiveModel {
        integration_id: Set(integration_id),
        from_stage: Set(from),
        to_stage: Set(to),
        actor_id: Set(Some(actor.id)),
        at: Set(now),
        reason: Set(reason.clone()),
        override_justification: Set(override_justification.clone()),
        unmet: Set((!unmet.is_empty()).then(|| json!(unmet).to_string())),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    activity::record(
        &txn,
        NewActivity {
            actor_id: Some(actor.id),
            action: if override_justification.is_some() {
                "transition (gate overridden)"
            } else {
                "transition"
            },
            entity_kind: ENTITY_KIND,
            entity_id: integration_id.to_string(),
            before: Some(json!({ "stage": from.as_str() })),
            after: Some(json!({
                "stage": to.as_str(),
                "reason": reason,
                "override_justification": override_justification,
                "unmet_criteria": (!unmet.is_empty()).then(|| unmet.join("; ")),
            })),
        },
    )
    .await?;
    tell(
        &txn,
        actor,
        &integration,
        (from, to),
        reason.as_deref(),
        override_justification.as_deref(),
    )
    .await?;
    txn.commit().await?;
    to_record(row, Some(actor.name.clone()))
}

/// Emits `stage.changed` for `i`'s move `from` `to`, and `gate.overridden` when an admin
/// overrode its gate with `justification`.
async fn tell(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    i: &integrations::Model,
    (from, to): (Stage, Stage),
    reason: Option<&str>,
    justification: Option<&str>,
) -> Result<()> {
    use crate::outbox::EventType;
    use crate::outbox::service::{Event, emit};
    let path = format!("/integrations/{}", i.slug);
    let moved = format!("{}: moved from {} to {}", i.name, from.label(), to.label());
    emit(
        txn,
        Event::new(
            EventType::StageChanged,
            Some(i),
            &moved,
            &path,
            json!({"from": from.as_str(), "to": to.as_str(), "by": actor.name, "reason": reason}),
        ),
    )
    .await?;
    if let Some(justification) = justification {
        emit(
            txn,
            Event::new(
                EventType::GateOverridden,
                Some(i),
                format!("{}: the gate to {} was overridden", i.name, to.label()),
                &path,
                json!({"from": from.as_str(), "to": to.as_str(), "by": actor.name, "justification": justification}),
            ),
        )
        .await?;
    }
    Ok(())
}

fn to_record(row: stage_transitions::Model, actor: Option<String>) -> Result<TransitionRecord> {
    Ok(TransitionRecord {
        id: row.id,
        from: row.from_stage,
        to: row.to_stage,
        actor,
        at: row.at,
        reason: row.reason,
        override_justification: row.override_justification,
        unmet: row
            .unmet
            .and_then(|u| serde_json::from_str(&u).ok())
            .unwrap_or_default(),
    })
}

/// The stage history of one integration, newest first.
///
/// # Errors
/// Database failures.
pub async fn timeline(
    db: &impl ConnectionTrait,
    integration_id: i32,
) -> Result<Vec<TransitionRecord>> {
    let rows = stage_transitions::Entity::find()
        .filter(stage_transitions::Column::IntegrationId.eq(integration_id))
        .order_by_desc(stage_transitions::Column::Id)
        .all(db)
        .await?;
    let actor_ids: Vec<i32> = rows.iter().filter_map(|r| r.actor_id).collect();
    let actors = users::Entity::find()
        .filter(users::Column::Id.is_in(actor_ids))
        .all(db)
        .await?;
    rows.into_iter()
        .map(|r| {
            let actor = r
                .actor_id
                .and_then(|id| actors.iter().find(|u| u.id == id).map(|u| u.name.clone()));
            to_record(r, actor)
        })
        .collect()
}

/// The stage panel of an integration: its gate for the next stage, evaluated now, the moves
/// its stage allows, and its timeline.
///
/// # Errors
/// `NotFound`; database failures.
pub async fn lifecycle(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
    slug: &str,
    ctx: &GateContext,
) -> Result<Lifecycle> {
    if crate::validate::has_control(slug) {
        return Err(AppError::NotFound);
    }
    // A read-only transaction, so every criterion sees the same snapshot.
    let txn = db.begin().await?;
    let integration = integrations::Entity::find()
        .filter(integrations::Column::Slug.eq(slug))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let stage = integration.stage;
    let held = if stage == Stage::OnHold {
        held_from(&txn, integration.id).await?
    } else {
        None
    };
    let gate = match next_stage(stage) {
        Some(to) => Some(evaluate(&txn, &integration, to, ctx).await?),
        None => None,
    };
    let timeline = timeline(&txn, integration.id).await?;
    txn.commit().await?;
    Ok(Lifecycle {
        integration_id: integration.id,
        slug: integration.slug,
        stage,
        gate_overridden: integration.gate_overridden,
        gate,
        moves: allowed_moves(stage, held),
        timeline,
    })
}
