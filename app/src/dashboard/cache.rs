//! (ssr) The dashboard kept while nothing has changed (see [`crate::kept`]): computed once
//! per change for every reader, so a room of stakeholders reloading it while others write
//! does not recompute every gate and figure for each of them (the page rendered from it is
//! kept too: `shared_pages`).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait};

use super::model::Dashboard;
use crate::error::Result;
use crate::integrations::model::IntegrationQuery;
use crate::kept::{Lookup, Shelf, Stamp, Stamped, Weigh, stamp_at};

/// The stamp as of `now`.
///
/// # Errors
/// Database failures.
pub async fn stamp(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Stamp> {
    Ok(stamp_at(crate::activity::service::head(db).await?, now))
}

/// The kept dashboards of this process, by query.
pub type Cache = Stamped<IntegrationQuery, Dashboard>;

/// The kept dashboards on `shelf`.
pub fn dashboards(shelf: &Shelf) -> Cache {
    shelf.stamped()
}

impl Weigh for Dashboard {
    /// Its size as JSON, about what it holds in memory.
    fn weight(&self) -> usize {
        serde_json::to_vec(self).map_or(64 << 10, |v| v.len())
    }
}

impl Cache {
    /// The dashboard for `query` as of `now`: the kept one while the trail's head and the
    /// minute are those it was computed at, or while another request computes the new one;
    /// else [`super::service::dashboard`] afresh.
    ///
    /// # Errors
    /// Database failures.
    pub async fn dashboard(
        &self,
        db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
        query: &IntegrationQuery,
        now: DateTime<Utc>,
        ctx: &crate::gate::GateContext,
    ) -> Result<Dashboard> {
        let query = query.without_control();
        let stamp = stamp(db, now).await?;
        let maker = match self.lookup(stamp, &query) {
            Lookup::Fresh(d) | Lookup::Stale(d) => return Ok(d),
            Lookup::Miss(maker) => maker,
        };
        let d = super::service::dashboard(db, &query, now, ctx).await?;
        maker.keep(stamp, d.clone());
        Ok(d)
    }
}
