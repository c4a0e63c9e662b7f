//! (ssr) The delivery worker. Every process ticks a few times a second and:
//! - fans out the outbox's new events: one delivery per enabled endpoint that wants each,
//!   at most one per (endpoint, event) whoever does it (a unique index);
//! - claims due deliveries with a lease (owner and expiry), with a conditional UPDATE that
//!   only one process can win per row, so replicas sharing a database never both send one;
//!   no endpoint gets more than [`Config::per_endpoint`] attempts at once, so one that hangs
//!   holds only its own places;
//! - sends each, signed (Standard Webhooks), to the address the outbound guard checked just
//!   now, and records the attempt while the lease is held: success, or the next try on the
//!   backoff schedule (with jitter, and no sooner than a 429's or 503's `Retry-After`), or,
//!   after the last, failure. An endpoint failing every attempt for
//!   [`Config::disable_after`] is disabled and its creator told.
//!
//! A process that dies mid-attempt loses its lease when it expires and the delivery is sent
//! again: every event is delivered at least once, always with the same `webhook-id`, by which
//! a receiver drops the rare second copy.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
    sea_query::{Expr, OnConflict},
};

use super::model::{DeliveryState, EndpointFormat};
use super::service::{owed, wants};
use super::signature;
use crate::activity::service::{NewActivity, record as record_activity};
use crate::entities::{outbox_events, webhook_attempts, webhook_deliveries, webhook_endpoints};
use crate::error::Result;
use crate::notifications::model::{Kind, Message};
use crate::outbound::Guard;

/// How the worker behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// The wait after each failed attempt: as many retries as it has entries.
    pub retries: Vec<Duration>,
    /// How long one attempt may take, answer included.
    pub timeout: std::time::Duration,
    /// How long a claim holds before another process may send the delivery.
    pub lease: Duration,
    /// The most attempts under way at once in this process.
    pub batch: u64,
    /// The most attempts under way at once to one endpoint.
    pub per_endpoint: u64,
    /// How long an endpoint may fail every attempt before it is disabled.
    pub disable_after: Duration,
    /// The address of this Tollgate, for the links in payloads (`TOLLGATE_PUBLIC_URL`).
    pub public_url: String,
}

/// The default schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h (seven attempts in about 18 h).
pub fn default_retries() -> Vec<Duration> {
    vec![
        Duration::seconds(5),
        Duration::minutes(5),
        Duration::minutes(30),
        Duration::hours(2),
        Duration::hours(5),
        Duration::hours(10),
    ]
}

impl Default for Config {
    fn default() -> Self {
        Config {
            retries: default_retries(),
            timeout: std::time::Duration::from_secs(10),
            lease: Duration::seconds(25),
            batch: 64,
            per_endpoint: 4,
            disable_after: Duration::days(5),
            public_url: "http://127.0.0.1:3000".into(),
        }
    }
}

/// The most of an answer's body an attempt keeps.
pub const BODY_KEPT: usize = 1024;
/// The most events one fan-out reads.
const FAN_OUT_BATCH: u64 = 500;

