//! (ssr) Audited writes: each insert, update and delete of a recorded kind is stored and
//! recorded in the trail in the caller's transaction, so that a change that is not in the trail
//! cannot be written through here. A kind says how the trail names it, under which id it files a
//! row and what its snapshot holds by implementing [`Audited`] (an integration's records through
//! [`integration_record!`], filed under their integration, see `activity::service::child_id`);
//! its service keeps the validation and the role rule.

use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    ModelTrait, PrimaryKeyTrait, TransactionSession, TransactionTrait,
};
use serde_json::Value;

use crate::activity::service::{self as activity, NewActivity, begin, child_id};
use crate::auth::access::Action;
use crate::auth::model::CurrentUser;
use crate::error::{AppError, Result};

/// A kind of record whose every change is in the trail.
pub trait Audited: EntityTrait {
    /// The trail's name for this kind.
    const KIND: &'static str;
    /// The id the trail files a row under.
    fn trail_id(m: &Self::Model) -> String;
    /// What the trail shows of it.
    fn snapshot(m: &Self::Model) -> Value;
}

/// Implements [`Audited`] for entity module `$entity`, whose rows carry `integration_id` and
/// `id`: the trail names the kind `$kind`, files a row under its integration, and shows
/// `$snapshot` of a row `$m`.
///
/// ```text
/// crate::integration_record!(objectives, "objective", |m| {
///     json!({"description": m.description})
/// });
/// ```
#[macro_export]
macro_rules! integration_record {
    ($entity:ident, $kind:expr, |$m:ident| $snapshot:block) => {
        impl $crate::records::Audited for $entity::Entity {
            const KIND: &'static str = $kind;
            fn trail_id(m: &$entity::Model) -> String {
                $crate::activity::service::child_id(m.integration_id, m.id)
            }
            fn snapshot($m: &$entity::Model) -> serde_json::Value $snapshot
        }
    };
}

/// A kind of record filed in the trail under an integration its row does not carry (a test
/// run, through its plan; a grant, through its credential): the writes below take that
/// integration from the caller, which has read it to check the write.
pub trait Filed: EntityTrait {
    /// The trail's name for this kind.
    const KIND: &'static str;
    /// Its id.
    fn id_of(m: &Self::Model) -> i32;
    /// What the trail shows of it.
    fn snapshot(m: &Self::Model) -> Value;
}

/// Implements [`Filed`] for entity module `$entity`, whose rows carry `id`: the trail names the
/// kind `$kind` and shows `$snapshot` of a row `$m`.
#[macro_export]
macro_rules! filed_record {
    ($entity:ident, $kind:expr, |$m:ident| $snapshot:block) => {
        impl $crate::records::Filed for $entity::Entity {
            const KIND: &'static str = $kind;
            fn id_of(m: &$entity::Model) -> i32 {
                m.id
            }
            fn snapshot($m: &$entity::Model) -> serde_json::Value $snapshot
        }
    };
}

/// Inserts `active`, of a kind filed under integration `integration_id`, and records it as
/// `action`.
///
/// # Errors
/// Database failures.
pub async fn insert_under<E>(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    action: &str,
    integration_id: i32,
    active: E::ActiveModel,
) -> Result<E::Model>
where
    E: Filed,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<E::ActiveModel>,
{
    insert_filed(txn, actor, action, under::<E>(integration_id), active).await
}

/// Saves `active` (changed from `before`), of a kind filed under integration
/// `integration_id`, and records what `action` changed.
///
/// # Errors
/// Database failures.
pub async fn save_under<E>(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    action: &str,
    integration_id: i32,
    before: &E::Model,
    active: E::ActiveModel,
) -> Result<E::Model>
where
    E: Filed,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<E::ActiveModel>,
{
    save_filed(
        txn,
        actor,
        action,
        under::<E>(integration_id),
        before,
        active,
    )
    .await
}

/// Deletes row `m`, of a kind filed under integration `integration_id`, and records it.
///
/// # Errors
/// Database failures.
pub async fn remove_under<E>(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    integration_id: i32,
    m: E::Model,
) -> Result<()>
where
    E: Filed,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<E::ActiveModel>,
{
    removed(txn, actor, "delete", under::<E>(integration_id), m).await
}

/// How the trail names, files and shows a row of one kind: the one thing the audited writes
/// of [`Audited`], [`Filed`] and [`shown`] kinds differ in.
pub struct Filing<T, S> {
    kind: &'static str,
    trail_id: T,
    snapshot: S,
}

