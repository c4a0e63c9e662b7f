//! (ssr) The ingest keys: each environment's DSN (`http://<public key>@<host>/<project id>`,
//! the project being the environment), which authenticates what an SDK sends.
//!
//! Rules kept here:
//! - an environment has one current key (no `expires_at`), made with the environment
//!   ([`issue`]; the migration gave older ones theirs), so reading a DSN never writes;
//! - a rotation makes a new current key and leaves the old ones valid for [`GRACE`], so
//!   applications can take the new DSN without losing events; it is in the trail, without
//!   the keys;
//! - a key authenticates only its own environment's project, and only until it expires.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionSession, TransactionTrait, sea_query::Expr,
};

use super::model::Dsn;
use crate::activity::service::{self as activity, NewActivity};
use crate::auth::access::Action;
use crate::auth::model::CurrentUser;
use crate::entities::{environments, ingest_keys};
use crate::error::{AppError, Result};

/// How long a rotated key is still taken.
pub const GRACE: Duration = Duration::hours(24);

/// A new public key: 128 random bits in hex, as Sentry's are.
fn new_key() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// The DSN of `project` with `key`, on the Tollgate at `public_url` (its path kept, so a
/// Tollgate behind a path prefix works: the SDKs post to `<path>/api/<project>/envelope/`).
pub fn dsn(public_url: &str, key: &str, project: i32) -> String {
    let url = public_url.trim_end_matches('/');
    match url.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{key}@{rest}/{project}"),
        None => format!("http://{key}@{url}/{project}"),
    }
}

/// A new current key for environment `environment_id`, to insert.
pub fn fresh(environment_id: i32, now: DateTime<Utc>) -> ingest_keys::ActiveModel {
    ingest_keys::ActiveModel {
        environment_id: Set(environment_id),
        public_key: Set(new_key()),
        created_at: Set(now),
        expires_at: Set(None),
        ..Default::default()
    }
}

/// Makes a new current key for environment `environment_id` (in the transaction that makes
/// the environment, or rotates its key).
///
/// # Errors
/// Database failures.
pub async fn issue(db: &impl ConnectionTrait, environment_id: i32) -> Result<ingest_keys::Model> {
    Ok(
        ingest_keys::Entity::insert(fresh(environment_id, Utc::now()))
            .exec_with_returning(db)
            .await?,
    )
}

/// Environment `environment_id`'s current key.
///
/// # Errors
/// `NotFound` when it has none (no such environment); database failures.
pub async fn current(db: &impl ConnectionTrait, environment_id: i32) -> Result<String> {
    currents(db, &[environment_id])
        .await?
        .remove(&environment_id)
        .ok_or(AppError::NotFound)
}

/// The current key of each of `environment_ids` that has one, in one query.
///
/// # Errors
/// Database failures.
pub async fn currents(
    db: &impl ConnectionTrait,
    environment_ids: &[i32],
) -> Result<std::collections::HashMap<i32, String>> {
    let rows = ingest_keys::Entity::find()
        .filter(ingest_keys::Column::EnvironmentId.is_in(environment_ids.iter().copied()))
        .filter(ingest_keys::Column::ExpiresAt.is_null())
        .order_by_asc(ingest_keys::Column::Id)
        .all(db)
        .await?;
    // Ascending ids, so the newest current key of an environment is the one left.
    Ok(rows
        .into_iter()
        .map(|k| (k.environment_id, k.public_key))
        .collect())
}

/// Environment `environment_id`'s DSN on the Tollgate at `public_url`.
///
/// # Errors
/// `NotFound`; database failures.
pub async fn dsn_of(
    db: &impl ConnectionTrait,
    environment_id: i32,
    public_url: &str,
) -> Result<Dsn> {
    crate::records::find::<environments::Entity>(db, environment_id).await?;
    let key = current(db, environment_id).await?;
    Ok(Dsn {
        environment_id,
        dsn: dsn(public_url, &key, environment_id),
        envelope_url: format!(
            "{}/api/{environment_id}/envelope/",
            public_url.trim_end_matches('/')
        ),
    })
}

/// Rotates environment `environment_id`'s key as `actor`: a new current key, the old ones
/// taken until [`GRACE`] from `now`. Returns the new key.
///
/// # Errors
/// `Forbidden` (engineers, coordinators and admins rotate); `NotFound`.
pub async fn rotate(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    environment_id: i32,
    now: DateTime<Utc>,
) -> Result<String> {
    actor.may(Action::Build)?;
    let txn = activity::begin(db).await?;
    crate::records::find::<environments::Entity>(&txn, environment_id).await?;
    ingest_keys::Entity::update_many()
        .col_expr(ingest_keys::Column::ExpiresAt, Expr::value(now + GRACE))
        .filter(ingest_keys::Column::EnvironmentId.eq(environment_id))
        .filter(ingest_keys::Column::ExpiresAt.is_null())
        .exec(&txn)
        .await?;
    let key = issue(&txn, environment_id).await?;
    activity::record(
        &txn,
        NewActivity {
            actor_id: Some(actor.id),
            action: "rotate_ingest_key",
            entity_kind: "environment",
            entity_id: environment_id.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(key.public_key)
}

/// The environment that project `project` is, when `key` is one of its keys still valid at
/// `now`; none otherwise (an unknown project, or a key not its own, or expired).
///
/// # Errors
/// Database failures.
pub async fn environment_of(
    db: &impl ConnectionTrait,
    project: i32,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<environments::Model>> {
    let valid = ingest_keys::Entity::find()
        .filter(ingest_keys::Column::EnvironmentId.eq(project))
        .filter(ingest_keys::Column::PublicKey.eq(key))
        .filter(
            Condition::any()
                .add(ingest_keys::Column::ExpiresAt.is_null())
                .add(ingest_keys::Column::ExpiresAt.gt(now)),
        )
        .one(db)
        .await?;
    if valid.is_none() {
        return Ok(None);
    }
    Ok(environments::Entity::find_by_id(project).one(db).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dsn_carries_the_key_and_keeps_the_path() {
        assert_eq!(
            dsn("http://127.0.0.1:3000", "abc", 7),
            "http://abc@127.0.0.1:3000/7"
        );
        assert_eq!(
            dsn("https://ops.example.com/tollgate/", "abc", 7),
            "https://abc@ops.example.com/tollgate/7"
        );
    }
}
