//! (ssr) Narrowing a document to the part a diff should look at, as oasdiff's `--match-path`
//! and `--filter-extension` do: only the paths whose template matches a pattern, and without
//! the operations (or whole path items) that carry an extension whose name matches one.

use regex::Regex;
use serde_json::Value;

use super::document::Document;
use super::index::METHODS;

/// What to keep of a document.
#[derive(Debug, Default, Clone)]
pub struct Narrowing {
    /// Keep only the paths whose template (`/v1/charges/{id}`) matches.
    pub match_path: Option<Regex>,
    /// Drop the operations and path items with an extension (`x-beta`) whose name matches.
    pub filter_extension: Option<Regex>,
}

/// What oasdiff's `--exclude-elements` may leave out that Tollgate reads: none of these is
/// compared (a description, an example, a title or a summary changed is not a change to the
/// API), so excluding them leaves the report as it is; the option is read so that oasdiff
/// command lines run unchanged, and a name outside this list is refused.
pub const EXCLUDABLE: [&str; 4] = ["description", "examples", "title", "summary"];

/// Checks `--exclude-elements` (names separated by commas).
///
/// # Errors
/// A message naming the option and what it takes.
pub fn check_excluded(given: &str) -> Result<(), String> {
    let unknown: Vec<&str> = given
        .split(',')
        .map(str::trim)
        .filter(|e| !EXCLUDABLE.contains(e))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(format!(
        "--exclude-elements takes {} (separated by commas), not {}",
        EXCLUDABLE.join(", "),
        unknown.join(", ")
    ))
}

/// A pattern given as option `flag`, of a bounded size.
fn pattern(flag: &str, given: Option<&str>) -> Result<Option<Regex>, String> {
    given
        .map(|p| {
            regex::RegexBuilder::new(p)
                .size_limit(1 << 20)
                .build()
                .map_err(|e| format!("--{flag} is not a regular expression: {e}"))
        })
        .transpose()
}

impl Narrowing {
    /// From the command line's `--match-path` and `--filter-extension`.
    ///
    /// # Errors
    /// A message naming the option that is not a regular expression.
    pub fn new(match_path: Option<&str>, filter_extension: Option<&str>) -> Result<Self, String> {
        Ok(Self {
            match_path: pattern("match-path", match_path)?,
            filter_extension: pattern("filter-extension", filter_extension)?,
        })
    }

    /// Whether it keeps everything.
    pub fn is_none(&self) -> bool {
        self.match_path.is_none() && self.filter_extension.is_none()
    }

    /// `doc` with only what this keeps of its `paths`.
    pub fn apply(&self, mut doc: Document) -> Document {
        if self.is_none() {
            return doc;
        }
        if let Some(Value::Object(paths)) = doc.root.get_mut("paths") {
            paths.retain(|template, item| {
                self.match_path
                    .as_ref()
                    .is_none_or(|re| re.is_match(template))
                    && !self.flagged(item)
            });
            for item in paths.values_mut() {
                if let Value::Object(item) = item {
                    item.retain(|key, op| !(METHODS.contains(&key.as_str()) && self.flagged(op)));
                }
            }
        }
        doc
    }

    /// Whether `node` (a path item or an operation) has an extension this drops.
    fn flagged(&self, node: &Value) -> bool {
        let (Some(re), Value::Object(fields)) = (&self.filter_extension, node) else {
            return false;
        };
        fields.keys().any(|k| k.starts_with("x-") && re.is_match(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Document {
        let root = json!({"openapi": "3.0.3", "paths": {
            "/v1/charges": {"get": {"responses": {}}, "post": {"x-beta": true, "responses": {}}},
            "/v1/refunds": {"get": {"responses": {}}},
            "/v2/preview": {"x-internal": true, "get": {"responses": {}}}
        }});
        super::super::document::parse(root.to_string().as_bytes()).expect("a document")
    }

    fn operations(d: &Document) -> Vec<String> {
        super::super::index::operations(d)
            .iter()
            .map(|o| format!("{} {}", o.method, o.path))
            .collect()
    }

    #[test]
    fn match_path_keeps_only_the_paths_it_matches() {
        let n = Narrowing::new(Some("^/v1/ch"), None).expect("patterns");
        assert_eq!(
            operations(&n.apply(doc())),
            ["GET /v1/charges", "POST /v1/charges"]
        );
    }

    #[test]
    fn a_pattern_that_is_not_one_is_refused_by_its_option() {
        let err = Narrowing::new(None, Some("x-(")).expect_err("refused");
        assert!(
            err.starts_with("--filter-extension is not a regular expression"),
            "{err}"
        );
    }

    #[test]
    fn filter_extension_drops_operations_and_path_items_that_carry_it() {
        let n = Narrowing::new(None, Some("x-(beta|internal)")).expect("patterns");
        assert_eq!(
            operations(&n.apply(doc())),
            ["GET /v1/charges", "GET /v1/refunds"]
        );
    }
}
