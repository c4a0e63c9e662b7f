//! (ssr) The dashboard kept while nothing has changed (see [`crate::kept`]): computed once
//! per change for every reader, so a room of stakeholders reloading it while others write
//! does not recompute every gate and figure for each of them (the page rendered from it is
//! kept too: `shared_pages`). When something has changed, only what depends on it is
//! computed again (see [`crate::changes`]): the rows of the integrations that changed, and
//! their parts of the key figures; a change to one integration's priority costs one row and
//! one part, not the whole portfolio's figures.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait};

use super::figures::{Part, Totals, parts};
use super::model::{Dashboard, KeyFigures, PortfolioRow, StageCount};
use crate::changes::{Changes, Touched};
use crate::error::Result;
use crate::integrations::model::{Integration, IntegrationQuery};
use crate::kept::{Lookup, Shelf, Stamped, Weigh, stamp_at};

/// The kept dashboards of this process, by query.
pub type Cache = Stamped<IntegrationQuery, Dashboard>;

/// The kept dashboards on `shelf`.
pub fn dashboards(shelf: &Shelf) -> Cache {
    shelf.stamped()
}

/// A value's size as JSON, about what it holds in memory.
fn as_json(value: &impl serde::Serialize) -> usize {
    serde_json::to_vec(value).map_or(64 << 10, |v| v.len())
}

impl Weigh for Dashboard {
    fn weight(&self) -> usize {
        as_json(self)
    }
}

impl Weigh for PortfolioRow {
    fn weight(&self) -> usize {
        as_json(self)
    }
}

/// How often, in minutes, every integration's part of the key figures is computed again even
/// when the trail says nothing changed: a row written behind the trail's back (by hand, in the
/// database) shows within it.
pub const PARTS_AT_MOST_MINUTES: i64 = 10;

/// Every integration's part of the key figures, as of a trail row, and the day and minute
/// they were all computed at.
struct PartsAt {
    head: i32,
    day: chrono::NaiveDate,
    minute: i64,
    parts: HashMap<i32, Part>,
    totals: Totals,
}

/// The key figures and the table's rows of this process, kept up to date one integration at a
/// time. Cheap to clone; one per process, on the shelf.
#[derive(Clone, Default)]
pub struct Portfolio {
    parts: Arc<tokio::sync::Mutex<Option<PartsAt>>>,
    rows: Stamped<i32, PortfolioRow>,
    /// How many integrations' parts, and rows, were computed.
    parts_made: Arc<AtomicU64>,
    rows_made: Arc<AtomicU64>,
}

impl Portfolio {
    /// How many integrations' parts of the figures, and rows of the table, this process has
    /// computed: what a change costs.
    pub fn made(&self) -> (u64, u64) {
        (
            self.parts_made.load(Ordering::Relaxed),
            self.rows_made.load(Ordering::Relaxed),
        )
    }

    /// The key figures and the pipeline as of trail row `head` and `now`: the parts of the
    /// integrations that changed since they were last computed are computed again; all of them
    /// the first time, when something filed under no integration changed, when the day turns
    /// (what is late is read against the day), and every [`PARTS_AT_MOST_MINUTES`]. Every part
    /// changes only with rows that leave a trail row (incidents the monitor opens too), so
    /// recomputing all 10,000 of a large portfolio each minute would only cost the readers'
    /// time.
    ///
    /// # Errors
    /// Database failures.
    pub async fn figures_and_pipeline(
        &self,
        db: &impl ConnectionTrait,
        changes: &Changes,
        head: i32,
        now: DateTime<Utc>,
    ) -> Result<(KeyFigures, Vec<StageCount>)> {
        let (today, minute) = (now.date_naive(), stamp_at(head, now).1);
        let mut kept = self.parts.lock().await;
        let touched = match kept.as_ref() {
            Some(k)
                if k.day == today
                    && (k.minute..k.minute + PARTS_AT_MOST_MINUTES).contains(&minute) =>
            {
                changes.since(db, head, k.head).await?
            }
            _ => Touched::All,
        };
        match (touched, kept.as_mut()) {
            (Touched::Some(ids), Some(k)) => {
                if !ids.is_empty() {
                    let ids: Vec<i32> = ids.into_iter().collect();
                    let fresh = parts(db, Some(&ids), today).await?;
                    for id in &ids {
                        if let Some(old) = k.parts.remove(id) {
                            k.totals.remove(&old);
                        }
                    }
                    for part in fresh.values() {
                        k.totals.add(part);
                    }
                    k.parts.extend(fresh);
                    self.parts_made
                        .fetch_add(ids.len() as u64, Ordering::Relaxed);
                }
                k.head = k.head.max(head);
                Ok((k.totals.figures(), k.totals.pipeline()))
            }
            _ => {
                let parts = parts(db, None, today).await?;
                self.parts_made
                    .fetch_add(parts.len() as u64, Ordering::Relaxed);
                let totals: Totals = parts.values().collect();
                let made = (totals.figures(), totals.pipeline());
                *kept = Some(PartsAt {
                    head,
                    day: today,
                    minute,
                    parts,
                    totals,
                });
                Ok(made)
            }
        }
    }

