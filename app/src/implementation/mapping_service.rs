//! (ssr) The data mapping's rows, its review marker and the preview. Engineers, coordinators
//! and admins edit and review; a change to any row clears the review, in the same
//! transaction, so the gate never reads a review of rows that have since changed.

use crate::auth::access::Action;
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionSession, TransactionTrait,
};
use serde_json::json;

use super::mapping::{
    MappingReview, MappingRow, MappingRowForm, MappingView, Preview, Transform, check_field,
    check_pointer, enum_pairs, preview as run_preview,
};
use crate::activity::service::{self as activity};
use crate::auth::model::CurrentUser;
use crate::entities::{integrations, mapping_reviews, mapping_rows};
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::lookup::{integration, integration_by_id, reference};
use crate::planning::service::people;
use crate::records::{self, Audited};
use crate::validate::{optional, required, whole};

/// The trail id of an integration's mapping as a whole (its review).
fn mapping_id(integration_id: i32) -> String {
    format!("{integration_id}/mapping")
}

struct Valid {
    position: Option<i32>,
    source_pointer: String,
    target_field: String,
    transform: Transform,
    transform_arg: String,
    required: bool,
    notes: String,
}

fn validate(form: &MappingRowForm) -> Result<Valid> {
    let mut e = FieldErrors::default();
    let position = if form.position.trim().is_empty() {
        None
    } else {
        whole(
            &mut e,
            "position",
            &form.position,
            "the position",
            (1, 10_000),
            None,
        )
    };
    let source_pointer = required(
        &mut e,
        "source_pointer",
        &form.source_pointer,
        "the provider field as a JSON pointer, such as /data/object/amount",
        300,
    );
    if !source_pointer.is_empty()
        && let Err(m) = check_pointer(&source_pointer)
    {
        e.add("source_pointer", m);
    }
    let target_field = required(
        &mut e,
        "target_field",
        &form.target_field,
        "the platform field, such as payment.amount",
        200,
    );
    if !target_field.is_empty()
        && let Err(m) = check_field(&target_field)
    {
        e.add("target_field", m);
    }
    let transform = if form.transform.trim().is_empty() {
        Some(Transform::Unchanged)
    } else {
        Transform::parse(form.transform.trim())
    };
    if transform.is_none() {
        e.add(
            "transform",
            format!("Choose one of: {}.", Transform::names()),
        );
    }
    let transform = transform.unwrap_or(Transform::Unchanged);
    let transform_arg = if transform.takes_argument() {
        optional(&mut e, "transform_arg", &form.transform_arg, 2000)
    } else {
        String::new()
    };
    match transform {
        Transform::EnumMap if e.get("transform_arg").is_none() => {
            if let Err(m) = enum_pairs(&transform_arg) {
                e.add("transform_arg", m);
            }
        }
        Transform::DefaultValue if transform_arg.is_empty() && e.get("transform_arg").is_none() => {
            e.add(
                "transform_arg",
                "Give the value to use when the provider sends none.",
            );
        }
        _ => {}
    }
    let notes = optional(&mut e, "notes", &form.notes, 2000);
    e.into_result()?;
    Ok(Valid {
        position,
        source_pointer,
        target_field,
        transform,
        transform_arg,
        required: form.is_required(),
        notes,
    })
}

crate::integration_record!(mapping_rows, "mapping_row", |m| {
    json!({
        "position": m.position, "source_pointer": m.source_pointer, "target_field": m.target_field,
        "transform": m.transform, "transform_arg": m.transform_arg, "required": m.required,
        "notes": m.notes,
    })
});

fn wire(i: &integrations::Model, m: mapping_rows::Model) -> Result<MappingRow> {
    Ok(MappingRow {
        id: m.id,
        integration: reference(i),
        position: m.position,
        transform: m.transform,
        source_pointer: m.source_pointer,
        target_field: m.target_field,
        transform_arg: m.transform_arg,
        required: m.required,
        notes: m.notes,
    })
}

async fn rows(db: &impl ConnectionTrait, integration_id: i32) -> Result<Vec<mapping_rows::Model>> {
    Ok(mapping_rows::Entity::find()
        .filter(mapping_rows::Column::IntegrationId.eq(integration_id))
        .order_by_asc(mapping_rows::Column::Position)
        .order_by_asc(mapping_rows::Column::Id)
        .all(db)
        .await?)
}

/// The mapping of integration `slug`, rows in order, with its review.
///
/// # Errors
/// `NotFound`.
pub async fn page(db: &impl ConnectionTrait, slug: &str) -> Result<MappingView> {
    let i = integration(db, slug).await?;
    let review = match mapping_reviews::Entity::find_by_id(i.id).one(db).await? {
        Some(r) => people(db, vec![r.reviewed_by])
            .await?
            .pop()
            .map(|by| MappingReview {
                by,
                at: r.reviewed_at,
            }),
        None => None,
    };
    Ok(MappingView {
        rows: rows(db, i.id)
            .await?
            .into_iter()
            .map(|m| wire(&i, m))
            .collect::<Result<_>>()?,
        integration: reference(&i),
        review,
    })
}

/// One mapping row.
///
/// # Errors
/// `NotFound`.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<MappingRow> {
    let m = mapping_rows::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let i = integration_by_id(db, m.integration_id).await?;
    wire(&i, m)
}

