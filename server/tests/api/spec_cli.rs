//! `tollgate spec diff`, `breaking` and `changelog`: the formats, narrowing to some paths, and
//! the exit codes CI pipelines rely on (0 clean or below the threshold, 1 a change at or above
//! --fail-on, 2 a document or an option it cannot read).

use crate::helpers::tollgate;

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

fn files() -> (tempdir::Dir, String, String) {
    let dir = tempdir::Dir::new();
    let base = dir.write("base.yaml", BASE);
    let revision = dir.write("revision.yaml", REVISION);
    (dir, base, revision)
}

/// A throwaway directory for the documents, removed when dropped.
mod tempdir {
    pub struct Dir(std::path::PathBuf);

    impl Dir {
        pub fn new() -> Self {
            let path = std::env::temp_dir().join(format!(
                "tollgate-spec-{}-{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or_default()
            ));
            std::fs::create_dir_all(&path).expect("dir");
            Dir(path)
        }

        pub fn write(&self, name: &str, text: &str) -> String {
            let path = self.0.join(name);
            std::fs::write(&path, text).expect("write");
            path.display().to_string()
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
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
    let dir = tempdir::Dir::new();
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
        &doc("  /beta/refunds:
    x-beta: true
    get: {responses: {'200': {description: ok}}}
  /carts:
    get: {x-internal: true, responses: {'200': {description: ok}}}
"),
    );
    let revision = dir.write("revision.yaml", &doc(""));
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
