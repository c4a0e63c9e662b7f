//! Search: the records matching a query, read from the database's own full-text index
//! (`search_docs`, kept by triggers in the same transaction as each write; see migration
//! `m20261214_000001_search`): FTS5 with bm25 on SQLite, a GIN-indexed `tsvector` with
//! `ts_rank` on PostgreSQL. A record whose title is the query comes first, then the best
//! ranked (a title match weighs more than one in the body). Credential references are left
//! out for a role that may not read them.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, Value};

use super::model::{
    BEST, Group, Hit, PER_PAGE, PREFIX_FROM, RecordKind, Results, SearchQuery, href, marked,
    snippet, words,
};
use crate::auth::access::Action;
use crate::auth::model::CurrentUser;
use crate::error::AppError;
use crate::integrations::model::IntegrationRef;
use crate::paging::page_number;

/// The kinds `user` may not read.
fn hidden(user: &CurrentUser) -> Vec<RecordKind> {
    if user.can(Action::ReadCredentials) {
        Vec::new()
    } else {
        vec![RecordKind::Credential]
    }
}

/// A query in the index's own language: every word must match, a word of [`PREFIX_FROM`]
/// characters or more also matching the words it begins. The words are letters and digits
/// only, so nothing in them is syntax.
fn index_query(backend: DatabaseBackend, words: &[String]) -> String {
    let prefix = |w: &String| w.chars().count() >= PREFIX_FROM;
    if backend == DatabaseBackend::Postgres {
        words
            .iter()
            .map(|w| {
                if prefix(w) {
                    format!("{w}:*")
                } else {
                    w.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" & ")
    } else {
        words
            .iter()
            .map(|w| {
                if prefix(w) {
                    format!("\"{w}\"*")
                } else {
                    format!("\"{w}\"")
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// SQL pieces for `backend`: the matching rows of `search_docs d` (with `$1`, the index
/// query), their score (lower is better), and the placeholder for parameter `n`.
struct Dialect {
    from: &'static str,
    score: &'static str,
    postgres: bool,
}

impl Dialect {
    fn of(backend: DatabaseBackend) -> Self {
        if backend == DatabaseBackend::Postgres {
            Dialect {
                from: "search_docs d, to_tsquery('simple', $1) query WHERE d.document @@ query",
                score: "-ts_rank(d.document, query)",
                postgres: true,
            }
        } else {
            Dialect {
                from: "search_fts JOIN search_docs d ON d.id = search_fts.rowid \
                       WHERE search_fts MATCH $1",
                score: "bm25(search_fts, 10.0, 1.0)",
                postgres: false,
            }
        }
    }

    /// `sql` with `$n` made SQLite's `?n` where needed.
    fn sql(&self, sql: &str) -> String {
        if self.postgres {
            sql.to_string()
        } else {
            sql.replace('$', "?")
        }
    }
}

/// ` AND d.kind NOT IN (...)` for `hidden`, and ` AND d.kind = '...'` for `only` (stored
/// names, never input).
fn kind_filter(hidden: &[RecordKind], only: Option<RecordKind>) -> String {
    let mut out = String::new();
    if !hidden.is_empty() {
        let names: Vec<String> = hidden.iter().map(|k| format!("'{}'", k.as_str())).collect();
        out.push_str(&format!(" AND d.kind NOT IN ({})", names.join(", ")));
    }
    if let Some(k) = only {
        out.push_str(&format!(" AND d.kind = '{}'", k.as_str()));
    }
    out
}

/// How many records of each kind match.
async fn counts(
    db: &impl ConnectionTrait,
    dialect: &Dialect,
    query: &str,
    filter: &str,
) -> Result<BTreeMap<String, u64>, AppError> {
    let sql = format!(
        "SELECT d.kind, count(*) FROM {}{filter} GROUP BY d.kind",
        dialect.from
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            dialect.sql(&sql),
            [Value::from(query)],
        ))
        .await?;
    let mut out = BTreeMap::new();
    for row in rows {
        let kind: String = row.try_get_by_index(0)?;
        let n: i64 = row.try_get_by_index(1)?;
        out.insert(kind, u64::try_from(n).unwrap_or(0));
    }
    Ok(out)
}

/// The best `limit` matches after `offset`, best first: a title that is the query, then by
/// score. Only the chosen rows' text is read.
#[allow(clippy::too_many_arguments)]
async fn best(
    db: &impl ConnectionTrait,
    dialect: &Dialect,
    query: &str,
    exact: &str,
    filter: &str,
    limit: u64,
    offset: u64,
    words: &[String],
) -> Result<Vec<Hit>, AppError> {
    let sql = format!(
        "SELECT d.kind, d.record_id, d.parent_id, d.title, d.body, i.id, i.slug, i.name, \
         i.gate_overridden FROM (SELECT d.id, CASE WHEN lower(d.title) = $2 THEN 0 ELSE 1 END \
         AS exact, {} AS score FROM {}{filter} ORDER BY exact, score, d.id LIMIT {limit} \
         OFFSET {offset}) top JOIN search_docs d ON d.id = top.id \
         JOIN integrations i ON i.id = d.integration_id ORDER BY top.exact, top.score, d.id",
        dialect.score, dialect.from
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            dialect.sql(&sql),
            [Value::from(query), Value::from(exact)],
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let kind = RecordKind::stored(&row.try_get_by_index::<String>(0)?)?;
        let id: i32 = row.try_get_by_index(1)?;
        let parent: Option<i32> = row.try_get_by_index(2)?;
        let title: String = row.try_get_by_index(3)?;
        let body: String = row.try_get_by_index(4)?;
        let integration = IntegrationRef {
            id: row.try_get_by_index(5)?,
            slug: row.try_get_by_index(6)?,
            name: row.try_get_by_index(7)?,
            gate_overridden: row.try_get_by_index(8)?,
        };
        out.push(Hit {
            kind,
            id,
            href: href(kind, id, &integration.slug, parent, &title),
            title: marked(&title, words),
            snippet: snippet(&body, words),
            integration,
        });
    }
    Ok(out)
}

/// What `user` finds for `query`: across every kind they may read, the best [`BEST`] matches
/// grouped by kind (groups in the order of their best match, each with how many match in
/// all); with `kind`, page `page` of that kind's matches, [`PER_PAGE`] a page. No words, no
/// results.
///
/// # Errors
/// `Validation` on `q` (too long), `kind` (not a kind) or `page`; database failures.
pub async fn search(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    query: &SearchQuery,
) -> Result<Results, AppError> {
    // Control characters (a NUL above all, which PostgreSQL refuses in text) are no words.
    let q: String = query
        .q
        .as_deref()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let q = q.trim().to_string();
    let words = words(&q)?;
    let only = match query
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        None => None,
        Some(k) => Some(RecordKind::parse(k).ok_or_else(|| {
            AppError::field("kind", format!("Choose one of: {}.", RecordKind::names()))
        })?),
    };
    let page = page_number(query.page.as_deref())?;
    let mut results = Results {
        q: q.clone(),
        kind: only,
        total: 0,
        groups: Vec::new(),
        page: 1,
        pages: 1,
    };
    let hidden = hidden(user);
    if words.is_empty() || only.is_some_and(|k| hidden.contains(&k)) {
        return Ok(results);
    }
    let dialect = Dialect::of(db.get_database_backend());
    let index = index_query(db.get_database_backend(), &words);
    let filter = kind_filter(&hidden, only);
    let counts = counts(db, &dialect, &index, &filter).await?;
    results.total = counts.values().sum();
    let (limit, offset) = if only.is_some() {
        results.pages = results.total.div_ceil(PER_PAGE).max(1);
        results.page = page.min(results.pages);
        (PER_PAGE, (results.page - 1) * PER_PAGE)
    } else {
        (BEST, 0)
    };
    let exact = q.to_lowercase();
    let hits = best(db, &dialect, &index, &exact, &filter, limit, offset, &words).await?;
    for hit in hits {
        match results.groups.iter_mut().find(|g| g.kind == hit.kind) {
            Some(g) => g.hits.push(hit),
            None => results.groups.push(Group {
                kind: hit.kind,
                label: hit.kind.label().to_string(),
                total: counts.get(hit.kind.as_str()).copied().unwrap_or(0),
                hits: vec![hit],
            }),
        }
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_words_match_whole_words_and_longer_ones_begin_words() {
        let w = vec!["ab".to_string(), "onfido".to_string()];
        assert_eq!(
            index_query(DatabaseBackend::Sqlite, &w),
            "\"ab\" \"onfido\"*"
        );
        assert_eq!(index_query(DatabaseBackend::Postgres, &w), "ab & onfido:*");
    }
}
