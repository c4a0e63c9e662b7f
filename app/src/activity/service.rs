//! (ssr) Appending to and verifying the hash-chained activity trail.
//!
//! Rules kept here and nowhere else:
//! - rows are only ever inserted;
//! - each row's hash is SHA-256 over its own content and the previous row's hash, so altering,
//!   deleting or reordering a row breaks the chain from that row on;
//! - appends are serialised by [`begin`], which updates the single `activity_head` row first,
//!   so two writers never both read the same chain head.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ActiveValue::Set, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement, TransactionTrait, prelude::*,
};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::model::{ActivityEntry, ActivityQuery, ActivityView, FieldChange};
use crate::entities::{activity, integrations, users};
use crate::error::{AppError, Result};

/// The kind of the integration's own rows; every other kind of record that belongs to an
/// integration is filed under it by id (see [`child_id`]).
pub const INTEGRATION_KIND: &str = "integration";

/// The integration a trail row is filed under, from its kind and id: `7` of the integration
/// kind, or `7/...` of any kind; `None` for a row filed under no integration.
pub fn integration_of(kind: &str, entity_id: &str) -> Option<i32> {
    let id = match entity_id.split_once('/') {
        Some((head, _)) => head,
        None if kind == INTEGRATION_KIND => entity_id,
        None => return None,
    };
    // Digits only, nine at most: as the migration that filed the rows before it read them.
    let digits = (1..=9).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| id.parse().ok()).flatten()
}

/// The previous hash of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a write records about itself.
#[derive(Debug, Clone)]
pub struct NewActivity<'a> {
    pub actor_id: Option<i32>,
    pub action: &'a str,
    pub entity_kind: &'a str,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Begins a transaction for an audited write and takes the trail's append lock as its first
/// statement. On SQLite this makes the transaction a writer from the start (no read-to-write
/// upgrade that could fail with SQLITE_BUSY); on PostgreSQL the row lock queues other appenders.
///
/// # Errors
/// Database failures.
pub async fn begin<C: TransactionTrait>(db: &C) -> Result<C::Transaction> {
    let txn = db.begin().await?;
    let backend = txn.get_database_backend();
    txn.execute_raw(Statement::from_string(
        backend,
        "UPDATE activity_head SET appends = appends + 1 WHERE id = 1",
    ))
    .await?;
    Ok(txn)
}

/// The fields whose values differ between `before` and `after` (both JSON objects), as a pair
/// of objects holding only those fields. `None` when nothing changed.
pub fn diff(before: &Value, after: &Value) -> Option<(Value, Value)> {
    let (Some(b), Some(a)) = (before.as_object(), after.as_object()) else {
        return Some((before.clone(), after.clone()));
    };
    let mut changed_before = Map::new();
    let mut changed_after = Map::new();
    for (key, new) in a {
        let old = b.get(key).unwrap_or(&Value::Null);
        if old != new {
            changed_before.insert(key.clone(), old.clone());
            changed_after.insert(key.clone(), new.clone());
        }
    }
    if changed_after.is_empty() {
        None
    } else {
        Some((Value::Object(changed_before), Value::Object(changed_after)))
    }
}

/// The hash of a row: SHA-256 over a JSON array of its content and the previous hash. JSON
/// encoding keeps field boundaries unambiguous.
pub fn row_hash(row: &activity::Model) -> String {
    let content = serde_json::json!([
        row.actor_id,
        row.action,
        row.entity_kind,
        row.entity_id,
        timestamp(&row.at),
        row.before,
        row.after,
        row.prev_hash,
    ]);
    hex::encode(Sha256::digest(content.to_string().as_bytes()))
}