/// Previews `sample` through the mapping of integration `slug`.
///
/// # Errors
/// `NotFound`.
pub async fn preview(db: &impl ConnectionTrait, slug: &str, sample: &str) -> Result<Preview> {
    Ok(run_preview(&page(db, slug).await?.rows, sample))
}

/// Each platform field is set by one row, and no field sits inside another's value.
async fn check_target(
    db: &impl ConnectionTrait,
    integration_id: i32,
    except: Option<i32>,
    field: &str,
) -> Result<()> {
    for other in rows(db, integration_id).await? {
        if Some(other.id) == except {
            continue;
        }
        let theirs = other.target_field.as_str();
        let message = if theirs == field {
            format!("{field} is already mapped from {}.", other.source_pointer)
        } else if theirs.starts_with(&format!("{field}."))
            || field.starts_with(&format!("{theirs}."))
        {
            format!("{field} overlaps {theirs}, which another row maps; one cannot hold the other.")
        } else {
            continue;
        };
        return Err(AppError::field("target_field", message));
    }
    Ok(())
}

/// Removes the review marker, recording that the change cleared it.
async fn clear_review(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    integration_id: i32,
) -> Result<()> {
    match mapping_reviews::Entity::find_by_id(integration_id)
        .one(txn)
        .await?
    {
        Some(r) => {
            records::remove_as::<mapping_reviews::Entity>(txn, actor, "review_cleared", r).await
        }
        None => Ok(()),
    }
}

/// The review of a mapping is filed under the mapping (one per integration).
impl Audited for mapping_reviews::Entity {
    const KIND: &'static str = "mapping";
    fn trail_id(m: &mapping_reviews::Model) -> String {
        mapping_id(m.integration_id)
    }
    fn snapshot(m: &mapping_reviews::Model) -> serde_json::Value {
        json!({"reviewed_by": m.reviewed_by, "reviewed_at": m.reviewed_at.to_rfc3339()})
    }
}

fn apply(active: &mut mapping_rows::ActiveModel, v: Valid) {
    if let Some(p) = v.position {
        active.position = Set(p);
    }
    active.source_pointer = Set(v.source_pointer);
    active.target_field = Set(v.target_field);
    active.transform = Set(v.transform);
    active.transform_arg = Set(v.transform_arg);
    active.required = Set(v.required);
    active.notes = Set(v.notes);
    active.updated_at = Set(Utc::now());
}

/// Adds a row (after the last, unless a position is given).
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation`.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &MappingRowForm,
) -> Result<i32> {
    actor.may(Action::Build)?;
    let v = validate(form)?;
    let txn = activity::begin(db).await?;
    integration_by_id(&txn, integration_id).await?;
    check_target(&txn, integration_id, None, &v.target_field).await?;
    let last = rows(&txn, integration_id)
        .await?
        .last()
        .map_or(0, |r| r.position);
    let mut active = mapping_rows::ActiveModel {
        integration_id: Set(integration_id),
        position: Set(last + 1),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply(&mut active, v);
    let m = records::insert::<mapping_rows::Entity>(&txn, actor, active).await?;
    clear_review(&txn, actor, integration_id).await?;
    txn.commit().await?;
    Ok(m.id)
}

/// Edits a row; a real change clears the review.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation`.
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    form: &MappingRowForm,
) -> Result<()> {
    actor.may(Action::Build)?;
    let v = validate(form)?;
    let txn = activity::begin(db).await?;
    let before = records::find::<mapping_rows::Entity>(&txn, id).await?;
    check_target(&txn, before.integration_id, Some(id), &v.target_field).await?;
    let mut active: mapping_rows::ActiveModel = before.clone().into();
    apply(&mut active, v);
    let after =
        records::save::<mapping_rows::Entity>(&txn, actor, "update", &before, active).await?;
    if mapping_rows::Entity::snapshot(&before) != mapping_rows::Entity::snapshot(&after) {
        clear_review(&txn, actor, after.integration_id).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Deletes a row and clears the review.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn delete(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    actor.may(Action::Build)?;
    let txn = activity::begin(db).await?;
    let before = records::find::<mapping_rows::Entity>(&txn, id).await?;
    let integration_id = before.integration_id;
    records::remove::<mapping_rows::Entity>(&txn, actor, before).await?;
    clear_review(&txn, actor, integration_id).await?;
    txn.commit().await?;
    Ok(())
}

/// Marks the mapping of integration `integration_id` reviewed by `actor` now.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Conflict` when there are no rows to review.
pub async fn review(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
) -> Result<()> {
    actor.may(Action::Build)?;
    let txn = activity::begin(db).await?;
    integration_by_id(&txn, integration_id).await?;
    if rows(&txn, integration_id).await?.is_empty() {
        return Err(AppError::Conflict(
            "The mapping has no rows to review yet.".into(),
        ));
    }
    mapping_reviews::Entity::delete_by_id(integration_id)
        .exec(&txn)
        .await?;
    let review = mapping_reviews::ActiveModel {
        integration_id: Set(integration_id),
        reviewed_by: Set(actor.id),
        reviewed_at: Set(Utc::now()),
    };
    records::insert_as::<mapping_reviews::Entity>(&txn, actor, "review", review).await?;
    txn.commit().await?;
    Ok(())
}
