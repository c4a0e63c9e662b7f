//! (ssr) Sessions stored in the application's own database, and the one role check every
//! server function and REST handler calls.

use crate::auth::access::Action;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::OnConflict,
};
use tower_sessions::Session;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

use super::model::CurrentUser;
use super::service::to_current;
use crate::entities::{sessions, users};
use crate::error::{AppError, Result};
use crate::state::db;

/// The session key holding the signed-in user's id.
pub const USER_ID_KEY: &str = "user_id";
/// Session keys describing it to its owner: the device and address at sign-in, when it was
/// signed in and when it was last seen (Unix seconds).
const DEVICE_KEY: &str = "device";
const ADDRESS_KEY: &str = "address";
const SINCE_KEY: &str = "since";
const SEEN_KEY: &str = "seen";
/// How stale "last seen" may get before a request writes it again: one write a minute per
/// session at most, which also keeps an active session from idling out.
const SEEN_EVERY_SECONDS: i64 = 60;

/// A tower-sessions store on SeaORM, so sessions live in the same SQLite or PostgreSQL
/// database as everything else and survive restarts.
#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    /// A store on `db`.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// Session `session_id` if it has not expired as of `now`: the one rule of which sessions
/// count, for the store's load and for the kept dashboard page's reader.
pub fn live(session_id: &str, now: DateTime<Utc>) -> sea_orm::Select<sessions::Entity> {
    sessions::Entity::find_by_id(session_id.to_string()).filter(sessions::Column::ExpiresAt.gt(now))
}

