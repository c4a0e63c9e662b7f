//! Search across the records: one row per searchable record in `search_docs` (its kind, id,
//! integration, title and body; for a spec operation, the spec), kept by triggers on each
//! record's table, so a write and its index entry commit or roll back together. The index is
//! the database's own full-text search: an FTS5 table over `search_docs` on SQLite (kept by
//! triggers on `search_docs`), a stored `tsvector` column with a GIN index on PostgreSQL (its
//! text split at punctuation first, as FTS5 splits it, so that a URL's or a path's words are
//! words of their own). A
//! spec's operations are searched in its newest version only: importing a version drops the
//! older versions' operations from the index. Credential references give their name and
//! location, never a value (they hold none). Existing records are indexed when it runs.

use sea_orm::DatabaseBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One searchable kind: its table, and SQL over the row `{r}` for its integration, title,
/// body and parent (a spec operation's spec; NULL otherwise). `only` limits the initial fill.
/// An update rewrites the entry when the title or body would change; where those read other
/// tables (which PostgreSQL's trigger conditions may not), `watch` names the row's columns
/// they depend on instead.
struct Kind {
    kind: &'static str,
    table: &'static str,
    integration: &'static str,
    title: &'static str,
    body: &'static str,
    parent: &'static str,
    only: &'static str,
    watch: &'static [&'static str],
}

const fn kind(
    kind: &'static str,
    table: &'static str,
    integration: &'static str,
    title: &'static str,
    body: &'static str,
) -> Kind {
    Kind {
        kind,
        table,
        integration,
        title,
        body,
        parent: "NULL",
        only: "",
        watch: &[],
    }
}

const OWN: &str = "{r}.integration_id";

const KINDS: &[Kind] = &[
    kind(
        "integration",
        "integrations",
        "{r}.id",
        "{r}.name",
        "{r}.provider || ' ' || {r}.slug || ' ' || {r}.business_objective || ' ' || {r}.tags",
    ),
    kind(
        "objective",
        "objectives",
        OWN,
        "{r}.description",
        "{r}.metric || ' ' || {r}.unit",
    ),
    kind(
        "vendor",
        "vendor_candidates",
        OWN,
        "{r}.name",
        "{r}.provider || ' ' || {r}.pricing_notes || ' ' || {r}.pros || ' ' || {r}.cons",
    ),
    kind(
        "plan",
        "plans",
        OWN,
        "'Plan version ' || {r}.version",
        "{r}.technical_requirements || ' ' || {r}.expected_outcomes || ' ' || {r}.risks || ' ' \
         || {r}.dependencies || ' ' || coalesce({r}.review_comment, '')",
    ),
    kind(
        "milestone",
        "milestones",
        OWN,
        "{r}.title",
        "{r}.description",
    ),
    kind(
        "meeting",
        "meetings",
        OWN,
        "{r}.title",
        "{r}.agenda || ' ' || {r}.notes || ' ' || {r}.decisions || ' ' || {r}.outside_attendees",
    ),
    kind("action", "action_items", OWN, "{r}.text", "''"),
    kind(
        "environment",
        "environments",
        OWN,
        "{r}.name",
        "{r}.base_url",
    ),
    kind(
        "credential",
        "credential_refs",
        OWN,
        "{r}.name",
        "{r}.reference || ' ' || {r}.scopes",
    ),
    kind(
        "test_case",
        "test_cases",
        "(SELECT p.integration_id FROM test_plans p WHERE p.id = {r}.plan_id)",
        "{r}.title",
        "{r}.key || ' ' || {r}.preconditions || ' ' || {r}.steps || ' ' || {r}.expected",
    ),
    Kind {
        watch: &["title", "tracker_url", "execution_id"],
        ..kind(
            "defect",
            "defects",
            OWN,
            "{r}.title",
            "{r}.tracker_url || ' ' || coalesce((SELECT c.key FROM test_executions e \
             JOIN test_cases c ON c.id = e.case_id WHERE e.id = {r}.execution_id), '')",
        )
    },
    kind(
        "incident",
        "incidents",
        OWN,
        "{r}.title",
        "coalesce({r}.ticket_ref, '') || ' ' || coalesce({r}.root_cause, '') || ' ' \
         || coalesce({r}.postmortem, '')",
    ),
    kind(
        "error_group",
        "error_groups",
        OWN,
        "{r}.error_type",
        "{r}.message || ' ' || {r}.operation",
    ),
    kind(
        "ticket",
        "support_tickets",
        OWN,
        "{r}.subject",
        "{r}.reference",
    ),
    kind(
        "feedback",
        "feedback",
        OWN,
        "CASE WHEN {r}.feature_area = '' THEN 'Feedback' ELSE {r}.feature_area END",
        "{r}.comment",
    ),
    Kind {
        kind: "operation",
        table: "spec_operations",
        integration: "(SELECT s.integration_id FROM spec_versions v \
                      JOIN api_specs s ON s.id = v.spec_id WHERE v.id = {r}.version_id)",
        title: "{r}.method || ' ' || {r}.path",
        body: "coalesce({r}.operation_id, '') || ' ' || {r}.summary || ' ' || {r}.tags",
        parent: "(SELECT v.spec_id FROM spec_versions v WHERE v.id = {r}.version_id)",
        only: "WHERE r.version_id IN (SELECT max(v.id) FROM spec_versions v GROUP BY v.spec_id)",
        watch: &[],
    },
    kind(
        "finding",
        "audit_findings",
        OWN,
        "{r}.summary",
        "{r}.remediation || ' ' || {r}.resolution",
    ),
];

