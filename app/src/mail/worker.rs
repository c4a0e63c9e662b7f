//! (ssr) The email worker: every process with SMTP configured ticks once a second and claims
//! due emails with a lease (a conditional UPDATE only one process wins per row, as the
//! webhook worker does), sends each through the SMTP server, and records the outcome while
//! the lease is held: sent, due again on the retry schedule, or failed after the last try.
//! A process that dies mid-send loses its lease and the email is sent again, with the same
//! `Message-ID`.

use chrono::{DateTime, Duration, Utc};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, sea_query::Expr,
};

use super::letter::message;
use super::service::{kept_since, prune, unsubscribe_url};
use crate::choices::notifications::MailState;
use crate::entities::mail_messages;
use crate::error::Result;

/// How the worker behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// The wait after each failed try: as many retries as it has entries.
    pub retries: Vec<Duration>,
    /// How long a claim holds before another process may send the email.
    pub lease: Duration,
    /// The most emails under way at once in this process.
    pub batch: u64,
    /// `TOLLGATE_MAIL_FROM`.
    pub from: String,
    /// What links start with (`TOLLGATE_PUBLIC_URL`).
    pub public_url: String,
}

/// The default schedule: 1 min, 5 min, 30 min, 2 h, 6 h (six tries in about 9 h).
pub fn default_retries() -> Vec<Duration> {
    vec![
        Duration::minutes(1),
        Duration::minutes(5),
        Duration::minutes(30),
        Duration::hours(2),
        Duration::hours(6),
    ]
}

impl Config {
    /// The default schedule, sending as `from` with links under `public_url`.
    pub fn new(from: &str, public_url: &str) -> Self {
        Config {
            retries: default_retries(),
            // Past lettre's own timeout for each SMTP command (the transport's).
            lease: Duration::seconds(90),
            batch: 16,
            from: from.to_string(),
            public_url: public_url.trim_end_matches('/').to_string(),
        }
    }
}

fn claimable(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(mail_messages::Column::State.eq(MailState::Pending))
        .add(mail_messages::Column::NextAttemptAt.lte(now))
        .add(
            Condition::any()
                .add(mail_messages::Column::LeaseUntil.is_null())
                .add(mail_messages::Column::LeaseUntil.lt(now)),
        )
}

/// Claims for `owner` up to `room` due emails.
///
/// # Errors
/// Database failures.
pub async fn claim(
    db: &impl ConnectionTrait,
    owner: &str,
    config: &Config,
    room: u64,
    now: DateTime<Utc>,
) -> Result<Vec<mail_messages::Model>> {
    if room == 0 {
        return Ok(Vec::new());
    }
    let due: Vec<i32> = mail_messages::Entity::find()
        .select_only()
        .column(mail_messages::Column::Id)
        .filter(claimable(now))
        .order_by_asc(mail_messages::Column::NextAttemptAt)
        .order_by_asc(mail_messages::Column::Id)
        .limit(room)
        .into_tuple()
        .all(db)
        .await?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    // Only one process's UPDATE can match a row still unleased.
    Ok(mail_messages::Entity::update_many()
        .col_expr(mail_messages::Column::LeaseOwner, Expr::value(owner))
        .col_expr(
            mail_messages::Column::LeaseUntil,
            Expr::value(now + config.lease),
        )
        .filter(mail_messages::Column::Id.is_in(due))
        .filter(claimable(now))
        .exec_with_returning(db)
        .await?)
}

/// Sends email `m`; why not, when it was not.
pub async fn send(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    config: &Config,
    m: &mail_messages::Model,
) -> std::result::Result<(), String> {
    let host = reqwest::Url::parse(&config.public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "tollgate".into());
    let letter = message(
        &config.from,
        &m.to_address,
        &m.subject,
        (m.text_body.clone(), m.html_body.clone()),
        &unsubscribe_url(&config.public_url, &m.unsubscribe_token),
        format!("<{}.{}@{host}>", m.id, m.unsubscribe_token),
    )?;
    transport
        .send(letter)
        .await
        .map(|_| ())
        .map_err(|e| format!("The SMTP server did not take it: {e}"))
}

