//! (ssr) The fields of an operation's success responses as JSON pointers (RFC 6901), offered
//! when an engineer writes a data-mapping row. Arrays are entered at their first element
//! (`/data/0/id`); recursive schemas stop at a depth limit, a schema's shallow fields come
//! before its deep ones, and a field that is an id or an expanded object counts as the id.

use serde_json::Value;

use super::document::deref;
use super::index::Operation;

/// How deep pointers go.
pub const MAX_DEPTH: usize = 6;
/// How many pointers one operation offers at most.
pub const MAX_POINTERS: usize = 500;

/// `name` escaped for a JSON pointer: `~` as `~0`, `/` as `~1`.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

fn is_string(root: &Value, schema: &Value) -> bool {
    deref(root, schema)
        .and_then(|s| s.get("type"))
        .and_then(Value::as_str)
        == Some("string")
}

/// Breadth first, so a large schema spends the budget on shallow fields before deep ones.
fn walk(root: &Value, schema: &Value, out: &mut Vec<String>) {
    let mut queue = std::collections::VecDeque::from([(schema, String::new(), 0)]);
    while let Some((schema, prefix, depth)) = queue.pop_front() {
        if depth > MAX_DEPTH || out.len() >= MAX_POINTERS {
            return;
        }
        let Some(s) = deref(root, schema) else {
            continue;
        };
        for key in ["allOf", "anyOf", "oneOf"] {
            let parts = s.get(key).and_then(Value::as_array);
            if key != "allOf" && parts.is_some_and(|p| p.iter().any(|a| is_string(root, a))) {
                // An id or the expanded object (Stripe's expandable fields): it arrives as
                // the id unless asked for, so it is one field.
                continue;
            }
            for part in parts.into_iter().flatten() {
                queue.push_front((part, prefix.clone(), depth));
            }
        }
        if let Some(items) = s.get("items") {
            queue.push_back((items, format!("{prefix}/0"), depth + 1));
        }
        for (name, property) in s
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let pointer = format!("{prefix}/{}", escape(name));
            if out.len() >= MAX_POINTERS {
                return;
            }
            if !out.contains(&pointer) {
                out.push(pointer.clone());
            }
            queue.push_back((property, pointer, depth + 1));
        }
    }
}

/// The pointers into `op`'s 2xx response bodies, in schema order without repeats.
pub fn response_pointers(root: &Value, op: &Operation<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for (status, r) in &op.responses {
        if let (true, Some(schema)) = (status.starts_with('2'), r.schema) {
            walk(root, schema, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::specs::document::parse;
    use crate::specs::index::operations;

    #[test]
    fn nested_objects_arrays_compositions_and_recursion_become_pointers() {
        let doc = parse(
            br#"openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /charges:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {$ref: '#/components/schemas/Charge'}}
                  has_more: {type: boolean}
        '404': {description: gone, content: {application/json: {schema: {properties: {error: {type: string}}}}}}
components:
  schemas:
    Charge:
      allOf:
        - properties: {id: {type: string}, "a/b": {type: string}}
        - properties: {refunds: {type: array, items: {$ref: '#/components/schemas/Charge'}}}
"#,
        )
        .expect("doc");
        let ops = operations(&doc);
        let pointers = response_pointers(&doc.root, &ops[0]);
        for expected in [
            "/data",
            "/data/0/id",
            "/data/0/a~1b",
            "/data/0/refunds/0/id",
            "/has_more",
        ] {
            assert!(
                pointers.contains(&expected.to_string()),
                "{expected} in {pointers:?}"
            );
        }
        assert!(
            !pointers.iter().any(|p| p.starts_with("/error")),
            "only success responses"
        );
        assert!(
            pointers.len() < MAX_POINTERS,
            "recursion stops: {}",
            pointers.len()
        );
    }
}