/// Fans out the outbox's events not yet fanned out: a delivery per enabled endpoint that
/// wants each, and a notification to the people who hear of it from the outbox
/// (`notifications::from_outbox`). Returns how many events it took.
///
/// # Errors
/// Database failures.
pub async fn fan_out(
    db: &(impl ConnectionTrait + TransactionTrait),
    now: DateTime<Utc>,
) -> Result<usize> {
    let events = outbox_events::Entity::find()
        .filter(outbox_events::Column::DispatchedAt.is_null())
        .order_by_asc(outbox_events::Column::Id)
        .limit(FAN_OUT_BATCH)
        .all(db)
        .await?;
    if events.is_empty() {
        return Ok(0);
    }
    let endpoints = webhook_endpoints::Entity::find()
        .filter(webhook_endpoints::Column::Enabled.eq(true))
        .all(db)
        .await?;
    let rows: Vec<_> = events
        .iter()
        .flat_map(|e| {
            endpoints
                .iter()
                .filter(|p| wants(p, e.event_type, e.integration_id))
                .map(|p| owed(p.id, e.id, now))
        })
        .collect();
    let txn = db.begin().await?;
    // A few hundred rows a statement keeps under SQLite's and PostgreSQL's parameter limits.
    for chunk in rows.chunks(500) {
        webhook_deliveries::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([
                    webhook_deliveries::Column::EndpointId,
                    webhook_deliveries::Column::EventId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    // Only the process whose UPDATE marks an event dispatched tells people of it: another
    // fanning out the same events at once finds them marked (PostgreSQL re-checks the
    // condition on the rows the first wrote; SQLite has one writer), and its deliveries were
    // the same rows, kept once by the unique (endpoint, event).
    let taken = outbox_events::Entity::update_many()
        .col_expr(outbox_events::Column::DispatchedAt, Expr::value(now))
        .filter(outbox_events::Column::Id.is_in(events.iter().map(|e| e.id)))
        .filter(outbox_events::Column::DispatchedAt.is_null())
        .exec_with_returning(&txn)
        .await?;
    crate::notifications::from_outbox::tell(&txn, &taken).await?;
    txn.commit().await?;
    Ok(taken.len())
}

/// A claimed delivery with its event and endpoint.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub delivery: webhook_deliveries::Model,
    pub event: outbox_events::Model,
    pub endpoint: webhook_endpoints::Model,
}

fn claimable(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(webhook_deliveries::Column::State.eq(DeliveryState::Pending))
        .add(webhook_deliveries::Column::NextAttemptAt.lte(now))
        .add(
            Condition::any()
                .add(webhook_deliveries::Column::LeaseUntil.is_null())
                .add(webhook_deliveries::Column::LeaseUntil.lt(now)),
        )
}

/// Begins a claim's transaction and makes it the only claim under way: on SQLite the
/// transaction becomes the writer at once (an UPDATE that changes nothing still takes the
/// write lock), on PostgreSQL it takes a transaction-scoped advisory lock. Without it, a
/// claim reading the places taken before another's UPDATE and its due deliveries after could
/// give an endpoint more than its places.
async fn claims_one_at_a_time<C: TransactionTrait>(db: &C) -> Result<C::Transaction> {
    let txn = db.begin().await?;
    let backend = txn.get_database_backend();
    let lock = match backend {
        sea_orm::DbBackend::Postgres => "SELECT pg_advisory_xact_lock(31031)",
        _ => "UPDATE webhook_endpoints SET id = id WHERE id < 0",
    };
    txn.execute_raw(sea_orm::Statement::from_string(backend, lock))
        .await?;
    Ok(txn)
}

/// Claims for `owner` up to `room` due deliveries, no endpoint beyond its
/// [`Config::per_endpoint`] places (counting the attempts under way everywhere). Each endpoint's
/// own oldest due deliveries are read apart, starting from a random endpoint, so one with a
/// backlog (one that hangs, or is down) holds only its own places and never the others' turn.
/// Claims run one at a time, whichever process makes them, so the places counted are the
/// places taken.
///
/// # Errors
/// Database failures.
pub async fn claim(
    db: &(impl ConnectionTrait + TransactionTrait),
    owner: &str,
    config: &Config,
    room: u64,
    now: DateTime<Utc>,
) -> Result<Vec<Claimed>> {
    if room == 0 {
        return Ok(Vec::new());
    }
    let txn = claims_one_at_a_time(db).await?;
    let claimed = claim_in(&txn, owner, config, room, now).await?;
    txn.commit().await?;
    Ok(claimed)
}

async fn claim_in(
    db: &impl ConnectionTrait,
    owner: &str,
    config: &Config,
    room: u64,
    now: DateTime<Utc>,
) -> Result<Vec<Claimed>> {
    let endpoints = webhook_endpoints::Entity::find()
        .order_by_asc(webhook_endpoints::Column::Id)
        .all(db)
        .await?;
    if endpoints.is_empty() {
        return Ok(Vec::new());
    }
    let busy: Vec<(i32, i64)> = webhook_deliveries::Entity::find()
        .select_only()
        .column(webhook_deliveries::Column::EndpointId)
        .column_as(webhook_deliveries::Column::Id.count(), "n")
        .filter(webhook_deliveries::Column::State.eq(DeliveryState::Pending))
        .filter(webhook_deliveries::Column::LeaseUntil.gte(now))
        .group_by(webhook_deliveries::Column::EndpointId)
        .into_tuple()
        .all(db)
        .await?;
    let start = rand::random::<u32>() as usize % endpoints.len();
    let mut picked: Vec<i32> = Vec::new();
    for endpoint in endpoints.iter().cycle().skip(start).take(endpoints.len()) {
        let taken = busy
            .iter()
            .find(|(id, _)| *id == endpoint.id)
            .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0));
        let free = config
            .per_endpoint
            .saturating_sub(taken)
            .min(room - picked.len() as u64);
        if free == 0 {
            continue;
        }
        let mut due = webhook_deliveries::Entity::find()
            .select_only()
            .column(webhook_deliveries::Column::Id)
            .filter(webhook_deliveries::Column::EndpointId.eq(endpoint.id))
            .filter(claimable(now));
        // A disabled endpoint gets only what someone sends by hand (a test, a resend).
        if !endpoint.enabled {
            due = due.filter(webhook_deliveries::Column::ResendByHand.eq(true));
        }
        let ids: Vec<i32> = due
            .order_by_asc(webhook_deliveries::Column::NextAttemptAt)
            .order_by_asc(webhook_deliveries::Column::Id)
            .limit(free)
            .into_tuple()
            .all(db)
            .await?;
        picked.extend(ids);
        if picked.len() as u64 >= room {
            break;
        }
    }
    if picked.is_empty() {
        return Ok(Vec::new());
    }
    // Only one process's UPDATE can match a row still unleased: PostgreSQL re-checks the
    // condition on the row a concurrent claim just wrote, SQLite has one writer.
    let taken = webhook_deliveries::Entity::update_many()
        .col_expr(webhook_deliveries::Column::LeaseOwner, Expr::value(owner))
        .col_expr(
            webhook_deliveries::Column::LeaseUntil,
            Expr::value(now + config.lease),
        )
        .filter(webhook_deliveries::Column::Id.is_in(picked))
        .filter(claimable(now))
        .exec_with_returning(db)
        .await?;
    if taken.is_empty() {
        return Ok(Vec::new());
    }
    let events = outbox_events::Entity::find()
        .filter(outbox_events::Column::Id.is_in(taken.iter().map(|d| d.event_id)))
        .all(db)
        .await?;
    Ok(taken
        .into_iter()
        .filter_map(|delivery| {
            let event = events.iter().find(|e| e.id == delivery.event_id)?.clone();
            let endpoint = endpoints
                .iter()
                .find(|e| e.id == delivery.endpoint_id)?
                .clone();
            Some(Claimed {
                delivery,
                event,
                endpoint,
            })
        })
        .collect())
}

