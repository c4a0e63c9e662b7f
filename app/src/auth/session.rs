//! (ssr) Sessions stored in the application's own database, and the one role check every
//! server function and REST handler calls.

use std::net::SocketAddr;

use async_trait::async_trait;
use axum::extract::ConnectInfo;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::OnConflict,
};
use tower_sessions::Session;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

use super::model::{CurrentUser, Role};
use super::service::to_current;
use crate::entities::{sessions, users};
use crate::error::{AppError, Result};
use crate::state::db;

/// The session key holding the signed-in user's id.
pub const USER_ID_KEY: &str = "user_id";

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
                Err(err)
                    if matches!(
                        err.sql_err(),
                        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
                    ) =>
                {
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

/// The client address of the current request, for throttling: the resolved [`ClientAddr`],
/// or the peer's address when nothing resolved one.
pub async fn client_ip() -> String {
    if let Ok(axum::Extension(ClientAddr(ip))) =
        leptos_axum::extract::<axum::Extension<ClientAddr>>().await
    {
        return ip.to_string();
    }
    leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|_| "unknown".to_string())
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

async fn load_user() -> Result<Option<CurrentUser>> {
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
        Some(user) if user.active => Ok(Some(to_current(&user)?)),
        _ => {
            session
                .flush()
                .await
                .map_err(|e| AppError::internal("session flush", e))?;
            Ok(None)
        }
    }
}

/// The one role check: the signed-in user when their role is in `roles`.
///
/// # Errors
/// `Unauthorized` when nobody is signed in; `Forbidden` when the role is not allowed.
pub async fn require(roles: &[Role]) -> Result<CurrentUser> {
    let user = current_user()
        .await?
        .ok_or_else(|| AppError::Unauthorized("Please sign in first.".to_string()))?;
    if roles.contains(&user.role) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Any signed-in user.
///
/// # Errors
/// As [`require`].
pub async fn require_signed_in() -> Result<CurrentUser> {
    require(Role::ALL).await
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
    session
        .insert(USER_ID_KEY, user.id)
        .await
        .map_err(|e| AppError::internal("session write", e))
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