fn at(sql: &str, row: &str) -> String {
    sql.replace("{r}", row)
}

/// The statements that create the index on `backend`, fill it and keep it.
fn up_statements(backend: DatabaseBackend) -> Vec<String> {
    let postgres = backend == DatabaseBackend::Postgres;
    let mut out = Vec::new();
    if postgres {
        out.push(
            "CREATE TABLE search_docs (id bigserial PRIMARY KEY, kind text NOT NULL, \
             record_id integer NOT NULL, integration_id integer NOT NULL, parent_id integer, \
             title text NOT NULL, body text NOT NULL, document tsvector GENERATED ALWAYS AS \
             (setweight(to_tsvector('simple', regexp_replace(title, '[[:punct:]]+', ' ', 'g')), \
             'A') || setweight(to_tsvector('simple', \
             regexp_replace(left(body, 100000), '[[:punct:]]+', ' ', 'g')), 'B')) STORED)"
                .into(),
        );
        out.push(
            "CREATE INDEX idx_search_docs_document ON search_docs USING gin (document)".into(),
        );
    } else {
        out.push(
            "CREATE TABLE search_docs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, \
             record_id INTEGER NOT NULL, integration_id INTEGER NOT NULL, parent_id INTEGER, \
             title TEXT NOT NULL, body TEXT NOT NULL)"
                .into(),
        );
        out.push(
            "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_docs', \
             content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
                .into(),
        );
        out.push(
            "CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN \
             INSERT INTO search_fts(rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body); END"
                .into(),
        );
        out.push(
            "CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN \
             INSERT INTO search_fts(search_fts, rowid, title, body) \
             VALUES ('delete', OLD.id, OLD.title, OLD.body); END"
                .into(),
        );
        out.push(
            "CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN \
             INSERT INTO search_fts(search_fts, rowid, title, body) \
             VALUES ('delete', OLD.id, OLD.title, OLD.body); \
             INSERT INTO search_fts(rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body); END"
                .into(),
        );
    }
    out.push("CREATE UNIQUE INDEX idx_search_docs_record ON search_docs (kind, record_id)".into());
    for k in KINDS {
        let insert = |row: &str| {
            format!(
                "INSERT INTO search_docs (kind, record_id, integration_id, parent_id, title, body) \
                 VALUES ('{}', {row}.id, {}, {}, {}, {})",
                k.kind,
                at(k.integration, row),
                at(k.parent, row),
                at(k.title, row),
                at(k.body, row)
            )
        };
        let update = format!(
            "UPDATE search_docs SET title = {}, body = {} WHERE kind = '{}' AND record_id = NEW.id",
            at(k.title, "NEW"),
            at(k.body, "NEW"),
            k.kind
        );
        let delete = format!(
            "DELETE FROM search_docs WHERE kind = '{}' AND record_id = OLD.id",
            k.kind
        );
        let differs = if postgres {
            "IS DISTINCT FROM"
        } else {
            "IS NOT"
        };
        let changed = if k.watch.is_empty() {
            format!(
                "({}) {differs} ({}) OR ({}) {differs} ({})",
                at(k.title, "OLD"),
                at(k.title, "NEW"),
                at(k.body, "OLD"),
                at(k.body, "NEW")
            )
        } else {
            k.watch
                .iter()
                .map(|c| format!("OLD.{c} {differs} NEW.{c}"))
                .collect::<Vec<_>>()
                .join(" OR ")
        };
        out.push(format!(
            "INSERT INTO search_docs (kind, record_id, integration_id, parent_id, title, body) \
             SELECT '{}', r.id, {}, {}, {}, {} FROM {} r {}",
            k.kind,
            at(k.integration, "r"),
            at(k.parent, "r"),
            at(k.title, "r"),
            at(k.body, "r"),
            k.table,
            k.only
        ));
        let (name, table) = (k.kind, k.table);
        if postgres {
            out.push(format!(
                "CREATE FUNCTION search_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                 IF TG_OP = 'DELETE' THEN {delete}; RETURN OLD; END IF; \
                 IF TG_OP = 'INSERT' THEN {}; ELSE {update}; END IF; RETURN NEW; END $$",
                insert("NEW")
            ));
            out.push(format!(
                "CREATE TRIGGER search_{name}_write AFTER INSERT OR DELETE ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION search_{name}()"
            ));
            out.push(format!(
                "CREATE TRIGGER search_{name}_au AFTER UPDATE ON {table} FOR EACH ROW \
                 WHEN ({changed}) EXECUTE FUNCTION search_{name}()"
            ));
        } else {
            out.push(format!(
                "CREATE TRIGGER search_{name}_ai AFTER INSERT ON {table} BEGIN {}; END",
                insert("NEW")
            ));
            out.push(format!(
                "CREATE TRIGGER search_{name}_au AFTER UPDATE ON {table} WHEN {changed} \
                 BEGIN {update}; END"
            ));
            out.push(format!(
                "CREATE TRIGGER search_{name}_ad AFTER DELETE ON {table} BEGIN {delete}; END"
            ));
        }
    }
    // A new version of a spec: the older versions' operations leave the index.
    let older = "DELETE FROM search_docs WHERE kind = 'operation' AND record_id IN \
                 (SELECT o.id FROM spec_operations o JOIN spec_versions v ON v.id = o.version_id \
                 WHERE v.spec_id = NEW.spec_id AND v.id <> NEW.id)";
    if postgres {
        out.push(format!(
            "CREATE FUNCTION search_spec_version() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             {older}; RETURN NEW; END $$"
        ));
        out.push(
            "CREATE TRIGGER search_spec_version_ai AFTER INSERT ON spec_versions FOR EACH ROW \
             EXECUTE FUNCTION search_spec_version()"
                .into(),
        );
    } else {
        out.push(format!(
            "CREATE TRIGGER search_spec_version_ai AFTER INSERT ON spec_versions BEGIN {older}; END"
        ));
        out.push("INSERT INTO search_fts(search_fts) VALUES ('rebuild')".into());
    }
    out
}

