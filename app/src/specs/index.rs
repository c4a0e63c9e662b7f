//! The operations of a document: method and path (with the base path from `servers` or
//! Swagger's `basePath` in front, so moving it between the two changes nothing), operationId,
//! summary, tags, deprecation (`deprecated`, or vendor flags such as `x-is-deprecated`), a
//! sunset date (`x-sunset`), parameters (path-level ones merged in), the request body schema,
//! the responses and the security requirements.

use std::collections::BTreeMap;

use serde_json::Value;

use super::document::{self, Dialect, Document};

/// The HTTP methods an OpenAPI path item may hold.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Vendor flags that mark an operation deprecated.
const DEPRECATION_FLAGS: [&str; 3] = ["x-is-deprecated", "x-deprecated", "x-deprecation"];

/// One parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter<'a> {
    pub name: String,
    /// `path`, `query`, `header`, `cookie` (or Swagger's `formData`).
    pub location: String,
    pub required: bool,
    pub deprecated: bool,
    /// Its `x-sunset` date, if it has one.
    pub sunset: Option<String>,
    pub schema: Option<&'a Value>,
    /// Declared on the path item, for all its operations (not overridden by the operation).
    pub shared: bool,
}

/// A request body: its schema (the first media type's), whether it is required, and its
/// media types (none listed for Swagger 2.0's body parameter).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body<'a> {
    pub schema: Option<&'a Value>,
    /// The first media type's `itemSchema` (OpenAPI 3.2: the schema of each item of a
    /// stream), if any.
    pub item_schema: Option<&'a Value>,
    pub required: bool,
    pub media_types: Vec<String>,
}

/// A response header: whether it is required, and its schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header<'a> {
    pub required: bool,
    pub schema: Option<&'a Value>,
}

/// A response: its body schema (the first media type's), if any, its media types, and its
/// headers (by lower-case name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Response<'a> {
    pub schema: Option<&'a Value>,
    /// The first media type's `itemSchema` (OpenAPI 3.2), if any.
    pub item_schema: Option<&'a Value>,
    pub media_types: Vec<String>,
    pub headers: BTreeMap<String, Header<'a>>,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    /// Upper case: `GET`.
    pub method: String,
    /// The full path, base path included: `/v1/charges/{charge}`.
    pub path: String,
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub deprecated: bool,
    pub sunset: Option<String>,
    /// Its `x-stability-level` (`draft`, `alpha`, `beta`, `stable`, or whatever it says).
    pub stability: Option<String>,
    pub parameters: Vec<Parameter<'a>>,
    /// The request body, if the operation takes one.
    pub body: Option<Body<'a>>,
    /// Status (`200`, `4XX`, `default`) to its response.
    pub responses: BTreeMap<String, Response<'a>>,
    /// The operation's own security requirements, if it sets them.
    pub security: Option<&'a Value>,
}

impl Operation<'_> {
    /// The path with parameter names blanked (`/v1/charges/{}`), so a renamed path parameter
    /// is the same operation.
    pub fn key(&self) -> (String, String) {
        (self.method.clone(), template(&self.path))
    }
}

pub use super::model::template;

/// The base path the document puts in front of every path: Swagger's `basePath`, or the path
/// of the first server URL.
pub fn base_path(doc: &Document) -> String {
    let raw = match doc.dialect {
        Dialect::Swagger2 => doc
            .root
            .get("basePath")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        Dialect::OpenApi30 | Dialect::OpenApi31 => {
            let url = doc
                .root
                .pointer("/servers/0/url")
                .and_then(Value::as_str)
                .unwrap_or("");
            let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
            let path = if url.contains("://") {
                after_scheme.find('/').map_or("", |i| &after_scheme[i..])
            } else {
                after_scheme
            };
            path.to_string()
        }
    };
    raw.trim_end_matches('/').to_string()
}

/// `v` with its `$ref`s followed, or `v` itself when they leave the document.
fn deref<'a>(root: &'a Value, v: &'a Value) -> &'a Value {
    document::deref(root, v).unwrap_or(v)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a flag is set: `true`, or the string `"true"` some documents write.
pub(super) fn truthy(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// The media types of a `content` map, in document order.
fn media_types(v: &Value) -> Vec<String> {
    v.get("content")
        .and_then(Value::as_object)
        .map(|c| c.keys().map(|k| k.to_ascii_lowercase()).collect())
        .unwrap_or_default()
}

/// A response's media types and headers.
fn response<'a>(root: &'a Value, r: &'a Value, dialect: Dialect) -> Response<'a> {
    let headers = r
        .get("headers")
        .and_then(Value::as_object)
        .map(|hs| {
            hs.iter()
                .map(|(name, h)| {
                    let h = deref(root, h);
                    let header = Header {
                        required: truthy(h.get("required")),
                        // Swagger 2.0 puts the type on the header itself.
                        schema: h
                            .get("schema")
                            .or(Some(h).filter(|h| h.get("type").is_some())),
                    };
                    (name.to_ascii_lowercase(), header)
                })
                .collect()
        })
        .unwrap_or_default();
    Response {
        schema: match dialect {
            Dialect::Swagger2 => r.get("schema"),
            _ => content_schema(r, "schema"),
        },
        item_schema: content_schema(r, "itemSchema"),
        media_types: media_types(r),
        headers,
    }
}

/// The first media type's schema (`key`: `schema` or `itemSchema`) of a `content` map.
fn content_schema<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get("content")
        .and_then(Value::as_object)
        .and_then(|c| c.values().next())
        .and_then(|m| m.get(key))
}

fn parameters<'a>(root: &'a Value, lists: [Option<&'a Value>; 2]) -> Vec<Parameter<'a>> {
    let mut out: Vec<Parameter<'a>> = Vec::new();
    for (i, list) in lists.into_iter().enumerate() {
        for p in list.and_then(Value::as_array).into_iter().flatten() {
            let p = deref(root, p);
            let name = p
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let location = p
                .get("in")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            if location == "body" {
                continue;
            }
            // Swagger 2.0 puts the type on the parameter itself.
            let schema = p
                .get("schema")
                .or(Some(p).filter(|p| p.get("type").is_some()));
            let param = Parameter {
                required: location == "path" || truthy(p.get("required")),
                deprecated: truthy(p.get("deprecated")),
                sunset: text(p.get("x-sunset")),
                schema,
                name,
                location,
                shared: i == 0,
            };
            // An operation's parameter overrides the path item's of the same name and place.
            out.retain(|q| !(q.name == param.name && q.location == param.location));
            out.push(param);
        }
    }
    out
}

/// A string-valued key's value.
fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_string)
}

