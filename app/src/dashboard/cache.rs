//! (ssr) The dashboard, kept while nothing has changed, so a room of stakeholders reloading it
//! does not recompute every gate and figure. An entry is keyed by the activity trail's head
//! (every change to a record leaves a trail row in the change's own transaction) and the
//! minute (what changes without a trail row: probe results, and the clock that due dates
//! are read against). The head is read before the figures, so a change committed meanwhile
//! moves the head and the next request computes afresh. Each process keeps its own, which
//! is correct for replicas too: the head is the shared database's.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait};

use super::model::Dashboard;
use crate::error::Result;
use crate::integrations::model::IntegrationQuery;

/// How many pages (queries) one stamp keeps.
const PAGES: usize = 64;

#[derive(Default)]
struct Kept {
    /// (trail head, minute) the pages were computed at.
    stamp: Option<(i32, i64)>,
    pages: HashMap<IntegrationQuery, Dashboard>,
}

/// The kept dashboards of this process. Cheap to clone.
#[derive(Clone, Default)]
pub struct Cache(Arc<Mutex<Kept>>);

impl Cache {
    fn get(&self, stamp: (i32, i64), query: &IntegrationQuery) -> Option<Dashboard> {
        let kept = self.0.lock().ok()?;
        (kept.stamp == Some(stamp))
            .then(|| kept.pages.get(query).cloned())
            .flatten()
    }

    fn put(&self, stamp: (i32, i64), query: IntegrationQuery, dashboard: Dashboard) {
        // A poisoned lock only loses the cache; the request is already answered.
        let Ok(mut kept) = self.0.lock() else { return };
        if kept.stamp != Some(stamp) {
            kept.stamp = Some(stamp);
            kept.pages.clear();
        }
        if kept.pages.len() < PAGES {
            kept.pages.insert(query, dashboard);
        }
    }

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
        let stamp = (
            crate::activity::service::head(db).await?,
            now.timestamp().div_euclid(60),
        );
        if let Some(d) = self.get(stamp, &query) {
            return Ok(d);
        }
        let d = super::service::dashboard(db, &query, now).await?;
        self.put(stamp, query, d.clone());
        Ok(d)
    }
}