fn down_statements(backend: DatabaseBackend) -> Vec<String> {
    let postgres = backend == DatabaseBackend::Postgres;
    let mut out = Vec::new();
    for k in KINDS {
        let (name, table) = (k.kind, k.table);
        if postgres {
            out.push(format!(
                "DROP TRIGGER IF EXISTS search_{name}_write ON {table}"
            ));
            out.push(format!(
                "DROP TRIGGER IF EXISTS search_{name}_au ON {table}"
            ));
            out.push(format!("DROP FUNCTION IF EXISTS search_{name}()"));
        } else {
            for op in ["ai", "au", "ad"] {
                out.push(format!("DROP TRIGGER IF EXISTS search_{name}_{op}"));
            }
        }
    }
    if postgres {
        out.push("DROP TRIGGER IF EXISTS search_spec_version_ai ON spec_versions".into());
        out.push("DROP FUNCTION IF EXISTS search_spec_version()".into());
    } else {
        out.push("DROP TRIGGER IF EXISTS search_spec_version_ai".into());
        out.push("DROP TABLE IF EXISTS search_fts".into());
    }
    out.push("DROP TABLE IF EXISTS search_docs".into());
    out
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for statement in up_statements(manager.get_database_backend()) {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for statement in down_statements(manager.get_database_backend()) {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }
}