fn backend(err: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

fn to_chrono(t: time::OffsetDateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(t.unix_timestamp(), t.nanosecond()).unwrap_or_default()
}

/// The row for a record, with the user id copied out of the data.
fn to_row(record: &Record) -> session_store::Result<sessions::ActiveModel> {
    let data = serde_json::to_string(&record.data).map_err(backend)?;
    let user_id = record
        .data
        .get(USER_ID_KEY)
        .and_then(serde_json::Value::as_i64)
        .and_then(|v| i32::try_from(v).ok());
    Ok(sessions::ActiveModel {
        id: Set(record.id.to_string()),
        user_id: Set(user_id),
        data: Set(data),
        expires_at: Set(to_chrono(record.expiry_date)),
    })
}

#[async_trait]
impl SessionStore for DbSessionStore {
    /// Inserts a new record, drawing a new id on the (astronomically unlikely) collision
    /// rather than overwriting someone else's session.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let inserted = to_row(record)?.insert(&self.db).await;
            match inserted {
                Ok(_) => return Ok(()),
                Err(err) if crate::error::is_unique_violation(&err) => {
                    record.id = Id::default();
                }
                Err(err) => return Err(backend(err)),
            }
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        sessions::Entity::insert(to_row(record)?)
            .on_conflict(
                OnConflict::column(sessions::Column::Id)
                    .update_columns([
                        sessions::Column::UserId,
                        sessions::Column::Data,
                        sessions::Column::ExpiresAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let row = live(&session_id.to_string(), Utc::now())
            .one(&self.db)
            .await
            .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        let data = serde_json::from_str(&row.data).map_err(backend)?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(row.expires_at.timestamp())
            .map_err(backend)?;
        Ok(Some(Record {
            id: *session_id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        sessions::Entity::delete_by_id(session_id.to_string())
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        sessions::Entity::delete_many()
            .filter(sessions::Column::ExpiresAt.lte(Utc::now()))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// The session of the current request.
///
/// # Errors
/// `Internal` when the session layer is missing.
pub async fn session() -> Result<Session> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| AppError::internal("session", e))
}

/// The client's address as the server resolved it (from `X-Forwarded-For` only when the peer
/// is a trusted proxy), put in the request's extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub std::net::IpAddr);

/// The client address of the current request, for throttling: the [`ClientAddr`] the server's
/// middleware resolved for every request.
pub async fn client_ip() -> String {
    leptos_axum::extract::<axum::Extension<ClientAddr>>()
        .await
        .map_or_else(
            |_| "unknown".to_string(),
            |axum::Extension(ClientAddr(ip))| ip.to_string(),
        )
}

/// The signed-in user of one request, read once however many server functions render its
/// page. Provided afresh for every request, so nothing outlives it.
/// Signing in or out forgets it.
#[derive(Clone, Default)]
pub struct RequestUser(std::sync::Arc<tokio::sync::Mutex<Option<Option<CurrentUser>>>>);

async fn forget_request_user() {
    if let Some(cell) = leptos::prelude::use_context::<RequestUser>() {
        *cell.0.lock().await = None;
    }
}

/// The signed-in user, loaded fresh on every request so that a deactivated user or a changed
/// role takes effect at once (once per request when the request provides a [`RequestUser`]).
///
/// # Errors
/// Database failures.
pub async fn current_user() -> Result<Option<CurrentUser>> {
    let Some(cell) = leptos::prelude::use_context::<RequestUser>() else {
        return load_user().await;
    };
    // Held while loading, so the page's concurrent server functions wait for one read.
    let mut slot = cell.0.lock().await;
    if let Some(user) = slot.as_ref() {
        return Ok(user.clone());
    }
    let user = load_user().await?;
    *slot = Some(user.clone());
    Ok(user)
}

/// The user the server's gate already read for this server-function call (see
/// `server::access`), so the function does not read it again.
#[derive(Clone, Debug)]
pub struct CheckedUser(pub CurrentUser);

/// The reader a page that every reader of one role shares is rendered for (see
/// `server::page_cache`): named [`STAND_IN_NAME`], of `role`, with `unread` notifications and
/// `needs` things waiting on them, so that each reader's own name and counts can be put in
/// their place. Only the server puts it
/// on a request, after reading the reader's live session.
#[derive(Clone, Debug)]
pub struct StandIn {
    pub role: crate::auth::model::Role,
    pub unread: u64,
    pub needs: u64,
}

/// The name a shared page is rendered with: letters and digits, the same once escaped.
pub const STAND_IN_NAME: &str = "tollgateStandInReader5c1e";

/// The unread count a shared page with the unread badge is rendered with.
pub const STAND_IN_UNREAD: u64 = 987_654_321;

/// The count of things waiting a shared page with the "Needs me" badge is rendered with
/// (neither marker holds the other).
pub const STAND_IN_NEEDS: u64 = 876_543_219;

/// The stand-in this request is rendered for, if any.
pub async fn stand_in() -> Option<StandIn> {
    leptos_axum::extract::<axum::Extension<StandIn>>()
        .await
        .ok()
        .map(|axum::Extension(s)| s)
}

async fn load_user() -> Result<Option<CurrentUser>> {
    if let Some(s) = stand_in().await {
        return Ok(Some(CurrentUser {
            id: 0,
            email: String::new(),
            name: STAND_IN_NAME.into(),
            role: s.role,
        }));
    }
    if let Ok(axum::Extension(CheckedUser(user))) =
        leptos_axum::extract::<axum::Extension<CheckedUser>>().await
    {
        return Ok(Some(user));
    }
    user_of(&db()?, &session().await?).await
}

/// The account `session` was signed in as, active or not (see [`user_of`]).
///
/// # Errors
/// Session store failures.
pub async fn user_id_of(session: &Session) -> Result<Option<i32>> {
    session
        .get::<i32>(USER_ID_KEY)
        .await
        .map_err(|e| AppError::internal("session read", e))
}

/// The active user `session` is signed in as. A session of a deleted or deactivated account
/// is ended for good.
///
/// # Errors
/// Database and session store failures.
pub async fn user_of(db: &DatabaseConnection, session: &Session) -> Result<Option<CurrentUser>> {
    let Some(id) = user_id_of(session).await? else {
        return Ok(None);
    };
    match users::Entity::find_by_id(id).one(db).await? {
        Some(user) if user.active => {
            touch(session).await?;
            Ok(Some(to_current(&user)?))
        }
        _ => {
            session
                .flush()
                .await
                .map_err(|e| AppError::internal("session flush", e))?;
            Ok(None)
        }
    }
}

/// Notes that `session` was seen now, when its last note is older than a minute.
async fn touch(session: &Session) -> Result<()> {
    let now = Utc::now().timestamp();
    let seen = session
        .get::<i64>(SEEN_KEY)
        .await
        .map_err(|e| AppError::internal("session read", e))?;
    if seen.is_none_or(|s| now - s >= SEEN_EVERY_SECONDS) {
        session
            .insert(SEEN_KEY, now)
            .await
            .map_err(|e| AppError::internal("session write", e))?;
    }
    Ok(())
}

/// "Firefox on Linux" from a User-Agent header: the browser and the system, or the client's
/// first word (curl, python-requests) when it is not a browser.
pub fn device_of(user_agent: &str) -> String {
    let ua = crate::validate::strip_control(user_agent);
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(mark, _)| ua.contains(mark))
    .map(|(_, name)| *name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(mark, _)| ua.contains(mark))
    .map(|(_, name)| *name);
    let device = match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b.to_string(),
        _ => ua
            .split(['/', ' '])
            .next()
            .filter(|w| !w.is_empty())
            .unwrap_or("Unknown device")
            .to_string(),
    };
    device.chars().take(80).collect()
}

/// The live sessions of `user_id`, the one viewing (`current`) first, then by last seen.
///
/// # Errors
/// Database failures.
pub async fn sessions_of(
    db: &impl sea_orm::ConnectionTrait,
    user_id: i32,
    current: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<super::model::ActiveSession>> {
    let rows = sessions::Entity::find()
        .filter(sessions::Column::UserId.eq(user_id))
        .filter(sessions::Column::ExpiresAt.gt(now))
        .all(db)
        .await?;
    let time = |data: &serde_json::Value, key: &str| {
        data.get(key)
            .and_then(serde_json::Value::as_i64)
            .and_then(|t| DateTime::from_timestamp(t, 0))
    };
    let mut out: Vec<(Option<DateTime<Utc>>, super::model::ActiveSession)> = rows
        .into_iter()
        .map(|row| {
            let data: serde_json::Value = serde_json::from_str(&row.data).unwrap_or_default();
            let text = |key: &str| {
                data.get(key)
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("Unknown")
                    .to_string()
            };
            let seen = time(&data, SEEN_KEY);
            (
                seen,
                super::model::ActiveSession {
                    device: text(DEVICE_KEY),
                    address: text(ADDRESS_KEY),
                    signed_in: time(&data, SINCE_KEY),
                    last_seen: seen,
                    current: current == Some(row.id.as_str()),
                },
            )
        })
        .collect();
    out.sort_by(|a, b| b.1.current.cmp(&a.1.current).then(b.0.cmp(&a.0)));
    Ok(out.into_iter().map(|(_, s)| s).collect())
}

/// The signed-in user, when the permission table lets their role do `action`.
///
/// # Errors
/// `Unauthorized` when nobody is signed in; `Forbidden` when the role may not.
pub async fn require(action: Action) -> Result<CurrentUser> {
    let user = current_user()
        .await?
        .ok_or_else(|| AppError::Unauthorized("Please sign in first.".to_string()))?;
    user.may(action)?;
    Ok(user)
}

/// Any signed-in user.
///
/// # Errors
/// As [`require`].
pub async fn require_signed_in() -> Result<CurrentUser> {
    require(Action::Read).await
}

/// Starts a signed-in session with a fresh id, so an id planted before sign-in is worthless.
///
/// # Errors
/// `Internal` on session store failures.
pub async fn sign_in(user: &CurrentUser) -> Result<()> {
    forget_request_user().await;
    let session = session().await?;
    session
        .cycle_id()
        .await
        .map_err(|e| AppError::internal("session cycle", e))?;
    let user_agent = leptos_axum::extract::<http::HeaderMap>()
        .await
        .ok()
        .and_then(|h| {
            h.get(http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
        .unwrap_or_default();
    let now = Utc::now().timestamp();
    let write = |e| AppError::internal("session write", e);
    session.insert(USER_ID_KEY, user.id).await.map_err(write)?;
    session
        .insert(DEVICE_KEY, device_of(&user_agent))
        .await
        .map_err(write)?;
    session
        .insert(ADDRESS_KEY, client_ip().await)
        .await
        .map_err(write)?;
    session.insert(SINCE_KEY, now).await.map_err(write)?;
    session.insert(SEEN_KEY, now).await.map_err(write)
}

/// Ends the current session and deletes it from the store.
///
/// # Errors
/// `Internal` on session store failures.
pub async fn sign_out() -> Result<()> {
    forget_request_user().await;
    session()
        .await?
        .flush()
        .await
        .map_err(|e| AppError::internal("session flush", e))
}

/// Deletes every session of `user_id`, ending them at once.
///
/// # Errors
/// Database failures.
pub async fn end_sessions_of(db: &impl sea_orm::ConnectionTrait, user_id: i32) -> Result<()> {
    end_other_sessions_of(db, user_id, None).await.map(|_| ())
}

/// Deletes every session of `user_id` but `keep` (the session making the request), ending
/// them at once; how many ended.
///
/// # Errors
/// Database failures.
pub async fn end_other_sessions_of(
    db: &impl sea_orm::ConnectionTrait,
    user_id: i32,
    keep: Option<&str>,
) -> Result<u64> {
    let mut doomed = sessions::Entity::delete_many().filter(sessions::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        doomed = doomed.filter(sessions::Column::Id.ne(keep));
    }
    Ok(doomed.exec(db).await?.rows_affected)
}

/// The id of the current request's session, as the store keeps it, if it has one.
///
/// # Errors
/// `Internal` when the session layer is missing.
pub async fn current_session_id() -> Result<Option<String>> {
    Ok(session().await?.id().map(|id| id.to_string()))
}

#[cfg(test)]
mod tests {
    use super::device_of;

    #[test]
    fn a_user_agent_becomes_a_browser_and_a_system_or_the_clients_name() {
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        assert_eq!(device_of(chrome), "Chrome on Windows");
        let edge = format!("{chrome} Edg/131.0.0.0");
        assert_eq!(device_of(&edge), "Edge on Windows");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        assert_eq!(device_of(iphone), "Safari on iOS");
        assert_eq!(device_of("python-requests/2.32.3"), "python-requests");
        assert_eq!(device_of(""), "Unknown device");
        assert_eq!(device_of(&"x".repeat(500)).chars().count(), 80);
    }
}
