//! (ssr) What the two lease-claiming workers (the health-check scheduler and the webhook
//! delivery worker) share: a fixed number of places for the work under way, so a loop claims
//! no more than may run at once and a stopping process waits a bounded time for what it
//! started; the joining of one round's tasks; and the retry schedule's next time. The email
//! worker uses them too.

use std::sync::Arc;

use tokio::sync::Semaphore;

use chrono::{DateTime, Duration, Utc};

use crate::error::{AppError, Result};

/// A name for this process in the leases it takes.
pub fn owner_name() -> String {
    format!("{}-{:08x}", std::process::id(), rand::random::<u32>())
}

/// Places for work under way in one process.
#[derive(Clone)]
pub struct Places {
    free: Arc<Semaphore>,
    total: u32,
}

impl Places {
    /// `batch` places (at most 10,000).
    pub fn new(batch: u64) -> Self {
        let total = u32::try_from(batch).unwrap_or(u32::MAX).min(10_000);
        Places {
            free: Arc::new(Semaphore::new(total as usize)),
            total,
        }
    }

    /// How many places are free: the most a claim should take now.
    pub fn room(&self) -> u64 {
        self.free.available_permits() as u64
    }

    /// Runs `work` in a task of its own holding a place (only the loop takes places, and it
    /// claimed no more than there were).
    pub fn start(&self, work: impl Future<Output = ()> + Send + 'static) {
        let place = self.free.clone().try_acquire_owned().ok();
        tokio::spawn(async move {
            let _place = place;
            work.await;
        });
    }

    /// Waits at most `wait` for the work under way to finish; false when some is left to its
    /// leases.
    pub async fn drain(&self, wait: std::time::Duration) -> bool {
        tokio::time::timeout(wait, self.free.acquire_many(self.total))
            .await
            .is_ok()
    }
}

/// Waits for every task of one round: how many returned true.
///
/// # Errors
/// The first task's error; `Internal` for a task that panicked.
pub async fn count_kept(mut set: tokio::task::JoinSet<Result<bool>>) -> Result<usize> {
    let mut kept = 0;
    while let Some(done) = set.join_next().await {
        match done {
            Ok(Ok(true)) => kept += 1,
            Ok(Ok(false)) => {}
            Ok(Err(e)) => return Err(e),
            Err(e) => return Err(AppError::internal("worker task", e)),
        }
    }
    Ok(kept)
}

/// When to try again after failed attempt number `attempts` (from 1), or `None` after the
/// last: the schedule's wait, give or take a tenth at random, and no sooner than
/// `retry_after` seconds (capped at a day).
pub fn next_attempt(
    retries: &[Duration],
    attempts: i32,
    retry_after: Option<i64>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let wait = *retries.get(usize::try_from(attempts - 1).ok()?)?;
    let ms = wait.num_milliseconds();
    let jitter = if ms >= 10 {
        use rand::Rng;
        rand::thread_rng().gen_range(-(ms / 10)..=ms / 10)
    } else {
        0
    };
    let wait = Duration::milliseconds(ms + jitter);
    let asked = Duration::seconds(retry_after.unwrap_or(0).min(86_400));
    Some(now + wait.max(asked))
}
