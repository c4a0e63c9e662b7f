//! Connecting to SQLite or PostgreSQL and running migrations.

use std::time::Duration;

use anyhow::{Context, Result};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement};

/// Connects to `url`, creating the SQLite file's folder when needed.
///
/// # Errors
/// When the database cannot be reached; the message names DATABASE_URL.
pub async fn connect(url: &str) -> Result<DatabaseConnection> {
    if let Some(path) = sqlite_file(url)
        && let Some(dir) = std::path::Path::new(&path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating {} for DATABASE_URL", dir.display()))?;
    }
    let mut options = ConnectOptions::new(url.to_string());
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10));
    if url.contains(":memory:") || url.contains("mode=memory") {
        // Every connection to an in-memory SQLite database is a different database.
        options.max_connections(1).min_connections(1);
    } else if url.starts_with("sqlite:") {
        // Each connection caches 1 MiB of pages (SQLite's default is 2 MiB) and its 32 most
        // recent prepared statements (sqlx keeps 100; the dashboard's are tens of KB each):
        // eight of them are a good part of the server's memory, and the operating system
        // caches the file.
        options.max_connections(8).map_sqlx_sqlite_opts(|o| {
            o.pragma("cache_size", "-1024")
                .statement_cache_capacity(STATEMENTS_KEPT)
        });
    } else {
        options.max_connections(20);
    }
    let db = Database::connect(options)
        .await
        .with_context(|| format!("could not connect to DATABASE_URL {}", redact(url)))?;
    if url.starts_with("sqlite:") {
        // WAL lets readers carry on while one writer commits, and it persists in the file.
        // (sqlx already turns foreign keys on and waits 5 s on a busy database per connection.)
        db.execute_raw(Statement::from_string(
            db.get_database_backend(),
            "PRAGMA journal_mode = WAL",
        ))
        .await?;
    }
    Ok(db)
}

/// Runs every pending migration.
///
/// # Errors
/// When a migration fails.
pub async fn migrate(db: &DatabaseConnection) -> Result<()> {
    Migrator::up(db, None).await.context("running migrations")
}

/// How many prepared statements each SQLite connection keeps.
const STATEMENTS_KEPT: usize = 32;

fn sqlite_file(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && !path.contains(":memory:")).then(|| path.to_string())
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}
