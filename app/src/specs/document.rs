//! Reading a specification: JSON or YAML, with the line and column of a syntax error; the
//! OpenAPI version it declares; and every local `$ref` checked to resolve, so a document that
//! is accepted can be walked without surprises.

use serde_json::Value;

use crate::error::{AppError, Result};
use crate::limits::{SPEC_BYTES, SPEC_NODES, check_json, check_value};

/// The OpenAPI dialect a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Swagger2,
    OpenApi30,
    OpenApi31,
}

/// A parsed, checked specification.
#[derive(Debug, Clone)]
pub struct Document {
    pub dialect: Dialect,
    /// The version string it declares (`2.0`, `3.0.3`, `3.1.0`).
    pub declared: String,
    pub root: Value,
    /// Schema references the operations reach that resolve to nothing, sorted (the schema is
    /// then compared by its name).
    pub dangling: Vec<String>,
}

fn file_error(message: impl Into<String>) -> AppError {
    AppError::field("file", message)
}

/// Reads `bytes` as JSON (when it starts with `{`) or YAML.
///
/// # Errors
/// `Validation` on `file`: too large, not UTF-8, not JSON or YAML (with line and column), not
/// an object, an unknown OpenAPI version, or a `$ref` that does not resolve.
pub fn parse(bytes: &[u8]) -> Result<Document> {
    if bytes.len() > SPEC_BYTES {
        return Err(file_error(format!(
            "The document is larger than {} MB, the limit for a specification.",
            SPEC_BYTES / 1024 / 1024
        )));
    }
    let text =
        std::str::from_utf8(bytes).map_err(|_| file_error("The document is not UTF-8 text."))?;
    let text = text.trim_start_matches('\u{feff}');
    let root: Value = if text.trim_start().starts_with('{') {
        check_json(text.as_bytes(), SPEC_NODES)
            .map_err(|e| file_error(e.message("The document")))?;
        serde_json::from_str(text).map_err(|e| {
            file_error(format!(
                "The document is not valid JSON: line {}, column {}: {e}.",
                e.line(),
                e.column()
            ))
        })?
    } else {
        serde_yaml_ng::from_str(text).map_err(|e| match e.location() {
            Some(l) => file_error(format!(
                "The document is not valid YAML: line {}, column {}: {e}.",
                l.line(),
                l.column()
            )),
            None => file_error(format!("The document is not valid YAML: {e}.")),
        })?
    };
    check_value(&root, SPEC_NODES).map_err(|e| file_error(e.message("The document")))?;
    if !root.is_object() {
        return Err(file_error(
            "The document is not an OpenAPI object (its top level is not a mapping).",
        ));
    }
    let (dialect, declared) = dialect_of(&root)?;
    let dangling = check_refs(&root)?;
    Ok(Document {
        dialect,
        declared,
        root,
        dangling,
    })
}

fn dialect_of(root: &Value) -> Result<(Dialect, String)> {
    if let Some(v) = root.get("openapi") {
        let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
        return if v.starts_with("3.0") {
            Ok((Dialect::OpenApi30, v))
        } else if v.starts_with("3.1") {
            Ok((Dialect::OpenApi31, v))
        } else {
            Err(file_error(format!(
                "Unknown OpenAPI version \"{v}\": Tollgate reads 2.0 (Swagger), 3.0 and 3.1."
            )))
        };
    }
    match root.get("swagger") {
        Some(v) if v.as_str() == Some("2.0") || v.as_f64() == Some(2.0) => {
            Ok((Dialect::Swagger2, "2.0".into()))
        }
        Some(v) => Err(file_error(format!(
            "Unknown Swagger version {v}: Tollgate reads 2.0 (Swagger), 3.0 and 3.1."
        ))),
        None => Err(file_error(
            "This is not an OpenAPI document: it has neither an \"openapi\" nor a \"swagger\" field.",
        )),
    }
}

/// Follows a local reference (`#/components/schemas/X`) in `root`.
pub fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    if pointer.is_empty() {
        return Some(root);
    }
    // `$ref` pointers may percent-encode characters (`%7B` for `{` in a path key).
    root.pointer(&crate::percent::decode(pointer))
}

/// Follows `$ref`s (at most 32 hops). `None` for a reference that leaves the document.
pub fn deref<'a>(root: &'a Value, mut v: &'a Value) -> Option<&'a Value> {
    for _ in 0..32 {
        let Some(r) = v.get("$ref").and_then(Value::as_str) else {
            return Some(v);
        };
        v = resolve(root, r)?;
    }
    None
}

/// Whether a reference names a schema (whose absence leaves one property's shape unknown)
/// rather than a path item, parameter, response or body (whose absence leaves an operation
/// unknowable).
fn names_a_schema(r: &str) -> bool {
    r.starts_with("#/definitions/") || r.starts_with("#/components/schemas/")
}

