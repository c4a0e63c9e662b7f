//! (ssr) Passwords, throttling and sign-in.
//!
//! Security rules kept here:
//! - passwords are hashed with argon2id on a blocking thread, at most one per core at a time
//!   ([`HashGate`]); when `QUEUE_PER_CORE` more per core already wait, the request is answered
//!   503 with `Retry-After` rather than queued without bound (each hash holds ~19 MiB);
//! - an unknown email is verified against a dummy hash, so timing does not reveal which
//!   accounts exist, and every credential failure gets the same message;
//! - failures are throttled per (account, client address) and per address, with growing
//!   delays and never a hard lock-out of the account: someone guessing from elsewhere cannot
//!   keep its owner out. An attempt is recorded before it is checked, and only earlier
//!   attempts count against it, so concurrent guesses cannot all slip through one check.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect, prelude::*,
};

use super::model::{BAD_CREDENTIALS, CurrentUser, MIN_PASSWORD_LEN};
use crate::entities::{login_failures, users};
use crate::error::{AppError, Result};

/// Failures one address may make on one account before each further try waits.
pub const PAIR_FREE_FAILURES: u64 = 5;
/// Failures one address may make across all accounts before each further try waits: higher,
/// since a shared office address holds many people, but it stops credential stuffing.
pub const ADDRESS_FREE_FAILURES: u64 = 20;
/// The wait after the free failures are used; it doubles with every further failure.
pub const FIRST_DELAY: Duration = Duration::seconds(30);
/// The longest wait, however many failures.
pub const MAX_DELAY: Duration = Duration::minutes(15);
/// How long a failure counts; older rows are deleted.
pub const WINDOW: Duration = Duration::hours(1);
/// Password hashes that may wait per core before new ones are refused with 503.
pub const QUEUE_PER_CORE: usize = 4;

/// Bounds the password hashing running and waiting at once.
pub struct HashGate {
    running: tokio::sync::Semaphore,
    admitted: AtomicUsize,
    limit: usize,
}

/// Releases a place in the gate when dropped.
struct Admitted<'a>(&'a AtomicUsize);

impl Drop for Admitted<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl HashGate {
    /// A gate running `workers` hashes at once with `queue` more waiting.
    pub fn new(workers: usize, queue: usize) -> Self {
        let workers = workers.max(1);
        Self {
            running: tokio::sync::Semaphore::new(workers),
            admitted: AtomicUsize::new(0),
            limit: workers + queue,
        }
    }

    /// Runs `work` on a blocking thread once a worker is free.
    ///
    /// # Errors
    /// `Busy` when the gate is full; `Internal` if the task fails.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        if self.admitted.fetch_add(1, Ordering::SeqCst) >= self.limit {
            self.admitted.fetch_sub(1, Ordering::SeqCst);
            return Err(AppError::Busy {
                message: "Too many sign-ins are being checked right now. Try again in a moment."
                    .into(),
                retry_after: 1,
            });
        }
        let _admitted = Admitted(&self.admitted);
        let _permit = self
            .running
            .acquire()
            .await
            .map_err(|e| AppError::internal("hash gate", e))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| AppError::internal("hashing task", e))
    }
}

/// The process's gate: one worker per core.
fn hash_gate() -> &'static HashGate {
    static GATE: OnceLock<HashGate> = OnceLock::new();
    GATE.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        HashGate::new(cores, cores * QUEUE_PER_CORE)
    })
}

/// Checks a new password against the policy.
///
/// # Errors
/// `Validation` on `field` when too short or too long.
pub fn validate_password(field: &str, password: &str) -> Result<()> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Err(AppError::field(
            field,
            format!("Use at least {MIN_PASSWORD_LEN} characters."),
        ));
    }
    if len > 256 {
        return Err(AppError::field(field, "Use at most 256 characters."));
    }
    Ok(())
}

