//! (ssr) Audited writes of the records that belong to an integration: each insert, update and
//! delete is stored and recorded in the trail under its integration (see
//! `activity::service::child_id`) in the caller's transaction. A record kind says how it is
//! named in the trail and what its snapshot holds by implementing [`IntegrationRecord`]; its service keeps
//! the validation and the role rule.

use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    PrimaryKeyTrait, TransactionSession, TransactionTrait,
};
use serde_json::Value;

use crate::activity::service::{begin, child_id, record_change};
use crate::auth::access::Action;
use crate::auth::model::CurrentUser;
use crate::error::{AppError, Result};

/// A kind of record that belongs to an integration.
pub trait IntegrationRecord: EntityTrait {
    /// The trail's name for this kind.
    const KIND: &'static str;
    /// The integration it belongs to.
    fn integration_of(m: &Self::Model) -> i32;
    /// Its id.
    fn id_of(m: &Self::Model) -> i32;
    /// What the trail shows of it.
    fn snapshot(m: &Self::Model) -> Value;
}

/// Implements [`IntegrationRecord`] for entity module `$entity`, whose rows carry
/// `integration_id` and `id`: the trail names the kind `$kind`, and shows `$snapshot` of a row
/// `$m`.
///
/// ```text
/// crate::integration_record!(objectives, "objective", |m| {
///     json!({"description": m.description})
/// });
/// ```
#[macro_export]
macro_rules! integration_record {
    ($entity:ident, $kind:expr, |$m:ident| $snapshot:block) => {
        impl $crate::records::IntegrationRecord for $entity::Entity {
            const KIND: &'static str = $kind;
            fn integration_of(m: &$entity::Model) -> i32 {
                m.integration_id
            }
            fn id_of(m: &$entity::Model) -> i32 {
                m.id
            }
            fn snapshot($m: &$entity::Model) -> serde_json::Value $snapshot
        }
    };
}

/// Record `id` of kind `E`.
///
/// # Errors
/// `NotFound`.
pub async fn find<E>(db: &impl ConnectionTrait, id: i32) -> Result<E::Model>
where
    E: IntegrationRecord,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i32>,
{
    E::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)
}

/// Inserts `active` and records its creation.
///
/// # Errors
/// Database failures.
pub async fn insert<E>(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    active: E::ActiveModel,
) -> Result<E::Model>
where
    E: IntegrationRecord,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<E::ActiveModel>,
{
    let m = active.insert(txn).await?;
    let id = child_id(E::integration_of(&m), E::id_of(&m));
    record_change(
        txn,
        actor,
        "create",
        E::KIND,
        id,
        None,
        Some(E::snapshot(&m)),
    )
    .await?;
    Ok(m)
}

/// Saves `active` (changed from `before`) and records what `action` changed; nothing is
/// recorded when nothing changed.
///
/// # Errors
/// Database failures.
pub async fn save<E>(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    action: &str,
    before: &E::Model,
    active: E::ActiveModel,
) -> Result<E::Model>
where
    E: IntegrationRecord,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<E::ActiveModel>,
{
    let after = active.update(txn).await?;
    let id = child_id(E::integration_of(&after), E::id_of(&after));
    record_change(
        txn,
        actor,
        action,
        E::KIND,
        id,
        Some(E::snapshot(before)),
        Some(E::snapshot(&after)),
    )
    .await?;
    Ok(after)
}

/// Deletes record `id` of kind `E`, which `action` allows, and records it in the trail under
/// its integration: the one audited delete every kind of an integration's records shares.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn delete<E>(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    action: Action,
    id: i32,
) -> Result<()>
where
    E: IntegrationRecord,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i32>,
{
    actor.may(action)?;
    let txn = begin(db).await?;
    let before = find::<E>(&txn, id).await?;
    E::delete_by_id(id).exec(&txn).await?;
    record_change(
        &txn,
        actor,
        "delete",
        E::KIND,
        child_id(E::integration_of(&before), id),
        Some(E::snapshot(&before)),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
