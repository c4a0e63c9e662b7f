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
//!
//! The trail's head itself is read at most every [`HEAD_FOR`] ([`Changes::head`]): a kept
//! page answers without a statement while it has not moved (on PostgreSQL a round trip costs
//! as much as serving the page, on SQLite a hand-over to a connection's thread). A write this
//! process answers reads the head again before its response goes ([`Changes::wrote`]), so
//! whoever changed something sees it on their next load; a change made through another
//! process (a replica, the command line) is seen within [`HEAD_FOR`].

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex as StdMutex, PoisonError};
use std::time::{Duration, Instant};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tokio::sync::Mutex;

use crate::entities::activity;
use crate::error::Result;

/// The most trail rows read at once.
pub const READ_AT_MOST: u64 = 2_000;

/// How long the trail's head read by one request serves the next ones.
pub const HEAD_FOR: Duration = Duration::from_millis(100);

/// How long one request may take to read the head before the next one reads it instead.
const READING_FOR: Duration = Duration::from_secs(1);

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

/// The trail's head as last read, and when.
#[derive(Default)]
struct HeadAt {
    head: i32,
    at: Option<Instant>,
    /// Since when a request has been reading it again.
    reading: Option<Instant>,
}

#[derive(Default)]
struct Inner {
    seen: Mutex<Seen>,
    head: StdMutex<HeadAt>,
}

/// What this process has read of the trail. Cheap to clone; one per process, on the
/// application state's shelf (`kept::Shelf::held`).
#[derive(Clone, Default)]
pub struct Changes(Arc<Inner>);

impl Changes {
    /// The trail's head: as read by an earlier request less than [`HEAD_FOR`] ago, or while
    /// another request reads it again; else read now.
    ///
    /// # Errors
    /// Database failures.
    pub async fn head(&self, db: &impl ConnectionTrait) -> Result<i32> {
        {
            let mut at = self.0.head.lock().unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            let recent = at.at.is_some_and(|t| now.duration_since(t) < HEAD_FOR);
            let being_read = at
                .reading
                .is_some_and(|t| now.duration_since(t) < READING_FOR);
            if recent || (being_read && at.at.is_some()) {
                return Ok(at.head);
            }
            at.reading = Some(now);
        }
        self.read_head(db).await
    }

    /// Reads the head now, and keeps it for the requests to come.
    async fn read_head(&self, db: &impl ConnectionTrait) -> Result<i32> {
        let read = crate::activity::service::head(db).await;
        let mut at = self.0.head.lock().unwrap_or_else(PoisonError::into_inner);
        at.reading = None;
        let head = read?;
        Ok(self.saw_locked(&mut at, head))
    }

    /// A head read with other things (a reader's statement): kept for the requests to come,
    /// unless a newer one is.
    pub fn saw(&self, head: i32) -> i32 {
        let mut at = self.0.head.lock().unwrap_or_else(PoisonError::into_inner);
        self.saw_locked(&mut at, head)
    }

    fn saw_locked(&self, at: &mut HeadAt, head: i32) -> i32 {
        at.head = at.head.max(head);
        at.at = Some(Instant::now());
        at.head
    }

    /// After a write this process answered (before its response goes): reads the head again,
    /// so the writer, and everyone, sees the change on their next load.
    ///
    /// # Errors
    /// Database failures.
    pub async fn wrote(&self, db: &impl ConnectionTrait) -> Result<i32> {
        self.read_head(db).await
    }

    /// The trail row of the last change filed under no integration up to `head` (an account,
    /// a session ended, a role, a token, a saved view): what is kept about readers holds
    /// while it has not moved.
    ///
    /// # Errors
    /// Database failures.
    pub async fn everything(&self, db: &impl ConnectionTrait, head: i32) -> Result<i32> {
        Ok(self.read_to(db, head).await?.everything)
    }

    /// Reads the trail up to `head` (the trail's head as the caller read it), unless read.
    async fn read_to(
        &self,
        db: &impl ConnectionTrait,
        head: i32,
    ) -> Result<tokio::sync::MutexGuard<'_, Seen>> {
        let mut seen = self.0.seen.lock().await;
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
