//! (ssr) Maintenance windows: while one is open, the monitor opens no incident for its
//! environment (the checks still run and count). Engineers, coordinators and admins schedule
//! and cancel them; both are in the trail.

use crate::auth::access::Action;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionSession, TransactionTrait,
};
use serde_json::json;

use super::model::{MaintenanceForm, MaintenanceWindow, WindowState};
use crate::activity::service::{self as activity};
use crate::auth::model::CurrentUser;
use crate::entities::{environments, maintenance_windows, users};
use crate::error::{AppError, FieldErrors, Result};
use crate::records;
use crate::validate::{datetime, optional_id, required};

/// The longest window.
pub const MAX_DAYS: i64 = 14;

/// Whether a window of environment `env` is open at `at`.
///
/// # Errors
/// Database failures.
pub async fn in_window(db: &impl ConnectionTrait, env: i32, at: DateTime<Utc>) -> Result<bool> {
    Ok(!open_at(db, &[env], at).await?.is_empty())
}

/// Which of the environments in `envs` have a window open at `at`.
///
/// # Errors
/// Database failures.
pub async fn open_at(
    db: &impl ConnectionTrait,
    envs: &[i32],
    at: DateTime<Utc>,
) -> Result<std::collections::HashSet<i32>> {
    Ok(maintenance_windows::Entity::find()
        .filter(maintenance_windows::Column::EnvironmentId.is_in(envs.iter().copied()))
        .filter(maintenance_windows::Column::StartsAt.lte(at))
        .filter(maintenance_windows::Column::EndsAt.gt(at))
        .all(db)
        .await?
        .into_iter()
        .map(|w| w.environment_id)
        .collect())
}

crate::filed_record!(maintenance_windows, "maintenance_window", |m| {
    json!({
        "environment_id": m.environment_id,
        "starts_at": m.starts_at.to_rfc3339(),
        "ends_at": m.ends_at.to_rfc3339(),
        "reason": m.reason,
    })
});

/// Schedules a window on an environment of integration `integration_id`.
///
/// # Errors
/// `Forbidden`; `Validation` naming the field.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &MaintenanceForm,
    now: DateTime<Utc>,
) -> Result<i32> {
    if !actor.can(Action::Build) {
        return Err(AppError::Forbidden);
    }
    let mut e = FieldErrors::default();
    let env_id = optional_id(&mut e, "environment_id", &form.environment_id);
    let starts = datetime(&mut e, "starts_at", &form.starts_at);
    let ends = datetime(&mut e, "ends_at", &form.ends_at);
    let reason = required(&mut e, "reason", &form.reason, "the reason", 300);
    if let (Some(s), Some(t)) = (starts, ends) {
        if t <= s {
            e.add("ends_at", "The window must end after it starts.");
        } else if t <= now {
            e.add("ends_at", "The window has already ended.");
        } else if t - s > Duration::days(MAX_DAYS) {
            e.add(
                "ends_at",
                format!("A window lasts at most {MAX_DAYS} days."),
            );
        }
    }
    let env = match env_id {
        Some(id) => environments::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|m| m.integration_id == integration_id),
        None => None,
    };
    if env.is_none() {
        e.add(
            "environment_id",
            "Choose an environment of this integration.",
        );
    }
    e.into_result()?;
    let (Some(env), Some(starts), Some(ends)) = (env, starts, ends) else {
        return Err(AppError::field("environment_id", "Choose an environment."));
    };
    let txn = activity::begin(db).await?;
    let window = maintenance_windows::ActiveModel {
        environment_id: Set(env.id),
        starts_at: Set(starts),
        ends_at: Set(ends),
        reason: Set(reason),
        created_by: Set(actor.id),
        created_at: Set(now),
        ..Default::default()
    };
    let m = records::insert_under::<maintenance_windows::Entity>(
        &txn,
        actor,
        "create",
        integration_id,
        window,
    )
    .await?;
    txn.commit().await?;
    Ok(m.id)
}

/// Cancels window `id`.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn delete(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    if !actor.can(Action::Build) {
        return Err(AppError::Forbidden);
    }
    let txn = activity::begin(db).await?;
    let m = maintenance_windows::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let env = environments::Entity::find_by_id(m.environment_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    records::remove_under::<maintenance_windows::Entity>(&txn, actor, env.integration_id, m)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// The windows on `envs` that are open, coming, or ended within the week before `now`,
/// soonest first.
///
/// # Errors
/// Database failures.
pub async fn list(
    db: &impl ConnectionTrait,
    envs: &[environments::Model],
    now: DateTime<Utc>,
) -> Result<Vec<MaintenanceWindow>> {
    let rows = maintenance_windows::Entity::find()
        .filter(maintenance_windows::Column::EnvironmentId.is_in(envs.iter().map(|e| e.id)))
        .filter(maintenance_windows::Column::EndsAt.gt(now - Duration::days(7)))
        .order_by_asc(maintenance_windows::Column::StartsAt)
        .all(db)
        .await?;
    let people = users::Entity::find()
        .filter(users::Column::Id.is_in(rows.iter().map(|r| r.created_by)))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| MaintenanceWindow {
            id: r.id,
            environment_id: r.environment_id,
            environment: envs
                .iter()
                .find(|e| e.id == r.environment_id)
                .map(|e| e.name.clone())
                .unwrap_or_default(),
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            state: WindowState::at(r.starts_at, r.ends_at, now),
            by: people
                .iter()
                .find(|p| p.id == r.created_by)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            reason: r.reason,
        })
        .collect())
}