/// What one attempt came to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub status: Option<u16>,
    pub latency_ms: i32,
    pub body: String,
    pub error: Option<String>,
    /// A 429's or 503's `Retry-After`, in seconds.
    pub retry_after: Option<i64>,
}

impl Outcome {
    /// Whether the receiver took it (any 2xx).
    pub fn delivered(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }

    fn failed(error: impl Into<String>, latency_ms: i32) -> Self {
        Outcome {
            error: Some(error.into()),
            latency_ms,
            ..Default::default()
        }
    }
}

/// Sends events: the outbound guard, and an HTTP client per checked (host, addresses), kept.
#[derive(Clone)]
pub struct Sender {
    guard: Guard,
    timeout: std::time::Duration,
    clients: Arc<Mutex<Clients>>,
}

/// The clients kept, by the host and the checked addresses they connect to.
type Clients = HashMap<(String, Vec<SocketAddr>), reqwest::Client>;

/// The most clients kept; past it the cache starts again.
const CLIENTS_KEPT: usize = 256;

impl Sender {
    /// A sender through `guard`, each attempt within `timeout`.
    pub fn new(guard: Guard, timeout: std::time::Duration) -> Self {
        Sender {
            guard,
            timeout,
            clients: Arc::default(),
        }
    }

    fn client(&self, host: &str, addrs: &[SocketAddr]) -> Result<reqwest::Client> {
        let key = (host.to_string(), addrs.to_vec());
        let mut clients = self
            .clients
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(c) = clients.get(&key) {
            return Ok(c.clone());
        }
        let client = crate::outbound::client_builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(self.timeout)
            .resolve_to_addrs(host, addrs)
            .user_agent(concat!("Tollgate-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| crate::error::AppError::internal("webhook client", e))?;
        if clients.len() >= CLIENTS_KEPT {
            clients.clear();
        }
        clients.insert(key, client.clone());
        Ok(client)
    }

    /// Sends claimed delivery `c`: signed at `now`, or as a Slack-compatible message.
    pub async fn send(&self, c: &Claimed, public_url: &str, now: DateTime<Utc>) -> Outcome {
        let started = std::time::Instant::now();
        let elapsed = || i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
        let url = match reqwest::Url::parse(&c.endpoint.url) {
            Ok(u) => u,
            Err(_) => return Outcome::failed("The endpoint's address does not parse.", 0),
        };
        // Checked now, not only when saved: a name may resolve elsewhere today.
        let addrs = match self.guard.check("url", &url).await {
            Ok(a) => a,
            Err(e) => {
                let why = e.field_message("url").unwrap_or_else(|| e.to_string());
                return Outcome::failed(why, elapsed());
            }
        };
        let host = url.host_str().unwrap_or_default().to_string();
        let client = match self.client(&host, &addrs) {
            Ok(c) => c,
            Err(e) => return Outcome::failed(e.to_string(), elapsed()),
        };
        let sent = match c.endpoint.format {
            EndpointFormat::Standard => {
                let body = match crate::outbox::service::payload(&c.event, public_url, now) {
                    Ok(b) => b,
                    Err(e) => return Outcome::failed(e.to_string(), 0),
                };
                let timestamp = now.timestamp();
                let mut secrets = vec![c.endpoint.secret.as_str()];
                if let (Some(previous), Some(until)) =
                    (&c.endpoint.previous_secret, c.endpoint.previous_until)
                    && until > now
                {
                    secrets.push(previous.as_str());
                }
                let signature =
                    signature::header(&secrets, &c.event.uid, timestamp, body.as_bytes());
                client
                    .post(url)
                    .header(http::header::CONTENT_TYPE, "application/json")
                    .header("webhook-id", &c.event.uid)
                    .header("webhook-timestamp", timestamp.to_string())
                    .header("webhook-signature", signature)
                    .body(body)
            }
            EndpointFormat::Slack => match super::slack::message(&c.event, public_url) {
                Ok(body) => client
                    .post(url)
                    .header(http::header::CONTENT_TYPE, "application/json")
                    .body(body),
                Err(e) => return Outcome::failed(e.to_string(), 0),
            },
        }
        .send()
        .await;
        let mut res = match sent {
            Ok(r) => r,
            Err(e) => {
                let why = if e.is_timeout() {
                    format!("No answer within {} seconds.", self.timeout.as_secs())
                } else if e.is_connect() {
                    format!("Could not connect to {host}.")
                } else {
                    format!("Sending to {host} failed.")
                };
                return Outcome::failed(why, elapsed());
            }
        };
        let status = res.status().as_u16();
        let retry_after = matches!(status, 429 | 503)
            .then(|| {
                res.headers()
                    .get(http::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| retry_after_seconds(v, now))
            })
            .flatten();
        // The first bytes of the answer, for the log; the rest is not read.
        let mut kept = Vec::new();
        while kept.len() < BODY_KEPT {
            match res.chunk().await {
                Ok(Some(chunk)) => kept.extend_from_slice(&chunk),
                _ => break,
            }
        }
        kept.truncate(BODY_KEPT);
        Outcome {
            status: Some(status),
            latency_ms: elapsed(),
            body: String::from_utf8_lossy(&kept).into_owned(),
            error: None,
            retry_after,
        }
    }
}

/// The seconds a `Retry-After` value asks for: a number, or an HTTP date after `now`.
pub fn retry_after_seconds(value: &str, now: DateTime<Utc>) -> Option<i64> {
    let value = value.trim();
    if let Ok(n) = value.parse::<i64>() {
        return (n >= 0).then_some(n);
    }
    let at = DateTime::parse_from_rfc2822(value).ok()?;
    Some((at.with_timezone(&Utc) - now).num_seconds().max(0))
}

/// Records `outcome` of claimed delivery `c`: the attempt, and the delivery delivered, due
/// again, or failed; the endpoint's failing streak, and its disabling after
/// [`Config::disable_after`]. False (nothing kept) when this process no longer holds the
/// lease.
///
/// # Errors
/// Database failures.
pub async fn record(
    db: &(impl ConnectionTrait + TransactionTrait),
    owner: &str,
    config: &Config,
    c: &Claimed,
    started: DateTime<Utc>,
    outcome: &Outcome,
) -> Result<bool> {
    let now = Utc::now();
    let d = &c.delivery;
    let attempts = d.attempts.saturating_add(1);
    let delivered = outcome.delivered();
    let next = if delivered {
        None
    } else {
        crate::leases::next_attempt(&config.retries, attempts, outcome.retry_after, now)
    };
    let state = match (delivered, next) {
        (true, _) => DeliveryState::Delivered,
        (false, Some(_)) => DeliveryState::Pending,
        (false, None) => DeliveryState::Failed,
    };
    let error = outcome.error.clone().or_else(|| {
        (!delivered).then(|| format!("The endpoint answered {}.", outcome.status.unwrap_or(0)))
    });
    let txn = db.begin().await?;
    let kept = webhook_deliveries::Entity::update_many()
        .col_expr(webhook_deliveries::Column::State, Expr::value(state))
        .col_expr(webhook_deliveries::Column::Attempts, Expr::value(attempts))
        .col_expr(
            webhook_deliveries::Column::NextAttemptAt,
            Expr::value(next.unwrap_or(d.next_attempt_at)),
        )
        .col_expr(
            webhook_deliveries::Column::LeaseOwner,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            webhook_deliveries::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            webhook_deliveries::Column::LastStatus,
            Expr::value(outcome.status.map(i32::from)),
        )
        .col_expr(
            webhook_deliveries::Column::LastError,
            Expr::value(error.clone()),
        )
        .col_expr(
            webhook_deliveries::Column::FinishedAt,
            Expr::value((state != DeliveryState::Pending).then_some(now)),
        )
        .col_expr(webhook_deliveries::Column::ResendByHand, Expr::value(false))
        .filter(webhook_deliveries::Column::Id.eq(d.id))
        .filter(webhook_deliveries::Column::LeaseOwner.eq(owner))
        .exec(&txn)
        .await?;
    if kept.rows_affected == 0 {
        tracing::warn!(
            delivery = d.id,
            "a delivery's lease was lost before its attempt was recorded"
        );
        return Ok(false);
    }
    webhook_attempts::Entity::insert(webhook_attempts::ActiveModel {
        delivery_id: Set(d.id),
        endpoint_id: Set(d.endpoint_id),
        attempted_at: Set(started),
        status_code: Set(outcome.status.map(i32::from)),
        latency_ms: Set(outcome.latency_ms),
        response_body: Set(outcome.body.clone()),
        error: Set(error),
        by_hand: Set(d.resend_by_hand),
        ..Default::default()
    })
    .exec_without_returning(&txn)
    .await?;
    streak(&txn, config, &c.endpoint, delivered, now).await?;
    txn.commit().await?;
    Ok(true)
}

/// Keeps endpoint `e`'s failing streak: ended by a delivery, begun by a first failure, and
/// after [`Config::disable_after`] of nothing but failures the endpoint disabled, in the
/// trail, and its creator told.
async fn streak(
    txn: &impl ConnectionTrait,
    config: &Config,
    e: &webhook_endpoints::Model,
    delivered: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let col = webhook_endpoints::Column::FailingSince;
    if delivered {
        webhook_endpoints::Entity::update_many()
            .col_expr(col, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(webhook_endpoints::Column::Id.eq(e.id))
            .filter(col.is_not_null())
            .exec(txn)
            .await?;
        return Ok(());
    }
    // The streak as stored now (another attempt may have begun or ended it meanwhile).
    let Some(current) = webhook_endpoints::Entity::find_by_id(e.id).one(txn).await? else {
        return Ok(());
    };
    let Some(since) = current.failing_since else {
        webhook_endpoints::Entity::update_many()
            .col_expr(col, Expr::value(now))
            .filter(webhook_endpoints::Column::Id.eq(e.id))
            .exec(txn)
            .await?;
        return Ok(());
    };
    if !current.enabled || now - since < config.disable_after {
        return Ok(());
    }
    let reason = format!(
        "Every delivery has failed since {}; Tollgate stopped sending. Fix the receiver, then enable the endpoint again.",
        since.format("%Y-%m-%d %H:%M UTC")
    );
    webhook_endpoints::Entity::update_many()
        .col_expr(webhook_endpoints::Column::Enabled, Expr::value(false))
        .col_expr(
            webhook_endpoints::Column::DisabledReason,
            Expr::value(reason.clone()),
        )
        .col_expr(webhook_endpoints::Column::UpdatedAt, Expr::value(now))
        .filter(webhook_endpoints::Column::Id.eq(e.id))
        .exec(txn)
        .await?;
    record_activity(
        txn,
        NewActivity {
            actor_id: None,
            action: "disable",
            entity_kind: super::service::ENTITY_KIND,
            entity_id: e.id.to_string(),
            before: Some(serde_json::json!({"enabled": true})),
            after: Some(serde_json::json!({"enabled": false, "reason": reason})),
        },
    )
    .await?;
    crate::notifications::service::notify(
        txn,
        vec![e.created_by],
        &Message {
            kind: Kind::WebhookDisabled,
            integration_id: None,
            title: &format!("Webhook endpoint {} was disabled", e.url),
            body: &reason,
            link: &format!("/settings/webhooks/{}", e.id),
        },
    )
    .await
}

/// Runs claimed delivery `c` and records it.
///
/// # Errors
/// Database failures.
pub async fn run_one(
    db: &DatabaseConnection,
    sender: &Sender,
    owner: &str,
    config: &Config,
    c: &Claimed,
) -> Result<bool> {
    let started = Utc::now();
    let outcome = sender.send(c, &config.public_url, started).await;
    record(db, owner, config, c, started, &outcome).await
}

/// One round: fans out new events, then claims and runs what is due, waiting for every
/// attempt. Returns how many attempts were recorded. (The loop, [`run`], does not wait.)
///
/// # Errors
/// Database failures.
pub async fn run_due(
    db: &DatabaseConnection,
    sender: &Sender,
    owner: &str,
    config: &Config,
) -> Result<usize> {
    let now = Utc::now();
    fan_out(db, now).await?;
    let claimed = claim(db, owner, config, config.batch, now).await?;
    let mut set = tokio::task::JoinSet::new();
    for c in claimed {
        let (db, sender, owner, config) = (
            db.clone(),
            sender.clone(),
            owner.to_string(),
            config.clone(),
        );
        set.spawn(async move { run_one(&db, &sender, &owner, &config, &c).await });
    }
    crate::leases::count_kept(set).await
}

/// How often the worker looks for rotations and milestones that fell due.
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

/// How long a stopping worker waits for the attempts it started to be recorded.
pub const DRAIN: std::time::Duration = std::time::Duration::from_secs(15);

/// The worker's loop: every `tick` fans out new events and claims what is due, each attempt
/// in its own task, at most `config.batch` at once. When `stop` completes it claims no more
/// and returns once the attempts it started are recorded (at most [`DRAIN`]).
pub async fn run(
    db: DatabaseConnection,
    sender: Sender,
    config: Config,
    tick: std::time::Duration,
    stop: impl std::future::Future<Output = ()>,
) {
    let owner = crate::leases::owner_name();
    let mut last_sweep: Option<std::time::Instant> = None;
    let chores = || {
        let sweep = last_sweep.is_none_or(|t| t.elapsed() >= SWEEP_EVERY);
        if sweep {
            last_sweep = Some(std::time::Instant::now());
        }
        let db = db.clone();
        async move {
            if sweep
                && let Err(err) = crate::outbox::due::sweep(&db, crate::calendar::today()).await
            {
                tracing::warn!(%err, "sweeping for due rotations and milestones failed");
            }
            if let Err(err) = fan_out(&db, Utc::now()).await {
                tracing::warn!(%err, "fanning out events failed");
            }
        }
    };
    let claim = |room| {
        let (db, owner, config) = (db.clone(), owner.clone(), config.clone());
        async move { claim(&db, &owner, &config, room, Utc::now()).await }
    };
    let work = |c: Claimed| {
        let (db, sender, owner, config) =
            (db.clone(), sender.clone(), owner.clone(), config.clone());
        async move {
            if let Err(err) = run_one(&db, &sender, &owner, &config, &c).await {
                tracing::warn!(%err, delivery = c.delivery.id, "recording a delivery failed");
            }
        }
    };
    let places = crate::leases::Places::new(config.batch).waking();
    crate::leases::run(
        places,
        tick,
        DRAIN,
        "webhook deliveries",
        chores,
        claim,
        work,
        stop,
    )
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_follow_the_schedule_with_jitter_and_honour_retry_after() {
        let config = Config::default();
        let now = Utc::now();
        for (i, wait) in default_retries().iter().enumerate() {
            let at = crate::leases::next_attempt(&config.retries, i as i32 + 1, None, now)
                .unwrap_or(now);
            let got = (at - now).num_milliseconds();
            let ms = wait.num_milliseconds();
            assert!((ms - ms / 10..=ms + ms / 10).contains(&got), "{i}: {got}");
        }
        assert_eq!(
            crate::leases::next_attempt(&config.retries, 7, None, now),
            None,
            "after the last"
        );
        let at = crate::leases::next_attempt(&config.retries, 1, Some(120), now).unwrap_or(now);
        assert_eq!((at - now).num_seconds(), 120, "Retry-After beats 5 s");
        let at =
            crate::leases::next_attempt(&config.retries, 1, Some(10_000_000), now).unwrap_or(now);
        assert_eq!((at - now).num_seconds(), 86_400, "capped at a day");
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = DateTime::parse_from_rfc3339("2026-12-07T10:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        assert_eq!(retry_after_seconds("30", now), Some(30));
        assert_eq!(retry_after_seconds("-3", now), None);
        assert_eq!(
            retry_after_seconds("Mon, 07 Dec 2026 10:01:00 GMT", now),
            Some(60)
        );
        assert_eq!(retry_after_seconds("soon", now), None);
    }
}
