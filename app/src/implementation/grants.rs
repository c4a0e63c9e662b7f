//! (ssr) Access grants on credential references: who (a person, a team or a service) has
//! access, granted by whom, when and why. Revoking stamps the grant and keeps it, so the
//! history stays. Admins and the credential's owner grant and revoke.

use crate::auth::access::Action;
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionSession, TransactionTrait,
};
use serde_json::json;

use super::model::{AccessGrant, GrantForm, GranteeKind};
use crate::activity::service as activity;
use crate::auth::model::CurrentUser;
use crate::entities::{credential_grants, credential_refs};
use crate::error::{AppError, FieldErrors, Result};
use crate::planning::service::{check_active_user, people};
use crate::validate::{optional_id, required};

const ENTITY_KIND: &str = "credential_grant";

/// The grants of each credential in `ids`, newest first.
///
/// # Errors
/// Database failures.
pub async fn of(db: &impl ConnectionTrait, ids: &[i32]) -> Result<HashMap<i32, Vec<AccessGrant>>> {
    let rows = credential_grants::Entity::find()
        .filter(credential_grants::Column::CredentialId.is_in(ids.iter().copied()))
        .order_by_desc(credential_grants::Column::GrantedAt)
        .order_by_desc(credential_grants::Column::Id)
        .all(db)
        .await?;
    let mut ids: Vec<i32> = rows
        .iter()
        .flat_map(|g| [Some(g.granted_by), g.revoked_by, g.user_id])
        .flatten()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let who = people(db, ids).await?;
    let person = |id: i32| {
        who.iter()
            .find(|p| p.id == id)
            .cloned()
            .unwrap_or(crate::users::model::UserRef {
                id,
                name: format!("user {id}"),
            })
    };
    let mut out: HashMap<i32, Vec<AccessGrant>> = HashMap::new();
    for g in rows {
        let grantee = match g.user_id {
            Some(id) => person(id).name,
            None => g.grantee.clone(),
        };
        out.entry(g.credential_id).or_default().push(AccessGrant {
            id: g.id,
            credential_id: g.credential_id,
            grantee_kind: g.grantee_kind,
            grantee,
            user_id: g.user_id,
            reason: g.reason,
            granted_by: person(g.granted_by),
            granted_at: g.granted_at,
            revoked_by: g.revoked_by.map(person),
            revoked_at: g.revoked_at,
            revoke_reason: g.revoke_reason,
        });
    }
    Ok(out)
}

/// A grant is filed under its credential's integration and shows the credential's name.
fn filing(
    credential: &credential_refs::Model,
) -> crate::records::Filing<
    impl Fn(&credential_grants::Model) -> String,
    impl Fn(&credential_grants::Model) -> serde_json::Value,
> {
    crate::records::shown(
        ENTITY_KIND,
        credential.integration_id,
        |g: &credential_grants::Model| g.id,
        move |g| {
            json!({
                "credential": credential.name, "credential_id": g.credential_id,
                "grantee_kind": g.grantee_kind, "user_id": g.user_id, "grantee": g.grantee,
                "reason": g.reason, "revoked_at": g.revoked_at.map(|t| t.to_rfc3339()),
                "revoke_reason": g.revoke_reason,
            })
        },
    )
}

async fn credential(db: &impl ConnectionTrait, id: i32) -> Result<credential_refs::Model> {
    credential_refs::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Grants access to credential `credential_id`; the same grantee may not hold two live grants.
///
/// # Errors
/// `NotFound`; `Forbidden` (neither a coordinator nor an admin); `Validation`.
pub async fn grant(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    credential_id: i32,
    form: &GrantForm,
) -> Result<i32> {
    let txn = activity::begin(db).await?;
    let c = credential(&txn, credential_id).await?;
    actor.may(Action::Grant)?;
    let mut e = FieldErrors::default();
    let kind = GranteeKind::parse(&form.grantee_kind);
    if kind.is_none() {
        e.add(
            "grantee_kind",
            format!("Choose one of: {}.", GranteeKind::names()),
        );
    }
    let (user_id, grantee) = if kind == Some(GranteeKind::Person) {
        let id = optional_id(&mut e, "user_id", &form.user_id);
        if id.is_none() && e.get("user_id").is_none() {
            e.add("user_id", "Choose the person.");
        }
        (id, String::new())
    } else {
        (
            None,
            required(
                &mut e,
                "grantee",
                &form.grantee,
                "the team or service, such as payments-api",
                120,
            ),
        )
    };
    let reason = required(&mut e, "reason", &form.reason, "why access is needed", 500);
    e.into_result()?;
    check_active_user(&txn, "user_id", user_id).await?;
    let kind = kind.unwrap_or(GranteeKind::Team);
    let live = credential_grants::Entity::find()
        .filter(credential_grants::Column::CredentialId.eq(credential_id))
        .filter(credential_grants::Column::RevokedAt.is_null())
        .all(&txn)
        .await?;
    if live.iter().any(|g| {
        g.grantee_kind == kind && g.user_id == user_id && g.grantee.eq_ignore_ascii_case(&grantee)
    }) {
        let field = if user_id.is_some() {
            "user_id"
        } else {
            "grantee"
        };
        return Err(AppError::field(
            field,
            "Already has access to this credential.",
        ));
    }
    let g = crate::records::insert_filed(
        &txn,
        actor,
        "grant",
        filing(&c),
        credential_grants::ActiveModel {
            credential_id: Set(credential_id),
            grantee_kind: Set(kind),
            user_id: Set(user_id),
            grantee: Set(grantee),
            reason: Set(reason),
            granted_by: Set(actor.id),
            granted_at: Set(Utc::now()),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(g.id)
}

/// Revokes grant `id`, keeping it in the history; returns its credential's id.
///
/// # Errors
/// `NotFound`; `Forbidden`; `Validation` (no reason); `Conflict` (already revoked).
pub async fn revoke(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    reason: &str,
) -> Result<i32> {
    let txn = activity::begin(db).await?;
    let before = credential_grants::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = credential(&txn, before.credential_id).await?;
    actor.may(Action::Grant)?;
    let mut e = FieldErrors::default();
    let reason = required(&mut e, "reason", reason, "why access is revoked", 500);
    e.into_result()?;
    if before.revoked_at.is_some() {
        return Err(AppError::Conflict("This grant is already revoked.".into()));
    }
    let mut active: credential_grants::ActiveModel = before.clone().into();
    active.revoked_by = Set(Some(actor.id));
    active.revoked_at = Set(Some(Utc::now()));
    active.revoke_reason = Set(Some(reason));
    crate::records::save_filed(&txn, actor, "revoke", filing(&c), &before, active).await?;
    txn.commit().await?;
    Ok(c.id)
}