fn timestamp(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// Appends one row. Call inside a transaction from [`begin`].
///
/// # Errors
/// Database failures.
pub async fn record(txn: &impl ConnectionTrait, entry: NewActivity<'_>) -> Result<()> {
    let prev_hash = activity::Entity::find()
        .order_by_desc(activity::Column::Id)
        .limit(1)
        .one(txn)
        .await?
        .map_or_else(|| GENESIS.to_string(), |row| row.hash);
    // Both backends keep microseconds; truncating first means the stored time hashes the same
    // when read back.
    let at = Utc::now().trunc_subsecs(6);
    let mut row = activity::Model {
        id: 0,
        actor_id: entry.actor_id,
        action: entry.action.to_string(),
        entity_kind: entry.entity_kind.to_string(),
        entity_id: entry.entity_id,
        at,
        before: entry.before.map(|v| v.to_string()),
        after: entry.after.map(|v| v.to_string()),
        prev_hash,
        hash: String::new(),
        integration_id: None,
    };
    row.hash = row_hash(&row);
    row.integration_id = integration_of(&row.entity_kind, &row.entity_id);
    activity::ActiveModel {
        actor_id: Set(row.actor_id),
        action: Set(row.action),
        entity_kind: Set(row.entity_kind),
        entity_id: Set(row.entity_id),
        at: Set(row.at),
        before: Set(row.before),
        after: Set(row.after),
        prev_hash: Set(row.prev_hash),
        hash: Set(row.hash),
        integration_id: Set(row.integration_id),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The trail id of a record that belongs to an integration: `<integration id>/<record id>`, so
/// that the integration's history can include it (see [`history`]).
pub fn child_id(integration_id: i32, record_id: i32) -> String {
    format!("{integration_id}/{record_id}")
}

/// The outcome of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainStatus {
    /// Every row checked out.
    Intact { rows: u64 },
    /// The first row whose content or link does not match.
    Broken { row_id: i32, reason: String },
}

/// Walks the whole chain in id order, a page at a time.
///
/// # Errors
/// Database failures.
pub async fn verify(db: &impl ConnectionTrait) -> Result<ChainStatus> {
    let mut expected_prev = GENESIS.to_string();
    let mut last_id = 0;
    let mut rows = 0u64;
    loop {
        let page = activity::Entity::find()
            .filter(activity::Column::Id.gt(last_id))
            .order_by_asc(activity::Column::Id)
            .limit(500)
            .all(db)
            .await?;
        if page.is_empty() {
            return Ok(ChainStatus::Intact { rows });
        }
        for row in page {
            if row.prev_hash != expected_prev {
                // A broken link after a gap in the ids: the rows of the gap were deleted.
                // (A gap alone proves nothing: PostgreSQL skips ids of rolled-back inserts.)
                if row.id > last_id + 1 {
                    return Ok(ChainStatus::Broken {
                        row_id: last_id + 1,
                        reason: format!(
                            "rows {} to {} are missing: the row after them does not link to the row before them",
                            last_id + 1,
                            row.id - 1
                        ),
                    });
                }
                return Ok(ChainStatus::Broken {
                    row_id: row.id,
                    reason: "its previous-hash link does not match the row before it".into(),
                });
            }
            if row_hash(&row) != row.hash {
                return Ok(ChainStatus::Broken {
                    row_id: row.id,
                    reason: "its content does not match its hash".into(),
                });
            }
            if row.integration_id != integration_of(&row.entity_kind, &row.entity_id) {
                return Ok(ChainStatus::Broken {
                    row_id: row.id,
                    reason: "the integration it is filed under is not the one its id names".into(),
                });
            }
            expected_prev = row.hash;
            last_id = row.id;
            rows += 1;
        }
    }
}

fn changes(before: Option<&str>, after: Option<&str>) -> Vec<FieldChange> {
    let parse = |s: Option<&str>| -> Map<String, Value> {
        s.and_then(|s| serde_json::from_str::<Value>(s).ok())
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default()
    };
    let (b, a) = (parse(before), parse(after));
    let mut fields: Vec<&String> = a.keys().chain(b.keys()).collect();
    fields.sort();
    fields.dedup();
    let show = |v: Option<&Value>| match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    };
    fields
        .into_iter()
        .map(|f| FieldChange {
            field: f.clone(),
            before: show(b.get(f)),
            after: show(a.get(f)),
        })
        .collect()
}

/// How many entries of its history an integration's page shows; the rest are counted and
/// reached through the paginated history.
pub const HISTORY_SHOWN: u64 = 10;

/// An integration's newest `limit` history entries, newest first: its own rows and those of
/// the records that belong to it (see [`child_id`]), by the index on what each row is filed
/// under.
///
/// # Errors
/// Database failures.
pub async fn history(
    db: &impl ConnectionTrait,
    integration_id: i32,
    limit: u64,
) -> Result<Vec<ActivityEntry>> {
    let rows = activity::Entity::find()
        .filter(activity::Column::IntegrationId.eq(integration_id))
        .order_by_desc(activity::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    entries(db, rows).await
}

/// How many history entries an integration has.
///
/// # Errors
/// Database failures.
pub async fn history_count(db: &impl ConnectionTrait, integration_id: i32) -> Result<u64> {
    Ok(activity::Entity::find()
        .filter(activity::Column::IntegrationId.eq(integration_id))
        .count(db)
        .await?)
}

/// Trail rows as entries, with their actors' names.
async fn entries(
    db: &impl ConnectionTrait,
    rows: Vec<activity::Model>,
) -> Result<Vec<ActivityEntry>> {
    let actor_ids: Vec<i32> = rows.iter().filter_map(|r| r.actor_id).collect();
    let actors = users::Entity::find()
        .filter(users::Column::Id.is_in(actor_ids))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| ActivityEntry {
            id: r.id,
            actor: r
                .actor_id
                .and_then(|id| actors.iter().find(|u| u.id == id).map(|u| u.name.clone())),
            kind: r.entity_kind.clone(),
            entity_id: r.entity_id.clone(),
            action: r.action.clone(),
            at: r.at,
            changes: changes(r.before.as_deref(), r.after.as_deref()),
        })
        .collect())
}

/// The id of the trail's newest row (0 for an empty trail): it moves with every change to any
/// record, so it versions the whole database's records.
///
/// # Errors
/// Database failures.
pub async fn head(db: &impl ConnectionTrait) -> Result<i32> {
    Ok(head_query().into_tuple::<i32>().one(db).await?.unwrap_or(0))
}

