//! (ssr) Creating, listing, revoking and checking API tokens.
//!
//! Security rules kept here:
//! - the secret is 160 random bits from the OS, shown once; only its SHA-256 is stored, and a
//!   lookup is by that hash, so the database never holds a usable token;
//! - a token authenticates only while it is not revoked, not expired, and its owner is active,
//!   and it acts with its owner's current role, narrowed by its scope;
//! - revocation takes effect on the next request (nothing is cached).

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionSession, TransactionTrait,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::model::{ApiToken, DEFAULT_EXPIRY_DAYS, NewToken, TOKEN_PREFIX, TokenScope};
use crate::activity::service::{self as activity};
use crate::auth::model::CurrentUser;
use crate::entities::{api_tokens, users};
use crate::error::{AppError, FieldErrors, Result};
use crate::records::{self, Audited};
use crate::validate::required;

/// The trail's name for this kind of record.
pub const ENTITY_KIND: &str = "api_token";

/// A token is filed under its own id; the trail never holds its secret or hash.
impl Audited for api_tokens::Entity {
    const KIND: &'static str = ENTITY_KIND;
    fn trail_id(m: &api_tokens::Model) -> String {
        m.id.to_string()
    }
    fn snapshot(m: &api_tokens::Model) -> serde_json::Value {
        json!({
            "name": m.name,
            "scope": m.scope,
            "prefix": m.prefix,
            "expires_at": m.expires_at.map(|t| t.to_rfc3339()),
            "revoked": m.revoked_at.is_some(),
        })
    }
}

fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.trim().as_bytes()))
}

fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{TOKEN_PREFIX}{}", hex::encode(bytes))
}

fn to_token(m: api_tokens::Model) -> Result<ApiToken> {
    Ok(ApiToken {
        id: m.id,
        scope: m.scope,
        name: m.name,
        prefix: m.prefix,
        created_at: m.created_at,
        expires_at: m.expires_at,
        last_used_at: m.last_used_at,
        revoked_at: m.revoked_at,
    })
}

/// Creates a token for `owner`, expiring in `expires_in_days` days, at most `max_days` (the
/// server's setting); blank means [`DEFAULT_EXPIRY_DAYS`] (or `max_days`, if shorter): every
/// token expires.
///
/// # Errors
/// `Validation` naming the bad field.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    owner: &CurrentUser,
    name: &str,
    scope: &str,
    expires_in_days: &str,
    max_days: i64,
) -> Result<NewToken> {
    let default_days = DEFAULT_EXPIRY_DAYS.min(max_days);
    let mut e = FieldErrors::default();
    let name = required(
        &mut e,
        "name",
        name,
        "a name, such as the pipeline that will use it",
        80,
    );
    let scope = TokenScope::parse(scope);
    if scope.is_none() {
        e.add("scope", format!("Choose a scope: {}.", TokenScope::names()));
    }
    let days = match expires_in_days.trim() {
        "" => Some(default_days),
        d => match d.parse::<i64>() {
            Ok(n) if (1..=max_days).contains(&n) => Some(n),
            _ => {
                e.add(
                    "expires_in_days",
                    format!(
                        "Enter a number of days from 1 to {max_days} (this server's longest), or leave it blank for {default_days}."
                    ),
                );
                None
            }
        },
    };
    e.into_result()?;
    let secret = new_secret();
    let now = Utc::now();
    let txn = activity::begin(db).await?;
    let token = api_tokens::ActiveModel {
        user_id: Set(owner.id),
        name: Set(name),
        scope: Set(scope.unwrap_or(TokenScope::Read)),
        prefix: Set(secret.chars().take(TOKEN_PREFIX.len() + 6).collect()),
        token_hash: Set(hash(&secret)),
        created_at: Set(now),
        expires_at: Set(days.map(|d| now + Duration::days(d))),
        ..Default::default()
    };
    let m = records::insert::<api_tokens::Entity>(&txn, owner, token).await?;
    txn.commit().await?;
    Ok(NewToken {
        token: to_token(m)?,
        secret,
    })
}

/// The tokens of user `user_id`, newest first, revoked ones included.
///
/// # Errors
/// Database failures.
pub async fn list(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<ApiToken>> {
    api_tokens::Entity::find()
        .filter(api_tokens::Column::UserId.eq(user_id))
        .order_by_desc(api_tokens::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_token)
        .collect()
}

/// Revokes one of `actor`'s own tokens. The row is kept, marked revoked, for the record.
///
/// # Errors
/// `NotFound` for a token that is not the actor's (so other people's ids reveal nothing).
pub async fn revoke(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    let txn = activity::begin(db).await?;
    let token = api_tokens::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .filter(|t| t.user_id == actor.id)
        .ok_or(AppError::NotFound)?;
    if token.revoked_at.is_none() {
        let mut active: api_tokens::ActiveModel = token.clone().into();
        active.revoked_at = Set(Some(Utc::now()));
        records::save::<api_tokens::Entity>(&txn, actor, "revoke", &token, active).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Who a bearer token acts as, and with what scope; `None` when the token is unknown,
/// revoked, expired, or its owner is deactivated. Records the time of use.
///
/// # Errors
/// Database failures.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    secret: &str,
) -> Result<Option<(CurrentUser, TokenScope)>> {
    if !secret.trim().starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let now = Utc::now();
    let Some(token) = api_tokens::Entity::find()
        .filter(api_tokens::Column::TokenHash.eq(hash(secret)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if token.revoked_at.is_some() || token.expires_at.is_some_and(|e| e <= now) {
        return Ok(None);
    }
    let Some(owner) = users::Entity::find_by_id(token.user_id)
        .one(db)
        .await?
        .filter(|u| u.active)
    else {
        return Ok(None);
    };
    let mut active: api_tokens::ActiveModel = token.clone().into();
    active.last_used_at = Set(Some(now));
    active.update(db).await?;
    let scope = token.scope;
    Ok(Some((crate::auth::service::to_current(&owner)?, scope)))
}
