//! (ssr) Maintenance items: what a live integration needs done, opened by Tollgate (a breaking
//! provider change on a used operation) and closed by the people who did it.

use crate::auth::access::Action;
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionSession, TransactionTrait,
};
use serde_json::json;

use super::model::MaintenanceItem;
use crate::activity::service::{self as activity};
use crate::auth::model::CurrentUser;
use crate::entities::maintenance_items;
use crate::error::{AppError, Result};
use crate::records;

/// A new item's content.
pub struct NewItem<'a> {
    pub title: &'a str,
    pub detail: &'a str,
    pub link: &'a str,
    pub source: &'a str,
}

crate::integration_record!(maintenance_items, "maintenance_item", |m| {
    json!({"title": m.title, "source": m.source, "status": m.status})
});

/// Opens an item on integration `integration_id` inside the caller's transaction.
///
/// # Errors
/// Database failures.
pub async fn open(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    integration_id: i32,
    item: &NewItem<'_>,
) -> Result<i32> {
    let m = records::insert::<maintenance_items::Entity>(
        txn,
        actor,
        maintenance_items::ActiveModel {
            integration_id: Set(integration_id),
            title: Set(item.title.to_string()),
            detail: Set(item.detail.to_string()),
            link: Set(item.link.to_string()),
            source: Set(item.source.to_string()),
            status: Set("open".into()),
            opened_by: Set(actor.id),
            opened_at: Set(Utc::now()),
            closed_at: Set(None),
            ..Default::default()
        },
    )
    .await?;
    Ok(m.id)
}

fn wire(m: maintenance_items::Model) -> MaintenanceItem {
    MaintenanceItem {
        id: m.id,
        title: m.title,
        detail: m.detail,
        link: m.link,
        source: m.source,
        status: m.status,
        opened_at: m.opened_at,
        closed_at: m.closed_at,
    }
}

/// The items of integration `integration_id`: open ones first, newest first.
///
/// # Errors
/// Database failures.
pub async fn of_integration(
    db: &impl ConnectionTrait,
    integration_id: i32,
) -> Result<Vec<MaintenanceItem>> {
    let mut items: Vec<MaintenanceItem> = maintenance_items::Entity::find()
        .filter(maintenance_items::Column::IntegrationId.eq(integration_id))
        .order_by_desc(maintenance_items::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(wire)
        .collect();
    items.sort_by_key(|i| i.status != "open");
    Ok(items)
}

/// Closes item `id`.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Conflict` when it is already closed.
pub async fn close(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    if !actor.role.can(Action::EditSpecs) {
        return Err(AppError::Forbidden);
    }
    let txn = activity::begin(db).await?;
    let m = maintenance_items::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if m.status != "open" {
        return Err(AppError::Conflict("This item is already closed.".into()));
    }
    let mut active: maintenance_items::ActiveModel = m.clone().into();
    active.status = Set("closed".into());
    active.closed_at = Set(Some(Utc::now()));
    records::save::<maintenance_items::Entity>(&txn, actor, "update", &m, active).await?;
    txn.commit().await?;
    Ok(())
}
