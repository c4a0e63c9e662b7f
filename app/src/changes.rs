//! (ssr) Which integrations changed, and when, read from the activity trail: every change to a
//! record leaves a trail row in the change's own transaction, filed under the integration it
//! belongs to (`activity::service::integration_of`), and trail rows are appended in commit
//! order (`activity::service::begin`). A change filed under no integration
//! (an account, a token, a saved view) counts as a change to every integration.
//!
//! A value that depends on one integration's records (its page, its row on the dashboard, its
//! part of the portfolio's figures) is kept at that integration's [`Changes::version`], so a
//! change to another integration leaves it kept. Each process reads the trail from where it
//! last read it, at most [`READ_AT_MOST`] rows at a time: further behind, everything counts
//! as changed. Correct for replicas too: the trail is the shared database's.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tokio::sync::Mutex;

use crate::entities::activity;
use crate::error::Result;

/// The most trail rows read at once.
pub const READ_AT_MOST: u64 = 2_000;

/// The integrations that changed after a point of the trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Touched {
    /// Something filed under no integration changed, or too much to read: take every
    /// integration as changed.
    All,
    /// These integrations changed (none, when the set is empty).
    Some(HashSet<i32>),
}

#[derive(Default)]
struct Seen {
    /// The trail row read last; 0 before the first read.
    head: i32,
    /// The last row filed under no integration (or where reading began).
    everything: i32,
    /// Each integration's last row.
    integrations: HashMap<i32, i32>,
}

/// What this process has read of the trail. Cheap to clone; one per process, on the
/// application state's shelf (`kept::Shelf::held`).
#[derive(Clone, Default)]
pub struct Changes(Arc<Mutex<Seen>>);

impl Changes {
    /// Reads the trail up to `head` (the trail's head as the caller read it), unless read.
    async fn read_to(
        &self,
        db: &impl ConnectionTrait,
        head: i32,
    ) -> Result<tokio::sync::MutexGuard<'_, Seen>> {
        let mut seen = self.0.lock().await;
        if seen.head == 0 {
            // Nothing read yet: all that came before counts as one change to everything.
            seen.head = head;
            seen.everything = head;
        }
        if seen.head >= head {
            return Ok(seen);
        }
        let rows: Vec<(i32, Option<i32>)> = activity::Entity::find()
            .select_only()
            .columns([activity::Column::Id, activity::Column::IntegrationId])
            .filter(activity::Column::Id.gt(seen.head))
            .filter(activity::Column::Id.lte(head))
            .order_by_asc(activity::Column::Id)
            .limit(READ_AT_MOST)
            .into_tuple()
            .all(db)
            .await?;
        if rows.len() as u64 >= READ_AT_MOST {
            seen.everything = head;
        } else {
            for (id, integration) in rows {
                match integration {
                    Some(integration) => {
                        seen.integrations.insert(integration, id);
                    }
                    None => seen.everything = id,
                }
            }
        }
        seen.head = head;
        Ok(seen)
    }

    /// The trail row of `integration`'s last change up to `head`: it moves when the
    /// integration or any record of it changes, or anything filed under no integration.
    ///
    /// # Errors
    /// Database failures.
    pub async fn version(
        &self,
        db: &impl ConnectionTrait,
        head: i32,
        integration: i32,
    ) -> Result<i32> {
        let seen = self.read_to(db, head).await?;
        let own = seen.integrations.get(&integration).copied().unwrap_or(0);
        Ok(own.max(seen.everything))
    }

    /// The integrations that changed after trail row `after`, up to `head`.
    ///
    /// # Errors
    /// Database failures.
    pub async fn since(&self, db: &impl ConnectionTrait, head: i32, after: i32) -> Result<Touched> {
        let seen = self.read_to(db, head).await?;
        if seen.everything > after {
            return Ok(Touched::All);
        }
        Ok(Touched::Some(
            seen.integrations
                .iter()
                .filter(|(_, at)| **at > after)
                .map(|(id, _)| *id)
                .collect(),
        ))
    }
}
