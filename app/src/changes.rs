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
//!
//! One request at a time reads the trail's new rows. A kept page does not wait for it: it is
//! served as the trail was read so far ([`Changes::everything_now`], [`Changes::version_now`]),
//! one read behind at most, while what is computed to be kept waits for the read
//! ([`Changes::version`], [`Changes::since`]), and so does a write's [`Changes::wrote`], so
//! the writer's next load is served what they wrote.

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

impl Seen {
    fn version(&self, integration: i32) -> i32 {
        let own = self.integrations.get(&integration).copied().unwrap_or(0);
        own.max(self.everything)
    }
}

/// The trail's head as last read, and when.
#[derive(Default)]
struct HeadAt {
    head: i32,
    at: Option<Instant>,
    /// Since when a request has been reading it again.
    reading: Option<Instant>,
}

impl HeadAt {
    /// Keeps `head`, unless a newer one is kept, as read now.
    fn saw(&mut self, head: i32) -> i32 {
        self.head = self.head.max(head);
        self.at = Some(Instant::now());
        self.head
    }
}

#[derive(Default)]
struct Inner {
    /// Held by the one request reading the trail's new rows.
    reading: Mutex<()>,
    seen: StdMutex<Seen>,
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
        Ok(at.saw(read?))
    }

    /// A head read with other things (a reader's statement): kept for the requests to come,
    /// unless a newer one is.
    pub fn saw(&self, head: i32) -> i32 {
        let mut at = self.0.head.lock().unwrap_or_else(PoisonError::into_inner);
        at.saw(head)
    }

    /// After a write this process answered (before its response goes): reads the head again,
    /// and the trail up to it, so the writer, and everyone, sees the change on their next
    /// load.
    ///
    /// # Errors
    /// Database failures.
    pub async fn wrote(&self, db: &impl ConnectionTrait) -> Result<i32> {
        let head = self.read_head(db).await?;
        self.read_to(db, head, true, |_| ()).await?;
        Ok(head)
    }

    /// The trail row of the last change filed under no integration up to `head` (an account,
    /// a session ended, a role, a token, a saved view): what is kept about readers holds
    /// while it has not moved. As read so far while another request reads the trail.
    ///
    /// # Errors
    /// Database failures.
    pub async fn everything_now(&self, db: &impl ConnectionTrait, head: i32) -> Result<i32> {
        self.read_to(db, head, false, |seen| seen.everything).await
    }

    /// `integration`'s version ([`Changes::version`]), as read so far while another request
    /// reads the trail: what a kept page is served at.
    ///
    /// # Errors
    /// Database failures.
    pub async fn version_now(
        &self,
        db: &impl ConnectionTrait,
        head: i32,
        integration: i32,
    ) -> Result<i32> {
        self.read_to(db, head, false, |seen| seen.version(integration))
            .await
    }

    /// `f` of the trail as read up to `head` (the trail's head as the caller read it):
    /// reading it first unless read; while another request reads it, waiting for that read
    /// (`wait`) or taking the trail as read so far.
    async fn read_to<T>(
        &self,
        db: &impl ConnectionTrait,
        head: i32,
        wait: bool,
        f: impl Fn(&Seen) -> T,
    ) -> Result<T> {
        let read = || {
            let mut seen = self.0.seen.lock().unwrap_or_else(PoisonError::into_inner);
            if seen.head == 0 {
                // Nothing read yet: all that came before counts as one change to everything.
                seen.head = head;
                seen.everything = head;
            }
            (seen.head >= head).then(|| f(&seen)).ok_or(seen.head)
        };
        if let Ok(value) = read() {
            return Ok(value);
        }
        let _reading = if wait {
            self.0.reading.lock().await
        } else if let Ok(reading) = self.0.reading.try_lock() {
            reading
        } else {
            let seen = self.0.seen.lock().unwrap_or_else(PoisonError::into_inner);
            return Ok(f(&seen));
        };
        // Read meanwhile by the request this one waited for?
        let from = match read() {
            Ok(value) => return Ok(value),
            Err(from) => from,
        };
        let rows: Vec<(i32, Option<i32>)> = activity::Entity::find()
            .select_only()
            .columns([activity::Column::Id, activity::Column::IntegrationId])
            .filter(activity::Column::Id.gt(from))
            .filter(activity::Column::Id.lte(head))
            .order_by_asc(activity::Column::Id)
            .limit(READ_AT_MOST)
            .into_tuple()
            .all(db)
            .await?;
        let mut seen = self.0.seen.lock().unwrap_or_else(PoisonError::into_inner);
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
        seen.head = seen.head.max(head);
        Ok(f(&seen))
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
        self.read_to(db, head, true, |seen| seen.version(integration))
            .await
    }

    /// The integrations that changed after trail row `after`, up to `head`.
    ///
    /// # Errors
    /// Database failures.
    pub async fn since(&self, db: &impl ConnectionTrait, head: i32, after: i32) -> Result<Touched> {
        self.read_to(db, head, true, |seen| {
            if seen.everything > after {
                return Touched::All;
            }
            Touched::Some(
                seen.integrations
                    .iter()
                    .filter(|(_, at)| **at > after)
                    .map(|(id, _)| *id)
                    .collect(),
            )
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]
    use super::*;
    use migration::MigratorTrait;
    use sea_orm::{
        ActiveModelTrait, ActiveValue::Set, ConnectOptions, Database, DatabaseConnection,
    };

    async fn db() -> DatabaseConnection {
        let mut options = ConnectOptions::new("sqlite::memory:");
        // One connection: every connection to :memory: is its own database.
        options.max_connections(1).sqlx_logging(false);
        let db = Database::connect(options).await.expect("connect");
        migration::Migrator::up(&db, None).await.expect("migrate");
        db
    }

    /// A trail row filed under no integration: its id.
    async fn trail(db: &DatabaseConnection) -> i32 {
        activity::ActiveModel {
            action: Set("updated".into()),
            entity_kind: Set("user".into()),
            entity_id: Set("1".into()),
            at: Set(chrono::Utc::now()),
            prev_hash: Set(format!("{:016x}", rand::random::<u64>())),
            hash: Set(format!("{:016x}", rand::random::<u64>())),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("trail row")
        .id
    }

    #[tokio::test]
    async fn a_kept_page_is_served_as_read_so_far_while_another_request_reads_and_what_is_kept_waits()
     {
        let db = db().await;
        let changes = Changes::default();
        let first = trail(&db).await;
        assert_eq!(changes.everything_now(&db, first).await.ok(), Some(first));
        let next = trail(&db).await;
        let reading = changes.0.reading.lock().await;
        let now = tokio::time::timeout(Duration::from_secs(1), changes.everything_now(&db, next));
        assert_eq!(
            now.await.ok().and_then(Result::ok),
            Some(first),
            "another request is reading: as read so far, without waiting"
        );
        let waits = tokio::spawn({
            let (changes, db) = (changes.clone(), db.clone());
            async move { changes.version(&db, next, 7).await.ok() }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waits.is_finished(), "what is kept waits for the read");
        drop(reading);
        assert_eq!(waits.await.ok().flatten(), Some(next));
        assert_eq!(changes.everything_now(&db, next).await.ok(), Some(next));
    }

    #[tokio::test]
    async fn a_write_reads_the_trail_up_to_its_change_before_its_response_goes() {
        let db = db().await;
        let changes = Changes::default();
        let first = trail(&db).await;
        assert_eq!(changes.head(&db).await.ok(), Some(first));
        assert_eq!(changes.everything_now(&db, first).await.ok(), Some(first));
        let next = trail(&db).await;
        assert_eq!(changes.wrote(&db).await.ok(), Some(next));
        // Read already: a kept page is served at the change even while another request reads.
        let _reading = changes.0.reading.lock().await;
        let now = tokio::time::timeout(Duration::from_secs(1), changes.everything_now(&db, next));
        assert_eq!(now.await.ok().and_then(Result::ok), Some(next));
    }
}
