//! The rule table: every pair in `tests/fixtures/spec-rules/*.yaml` diffed, and exactly the
//! changes each expects (`id LEVEL`, in any order; none for a control), so a rule that stops
//! firing, fires twice or changes level fails here by name. Each pair gives only what differs,
//! the schema of one property, a parameter list or the paths, and the test wraps it in a
//! document ([`document`]).

#![allow(clippy::expect_used, clippy::unwrap_used)]

use app::specs::constraints::RULES;
use app::specs::deprecation::Policy;
use app::specs::diff::diff_with;
use app::specs::document::parse;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
struct Case {
    name: String,
    at: String,
    base: Value,
    revision: Value,
    expect: Vec<String>,
    /// The deprecation policy compared under (days for `beta` and `stable`); none if absent.
    #[serde(default)]
    policy: Option<(u32, u32)>,
}

/// A 3.0 document holding `part` where case kind `at` says.
fn document(at: &str, part: &Value) -> Value {
    let ok = json!({"200": {"description": "ok"}});
    let object = json!({"type": "object", "properties": {"p": part}});
    let paths = match at {
        "request-property" | "request-body" => {
            let schema = if at == "request-body" { part } else { &object };
            json!({"/things": {"post": {
                "requestBody": {"content": {"application/json": {"schema": schema}}},
                "responses": ok,
            }}})
        }
        "response-property" | "response-body" => {
            let schema = if at == "response-body" { part } else { &object };
            json!({"/things": {"get": {"responses": {"200": {
                "description": "ok",
                "content": {"application/json": {"schema": schema}},
            }}}}})
        }
        "parameter-schema" => json!({"/things": {"get": {
            "parameters": [{"name": "p", "in": "query", "schema": part}],
            "responses": ok,
        }}}),
        "parameters" => json!({"/things": {"get": {"parameters": part, "responses": ok}}}),
        "paths" => part.clone(),
        "document" => {
            let mut doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}});
            if let (Some(d), Some(p)) = (doc.as_object_mut(), part.as_object()) {
                d.extend(p.clone());
            }
            return doc;
        }
        other => panic!("unknown case kind {other}"),
    };
    json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths})
}

fn cases() -> Vec<(String, Case)> {
    let dir = format!("{}/tests/fixtures/spec-rules", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("rule table")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .flat_map(|path| {
            let text = std::fs::read_to_string(&path).expect("read");
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let cases: Vec<Case> =
                serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
            cases.into_iter().map(move |c| (file.clone(), c))
        })
        .collect()
}

fn found(case: &Case) -> Vec<String> {
    let text = |v: &Value| serde_json::to_vec(&document(&case.at, v)).expect("json");
    let base = parse(&text(&case.base)).expect("base parses");
    let revision = parse(&text(&case.revision)).expect("revision parses");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
    let policy = case
        .policy
        .map(|(beta_days, stable_days)| Policy {
            beta_days,
            stable_days,
        })
        .unwrap_or_default();
    let mut found: Vec<String> = diff_with(&base, &revision, today, policy)
        .into_iter()
        .map(|c| format!("{} {}", c.id, c.level.as_str()))
        .collect();
    found.sort();
    found
}

#[test]
fn every_pair_in_the_rule_table_reports_exactly_what_it_expects() {
    let cases = cases();
    assert!(cases.len() > 150, "the table holds {} pairs", cases.len());
    let mut wrong = Vec::new();
    for (file, case) in &cases {
        let mut expected = case.expect.clone();
        expected.sort();
        let found = found(case);
        if found != expected {
            wrong.push(format!(
                "{file}: {}\n    expected {expected:?}\n    found    {found:?}",
                case.name
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} pairs differ:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

/// Every rule id some pair expects.
fn fired() -> std::collections::HashSet<String> {
    cases()
        .iter()
        .flat_map(|(_, c)| {
            c.expect
                .iter()
                .map(|e| e.split(' ').next().unwrap_or("").to_string())
        })
        .collect()
}

#[test]
fn every_constraint_rule_has_a_pair_that_fires_it() {
    let expected = fired();
    let missing: Vec<&str> = RULES
        .iter()
        .map(|r| r.3)
        .filter(|id| !expected.contains(*id))
        .collect();
    assert!(missing.is_empty(), "rules without a pair: {missing:?}");
}

#[test]
fn every_rule_the_diff_names_has_a_pair_that_fires_it() {
    // The rule ids are the diff's (its schema rules' and security comparison's) string
    // literals of lower-case words joined by hyphens.
    let source = concat!(
        include_str!("../../src/specs/diff.rs"),
        include_str!("../../src/specs/schema_rules.rs"),
        include_str!("../../src/specs/security.rs"),
        include_str!("../../src/specs/versioning.rs"),
        include_str!("../../src/specs/parameter_properties.rs"),
        include_str!("../../src/specs/deprecation.rs"),
        include_str!("../../src/specs/media_names.rs")
    );
    let ids: std::collections::BTreeSet<&str> = source
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            s.contains('-')
                && !s.starts_with('-')
                && !s.ends_with('-')
                && s.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        })
        // Fires only past the work limit: `schema::tests` reaches it with a small limit.
        .filter(|s| *s != "comparison-incomplete")
        .collect();
    assert!(ids.len() > 50, "{} ids read", ids.len());
    let expected = fired();
    let missing: Vec<&&str> = ids.iter().filter(|id| !expected.contains(**id)).collect();
    assert!(missing.is_empty(), "rules without a pair: {missing:?}");
}
