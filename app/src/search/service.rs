//! Search: the records matching a query, read from the database's own full-text index
//! (`search_docs`, kept by triggers in the same transaction as each write; see migration
//! `m20261214_000001_search`): FTS5 with bm25 on SQLite, a GIN-indexed `tsvector` with
//! `ts_rank` on PostgreSQL. The newest [`CAP`] matches are counted and ranked, never all of
//! them (beyond, "more than"), so a search's cost stays bounded however common its words; a
//! record whose title is the query comes first even when older, then the best ranked (a
//! title match weighs more than one in the body). Credential references are left out for a
//! role that may not read them.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, Value};

use super::model::{
    BEST, CAP, Group, Hit, PER_PAGE, PREFIX_FROM, RecordKind, Results, SearchQuery, href, marked,
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
/// characters or more also matching the words it begins; on SQLite only in the title and
/// body, with `kinds` (an FTS5 condition on the kind column) after. The words are letters and
/// digits only, so nothing in them is syntax.
fn index_query(backend: DatabaseBackend, words: &[String], kinds: &str) -> String {
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
        let words: Vec<String> = words
            .iter()
            .map(|w| {
                if prefix(w) {
                    format!("\"{w}\"*")
                } else {
                    format!("\"{w}\"")
                }
            })
            .collect();
        format!("({{title body}} : ({})){kinds}", words.join(" "))
    }
}

/// The kinds searched, leaving out `hidden` and only `only` when given: as an FTS5 condition
/// on SQLite's kind column, and as SQL on `search_docs d` (stored names, never input).
fn kind_filter(hidden: &[RecordKind], only: Option<RecordKind>) -> (String, String) {
    let quoted = |ks: &[RecordKind], q: &str| -> Vec<String> {
        ks.iter().map(|k| format!("{q}{}{q}", k.as_str())).collect()
    };
    let (mut fts, mut sql) = (String::new(), String::new());
    if !hidden.is_empty() {
        fts.push_str(&format!(
            " NOT (kind : ({}))",
            quoted(hidden, "\"").join(" OR ")
        ));
        sql.push_str(&format!(
            " AND d.kind NOT IN ({})",
            quoted(hidden, "'").join(", ")
        ));
    }
    if let Some(k) = only {
        fts.push_str(&format!(" AND (kind : \"{}\")", k.as_str()));
        sql.push_str(&format!(" AND d.kind = '{}'", k.as_str()));
    }
    (fts, sql)
}

/// `sql` with `$n` made SQLite's `?n` where needed.
fn dialect(backend: DatabaseBackend, sql: &str) -> String {
    if backend == DatabaseBackend::Postgres {
        sql.to_string()
    } else {
        sql.replace('$', "?")
    }
}

/// A match: its row of `search_docs`, its kind, whether its title is the query, and how
/// many of the matches counted are of its kind, and in all.
struct Candidate {
    id: i64,
    kind: RecordKind,
    of_kind: u64,
    all: u64,
}

async fn candidate_rows(
    db: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<Candidate>, AppError> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            dialect(backend, sql),
            values,
        ))
        .await?;
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(Candidate {
            id: row.try_get_by_index(0)?,
            kind: RecordKind::stored(&row.try_get_by_index::<String>(1)?)?,
            of_kind: count(row.try_get_by_index(2)?),
            all: count(row.try_get_by_index(3)?),
        });
    }
    Ok(out)
}

/// Of the newest [`CAP`] + 1 matches of `index` (the index query) among the kinds of `kinds`
/// (see [`kind_filter`]), the best `limit` after `offset`: a title that is the query (`exact`)
/// first, then by score. Only those matches are scored and only the chosen rows leave the
/// database, each with the counts of its kind and of all, so a common word costs no more than
/// a rare one.
async fn best(
    db: &impl ConnectionTrait,
    index: &str,
    exact: &str,
    kinds: &str,
    limit: u64,
    offset: u64,
) -> Result<Vec<Candidate>, AppError> {
    let newest = if db.get_database_backend() == DatabaseBackend::Postgres {
        format!(
            "SELECT d.id, d.kind, d.title, (-ts_rank(d.document, query))::float8 AS score \
             FROM search_docs d, to_tsquery('simple', $1) query WHERE d.document @@ query{kinds} \
             ORDER BY d.id DESC LIMIT {}",
            CAP + 1
        )
    } else {
        format!(
            "SELECT d.id, d.kind, d.title, m.score FROM (SELECT rowid AS id, \
             bm25(search_fts, 10.0, 1.0, 0.0) AS score FROM search_fts WHERE search_fts MATCH $1 \
             ORDER BY rowid DESC LIMIT {}) m JOIN search_docs d ON d.id = m.id",
            CAP + 1
        )
    };
    let sql = format!(
        "SELECT id, kind, count(*) OVER (PARTITION BY kind), count(*) OVER () FROM ({newest}) n \
         ORDER BY CASE WHEN lower(title) = $2 THEN 0 ELSE 1 END, score, id \
         LIMIT {limit} OFFSET {offset}"
    );
    candidate_rows(db, &sql, vec![Value::from(index), Value::from(exact)]).await
}

