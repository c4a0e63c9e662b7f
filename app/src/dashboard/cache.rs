//! (ssr) The dashboard, and the page rendered from it, kept while nothing has changed, so a
//! room of stakeholders reloading it neither recomputes every gate and figure nor renders the
//! page again. An entry is stamped with the activity trail's head (every change to a record
//! leaves a trail row in the change's own transaction) and the minute (what changes without a
//! trail row: probe results, and the clock that due dates are read against). The stamp is
//! read before the work, so a change committed meanwhile moves the head and the next request
//! works afresh. Each process keeps its own, which is correct for replicas too: the head is
//! the shared database's.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait};

use super::model::Dashboard;
use crate::auth::model::Role;
use crate::error::Result;
use crate::integrations::model::IntegrationQuery;

/// How many entries one stamp keeps.
const ENTRIES: usize = 64;

/// (trail head, minute): what an entry was made at.
pub type Stamp = (i32, i64);

/// The stamp as of `now`.
///
/// # Errors
/// Database failures.
pub async fn stamp(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Stamp> {
    Ok((
        crate::activity::service::head(db).await?,
        now.timestamp().div_euclid(60),
    ))
}

struct Kept<K, V> {
    stamp: Option<Stamp>,
    entries: HashMap<K, V>,
}

/// Values of one stamp, by key; a new stamp drops them all. Cheap to clone.
pub struct Stamped<K, V>(Arc<Mutex<Kept<K, V>>>);

impl<K, V> Clone for Stamped<K, V> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<K, V> Default for Stamped<K, V> {
    fn default() -> Self {
        Self(Arc::new(Mutex::new(Kept {
            stamp: None,
            entries: HashMap::new(),
        })))
    }
}

impl<K: Hash + Eq, V: Clone> Stamped<K, V> {
    /// The value kept for `key` at `stamp`.
    pub fn get(&self, stamp: Stamp, key: &K) -> Option<V> {
        let kept = self.0.lock().ok()?;
        (kept.stamp == Some(stamp))
            .then(|| kept.entries.get(key).cloned())
            .flatten()
    }

    /// Keeps `value` for `key` at `stamp` (up to [`ENTRIES`] per stamp).
    pub fn put(&self, stamp: Stamp, key: K, value: V) {
        // A poisoned lock only loses the cache; the request is already answered.
        let Ok(mut kept) = self.0.lock() else { return };
        if kept.stamp != Some(stamp) {
            kept.stamp = Some(stamp);
            kept.entries.clear();
        }
        if kept.entries.len() < ENTRIES {
            kept.entries.insert(key, value);
        }
    }
}

/// The kept dashboards of this process, by query.
pub type Cache = Stamped<IntegrationQuery, Dashboard>;

impl Cache {
    /// The dashboard for `query` as of `now`: the kept one while the trail's head and the
    /// minute are those it was computed at, else [`super::service::dashboard`] afresh.
    ///
    /// # Errors
    /// Database failures.
    pub async fn dashboard(
        &self,
        db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
        query: &IntegrationQuery,
        now: DateTime<Utc>,
    ) -> Result<Dashboard> {
        let query = query.without_control();
        let stamp = stamp(db, now).await?;
        if let Some(d) = self.get(stamp, &query) {
            return Ok(d);
        }
        let d = super::service::dashboard(db, &query, now).await?;
        self.put(stamp, query, d.clone());
        Ok(d)
    }
}

/// Everything the rendered dashboard page depends on besides the stamp: who reads it (the
/// navigation shows their name, their role's links and their unread count) and the URL's
/// query.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub user_id: i32,
    pub name: String,
    pub role: Role,
    pub unread: u64,
    pub query: String,
}

/// A rendered page: its headers and body.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    pub headers: http::HeaderMap,
    pub body: axum::body::Bytes,
}

/// The kept dashboard pages of this process.
pub type Pages = Stamped<PageKey, RenderedPage>;
