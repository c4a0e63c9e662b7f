//! (ssr) Credential references: validation (the reference must name where a secret lives and
//! pass the leak guard), reads with computed status, audited writes, and recording a
//! rotation. Engineers, coordinators and admins edit.

use crate::auth::access::Action;
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionSession, TransactionTrait,
};
use serde_json::json;

use super::model::{
    CredentialForm, CredentialKind, CredentialRef, CredentialsView, SECRET_STORES,
    credential_status,
};
use crate::activity::service as activity;
use crate::auth::model::CurrentUser;
use crate::calendar::today;
use crate::entities::{credential_refs, environments, integrations};
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::lookup::{integration, integration_by_id, reference};
use crate::planning::service::{check_active_user, people};
use crate::records::{self};
use crate::validate::{optional, optional_date, optional_id, required, whole};

struct Valid {
    environment_id: i32,
    name: String,
    kind: CredentialKind,
    reference: String,
    owner_id: Option<i32>,
    scopes: String,
    last_rotated: NaiveDate,
    rotation_days: Option<i32>,
    expires_on: Option<NaiveDate>,
}

fn validate(form: &CredentialForm) -> Result<Valid> {
    let mut e = FieldErrors::default();
    let environment_id = form.environment_id.trim().parse::<i32>().ok();
    if environment_id.is_none() {
        e.add(
            "environment_id",
            "Choose the environment this credential is for.",
        );
    }
    let name = required(
        &mut e,
        "name",
        &form.name,
        "a name, such as secret key",
        120,
    );
    let kind = CredentialKind::parse(&form.kind);
    if kind.is_none() {
        e.add(
            "kind",
            format!("Choose one of: {}.", CredentialKind::names()),
        );
    }
    let reference = required(
        &mut e,
        "reference",
        &form.reference,
        "where the secret lives",
        500,
    );
    if let Some((scheme, rest)) = reference.split_once("://") {
        if !SECRET_STORES.contains(&scheme.to_ascii_lowercase().as_str()) {
            e.add("reference", format!("Unknown secret store \"{scheme}\". Use one of {}:// or describe where it lives in words.", SECRET_STORES.join("://, ")));
        } else if rest.trim().is_empty() {
            e.add(
                "reference",
                "Say which secret in the store, such as vault://kv/payments/stripe#secret_key.",
            );
        }
    }
    let owner_id = optional_id(&mut e, "owner_id", &form.owner_id);
    let scopes = optional(&mut e, "scopes", &form.scopes, 500);
    let last_rotated =
        optional_date(&mut e, "last_rotated", &form.last_rotated).unwrap_or_else(today);
    if last_rotated > today() {
        e.add("last_rotated", "The last rotation cannot be in the future.");
    }
    let rotation_days = if form.rotation_days.trim().is_empty() {
        None
    } else {
        whole(
            &mut e,
            "rotation_days",
            &form.rotation_days,
            "the rotation interval",
            (1, 3650),
            None,
        )
    };
    let expires_on = optional_date(&mut e, "expires_on", &form.expires_on);
    e.into_result()?;
    Ok(Valid {
        environment_id: environment_id.unwrap_or_default(),
        name,
        kind: kind.unwrap_or(CredentialKind::ApiKey),
        reference,
        owner_id,
        scopes,
        last_rotated,
        rotation_days,
        expires_on,
    })
}

crate::integration_record!(credential_refs, "credential", |m| {
    json!({
        "environment_id": m.environment_id, "name": m.name, "kind": m.kind, "reference": m.reference,
        "owner_id": m.owner_id, "scopes": m.scopes, "last_rotated": m.last_rotated.to_string(),
        "rotation_days": m.rotation_days, "expires_on": m.expires_on.map(|d| d.to_string()),
    })
});

async fn load(
    db: &impl ConnectionTrait,
    i: &integrations::Model,
    rows: Vec<credential_refs::Model>,
) -> Result<Vec<CredentialRef>> {
    let envs = environments::Entity::find()
        .filter(environments::Column::IntegrationId.eq(i.id))
        .all(db)
        .await?;
    let owners = people(db, rows.iter().filter_map(|r| r.owner_id).collect()).await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let mut grants = super::grants::of(db, &ids).await?;
    let now = today();
    rows.into_iter()
        .map(|m| {
            Ok(CredentialRef {
                id: m.id,
                integration: reference(i),
                environment_id: m.environment_id,
                environment: envs
                    .iter()
                    .find(|e| e.id == m.environment_id)
                    .map(|e| e.name.clone())
                    .unwrap_or_default(),
                kind: m.kind,
                owner: m
                    .owner_id
                    .and_then(|id| owners.iter().find(|p| p.id == id).cloned()),
                next_rotation: m
                    .rotation_days
                    .map(|d| m.last_rotated + chrono::Duration::days(i64::from(d))),
                status: credential_status(now, m.last_rotated, m.rotation_days, m.expires_on),
                grants: grants.remove(&m.id).unwrap_or_default(),
                name: m.name,
                reference: m.reference,
                scopes: m.scopes,
                created_at: m.created_at,
                last_rotated: m.last_rotated,
                rotation_days: m.rotation_days,
                expires_on: m.expires_on,
            })
        })
        .collect()
}

