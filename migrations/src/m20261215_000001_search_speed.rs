//! Search in bounded time over a large index (issue 30's budget: p99 under 50 ms over 200,000
//! records). A search reads the newest matches up to a cap, never all of them, so:
//! - SQLite: the FTS5 table is made again with the record's kind as a third column (a search
//!   of one kind, or one leaving credential references out, is then an index query, not a
//!   lookup of each match), and with prefix indexes for 3 to 6 characters (a query word also
//!   matches the words it begins; without them FTS5 merges every such word's list of rows,
//!   which for a common beginning is most of the index).
//! - Both: an index on the lower-cased start of the title, for the record whose title is the
//!   query, found even when it is older than the newest matches.

use sea_orm::DatabaseBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TITLE_INDEX: &str = "CREATE INDEX idx_search_docs_title ON search_docs \
                           (lower(substr(title, 1, 200)))";

/// The FTS5 table over `search_docs` with `columns`, and the triggers that keep it.
fn fts(columns: &str, options: &str) -> Vec<String> {
    let old: Vec<String> = columns.split(", ").map(|c| format!("OLD.{c}")).collect();
    let new: Vec<String> = columns.split(", ").map(|c| format!("NEW.{c}")).collect();
    let (old, new) = (old.join(", "), new.join(", "));
    vec![
        format!(
            "CREATE VIRTUAL TABLE search_fts USING fts5({columns}, content='search_docs', \
             content_rowid='id', tokenize='unicode61 remove_diacritics 2'{options})"
        ),
        format!(
            "CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN \
             INSERT INTO search_fts(rowid, {columns}) VALUES (NEW.id, {new}); END"
        ),
        format!(
            "CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN \
             INSERT INTO search_fts(search_fts, rowid, {columns}) \
             VALUES ('delete', OLD.id, {old}); END"
        ),
        format!(
            "CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN \
             INSERT INTO search_fts(search_fts, rowid, {columns}) \
             VALUES ('delete', OLD.id, {old}); \
             INSERT INTO search_fts(rowid, {columns}) VALUES (NEW.id, {new}); END"
        ),
        "INSERT INTO search_fts(search_fts) VALUES ('rebuild')".into(),
    ]
}

fn drop_fts() -> Vec<String> {
    ["search_docs_ai", "search_docs_ad", "search_docs_au"]
        .iter()
        .map(|t| format!("DROP TRIGGER IF EXISTS {t}"))
        .chain(std::iter::once(
            "DROP TABLE IF EXISTS search_fts".to_string(),
        ))
        .collect()
}

fn up_statements(backend: DatabaseBackend) -> Vec<String> {
    let mut out = vec![TITLE_INDEX.to_string()];
    if backend == DatabaseBackend::Sqlite {
        out.extend(drop_fts());
        out.extend(fts("title, body, kind", ", prefix='3 4 5 6'"));
    }
    out
}

fn down_statements(backend: DatabaseBackend) -> Vec<String> {
    let mut out = vec!["DROP INDEX IF EXISTS idx_search_docs_title".to_string()];
    if backend == DatabaseBackend::Sqlite {
        out.extend(drop_fts());
        out.extend(fts("title, body", ""));
    }
    out
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::execute_all(manager, up_statements(manager.get_database_backend())).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::execute_all(manager, down_statements(manager.get_database_backend())).await
    }
}
