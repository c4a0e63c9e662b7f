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

/// A search in the database's own terms.
struct Matching {
    /// The index's query: every word must match, a word of [`PREFIX_FROM`] characters or more
    /// also matching the words it begins; on SQLite only in the title and body, and only among
    /// the kinds searched.
    index: String,
    /// The kinds searched as SQL on `search_docs d` (stored names, never input).
    kinds: String,
    /// What [`best`] adds where it reads `search_docs`: the kinds, on PostgreSQL (SQLite's
    /// index query holds them).
    newest_kinds: String,
}

/// The search for `words` among the kinds not `hidden`, only `only` when given. The words are
/// letters and digits only, so nothing in them is syntax.
fn matching(
    backend: DatabaseBackend,
    words: &[String],
    hidden: &[RecordKind],
    only: Option<RecordKind>,
) -> Matching {
    let quoted = |ks: &[RecordKind], q: &str| -> Vec<String> {
        ks.iter().map(|k| format!("{q}{}{q}", k.as_str())).collect()
    };
    let mut kinds = String::new();
    if !hidden.is_empty() {
        kinds.push_str(&format!(
            " AND d.kind NOT IN ({})",
            quoted(hidden, "'").join(", ")
        ));
    }
    if let Some(k) = only {
        kinds.push_str(&format!(" AND d.kind = '{}'", k.as_str()));
    }
    let prefix = |w: &String| w.chars().count() >= PREFIX_FROM;
    if backend == DatabaseBackend::Postgres {
        let index = words
            .iter()
            .map(|w| {
                if prefix(w) {
                    format!("{w}:*")
                } else {
                    w.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" & ");
        return Matching {
            index,
            newest_kinds: kinds.clone(),
            kinds,
        };
    }
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
    let mut index = format!("({{title body}} : ({}))", words.join(" "));
    if !hidden.is_empty() {
        index.push_str(&format!(
            " NOT (kind : ({}))",
            quoted(hidden, "\"").join(" OR ")
        ));
    }
    if let Some(k) = only {
        index.push_str(&format!(" AND (kind : \"{}\")", k.as_str()));
    }
    Matching {
        index,
        kinds,
        newest_kinds: String::new(),
    }
}

/// `sql` with `$n` made SQLite's `?n` where needed.
fn dialect(backend: DatabaseBackend, sql: &str) -> String {
    if backend == DatabaseBackend::Postgres {
        sql.to_string()
    } else {
        sql.replace('$', "?")
    }
}

/// A match: its row of `search_docs`, its kind, how many of the matches counted are of its
/// kind and in all, and its place among them (from 1).
struct Candidate {
    id: i64,
    kind: RecordKind,
    of_kind: u64,
    all: u64,
    place: u64,
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
            place: count(row.try_get_by_index(4)?),
        });
    }
    Ok(out)
}

