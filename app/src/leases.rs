//! (ssr) What the lease-claiming workers (the health-check scheduler, the webhook delivery
//! worker, the email worker) share: their loop; a fixed number of places for the work under
//! way, so a loop claims no more than may run at once and a stopping process waits a bounded
//! time for what it started; the joining of one round's tasks; the retry schedule's next
//! time; and the owner name their leases carry.

use std::sync::Arc;

use tokio::sync::{Notify, Semaphore};

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
    /// Told each time a place is given back.
    freed: Arc<Notify>,
    /// Whether [`run`] claims again as soon as a place is given back, not only each tick.
    wakes: bool,
}

impl Places {
    /// `batch` places (at most 10,000).
    pub fn new(batch: u64) -> Self {
        let total = u32::try_from(batch).unwrap_or(u32::MAX).min(10_000);
        Places {
            free: Arc::new(Semaphore::new(total as usize)),
            total,
            freed: Arc::new(Notify::new()),
            wakes: false,
        }
    }

    /// The same places, [`run`] claiming again as soon as one is given back: for work whose
    /// pace the places bound (a webhook endpoint's four), where waiting for the next tick
    /// would cap each endpoint at four attempts a tick.
    #[must_use]
    pub fn waking(self) -> Self {
        Places {
            wakes: true,
            ..self
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
        let freed = self.freed.clone();
        tokio::spawn(async move {
            work.await;
            drop(place);
            freed.notify_one();
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

/// The loop every lease-taking worker runs until `stop`: each `tick` (and, for [`Places::waking`]
/// places, each time one is given back), `chores` (the worker's own periodic work: fan-outs,
/// sweeps, roll-ups), then `claim` of at most as many items as there are free `places`, each run by `work` in a place of its own, so a slow one delays no
/// other. When `stop` completes it claims no more and waits at most `drain` for the work it
/// started; what is still running then is left to its lease. `what` names the items in the log.
#[allow(clippy::too_many_arguments)] // one loop's parts, each a closure of its worker
pub async fn run<T, H, HF, C, CF, W, WF>(
    places: Places,
    tick: std::time::Duration,
    drain: std::time::Duration,
    what: &'static str,
    mut chores: H,
    mut claim: C,
    work: W,
    stop: impl Future<Output = ()>,
) where
    H: FnMut() -> HF,
    HF: Future<Output = ()>,
    C: FnMut(u64) -> CF,
    CF: Future<Output = Result<Vec<T>>>,
    W: Fn(T) -> WF,
    WF: Future<Output = ()> + Send + 'static,
{
    let mut ticker = tokio::time::interval(tick);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            () = places.freed.notified(), if places.wakes => {}
            () = &mut stop => break,
        }
        chores().await;
        // No more claimed than may run at once: a backlog waits its turn in the database,
        // not as a thousand tasks in flight, each with a connection and its buffers.
        let room = places.room();
        if room == 0 {
            continue;
        }
        match claim(room).await {
            Ok(claimed) => {
                for item in claimed {
                    places.start(work(item));
                }
            }
            Err(err) => tracing::warn!(%err, what, "claiming failed"),
        }
    }
    if !places.drain(drain).await {
        tracing::warn!(
            what,
            "work still under way at shutdown was left to its leases"
        );
    }
}