/// Records how sending `m` went, while `owner` holds its lease: false (nothing kept) when it
/// no longer does.
///
/// # Errors
/// Database failures.
pub async fn record(
    db: &impl ConnectionTrait,
    owner: &str,
    config: &Config,
    m: &mail_messages::Model,
    outcome: std::result::Result<(), String>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let attempts = m.attempts + 1;
    let mut update = mail_messages::Entity::update_many()
        .col_expr(mail_messages::Column::Attempts, Expr::value(attempts))
        .col_expr(
            mail_messages::Column::LeaseOwner,
            Expr::value(None::<String>),
        )
        .col_expr(
            mail_messages::Column::LeaseUntil,
            Expr::value(None::<DateTime<Utc>>),
        );
    update = match outcome {
        Ok(()) => update
            .col_expr(mail_messages::Column::State, Expr::value(MailState::Sent))
            .col_expr(mail_messages::Column::SentAt, Expr::value(now))
            .col_expr(
                mail_messages::Column::LastError,
                Expr::value(None::<String>),
            ),
        Err(why) => {
            let why: String = why.chars().take(500).collect();
            let update = update.col_expr(mail_messages::Column::LastError, Expr::value(why));
            match crate::leases::next_attempt(&config.retries, attempts, None, now) {
                Some(at) => update.col_expr(mail_messages::Column::NextAttemptAt, Expr::value(at)),
                None => {
                    update.col_expr(mail_messages::Column::State, Expr::value(MailState::Failed))
                }
            }
        }
    };
    let done = update
        .filter(mail_messages::Column::Id.eq(m.id))
        .filter(mail_messages::Column::LeaseOwner.eq(owner))
        .filter(mail_messages::Column::State.eq(MailState::Pending))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Sends claimed email `m` and records it.
///
/// # Errors
/// Database failures.
pub async fn run_one(
    db: &DatabaseConnection,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    owner: &str,
    config: &Config,
    m: &mail_messages::Model,
) -> Result<bool> {
    let outcome = send(transport, config, m).await;
    if let Err(why) = &outcome {
        tracing::warn!(email = m.id, %why, "an email was not sent");
    }
    record(db, owner, config, m, outcome, Utc::now()).await
}

/// One round: claims what is due now and sends it all; returns how many were recorded.
///
/// # Errors
/// Database failures.
pub async fn run_due(
    db: &DatabaseConnection,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    owner: &str,
    config: &Config,
) -> Result<usize> {
    let claimed = claim(db, owner, config, config.batch, Utc::now()).await?;
    let mut set = tokio::task::JoinSet::new();
    for m in claimed {
        let (db, transport, owner, config) = (
            db.clone(),
            transport.clone(),
            owner.to_string(),
            config.clone(),
        );
        set.spawn(async move { run_one(&db, &transport, &owner, &config, &m).await });
    }
    crate::leases::count_kept(set).await
}

/// How often the worker forgets old emails.
const PRUNE_EVERY: std::time::Duration = std::time::Duration::from_secs(600);
/// How long a stopping worker waits for the emails it started.
const DRAIN: std::time::Duration = std::time::Duration::from_secs(10);

/// The worker's loop until `stop` resolves: each `tick`, gathers the daily digests now due,
/// claims what it has room for and sends it; every ten minutes, forgets emails past
/// [`super::service::KEPT_DAYS`].
pub async fn run(
    db: DatabaseConnection,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    config: Config,
    tick: std::time::Duration,
    stop: impl Future<Output = ()>,
) {
    let owner = crate::leases::owner_name();
    let mut last_prune: Option<std::time::Instant> = None;
    let chores = || {
        let due = last_prune.is_none_or(|t| t.elapsed() >= PRUNE_EVERY);
        if due {
            last_prune = Some(std::time::Instant::now());
        }
        let db = db.clone();
        async move {
            if due && let Err(err) = prune(&db, kept_since(Utc::now())).await {
                tracing::warn!(%err, "forgetting old emails failed");
            }
            if let Err(err) = super::digest::gather(&db, Utc::now()).await {
                tracing::warn!(%err, "gathering the daily digests failed");
            }
        }
    };
    let claim = |room| {
        let (db, owner, config) = (db.clone(), owner.clone(), config.clone());
        async move { claim(&db, &owner, &config, room, Utc::now()).await }
    };
    let work = |m: mail_messages::Model| {
        let (db, transport, owner, config) =
            (db.clone(), transport.clone(), owner.clone(), config.clone());
        async move {
            if let Err(err) = run_one(&db, &transport, &owner, &config, &m).await {
                tracing::warn!(%err, email = m.id, "recording an email failed");
            }
        }
    };
    let places = crate::leases::Places::new(config.batch).waking();
    crate::leases::run(places, tick, DRAIN, "emails", chores, claim, work, stop).await;
}