/// How a row of a kind is named in the trail, and shown: its id and its snapshot.
type TrailId<M> = fn(&M) -> String;
type Snapshot<M> = fn(&M) -> Value;

/// An [`Audited`] kind's filing: under the trail id its row names.
fn own<E: Audited>() -> Filing<TrailId<E::Model>, Snapshot<E::Model>> {
    Filing {
        kind: E::KIND,
        trail_id: E::trail_id,
        snapshot: E::snapshot,
    }
}

/// A [`Filed`] kind's filing: under integration `integration_id`.
fn under<E: Filed>(
    integration_id: i32,
) -> Filing<impl Fn(&E::Model) -> String, Snapshot<E::Model>> {
    Filing {
        kind: E::KIND,
        trail_id: move |m: &E::Model| child_id(integration_id, E::id_of(m)),
        snapshot: E::snapshot,
    }
}

/// The filing of a row whose snapshot reads more than the row (a grant shows its credential, a
/// result its case's key, a spec version its operation count): kind `kind`, filed under
/// integration `integration_id` by the id `id` gives, shown as `show` makes it. Write it with
/// [`insert_filed`], [`save_filed`] and [`remove_filed`].
pub fn shown<M>(
    kind: &'static str,
    integration_id: i32,
    id: fn(&M) -> i32,
    show: impl Fn(&M) -> Value,
) -> Filing<impl Fn(&M) -> String, impl Fn(&M) -> Value> {
    Filing {
        kind,
        trail_id: move |m: &M| child_id(integration_id, id(m)),
        snapshot: show,
    }
}

/// Deletes row `m`, filed as `f` says, and records its deletion.
///
/// # Errors
/// Database failures.
pub async fn remove_filed<A, M, T, S>(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    f: Filing<T, S>,
    m: M,
) -> Result<()>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    M: IntoActiveModel<A> + ModelTrait<Entity = A::Entity>,
    A::Entity: EntityTrait<Model = M>,
    T: Fn(&M) -> String,
    S: Fn(&M) -> Value,
{
    removed(txn, actor, "delete", f, m).await
}

/// Records a change that `action` made to several rows the trail shows as one record (a
/// vendor's scores, an integration's criteria weights), as `before` and `after` show it: the
/// one audited write that is not of a single row.
///
/// # Errors
/// Database failures.
pub async fn changed_together(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    action: &str,
    kind: &str,
    trail_id: String,
    before: Value,
    after: Value,
) -> Result<()> {
    record_change(
        txn,
        Some(actor),
        action,
        kind,
        trail_id,
        Some(before),
        Some(after),
    )
    .await
}

/// Inserts `active`, filed as `f` says, and records it as `action`.
///
/// # Errors
/// Database failures.
pub async fn insert_filed<A, M, T, S>(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    action: &str,
    f: Filing<T, S>,
    active: A,
) -> Result<M>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    M: IntoActiveModel<A> + ModelTrait<Entity = A::Entity>,
    A::Entity: EntityTrait<Model = M>,
    T: Fn(&M) -> String,
    S: Fn(&M) -> Value,
{
    let m = active.insert(txn).await?;
    let after = Some((f.snapshot)(&m));
    record_change(
        txn,
        Some(actor),
        action,
        f.kind,
        (f.trail_id)(&m),
        None,
        after,
    )
    .await?;
    Ok(m)
}

/// Saves `active` (changed from `before`), filed as `f` says, and records what `action`
/// changed; nothing is recorded when nothing the trail shows changed.
///
/// # Errors
/// Database failures.
pub async fn save_filed<A, M, T, S>(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    action: &str,
    f: Filing<T, S>,
    before: &M,
    active: A,
) -> Result<M>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    M: IntoActiveModel<A> + ModelTrait<Entity = A::Entity>,
    A::Entity: EntityTrait<Model = M>,
    T: Fn(&M) -> String,
    S: Fn(&M) -> Value,
{
    saved_by(txn, Some(actor), action, f, before, active).await
}

/// As [`save_filed`], by `actor` or, when none, by no one (the trail's actor left empty).
async fn saved_by<A, M, T, S>(
    txn: &impl ConnectionTrait,
    actor: Option<&CurrentUser>,
    action: &str,
    f: Filing<T, S>,
    before: &M,
    active: A,
) -> Result<M>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    M: IntoActiveModel<A> + ModelTrait<Entity = A::Entity>,
    A::Entity: EntityTrait<Model = M>,
    T: Fn(&M) -> String,
    S: Fn(&M) -> Value,
{
    let after = active.update(txn).await?;
    let (was, now) = (Some((f.snapshot)(before)), Some((f.snapshot)(&after)));
    record_change(txn, actor, action, f.kind, (f.trail_id)(&after), was, now).await?;
    Ok(after)
}

