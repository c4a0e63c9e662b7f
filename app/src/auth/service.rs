//! (ssr) Passwords, throttling and sign-in.
//!
//! Security rules kept here:
//! - passwords are hashed with argon2id on a blocking thread, so hashing never stalls the
//!   async workers;
//! - an unknown email is verified against a dummy hash, so timing does not reveal which
//!   accounts exist, and every credential failure gets the same message;
//! - after `MAX_FAILURES` failures within `WINDOW` for one email, or from one client address
//!   across accounts, further tries are refused until `WINDOW` after the latest failure.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, prelude::*,
};

use super::model::{BAD_CREDENTIALS, CurrentUser, MIN_PASSWORD_LEN, Role};
use crate::entities::{login_failures, users};
use crate::error::{AppError, Result};

/// Failures allowed within the window before sign-in is refused.
pub const MAX_FAILURES: u64 = 5;
/// The throttling window and lock-out length.
pub const WINDOW: Duration = Duration::minutes(15);

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

/// Hashes a password with argon2id on a blocking thread.
///
/// # Errors
/// `Internal` if hashing fails.
pub async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::internal("hashing password", e))
    })
    .await
    .map_err(|e| AppError::internal("hashing task", e))?
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

/// Verifies a password against a stored hash (or the dummy hash) on a blocking thread.
///
/// # Errors
/// `Internal` if the task fails.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool> {
    tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| dummy_hash().to_string());
        let ok = PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        Ok(ok)
    })
    .await
    .map_err(|e| AppError::internal("verify task", e))?
}

/// Normalises an email for storage and lookup.
pub fn normalize_email(email: &str) -> String {
    crate::validate::strip_control(email.trim()).to_lowercase()
}

/// Maps a stored user to the signed-in view of it.
pub fn to_current(user: &users::Model) -> Result<CurrentUser> {
    let role = Role::parse(&user.role)
        .ok_or_else(|| AppError::internal("stored role", format!("unknown role {}", user.role)))?;
    Ok(CurrentUser {
        id: user.id,
        email: user.email.clone(),
        name: user.name.clone(),
        role,
    })
}

async fn locked_until(
    db: &impl ConnectionTrait,
    column: login_failures::Column,
    value: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    let since = now - WINDOW;
    let query = login_failures::Entity::find()
        .filter(column.eq(value))
        .filter(login_failures::Column::At.gt(since));
    let count = query.clone().count(db).await?;
    if count < MAX_FAILURES {
        return Ok(None);
    }
    let latest = query
        .order_by_desc(login_failures::Column::At)
        .one(db)
        .await?;
    Ok(latest.map(|f| f.at + WINDOW))
}

/// Refuses when the email or the client address is locked out.
///
/// # Errors
/// `TooManyAttempts` naming the time to retry.
pub async fn check_throttle(
    db: &impl ConnectionTrait,
    email: &str,
    client_ip: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let by_email = locked_until(db, login_failures::Column::Email, email, now).await?;
    let by_ip = locked_until(db, login_failures::Column::ClientIp, client_ip, now).await?;
    if let Some(until) = by_email.into_iter().chain(by_ip).max() {
        let minutes = ((until - now).num_seconds() + 59) / 60;
        return Err(AppError::TooManyAttempts(format!(
            "Too many failed sign-ins. Try again after {} UTC (in about {} minute{}).",
            until.format("%H:%M"),
            minutes,
            if minutes == 1 { "" } else { "s" }
        )));
    }
    Ok(())
}

/// Checks credentials, recording a failure or clearing past failures.
///
/// # Errors
/// `TooManyAttempts` when throttled; `Unauthorized` with the one generic message otherwise.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    email: &str,
    password: &str,
    client_ip: &str,
) -> Result<CurrentUser> {
    let email = normalize_email(email);
    let now = Utc::now();
    check_throttle(db, &email, client_ip, now).await?;
    let user = users::Entity::find()
        .filter(users::Column::Email.eq(&email))
        .one(db)
        .await?;
    let ok = verify_password(
        password.to_string(),
        user.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;
    match user {
        Some(user) if ok && user.active => {
            login_failures::Entity::delete_many()
                .filter(login_failures::Column::Email.eq(&email))
                .exec(db)
                .await?;
            to_current(&user)
        }
        _ => {
            login_failures::ActiveModel {
                email: Set(email),
                client_ip: Set(client_ip.to_string()),
                at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
            Err(AppError::Unauthorized(BAD_CREDENTIALS.to_string()))
        }
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