/// Of the newest [`CAP`] + 1 matches of `search`, the best `limit` after `offset`: a title
/// that is the query (`exact`) first, then by score; past the last match, the last page's
/// (pages of `limit`). Only those matches are scored and only the chosen rows leave the
/// database, each with the counts of its kind and of all, so a common word costs no more than
/// a rare one, and any page costs one statement.
async fn best(
    db: &impl ConnectionTrait,
    search: &Matching,
    exact: &str,
    limit: u64,
    offset: u64,
) -> Result<Vec<Candidate>, AppError> {
    let newest = if db.get_database_backend() == DatabaseBackend::Postgres {
        format!(
            "SELECT d.id, d.kind, d.title, (-ts_rank(d.document, query))::float8 AS score \
             FROM search_docs d, to_tsquery('simple', $1) query WHERE d.document @@ query{} \
             ORDER BY d.id DESC LIMIT {}",
            search.newest_kinds,
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
    let capped = format!("CASE WHEN n_all > {CAP} THEN {CAP} ELSE n_all END");
    let sql = format!(
        "SELECT id, kind, of_kind, n_all, place FROM (SELECT id, kind, \
         count(*) OVER (PARTITION BY kind) AS of_kind, count(*) OVER () AS n_all, \
         row_number() OVER (ORDER BY CASE WHEN lower(title) = $2 THEN 0 ELSE 1 END, score, id) \
         AS place FROM ({newest}) n) r WHERE place <= {CAP} AND place > CASE \
         WHEN {capped} > {offset} THEN {offset} ELSE ({capped} - 1) / {limit} * {limit} END \
         ORDER BY place LIMIT {limit}"
    );
    candidate_rows(
        db,
        &sql,
        vec![Value::from(search.index.as_str()), Value::from(exact)],
    )
    .await
}

/// The records of `search`'s kinds whose title is `exact` (at most [`BEST`]), by the title
/// index: found even when older than the newest matches.
async fn titled(
    db: &impl ConnectionTrait,
    search: &Matching,
    exact: &str,
) -> Result<Vec<Candidate>, AppError> {
    let start: String = exact.chars().take(200).collect();
    let sql = format!(
        "SELECT d.id, d.kind, CAST(1 AS BIGINT), CAST(1 AS BIGINT), CAST(1 AS BIGINT) \
         FROM search_docs d WHERE lower(substr(d.title, 1, 200)) = $1 AND lower(d.title) = $2{} \
         LIMIT {BEST}",
        search.kinds
    );
    candidate_rows(db, &sql, vec![Value::from(start), Value::from(exact)]).await
}

/// The hits for `chosen` (rows of `search_docs`), in that order; an action item with its
/// meeting as its parent, for its link.
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
        "SELECT d.id, d.kind, d.record_id, coalesce(d.parent_id, a.meeting_id), d.title, d.body, \
         i.id, i.slug, i.name, i.gate_overridden FROM search_docs d \
         JOIN integrations i ON i.id = d.integration_id \
         LEFT JOIN action_items a ON d.kind = 'action' AND a.id = d.record_id \
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
    let search = matching(db.get_database_backend(), &words, &hidden, only);
    let exact = q.to_lowercase();
    let (limit, offset) = if only.is_some() {
        (PER_PAGE, (page - 1) * PER_PAGE)
    } else {
        (BEST, 0)
    };
    let mut chosen = best(db, &search, &exact, limit, offset).await?;
    let (all, offset) = chosen
        .first()
        .map_or((0, 0), |c| (c.all, c.place.saturating_sub(1)));
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
        let mut first = titled(db, &search, &exact).await?;
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
        let sqlite = matching(DatabaseBackend::Sqlite, &w, &[], None);
        assert_eq!(sqlite.index, "({title body} : (\"ab\" \"onfido\"*))");
        assert_eq!(
            matching(DatabaseBackend::Postgres, &w, &[], None).index,
            "ab & onfido:*"
        );
    }

    #[test]
    fn the_kinds_searched_are_in_the_index_query_on_sqlite_and_in_sql_on_postgres() {
        let w = vec!["key".to_string()];
        let hidden = [RecordKind::Credential];
        let sqlite = matching(
            DatabaseBackend::Sqlite,
            &w,
            &hidden,
            Some(RecordKind::Defect),
        );
        assert_eq!(
            sqlite.index,
            "({title body} : (\"key\"*)) NOT (kind : (\"credential\")) AND (kind : \"defect\")"
        );
        assert_eq!(sqlite.newest_kinds, "");
        let sql = " AND d.kind NOT IN ('credential') AND d.kind = 'defect'";
        assert_eq!(sqlite.kinds, sql);
        let pg = matching(
            DatabaseBackend::Postgres,
            &w,
            &hidden,
            Some(RecordKind::Defect),
        );
        assert_eq!((pg.kinds.as_str(), pg.newest_kinds.as_str()), (sql, sql));
    }
}