/// Follows every local `$ref` the operations reach (from `paths` and 3.1 `webhooks`). One
/// that names a missing path item, parameter, response or body is an error: the operation
/// cannot be known. One that names a missing schema is returned, not refused: providers
/// publish such documents (Square's points at a dozen schemas it does not define), and the
/// diff then compares that schema by its name. References to other documents (Square also
/// points at its CDN) are likewise compared as names and never fetched: fetching is the
/// outbound guard's business, and a diff must not depend on the network.
fn check_refs(root: &Value) -> Result<Vec<String>> {
    let mut seen = std::collections::HashSet::new();
    let mut dangling = std::collections::BTreeSet::new();
    let mut stack: Vec<&Value> = ["paths", "webhooks"]
        .iter()
        .filter_map(|k| root.get(*k))
        .collect();
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref")
                    && r.starts_with('#')
                    && seen.insert(r.as_str())
                {
                    match resolve(root, r) {
                        Some(target) => stack.push(target),
                        None if names_a_schema(r) => {
                            dangling.insert(r.clone());
                        }
                        None => {
                            return Err(file_error(format!(
                                "The $ref \"{r}\" does not resolve to anything in the document."
                            )));
                        }
                    }
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    Ok(dangling.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(bytes: &[u8]) -> String {
        parse(bytes)
            .err()
            .and_then(|e| e.field_message("file"))
            .unwrap_or_default()
    }

    #[test]
    fn bad_documents_are_named_with_line_and_column() {
        assert!(
            message(b"{\n  \"openapi\": \"3.0.0\",\n  \"paths\": {,}\n}")
                .starts_with("The document is not valid JSON: line 3, column 13")
        );
        assert!(
            message(b"openapi: 3.0.0\npaths:\n  /a: [\n")
                .starts_with("The document is not valid YAML: line"),
        );
        assert!(
            message(b"openapi: 4.0.0\npaths: {}\n").contains("Unknown OpenAPI version \"4.0.0\"")
        );
        assert!(message(b"swagger: '1.2'\n").contains("Unknown Swagger version"));
        assert!(message(b"{\"info\": {}}").contains("neither an \"openapi\" nor a \"swagger\""));
        assert!(
            message(b"{\"openapi\": \"3.1.0\", \"paths\": {\"/a\": {\"$ref\": \"#/components/pathItems/missing\"}}}")
                .contains("The $ref \"#/components/pathItems/missing\" does not resolve")
        );
        assert!(
            message(b"{\"openapi\": \"3.1.0\", \"paths\": {\"/a\": {\"get\": {\"responses\": {\"200\": {\"$ref\": \"#/components/responses/Ok\"}}}}}, \"components\": {\"responses\": {\"Ok\": {\"$ref\": \"#/components/responses/Gone\"}}}}")
                .contains("\"#/components/responses/Gone\" does not resolve"),
            "followed through a reference"
        );
        assert!(
            parse(b"{\"openapi\": \"3.1.0\", \"paths\": {}, \"components\": {\"schemas\": {\"Dead\": {\"$ref\": \"#/components/responses/Gone\"}}}}").is_ok(),
            "a broken reference nothing uses"
        );
        let d = parse(b"{\"openapi\": \"3.1.0\", \"paths\": {\"/a\": {\"get\": {\"responses\": {\"200\": {\"description\": \"ok\", \"content\": {\"application/json\": {\"schema\": {\"$ref\": \"#/components/schemas/Gone\"}}}}}}}}}")
            .expect("a missing schema is noted, not refused");
        assert_eq!(d.dangling, ["#/components/schemas/Gone"]);
        assert!(parse(b"{\"openapi\": \"3.1.0\", \"paths\": {\"/a\": {\"get\": {\"responses\": {\"200\": {\"$ref\": \"https://example.com/r.json#/ok\"}}}}}}").is_ok());
        assert!(message(&vec![b' '; SPEC_BYTES + 1]).contains("larger than 20 MB"));
    }

    #[test]
    fn the_dialect_is_read_from_the_document() {
        let d = parse(b"swagger: \"2.0\"\npaths: {}\n").expect("swagger");
        assert_eq!(d.dialect, Dialect::Swagger2);
        let d = parse(b"{\"openapi\": \"3.1.0\", \"paths\": {}}").expect("3.1");
        assert_eq!(
            (d.dialect, d.declared.as_str()),
            (Dialect::OpenApi31, "3.1.0")
        );
    }

    #[test]
    fn references_may_escape_and_percent_encode() {
        let root: Value = serde_json::json!({"paths": {"/a/{id}": {"get": {}}}});
        assert!(resolve(&root, "#/paths/~1a~1%7Bid%7D/get").is_some());
    }
}