/// The query [`head`] runs (no row for an empty trail), for a statement that reads the head
/// with other things.
pub fn head_query() -> Select<activity::Entity> {
    activity::Entity::find()
        .select_only()
        .column(activity::Column::Id)
        .order_by_desc(activity::Column::Id)
        .limit(1)
}

/// The newest `limit` entries of the whole trail, newest first (the dashboard's recent
/// activity): no count, so it costs the same however long the trail is.
///
/// # Errors
/// Database failures.
pub async fn recent(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<ActivityEntry>> {
    let rows = activity::Entity::find()
        .order_by_desc(activity::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    entries(db, rows).await
}

/// Rows per page of the trail.
pub const PER_PAGE: u64 = 50;

/// Record kinds whose entries only admins read: accounts (emails, roles) and API tokens.
pub const ADMIN_ONLY_KINDS: &[&str] = &["user", "api_token"];

/// One page of the trail as `viewer` may read it, newest first, filtered by record kind,
/// record id, or integration (an integration's own entries and those of the records that
/// belong to it). Only admins read the entries of [`ADMIN_ONLY_KINDS`].
///
/// # Errors
/// `Forbidden` when someone other than an admin asks for an admin-only kind; `Validation` for
/// an unknown integration or a bad page number.
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &crate::auth::model::CurrentUser,
    query: &ActivityQuery,
) -> Result<ActivityView> {
    let admin = viewer.can(crate::auth::access::Action::Administer);
    for (field, value) in [
        ("kind", &query.kind),
        ("entity_id", &query.entity_id),
        ("integration", &query.integration),
    ] {
        if value.as_deref().is_some_and(crate::validate::has_control) {
            return Err(AppError::field(field, crate::validate::CONTROL_MESSAGE));
        }
    }
    let mut wanted = Condition::all();
    if let Some(kind) = query.kind.as_deref().filter(|k| !k.is_empty()) {
        if !admin && ADMIN_ONLY_KINDS.contains(&kind) {
            return Err(AppError::Forbidden);
        }
        wanted = wanted.add(activity::Column::EntityKind.eq(kind));
    }
    if !admin {
        wanted =
            wanted.add(activity::Column::EntityKind.is_not_in(ADMIN_ONLY_KINDS.iter().copied()));
    }
    if let Some(id) = query.entity_id.as_deref().filter(|k| !k.is_empty()) {
        wanted = wanted.add(activity::Column::EntityId.eq(id));
    }
    if let Some(slug) = query.integration.as_deref().filter(|k| !k.is_empty()) {
        let Some(i) = integrations::Entity::find()
            .filter(integrations::Column::Slug.eq(slug))
            .one(db)
            .await?
        else {
            return Err(AppError::field(
                "integration",
                "No integration has this slug.",
            ));
        };
        wanted = wanted.add(activity::Column::IntegrationId.eq(i.id));
    }
    let page = crate::paging::page_number(query.page.as_deref())?;
    let select = activity::Entity::find()
        .filter(wanted)
        .order_by_desc(activity::Column::Id);
    let found = crate::paging::fetch(db, select, PER_PAGE, page).await?;
    Ok(ActivityView {
        items: entries(db, found.items).await?,
        total: found.total,
        page: found.page,
        pages: found.pages,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_keeps_only_changed_fields() {
        let (b, a) =
            diff(&json!({"name": "A", "x": 1}), &json!({"name": "B", "x": 1})).unwrap_or_default();
        assert_eq!(b, json!({"name": "A"}));
        assert_eq!(a, json!({"name": "B"}));
    }

    #[test]
    fn a_row_is_filed_under_the_integration_its_id_begins_with() {
        assert_eq!(integration_of("integration", "7"), Some(7));
        assert_eq!(integration_of("milestone", "7/12"), Some(7));
        assert_eq!(integration_of("data_mapping", "7/mapping"), Some(7));
        assert_eq!(integration_of("user", "7"), None);
        assert_eq!(integration_of("saved_view", "3"), None);
        assert_eq!(integration_of("integration", "x"), None);
        assert_eq!(integration_of("milestone", "1234567890/1"), None);
        assert_eq!(integration_of("integration", "+7"), None);
        assert_eq!(integration_of("milestone", "/1"), None);
    }

    #[test]
    fn diff_of_identical_objects_is_none() {
        assert!(diff(&json!({"a": 1}), &json!({"a": 1})).is_none());
    }

    #[test]
    fn changing_any_field_changes_the_hash() {
        let row = activity::Model {
            id: 1,
            actor_id: Some(1),
            action: "create".into(),
            entity_kind: "integration".into(),
            entity_id: "1".into(),
            at: Utc::now(),
            before: None,
            after: Some("{}".into()),
            prev_hash: GENESIS.into(),
            hash: String::new(),
            integration_id: Some(1),
        };
        let original = row_hash(&row);
        let mut altered = row.clone();
        altered.action = "delete".into();
        assert_ne!(original, row_hash(&altered));
        altered = row.clone();
        altered.prev_hash = "1".repeat(64);
        assert_ne!(original, row_hash(&altered));
    }
}