/// The records whose title is `exact` (at most [`BEST`]), by the title index: found even when
/// older than the newest matches.
async fn titled(
    db: &impl ConnectionTrait,
    exact: &str,
    kinds: &str,
) -> Result<Vec<Candidate>, AppError> {
    let start: String = exact.chars().take(200).collect();
    let sql = format!(
        "SELECT d.id, d.kind, CAST(1 AS BIGINT), CAST(1 AS BIGINT) FROM search_docs d \
         WHERE lower(substr(d.title, 1, 200)) = $1 AND lower(d.title) = $2{kinds} LIMIT {BEST}"
    );
    candidate_rows(db, &sql, vec![Value::from(start), Value::from(exact)]).await
}

/// The hits for `chosen` (rows of `search_docs`), in that order.
async fn hits(
    db: &impl ConnectionTrait,
    chosen: &[Candidate],
    words: &[String],
) -> Result<Vec<Hit>, AppError> {
    if chosen.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = chosen.iter().map(|c| c.id.to_string()).collect();
    let sql = format!(
        "SELECT d.id, d.kind, d.record_id, d.parent_id, d.title, d.body, i.id, i.slug, i.name, \
         i.gate_overridden FROM search_docs d JOIN integrations i ON i.id = d.integration_id \
         WHERE d.id IN ({})",
        ids.join(", ")
    );
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    let mut found = BTreeMap::new();
    for row in rows {
        let doc: i64 = row.try_get_by_index(0)?;
        let kind = RecordKind::stored(&row.try_get_by_index::<String>(1)?)?;
        let id: i32 = row.try_get_by_index(2)?;
        let parent: Option<i32> = row.try_get_by_index(3)?;
        let title: String = row.try_get_by_index(4)?;
        let body: String = row.try_get_by_index(5)?;
        let integration = IntegrationRef {
            id: row.try_get_by_index(6)?,
            slug: row.try_get_by_index(7)?,
            name: row.try_get_by_index(8)?,
            gate_overridden: row.try_get_by_index(9)?,
        };
        found.insert(
            doc,
            Hit {
                kind,
                id,
                href: href(kind, id, &integration.slug, parent, &title),
                title: marked(&title, words),
                snippet: snippet(&body, words),
                integration,
            },
        );
    }
    Ok(chosen.iter().filter_map(|c| found.remove(&c.id)).collect())
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
        more: false,
        groups: Vec::new(),
        page: 1,
        pages: 1,
    };
    let hidden = hidden(user);
    if words.is_empty() || only.is_some_and(|k| hidden.contains(&k)) {
        return Ok(results);
    }
    let backend = db.get_database_backend();
    let (fts_kinds, sql_kinds) = kind_filter(&hidden, only);
    let index = if backend == DatabaseBackend::Postgres {
        index_query(backend, &words, "")
    } else {
        index_query(backend, &words, &fts_kinds)
    };
    let exact = q.to_lowercase();
    let pg_kinds = if backend == DatabaseBackend::Postgres {
        sql_kinds.as_str()
    } else {
        ""
    };
    let (limit, mut offset) = if only.is_some() {
        (PER_PAGE, (page - 1) * PER_PAGE)
    } else {
        (BEST, 0)
    };
    let mut chosen = best(db, &index, &exact, pg_kinds, limit, offset).await?;
    if chosen.is_empty() && offset > 0 {
        // A page past the end reads as the last.
        let all = best(db, &index, &exact, pg_kinds, 1, 0)
            .await?
            .first()
            .map_or(0, |c| c.all);
        offset = (all.min(CAP).div_ceil(PER_PAGE).max(1) - 1) * PER_PAGE;
        chosen = best(db, &index, &exact, pg_kinds, limit, offset).await?;
    }
    let all = chosen.first().map_or(0, |c| c.all);
    results.more = all > CAP;
    results.total = all.min(CAP);
    if only.is_some() {
        results.pages = results.total.div_ceil(PER_PAGE).max(1);
        results.page = offset / PER_PAGE + 1;
    }
    let counts: BTreeMap<&str, u64> = chosen
        .iter()
        .map(|c| (c.kind.as_str(), c.of_kind.min(CAP)))
        .collect();
    if results.more && offset == 0 {
        // Older than the newest matches, a record whose title is the query still comes first.
        let mut first = titled(db, &exact, &sql_kinds).await?;
        first.retain(|t| !chosen.iter().any(|c| c.id == t.id));
        first.append(&mut chosen);
        first.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        chosen = first;
    }
    for hit in hits(db, &chosen, &words).await? {
        match results.groups.iter_mut().find(|g| g.kind == hit.kind) {
            Some(g) => g.hits.push(hit),
            None => results.groups.push(Group {
                kind: hit.kind,
                label: hit.kind.label().to_string(),
                total: counts.get(hit.kind.as_str()).copied().unwrap_or(1),
                more: results.more,
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
            index_query(DatabaseBackend::Sqlite, &w, ""),
            "({title body} : (\"ab\" \"onfido\"*))"
        );
        assert_eq!(
            index_query(DatabaseBackend::Postgres, &w, ""),
            "ab & onfido:*"
        );
    }
}
