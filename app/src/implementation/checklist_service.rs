//! (ssr) The engineering checklists: items from the category's template or added by hand,
//! each open, done, or not applicable with a reason. Engineers, coordinators and admins edit.

use crate::auth::access::Action;
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionSession, TransactionTrait,
};
use serde_json::json;

use super::checklist::{
    Checklist, ChecklistItem, ChecklistItemForm, ChecklistView, ItemStatus, TemplateApplied,
    template,
};
use crate::activity::service as activity;
use crate::auth::model::CurrentUser;
use crate::entities::{checklist_items, integrations};
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::lookup::{integration, integration_by_id, reference};
use crate::planning::service::{check_active_user, people};
use crate::records::{self};
use crate::validate::{optional, optional_id, required};

struct Valid {
    checklist: Checklist,
    title: String,
    status: ItemStatus,
    na_reason: String,
    owner_id: Option<i32>,
    evidence: String,
}

fn validate(form: &ChecklistItemForm) -> Result<Valid> {
    let mut e = FieldErrors::default();
    let checklist = Checklist::parse(form.checklist.trim());
    if checklist.is_none() {
        e.add(
            "checklist",
            format!("Choose one of: {}.", Checklist::names()),
        );
    }
    let title = required(&mut e, "title", &form.title, "what must be true", 300);
    let status = if form.status.trim().is_empty() {
        Some(ItemStatus::Open)
    } else {
        ItemStatus::parse(form.status.trim())
    };
    if status.is_none() {
        e.add("status", format!("Choose one of: {}.", ItemStatus::names()));
    }
    let na_reason = optional(&mut e, "na_reason", &form.na_reason, 1000);
    if status == Some(ItemStatus::NotApplicable)
        && na_reason.is_empty()
        && e.get("na_reason").is_none()
    {
        e.add(
            "na_reason",
            "Say why this item does not apply to this integration.",
        );
    }
    let owner_id = optional_id(&mut e, "owner_id", &form.owner_id);
    let evidence = optional(&mut e, "evidence", &form.evidence, 1000);
    e.into_result()?;
    let status = status.unwrap_or(ItemStatus::Open);
    Ok(Valid {
        checklist: checklist.unwrap_or(Checklist::ErrorHandling),
        title,
        // A reason belongs to "not applicable" only.
        na_reason: if status == ItemStatus::NotApplicable {
            na_reason
        } else {
            String::new()
        },
        status,
        owner_id,
        evidence,
    })
}

crate::integration_record!(checklist_items, "checklist_item", |m| {
    json!({
        "checklist": m.checklist, "title": m.title, "status": m.status, "na_reason": m.na_reason,
        "owner_id": m.owner_id, "evidence": m.evidence,
    })
});

async fn load(
    db: &impl ConnectionTrait,
    i: &integrations::Model,
    rows: Vec<checklist_items::Model>,
) -> Result<Vec<ChecklistItem>> {
    let owners = people(db, rows.iter().filter_map(|r| r.owner_id).collect()).await?;
    rows.into_iter()
        .map(|m| {
            Ok(ChecklistItem {
                id: m.id,
                integration: reference(i),
                checklist: m.checklist,
                template_key: m.template_key,
                title: m.title,
                status: m.status,
                na_reason: m.na_reason,
                owner: m
                    .owner_id
                    .and_then(|id| owners.iter().find(|p| p.id == id).cloned()),
                evidence: m.evidence,
                position: m.position,
            })
        })
        .collect()
}

async fn rows(
    db: &impl ConnectionTrait,
    integration_id: i32,
) -> Result<Vec<checklist_items::Model>> {
    Ok(checklist_items::Entity::find()
        .filter(checklist_items::Column::IntegrationId.eq(integration_id))
        .order_by_asc(checklist_items::Column::Position)
        .order_by_asc(checklist_items::Column::Id)
        .all(db)
        .await?)
}