/// Hashes a password with argon2id on a blocking thread, through the gate.
///
/// # Errors
/// `Busy` when the gate is full; `Internal` if hashing fails.
pub async fn hash_password(password: String) -> Result<String> {
    hash_gate()
        .run(move || {
            let salt = SaltString::generate(&mut rand::rngs::OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| AppError::internal("hashing password", e))
        })
        .await?
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        Argon2::default()
            .hash_password(b"not a real password, only for timing", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Verifies a password against a stored hash (or the dummy hash) on a blocking thread,
/// through the gate.
///
/// # Errors
/// `Busy` when the gate is full; `Internal` if the task fails.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool> {
    hash_gate()
        .run(move || {
            let hash = hash.unwrap_or_else(|| dummy_hash().to_string());
            PasswordHash::new(&hash)
                .map(|parsed| {
                    Argon2::default()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false)
        })
        .await
}

/// Normalises an email for storage and lookup.
pub fn normalize_email(email: &str) -> String {
    crate::validate::strip_control(email.trim()).to_lowercase()
}

/// Maps a stored user to the signed-in view of it.
pub fn to_current(user: &users::Model) -> Result<CurrentUser> {
    let role = user.role;
    Ok(CurrentUser {
        id: user.id,
        email: user.email.clone(),
        name: user.name.clone(),
        role,
    })
}

/// The wait after `failures` earlier failures when `free` of them are allowed without one.
pub fn delay_after(failures: u64, free: u64) -> Duration {
    if failures < free {
        return Duration::zero();
    }
    let doublings = u32::try_from(failures - free).unwrap_or(u32::MAX).min(16);
    (FIRST_DELAY * 2i32.pow(doublings)).min(MAX_DELAY)
}

/// When the attempt recorded as `attempt` may go ahead: the failures recorded before it that
/// match `scope`, counted within the window, push it to the latest one plus its delay.
async fn allowed_from(
    db: &impl ConnectionTrait,
    scope: Condition,
    attempt: i32,
    free: u64,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    // How many earlier failures count, and the latest: one statement.
    let (count, latest): (i64, Option<DateTime<Utc>>) = login_failures::Entity::find()
        .select_only()
        .column_as(login_failures::Column::Id.count(), "count")
        .column_as(login_failures::Column::At.max(), "latest")
        .filter(scope)
        .filter(login_failures::Column::Id.lt(attempt))
        .filter(login_failures::Column::At.gt(now - WINDOW))
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or((0, None));
    let delay = delay_after(u64::try_from(count).unwrap_or(0), free);
    if delay.is_zero() {
        return Ok(None);
    }
    Ok(latest.map(|at| at + delay).filter(|at| *at > now))
}

fn wait_words(seconds: u64) -> String {
    match seconds {
        0..=1 => "1 second".into(),
        2..=90 => format!("{seconds} seconds"),
        _ => format!("about {} minutes", seconds.div_ceil(60)),
    }
}

/// Records an attempt on `email` from `client_ip` and checks it against the earlier ones;
/// returns the attempt's row, which stays as a failure unless the sign-in succeeds.
///
/// # Errors
/// `TooManyAttempts` naming the time to retry (the refused attempt is not recorded).
pub async fn record_attempt(
    db: &impl ConnectionTrait,
    email: &str,
    client_ip: &str,
    now: DateTime<Utc>,
) -> Result<i32> {
    let attempt = login_failures::ActiveModel {
        email: Set(email.to_string()),
        client_ip: Set(client_ip.to_string()),
        at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?
    .id;
    let pair = Condition::all()
        .add(login_failures::Column::Email.eq(email))
        .add(login_failures::Column::ClientIp.eq(client_ip));
    let address = Condition::all().add(login_failures::Column::ClientIp.eq(client_ip));
    let by_pair = allowed_from(db, pair, attempt, PAIR_FREE_FAILURES, now).await?;
    let by_address = allowed_from(db, address, attempt, ADDRESS_FREE_FAILURES, now).await?;
    let Some(until) = by_pair.into_iter().chain(by_address).max() else {
        return Ok(attempt);
    };
    login_failures::Entity::delete_by_id(attempt)
        .exec(db)
        .await?;
    let seconds = u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1);
    Err(AppError::TooManyAttempts {
        message: format!(
            "Too many failed sign-ins from your address. Try again after {} UTC (in {}).",
            until.format("%H:%M:%S"),
            wait_words(seconds)
        ),
        retry_after: seconds,
    })
}

/// Checks credentials: records the attempt, clears this address's failures on the account
/// when it succeeds, and forgets failures older than the window.
///
/// # Errors
/// `TooManyAttempts` when throttled; `Busy` when hashing is at capacity; `Unauthorized` with
/// the one generic message otherwise.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    email: &str,
    password: &str,
    client_ip: &str,
) -> Result<CurrentUser> {
    let email = normalize_email(email);
    let now = Utc::now();
    let attempt = record_attempt(db, &email, client_ip, now).await?;
    let checked = check_password(db, &email, password).await;
    let forget = match &checked {
        Ok(_) => Some(
            Condition::all()
                .add(login_failures::Column::Email.eq(&email))
                .add(login_failures::Column::ClientIp.eq(client_ip)),
        ),
        Err(AppError::Unauthorized(_)) => None,
        // Never got to compare the password (busy, a database failure): not a failure.
        Err(_) => Some(Condition::all().add(login_failures::Column::Id.eq(attempt))),
    };
    if let Some(rows) = forget {
        login_failures::Entity::delete_many()
            .filter(rows)
            .exec(db)
            .await?;
    }
    checked
}

/// Deletes the failures older than the [`WINDOW`], which no longer count (the server does
/// it every few minutes, off the sign-in path). Returns how many went.
///
/// # Errors
/// Database failures.
pub async fn forget_old_failures(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64> {
    Ok(login_failures::Entity::delete_many()
        .filter(login_failures::Column::At.lt(now - WINDOW))
        .exec(db)
        .await?
        .rows_affected)
}

async fn check_password(
    db: &impl ConnectionTrait,
    email: &str,
    password: &str,
) -> Result<CurrentUser> {
    let user = users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(db)
        .await?;
    let ok = verify_password(
        password.to_string(),
        user.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;
    match user {
        Some(user) if ok && user.active => to_current(&user),
        _ => Err(AppError::Unauthorized(BAD_CREDENTIALS.to_string())),
    }
}

/// Whether the instance still needs its first admin.
///
/// # Errors
/// Database failures.
pub async fn needs_setup(db: &impl ConnectionTrait) -> Result<bool> {
    Ok(users::Entity::find().count(db).await? == 0)
}

/// A fresh one-time set-up code: 20 characters from an unambiguous alphabet.
pub fn new_setup_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    let chars: String = (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!(
        "{}-{}-{}-{}",
        &chars[0..5],
        &chars[5..10],
        &chars[10..15],
        &chars[15..20]
    )
}

/// Compares two codes in time independent of where they differ.
pub fn codes_match(given: &str, expected: &str) -> bool {
    let given = given.trim().to_uppercase();
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_starts_after_the_free_failures_doubles_and_stops_at_the_cap() {
        assert_eq!(delay_after(4, 5), Duration::zero());
        assert_eq!(delay_after(5, 5), Duration::seconds(30));
        assert_eq!(delay_after(6, 5), Duration::seconds(60));
        assert_eq!(delay_after(8, 5), Duration::seconds(240));
        assert_eq!(delay_after(50, 5), MAX_DELAY);
        assert_eq!(delay_after(u64::MAX, 5), MAX_DELAY);
    }

    #[tokio::test]
    async fn a_full_hash_gate_answers_busy_at_once_and_admits_again_when_free() {
        let gate = std::sync::Arc::new(HashGate::new(1, 1));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let first = {
            let gate = gate.clone();
            tokio::spawn(async move { gate.run(move || hold.recv().is_ok()).await })
        };
        while gate.admitted.load(Ordering::SeqCst) < 1 {
            tokio::task::yield_now().await;
        }
        let second = {
            let gate = gate.clone();
            tokio::spawn(async move { gate.run(|| true).await })
        };
        while gate.admitted.load(Ordering::SeqCst) < 2 {
            tokio::task::yield_now().await;
        }
        let third = gate.run(|| true).await;
        assert!(matches!(third, Err(AppError::Busy { retry_after: 1, .. })));
        release.send(()).ok();
        assert_eq!(first.await.ok().and_then(Result::ok), Some(true));
        assert_eq!(second.await.ok().and_then(Result::ok), Some(true));
        assert_eq!(gate.run(|| 7).await.ok(), Some(7));
        assert_eq!(gate.admitted.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn passwords_shorter_than_twelve_characters_are_refused() {
        assert!(validate_password("password", "short-pass1").is_err());
        assert!(validate_password("password", "long-enough-pw").is_ok());
    }

    #[test]
    fn setup_codes_match_case_insensitively_and_reject_near_misses() {
        let code = new_setup_code();
        assert!(codes_match(&code.to_lowercase(), &code));
        let mut wrong = code.clone();
        wrong.pop();
        wrong.push('!');
        assert!(!codes_match(&wrong, &code));
        assert!(!codes_match("", &code));
    }

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let hash = hash_password("correct horse battery".into())
            .await
            .unwrap_or_default();
        assert!(
            verify_password("correct horse battery".into(), Some(hash.clone()))
                .await
                .unwrap_or(false)
        );
        assert!(
            !verify_password("wrong horse battery".into(), Some(hash))
                .await
                .unwrap_or(true)
        );
    }
}