/// The credential references of integration `i`, by environment then name.
///
/// # Errors
/// Database failures.
pub async fn for_integration(
    db: &impl ConnectionTrait,
    i: &integrations::Model,
) -> Result<Vec<CredentialRef>> {
    let rows = credential_refs::Entity::find()
        .filter(credential_refs::Column::IntegrationId.eq(i.id))
        .order_by_asc(credential_refs::Column::EnvironmentId)
        .order_by_asc(credential_refs::Column::Name)
        .all(db)
        .await?;
    load(db, i, rows).await
}

/// The credentials page of integration `slug`, by environment then name.
///
/// # Errors
/// `NotFound`.
pub async fn page(db: &impl ConnectionTrait, slug: &str) -> Result<CredentialsView> {
    let i = integration(db, slug).await?;
    let environments = environments::Entity::find()
        .filter(environments::Column::IntegrationId.eq(i.id))
        .order_by_asc(environments::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    Ok(CredentialsView {
        credentials: for_integration(db, &i).await?,
        integration: reference(&i),
        environments,
        people: crate::users::service::user_choices(db).await?,
        today: today(),
    })
}

/// One credential reference.
///
/// # Errors
/// `NotFound`.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<CredentialRef> {
    let m = credential_refs::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let i = integration_by_id(db, m.integration_id).await?;
    load(db, &i, vec![m]).await?.pop().ok_or(AppError::NotFound)
}

/// The environment must belong to the integration.
async fn check_environment(
    db: &impl ConnectionTrait,
    integration_id: i32,
    environment_id: i32,
) -> Result<()> {
    match environments::Entity::find_by_id(environment_id)
        .one(db)
        .await?
    {
        Some(e) if e.integration_id == integration_id => Ok(()),
        _ => Err(AppError::field(
            "environment_id",
            "Choose one of this integration's environments.",
        )),
    }
}

fn apply(active: &mut credential_refs::ActiveModel, v: Valid) {
    active.environment_id = Set(v.environment_id);
    active.name = Set(v.name);
    active.kind = Set(v.kind);
    active.reference = Set(v.reference);
    active.owner_id = Set(v.owner_id);
    active.scopes = Set(v.scopes);
    active.last_rotated = Set(v.last_rotated);
    active.rotation_days = Set(v.rotation_days);
    active.expires_on = Set(v.expires_on);
    active.updated_at = Set(Utc::now());
}

/// Records a credential reference.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` (a secret pasted as the reference among them).
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &CredentialForm,
) -> Result<i32> {
    actor.may(Action::Build)?;
    let v = validate(form)?;
    let txn = activity::begin(db).await?;
    integration_by_id(&txn, integration_id).await?;
    check_environment(&txn, integration_id, v.environment_id).await?;
    check_active_user(&txn, "owner_id", v.owner_id).await?;
    let mut active = credential_refs::ActiveModel {
        integration_id: Set(integration_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply(&mut active, v);
    let m = records::insert::<credential_refs::Entity>(&txn, actor, active).await?;
    txn.commit().await?;
    Ok(m.id)
}

/// Edits a credential reference.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation`.
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    form: &CredentialForm,
) -> Result<()> {
    actor.may(Action::Build)?;
    let v = validate(form)?;
    let txn = activity::begin(db).await?;
    let before = records::find::<credential_refs::Entity>(&txn, id).await?;
    check_environment(&txn, before.integration_id, v.environment_id).await?;
    check_active_user(&txn, "owner_id", v.owner_id).await?;
    let mut active: credential_refs::ActiveModel = before.clone().into();
    apply(&mut active, v);
    records::save::<credential_refs::Entity>(&txn, actor, "update", &before, active).await?;
    txn.commit().await?;
    Ok(())
}

/// Records that the secret was rotated today.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn record_rotation(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    actor.may(Action::Build)?;
    let txn = activity::begin(db).await?;
    let before = records::find::<credential_refs::Entity>(&txn, id).await?;
    let mut active: credential_refs::ActiveModel = before.clone().into();
    active.last_rotated = Set(today());
    active.updated_at = Set(Utc::now());
    records::save::<credential_refs::Entity>(&txn, actor, "rotate", &before, active).await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes a credential reference.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn delete(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    crate::records::delete::<credential_refs::Entity>(db, actor, Action::Build, id).await
}