/// Template items of the integration's category that are not on its checklists.
fn missing(
    i: &integrations::Model,
    existing: &[checklist_items::Model],
) -> Result<Vec<super::checklist::TemplateItem>> {
    Ok(template(i.category)
        .into_iter()
        .filter(|t| {
            !existing
                .iter()
                .any(|m| m.template_key.as_deref() == Some(t.key))
        })
        .collect())
}

/// Both checklists of integration `slug`.
///
/// # Errors
/// `NotFound`.
pub async fn page(db: &impl ConnectionTrait, slug: &str) -> Result<ChecklistView> {
    let i = integration(db, slug).await?;
    let existing = rows(db, i.id).await?;
    Ok(ChecklistView {
        template_missing: missing(&i, &existing)?.len(),
        items: load(db, &i, existing).await?,
        integration: reference(&i),
        category: i.category,
        people: crate::users::service::user_choices(db).await?,
    })
}

/// One checklist item.
///
/// # Errors
/// `NotFound`.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<ChecklistItem> {
    let m = checklist_items::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let i = integration_by_id(db, m.integration_id).await?;
    load(db, &i, vec![m]).await?.pop().ok_or(AppError::NotFound)
}

fn apply(active: &mut checklist_items::ActiveModel, v: Valid) {
    active.checklist = Set(v.checklist);
    active.title = Set(v.title);
    active.status = Set(v.status);
    active.na_reason = Set(v.na_reason);
    active.owner_id = Set(v.owner_id);
    active.evidence = Set(v.evidence);
    active.updated_at = Set(Utc::now());
}

fn new_item(
    integration_id: i32,
    position: i32,
    template_key: Option<String>,
) -> checklist_items::ActiveModel {
    checklist_items::ActiveModel {
        integration_id: Set(integration_id),
        template_key: Set(template_key),
        position: Set(position),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
}

/// Adds an item by hand, at the end of its checklist.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation`.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &ChecklistItemForm,
) -> Result<i32> {
    actor.may(Action::Build)?;
    let v = validate(form)?;
    let txn = activity::begin(db).await?;
    integration_by_id(&txn, integration_id).await?;
    check_active_user(&txn, "owner_id", v.owner_id).await?;
    let last = rows(&txn, integration_id)
        .await?
        .last()
        .map_or(0, |r| r.position);
    let mut active = new_item(integration_id, last + 1, None);
    apply(&mut active, v);
    let m = records::insert::<checklist_items::Entity>(&txn, actor, active).await?;
    txn.commit().await?;
    Ok(m.id)
}

/// Adds the template items of the integration's category that are not there yet; items
/// already there, changed or not, stay as they are.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn apply_template(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
) -> Result<TemplateApplied> {
    actor.may(Action::Build)?;
    let txn = activity::begin(db).await?;
    let i = integration_by_id(&txn, integration_id).await?;
    let existing = rows(&txn, integration_id).await?;
    let mut position = existing.last().map_or(0, |r| r.position);
    let add = missing(&i, &existing)?;
    for t in &add {
        position += 1;
        let mut active = new_item(integration_id, position, Some(t.key.to_string()));
        active.checklist = Set(t.checklist);
        active.title = Set(t.title.into());
        active.status = Set(ItemStatus::Open);
        active.na_reason = Set(String::new());
        active.evidence = Set(String::new());
        active.updated_at = Set(Utc::now());
        records::insert::<checklist_items::Entity>(&txn, actor, active).await?;
    }
    txn.commit().await?;
    Ok(TemplateApplied { added: add.len() })
}

/// Edits an item.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation`.
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    form: &ChecklistItemForm,
) -> Result<()> {
    actor.may(Action::Build)?;
    let v = validate(form)?;
    let txn = activity::begin(db).await?;
    let before = records::find::<checklist_items::Entity>(&txn, id).await?;
    check_active_user(&txn, "owner_id", v.owner_id).await?;
    let mut active: checklist_items::ActiveModel = before.clone().into();
    apply(&mut active, v);
    records::save::<checklist_items::Entity>(&txn, actor, "update", &before, active).await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes an item.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn delete(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    crate::records::delete::<checklist_items::Entity>(db, actor, Action::Build, id).await
}