/// Every operation of `doc`, in document order.
pub fn operations(doc: &Document) -> Vec<Operation<'_>> {
    operations_in(doc, "paths", &base_path(doc))
}

/// The operations of an OpenAPI 3.1 document's `webhooks`, each at its webhook's name: the
/// requests the provider sends.
pub fn webhooks(doc: &Document) -> Vec<Operation<'_>> {
    operations_in(doc, "webhooks", "")
}

/// The operations of the path items under top-level key `section`, each path behind `base`.
fn operations_in<'a>(doc: &'a Document, section: &str, base: &str) -> Vec<Operation<'a>> {
    let root = &doc.root;
    let mut out = Vec::new();
    let Some(paths) = root.get(section).and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let item = deref(root, item);
        for method in METHODS {
            let Some(op) = item.get(method) else {
                continue;
            };
            let params = parameters(root, [item.get("parameters"), op.get("parameters")]);
            let body = match doc.dialect {
                Dialect::Swagger2 => op
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|p| deref(root, p))
                    .find(|p| p.get("in").and_then(Value::as_str) == Some("body"))
                    .map(|p| Body {
                        schema: p.get("schema"),
                        item_schema: None,
                        required: truthy(p.get("required")),
                        media_types: Vec::new(),
                    }),
                _ => op.get("requestBody").map(|b| deref(root, b)).map(|b| Body {
                    schema: content_schema(b, "schema"),
                    item_schema: content_schema(b, "itemSchema"),
                    required: truthy(b.get("required")),
                    media_types: media_types(b),
                }),
            };
            let responses = op
                .get("responses")
                .and_then(Value::as_object)
                .map(|rs| {
                    rs.iter()
                        .map(|(status, r)| {
                            let r = response(root, deref(root, r), doc.dialect);
                            (status.to_uppercase(), r)
                        })
                        .collect()
                })
                .unwrap_or_default();
            out.push(Operation {
                method: method.to_uppercase(),
                path: format!("{base}{path}"),
                operation_id: text(op.get("operationId")),
                summary: text(op.get("summary")),
                tags: strings(op.get("tags")),
                deprecated: truthy(op.get("deprecated"))
                    || DEPRECATION_FLAGS.iter().any(|f| truthy(op.get(*f))),
                sunset: text(op.get("x-sunset")),
                stability: text(op.get("x-stability-level")),
                parameters: params,
                body,
                responses,
                security: op.get("security"),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::specs::document::parse;

    #[test]
    fn a_base_path_moved_from_servers_into_the_paths_gives_the_same_operations() {
        let a = parse(br#"{"openapi": "3.0.0", "servers": [{"url": "https://api.example.com/v2/"}], "paths": {"/orders/{id}": {"get": {"responses": {"200": {"description": "ok"}}}}}}"#).expect("a");
        let b = parse(br#"{"openapi": "3.0.0", "servers": [{"url": "https://api.example.com"}], "paths": {"/v2/orders/{order_id}": {"get": {"responses": {"200": {"description": "ok"}}}}}}"#).expect("b");
        assert_eq!(operations(&a)[0].key(), operations(&b)[0].key());
        assert_eq!(operations(&a)[0].path, "/v2/orders/{id}");
    }

    #[test]
    fn vendor_flags_deprecate_and_path_parameters_merge() {
        let d = parse(br#"{"swagger": "2.0", "basePath": "/", "paths": {"/a/{id}": {"parameters": [{"name": "id", "in": "path", "type": "string"}], "post": {"x-is-deprecated": true, "parameters": [{"name": "q", "in": "query", "type": "integer", "required": true}, {"name": "body", "in": "body", "schema": {"type": "object"}}], "responses": {"201": {"description": "made"}}}}}}"#).expect("swagger");
        let ops = operations(&d);
        assert_eq!(ops.len(), 1);
        let op = &ops[0];
        assert!(op.deprecated);
        assert_eq!(op.path, "/a/{id}");
        assert_eq!(
            op.parameters
                .iter()
                .map(|p| (p.name.as_str(), p.required))
                .collect::<Vec<_>>(),
            [("id", true), ("q", true)]
        );
        assert!(op.body.as_ref().is_some_and(|b| b.schema.is_some()));
        assert_eq!(op.responses.keys().collect::<Vec<_>>(), ["201"]);
    }
}
