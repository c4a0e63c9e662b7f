//! `tollgate spec diff`, `breaking` and `changelog`: the formats, narrowing to some paths, and
//! the exit codes CI pipelines rely on (0 clean or below the threshold, 1 a change at or above
//! --fail-on, 2 a document or an option it cannot read).

use crate::helpers::{ScratchDir, tollgate};

const BASE: &str = "openapi: 3.0.3
info: {title: Orders, version: '1'}
paths:
  /orders:
    get: {responses: {'200': {description: ok}}}
    post:
      parameters: [{name: key, in: header, schema: {type: string}}]
      responses: {'201': {description: made}}
";

const REVISION: &str = "openapi: 3.0.3
info: {title: Orders, version: '2'}
paths:
  /orders:
    post:
      parameters: [{name: key, in: header, schema: {type: string}}, {name: mode, in: query, schema: {type: string}}]
      responses: {'201': {description: made}}
";

fn files() -> (ScratchDir, String, String) {
    let dir = ScratchDir::new("tollgate-spec");
    let base = dir.write("base.yaml", BASE);
    let revision = dir.write("revision.yaml", REVISION);
    (dir, base, revision)
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = tollgate("sqlite::memory:", args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn spec_diff_prints_text_json_and_markdown_and_exits_by_level() {
    let (_dir, base, revision) = files();

    let (code, text, _) = run(&["spec", "diff", &base, &revision]);
    assert_eq!(code, 0, "no --fail-on: always 0");
    assert!(
        text.starts_with("2 changes: 1 error, 0 warning, 1 info"),
        "{text}"
    );
    assert!(
        text.contains("ERR  [api-removed-without-deprecation] at GET /orders"),
        "{text}"
    );

    let (code, json, _) = run(&["spec", "diff", &base, &revision, "--format", "json"]);
    assert_eq!(code, 0);
    let changes: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(
        changes,
        serde_json::json!([
            {"id": "api-removed-without-deprecation", "level": "ERR", "operation": {"method": "GET", "path": "/orders"}, "message": "api removed without deprecation"},
            {"id": "new-optional-request-parameter", "level": "INFO", "operation": {"method": "POST", "path": "/orders"}, "message": "added the new optional query request parameter mode"}
        ])
    );

    let (_, markdown, _) = run(&["spec", "diff", &base, &revision, "--format", "markdown"]);
    assert!(markdown.starts_with("# API changes"), "{markdown}");
    assert!(
        markdown.contains("| ERR | `api-removed-without-deprecation` | `GET /orders` | api removed without deprecation |"),
        "{markdown}"
    );

    assert_eq!(
        run(&["spec", "diff", &base, &revision, "--fail-on", "ERR"]).0,
        1
    );
    assert_eq!(
        run(&["spec", "diff", &base, &revision, "--fail-on", "WARN"]).0,
        1
    );
    assert_eq!(
        run(&["spec", "diff", &revision, &revision, "--fail-on", "INFO"]).0,
        0,
        "no change at all"
    );
    assert_eq!(
        run(&["spec", "diff", &base, &revision, "--fail-on", "INFO"]).0,
        1
    );
}

#[test]
fn spec_diff_exits_2_on_a_document_it_cannot_read() {
    let (dir, base, _) = files();
    let broken = dir.write("broken.json", "{\"openapi\": \"3.0.0\",\n \"paths\": {,}}");
    let (code, out, err) = run(&["spec", "diff", &base, &broken]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("broken.json: The document is not valid JSON: line 2, column 12"),
        "{err}"
    );
    let (code, _, err) = run(&["spec", "diff", &base, "/nonexistent/spec.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read /nonexistent/spec.yaml"), "{err}");
    let (code, _, err) = run(&["spec", "diff", &base, &base, "--format", "xml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--format is text, json, yaml, markdown or githubactions"),
        "{err}"
    );
    let (code, _, err) = run(&["spec", "diff", &base, &base, "--match-path", "/orders("]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--match-path is not a regular expression"),
        "{err}"
    );
    let (code, _, err) = run(&["spec", "breaking", &base, &base, "--fail-on", "SEVERE"]);
    assert_eq!(code, 2);
    assert!(err.contains("--fail-on is ERR, WARN or INFO"), "{err}");
    let (code, _, err) = run(&[
        "spec",
        "diff",
        &base,
        &base,
        "--exclude-elements",
        "description,colour",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--exclude-elements takes description, examples, title, summary"),
        "{err}"
    );
    assert!(err.contains("not colour"), "{err}");
}

#[test]
fn excluding_what_is_never_compared_leaves_the_report_as_it_is() {
    let (_dir, base, revision) = files();
    let plain = run(&["spec", "diff", &base, &revision]);
    let excluded = run(&[
        "spec",
        "diff",
        &base,
        &revision,
        "--exclude-elements",
        "description, examples,title,summary",
    ]);
    assert_eq!(plain, excluded);
    assert!(!plain.1.is_empty(), "the pair has changes");
}

#[test]
fn spec_breaking_prints_what_may_break_a_client_and_changelog_everything() {
    let (_dir, base, revision) = files();
    let (code, text, _) = run(&["spec", "breaking", &base, &revision, "--fail-on", "ERR"]);
    assert_eq!(code, 1);
    assert!(
        text.starts_with("1 changes: 1 error, 0 warning, 0 info"),
        "{text}"
    );
    let (code, text, _) = run(&["spec", "changelog", &base, &revision]);
    assert_eq!(code, 0);
    assert!(
        text.starts_with("2 changes: 1 error, 0 warning, 1 info"),
        "{text}"
    );
    let (_, yaml, _) = run(&["spec", "changelog", &base, &revision, "--format", "yaml"]);
    assert!(
        yaml.starts_with("- id: api-removed-without-deprecation\n  level: ERR\n"),
        "{yaml}"
    );
    let (_, annotations, _) = run(&[
        "spec",
        "breaking",
        &base,
        &revision,
        "--format",
        "githubactions",
    ]);
    assert_eq!(
        annotations,
        "::error title=api-removed-without-deprecation::at GET /orders: api removed without deprecation\n"
    );
}

#[test]
fn spec_diff_narrows_to_the_paths_and_operations_asked_for() {
    let dir = ScratchDir::new("tollgate-spec");
    let doc = |extra: &str| {
        format!(
            "openapi: 3.0.3
info: {{title: Orders, version: '1'}}
paths:
  /orders:
    get: {{responses: {{'200': {{description: ok}}}}}}
{extra}"
        )
    };
    let base = dir.write(
        "base.yaml",
        doc("  /beta/refunds:
    x-beta: true
    get: {responses: {'200': {description: ok}}}
  /carts:
    get: {x-internal: true, responses: {'200': {description: ok}}}
"),
    );
    let revision = dir.write("revision.yaml", doc(""));
    let removed = |args: &[&str]| {
        let (_, text, _) = run(&[&["spec", "diff", &base, &revision], args].concat());
        text.lines()
            .filter_map(|l| l.split(" at ").nth(1))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(removed(&[]), ["GET /beta/refunds", "GET /carts"]);
    assert_eq!(removed(&["--match-path", "^/carts"]), ["GET /carts"]);
    assert_eq!(removed(&["--filter-extension", "^x-beta$"]), ["GET /carts"]);
    assert!(removed(&["--filter-extension", "x-(beta|internal)"]).is_empty());
}

#[test]
fn a_reader_that_stops_early_ends_the_report_without_an_error() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = ScratchDir::new("tollgate-spec");
    // About 3,000 removed operations: far more than a pipe holds.
    let paths: String = (0..3_000)
        .map(|i| {
            format!("  /orders/{i}:\n    get: {{responses: {{'200': {{description: ok}}}}}}\n")
        })
        .collect();
    let base = dir.write(
        "base.yaml",
        format!("openapi: 3.0.3\ninfo: {{title: Orders, version: '1'}}\npaths:\n{paths}"),
    );
    let revision = dir.write(
        "revision.yaml",
        "openapi: 3.0.3\ninfo: {title: Orders, version: '2'}\npaths: {}\n",
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_tollgate"))
        .args(["spec", "diff", &base, &revision, "--fail-on", "ERR"])
        .env("DATABASE_URL", "sqlite::memory:")
        .env("TOLLGATE_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tollgate");
    let mut first = [0u8; 64];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("the report begins");
    // The reader is gone: the rest of the report meets a closed pipe.
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        out.status.code(),
        Some(1),
        "the exit code still says ERR: {stderr}"
    );
}

#[test]
fn a_deprecation_policy_asks_a_new_deprecation_for_a_sunset_far_enough() {
    let dir = ScratchDir::new("tollgate-spec-policy");
    let doc = |op: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: Orders, version: '1'}}\npaths:\n  /orders:\n    get: {{{op}responses: {{'200': {{description: ok}}}}}}\n"
        )
    };
    let base = dir.write("base.yaml", doc(""));
    let bare = dir.write("bare.yaml", doc("deprecated: true, "));
    let far = dir.write(
        "far.yaml",
        doc("deprecated: true, x-sunset: '2999-01-01', "),
    );
    let ids = |revision: &str, policy: &[&str]| {
        let mut args = vec!["spec", "diff", &base, revision, "--format", "json"];
        args.extend_from_slice(policy);
        let (code, json, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        let changes: Vec<serde_json::Value> = serde_json::from_str(&json).expect("json");
        changes
            .iter()
            .map(|c| {
                format!(
                    "{} {}",
                    c["id"].as_str().unwrap_or(""),
                    c["level"].as_str().unwrap_or("")
                )
            })
            .collect::<Vec<_>>()
    };
    let policy = [
        "--deprecation-days-beta",
        "31",
        "--deprecation-days-stable",
        "180",
    ];
    assert_eq!(ids(&bare, &[]), ["endpoint-deprecated INFO"]);
    assert_eq!(ids(&bare, &policy), ["api-deprecated-sunset-missing ERR"]);
    assert_eq!(ids(&far, &policy), ["endpoint-deprecated-with-sunset INFO"]);
    let (code, _, err) = run(&[
        "spec",
        "diff",
        &base,
        &bare,
        "--deprecation-days-stable",
        "soon",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--deprecation-days-stable"), "{err}");
}