    /// The table's rows for `page` as of trail row `head` and `now`: each integration's row is
    /// kept at its version (`Changes::version`) and the minute (health and uptime change with
    /// probe results, which leave no trail row), and only those not kept are computed.
    ///
    /// # Errors
    /// Database failures.
    pub async fn rows(
        &self,
        db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
        changes: &Changes,
        head: i32,
        page: &[Integration],
        now: DateTime<Utc>,
        ctx: &crate::gate::GateContext,
    ) -> Result<Vec<PortfolioRow>> {
        let mut rows: HashMap<i32, PortfolioRow> = HashMap::new();
        let mut makers = Vec::new();
        let mut missing = Vec::new();
        for i in page {
            let stamp = stamp_at(changes.version(db, head, i.id).await?, now);
            match self.rows.lookup_now(stamp, &i.id) {
                Lookup::Fresh(row) | Lookup::Stale(row) => {
                    rows.insert(i.id, row);
                }
                Lookup::Miss(maker) => {
                    makers.push((maker, stamp));
                    missing.push(i.clone());
                }
            }
        }
        let made = super::service::rows(db, &missing, now, ctx).await?;
        self.rows_made
            .fetch_add(made.len() as u64, Ordering::Relaxed);
        for ((maker, stamp), row) in makers.into_iter().zip(made) {
            rows.insert(row.integration.id, row.clone());
            maker.keep(stamp, row);
        }
        Ok(page.iter().filter_map(|i| rows.remove(&i.id)).collect())
    }
}

/// The dashboard for `query` as of `now`: the kept one (on `shelf`) while the trail's head and
/// the minute are those it was computed at, or while another request computes the new one;
/// else assembled afresh from the kept rows and figures ([`Portfolio`]).
///
/// # Errors
/// Database failures.
pub async fn dashboard(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
    shelf: &Shelf,
    query: &IntegrationQuery,
    now: DateTime<Utc>,
    ctx: &crate::gate::GateContext,
) -> Result<Dashboard> {
    let query = query.without_control();
    let stamp = stamp_at(crate::activity::service::head(db).await?, now);
    let maker = match dashboards(shelf).lookup(stamp, &query).await {
        Lookup::Fresh(d) | Lookup::Stale(d) => return Ok(d),
        Lookup::Miss(maker) => maker,
    };
    let (head, _) = stamp;
    let portfolio = shelf.held::<Portfolio>();
    let changes = shelf.held::<Changes>();
    let started = std::time::Instant::now();
    let list = crate::integrations::service::list(db, &query).await?;
    let listed = started.elapsed();
    let rows = portfolio
        .rows(db, &changes, head, &list.items, now, ctx)
        .await?;
    let rowed = started.elapsed();
    let (figures, pipeline) = portfolio
        .figures_and_pipeline(db, &changes, head, now)
        .await?;
    let figured = started.elapsed();
    let d = super::service::assemble(db, &query, now, list, rows, figures, pipeline).await?;
    tracing::debug!(
        head,
        list_us = listed.as_micros(),
        rows_us = (rowed - listed).as_micros(),
        figures_us = (figured - rowed).as_micros(),
        rest_us = (started.elapsed() - figured).as_micros(),
        "dashboard made"
    );
    maker.keep(stamp, d.clone());
    Ok(d)
}
