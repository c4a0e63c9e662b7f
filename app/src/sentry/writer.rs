//! (ssr) The ingest's one writer. Requests check their events on their own (in parallel)
//! and hand the checked batch over; the writer stores every batch waiting in one transaction
//! (a group commit), so a burst of envelopes takes the database's write lock once per round
//! rather than once per envelope, and no request waits in SQLite's busy loop. The queue is
//! bounded: when it is full the request is told to come back (`Busy`), which is the
//! back-pressure an SDK obeys.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use tokio::sync::{mpsc, oneshot};

use crate::error::{AppError, Result};
use crate::events::model::IngestReport;
use crate::events::service::{Prepared, write};

/// Batches that may wait for the writer before requests are turned away.
pub const QUEUE: usize = 256;

/// The most events one round stores (a round takes what is waiting, up to this).
pub const ROUND_EVENTS: usize = 5_000;

/// A checked batch of one integration's events, and who waits for its report.
struct Job {
    integration_id: i32,
    prepared: Prepared,
    now: DateTime<Utc>,
    done: oneshot::Sender<Result<IngestReport>>,
}

/// The handle requests hand their batches to. Cheap to clone.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer on `db` (on the current Tokio runtime). It stops when every handle
    /// is dropped.
    pub fn start(db: DatabaseConnection) -> Self {
        let (jobs, waiting) = mpsc::channel(QUEUE);
        tokio::spawn(run(db, waiting));
        Self { jobs }
    }

    /// Stores `prepared`, events of integration `integration_id` checked at `now`, in the
    /// writer's next round, and reports what it did.
    ///
    /// # Errors
    /// `Busy` when the queue is full or the writer has stopped; what storing the batch gave
    /// (`NotFound`, database failures).
    pub async fn store(
        &self,
        integration_id: i32,
        prepared: Prepared,
        now: DateTime<Utc>,
    ) -> Result<IngestReport> {
        let (done, report) = oneshot::channel();
        let job = Job {
            integration_id,
            prepared,
            now,
            done,
        };
        self.jobs.try_send(job).map_err(|_| busy())?;
        report.await.map_err(|_| busy())?
    }
}

fn busy() -> AppError {
    AppError::Busy {
        message: "Tollgate is storing as many events as it can; send them again shortly.".into(),
        retry_after: 1,
    }
}

/// Takes whatever is waiting, up to [`ROUND_EVENTS`], and stores it in one round, until the
/// last handle is dropped.
async fn run(db: DatabaseConnection, mut waiting: mpsc::Receiver<Job>) {
    while let Some(first) = waiting.recv().await {
        let mut events = first.prepared.len();
        let mut round = vec![first];
        while events < ROUND_EVENTS {
            match waiting.try_recv() {
                Ok(job) => {
                    events += job.prepared.len();
                    round.push(job);
                }
                Err(_) => break,
            }
        }
        store_round(&db, round).await;
    }
}

/// Stores `round` in one transaction; when that fails, each batch on its own, so one batch
/// that cannot be stored (its integration deleted meanwhile) does not fail the others.
async fn store_round(db: &DatabaseConnection, round: Vec<Job>) {
    if round.len() > 1
        && let Ok(reports) = together(db, &round).await
    {
        for (job, report) in round.into_iter().zip(reports) {
            let _ = job.done.send(Ok(report));
        }
        return;
    }
    for job in round {
        let stored = together(db, std::slice::from_ref(&job)).await;
        let _ = job
            .done
            .send(stored.map(|mut r| r.pop().unwrap_or_default()));
    }
}

async fn together(db: &DatabaseConnection, jobs: &[Job]) -> Result<Vec<IngestReport>> {
    let txn = crate::activity::service::begin(db).await?;
    let mut reports = Vec::with_capacity(jobs.len());
    for job in jobs {
        reports.push(write(&txn, None, job.integration_id, &job.prepared, job.now).await?);
    }
    txn.commit().await?;
    Ok(reports)
}