async fn removed<A, M, T, S>(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    action: &str,
    f: Filing<T, S>,
    m: M,
) -> Result<()>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    M: IntoActiveModel<A> + ModelTrait<Entity = A::Entity>,
    A::Entity: EntityTrait<Model = M>,
    T: Fn(&M) -> String,
    S: Fn(&M) -> Value,
{
    let (id, was) = ((f.trail_id)(&m), Some((f.snapshot)(&m)));
    m.delete(txn).await?;
    record_change(txn, Some(actor), action, f.kind, id, was, None).await
}

/// Record `id` of kind `E`.
///
/// # Errors
/// `NotFound`.
pub async fn find<E>(db: &impl ConnectionTrait, id: i32) -> Result<E::Model>
where
    E: Audited,
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
    E: Audited,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<E::ActiveModel>,
{
    insert_as::<E>(txn, actor, "create", active).await
}

/// Inserts `active` and records it as `action` (a sign-off, a review).
///
/// # Errors
/// Database failures.
pub async fn insert_as<E>(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    action: &str,
    active: E::ActiveModel,
) -> Result<E::Model>
where
    E: Audited,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<E::ActiveModel>,
{
    insert_filed(txn, actor, action, own::<E>(), active).await
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
    E: Audited,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<E::ActiveModel>,
{
    saved_by(txn, Some(actor), action, own::<E>(), before, active).await
}

/// As [`save`], by `actor` or, when none, by no one: a change an application made with its
/// own key (an error group an SDK's event reopened), which the trail shows with no actor.
///
/// # Errors
/// Database failures.
pub async fn save_by<E>(
    txn: &impl ConnectionTrait,
    actor: Option<&CurrentUser>,
    action: &str,
    before: &E::Model,
    active: E::ActiveModel,
) -> Result<E::Model>
where
    E: Audited,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<E::ActiveModel>,
{
    saved_by(txn, actor, action, own::<E>(), before, active).await
}

/// Inserts `active`, or saves it when it was read as `before`, and records its creation or
/// what changed (a one-per-integration record such as the needs assessment).
///
/// # Errors
/// Database failures.
pub async fn upsert<E>(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    before: Option<&E::Model>,
    active: E::ActiveModel,
) -> Result<E::Model>
where
    E: Audited,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<E::ActiveModel>,
{
    match before {
        Some(b) => save::<E>(txn, actor, "update", b, active).await,
        None => insert::<E>(txn, actor, active).await,
    }
}

/// Deletes record `id` of kind `E`, which `action` allows, and records it in the trail: the
/// one audited delete by id every kind shares.
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
    E: Audited,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<E::ActiveModel>,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i32>,
{
    actor.may(action)?;
    let txn = begin(db).await?;
    let before = find::<E>(&txn, id).await?;
    remove::<E>(&txn, actor, before).await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes row `m`, already read in `txn`, and records its deletion.
///
/// # Errors
/// Database failures.
pub async fn remove<E>(txn: &impl ConnectionTrait, actor: &CurrentUser, m: E::Model) -> Result<()>
where
    E: Audited,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<E::ActiveModel>,
{
    remove_as::<E>(txn, actor, "delete", m).await
}

/// Deletes row `m`, already read in `txn`, and records it as `action` (a cleared review).
///
/// # Errors
/// Database failures.
pub async fn remove_as<E>(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    action: &str,
    m: E::Model,
) -> Result<()>
where
    E: Audited,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<E::ActiveModel>,
{
    removed(txn, actor, action, own::<E>(), m).await
}

/// Appends one row for a change `actor` made to `entity_kind` `entity_id`, in the caller's
/// transaction. The writes above are its only callers (it is private), so a change reaches the
/// trail as the row it changes is written. When both snapshots are given, only the changed
/// fields are kept, and nothing is recorded if nothing changed.
///
/// # Errors
/// Database failures.
async fn record_change(
    txn: &impl ConnectionTrait,
    actor: Option<&CurrentUser>,
    action: &str,
    entity_kind: &str,
    entity_id: String,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<()> {
    let (before, after) = match (before, after) {
        (Some(b), Some(a)) => match activity::diff(&b, &a) {
            Some((b, a)) => (Some(b), Some(a)),
            None => return Ok(()),
        },
        other => other,
    };
    activity::record(
        txn,
        NewActivity {
            actor_id: actor.map(|a| a.id),
            action,
            entity_kind,
            entity_id,
            before,
            after,
        },
    )
    .await
}
