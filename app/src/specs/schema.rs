//! Comparing two versions of a schema property by property. The two are walked side by side:
//! a property present on one side only is added or removed (its children are not listed
//! again), one on both sides is compared (required, type and format, enum values) and walked
//! into. A pair of `$ref`s is compared once per diff and the result reused wherever the pair
//! recurs, so Stripe's documents, whose objects refer to each other hundreds of times, diff
//! quickly; a pair met again while it is being compared (a recursive schema) is cut there, and
//! nesting stops at a fixed depth.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use serde_json::Value;

use super::document::deref;

/// How deep properties are followed.
pub const MAX_DEPTH: usize = 6;

/// What changed about one property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delta {
    Added { required: bool },
    Removed { required: bool },
    BecameRequired,
    BecameOptional,
    TypeChanged { from: String, to: String },
    EnumAdded(String),
    EnumRemoved(String),
}

/// A change at a property path (`data/items/id`), relative to the schema compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rel {
    pub path: String,
    pub delta: Delta,
}

fn depth_of(path: &str) -> usize {
    path.split('/').count()
}

/// The type of a schema: `type` (a string, or a 3.1 array without "null") with `format`;
/// alternatives as their types joined by `|`; an external reference as its address.
pub fn kind(root: &Value, schema: &Value) -> String {
    kind_at(root, schema, 0)
}

fn kind_at(root: &Value, schema: &Value, depth: usize) -> String {
    let Some(s) = deref(root, schema) else {
        return schema
            .get("$ref")
            .and_then(Value::as_str)
            .unwrap_or("object")
            .to_string();
    };
    let base = match s.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect::<Vec<_>>()
            .join("|"),
        _ => {
            for key in ["anyOf", "oneOf"] {
                if let Some(Value::Array(branches)) = s.get(key) {
                    if depth >= MAX_DEPTH {
                        return "object".into();
                    }
                    let mut kinds: Vec<String> = branches
                        .iter()
                        .flat_map(|b| {
                            kind_at(root, b, depth + 1)
                                .split('|')
                                .map(str::to_string)
                                .collect::<Vec<_>>()
                        })
                        .filter(|k| !k.is_empty())
                        .collect();
                    kinds.sort();
                    kinds.dedup();
                    return kinds.join("|");
                }
            }
            if s.get("properties").is_some() || s.get("allOf").is_some() {
                "object".into()
            } else {
                String::new()
            }
        }
    };
    match s.get("format").and_then(Value::as_str) {
        Some(f) if !base.is_empty() => format!("{base}/{f}"),
        _ => base,
    }
}

/// The enum values of a schema, as JSON text.
pub fn enums(root: &Value, schema: &Value) -> Vec<String> {
    deref(root, schema)
        .and_then(|s| s.get("enum"))
        .and_then(Value::as_array)
        .map(|vs| vs.iter().map(Value::to_string).collect())
        .unwrap_or_default()
}

/// The properties a schema gives its instances: its own and those of its `allOf` parts; an
/// array's `items` counts as a property named `items`. The alternatives of `anyOf` and
/// `oneOf` are not walked into (their change shows as the property's type, `object|string`):
/// that is how oasdiff reads them too, and it keeps Stripe's expandable fields (each one a
/// string or a whole object) from multiplying every nested change by every place it appears.
fn properties<'a>(
    root: &'a Value,
    schema: &'a Value,
    depth: usize,
) -> BTreeMap<&'a str, (&'a Value, bool)> {
    let mut out = BTreeMap::new();
    let Some(s) = deref(root, schema) else {
        return out;
    };
    let required: Vec<&str> = s
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if let Some(Value::Object(props)) = s.get("properties") {
        for (name, sub) in props {
            out.insert(name.as_str(), (sub, required.contains(&name.as_str())));
        }
    }
    if let Some(items) = s.get("items") {
        out.insert("items", (items, false));
    }
    if depth < MAX_DEPTH {
        for part in s
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for (name, (sub, req)) in properties(root, part, depth + 1) {
                out.entry(name).or_insert((sub, false)).1 |= req;
            }
        }
        // `required` may sit in the whole while the properties sit in the parts.
        for (name, entry) in &mut out {
            entry.1 |= required.contains(name);
        }
    }
    out
}

/// Compares schemas of two documents; remembers every pair of references it compared.
pub struct Comparer<'a> {
    old_root: &'a Value,
    new_root: &'a Value,
    memo: HashMap<(&'a str, &'a str), Rc<Vec<Rel>>>,
    open: HashSet<(&'a str, &'a str)>,
}

impl<'a> Comparer<'a> {
    pub fn new(old_root: &'a Value, new_root: &'a Value) -> Self {
        Self {
            old_root,
            new_root,
            memo: HashMap::new(),
            open: HashSet::new(),
        }
    }

    /// The changes from schema `old` to schema `new`, by property path.
    pub fn compare(&mut self, old: &'a Value, new: &'a Value) -> Vec<Rel> {
        self.walk(old, new, 0)
    }

    fn walk(&mut self, old: &'a Value, new: &'a Value, depth: usize) -> Vec<Rel> {
        if depth >= MAX_DEPTH {
            return Vec::new();
        }
        let refs = (
            old.get("$ref").and_then(Value::as_str),
            new.get("$ref").and_then(Value::as_str),
        );
        let (Some(a), Some(b)) = refs else {
            return self.walk_resolved(old, new, depth);
        };
        let pair = (a, b);
        let rels = if let Some(done) = self.memo.get(&pair) {
            Rc::clone(done)
        } else if self.open.contains(&pair) {
            return Vec::new();
        } else {
            self.open.insert(pair);
            let rels = Rc::new(self.walk_resolved(old, new, 0));
            self.open.remove(&pair);
            self.memo.insert(pair, Rc::clone(&rels));
            rels
        };
        rels.iter()
            .filter(|r| depth + depth_of(&r.path) <= MAX_DEPTH)
            .cloned()
            .collect()
    }

    fn walk_resolved(&mut self, old: &'a Value, new: &'a Value, depth: usize) -> Vec<Rel> {
        let (o, n) = (self.old_root, self.new_root);
        let before = properties(o, old, 0);
        let after = properties(n, new, 0);
        let mut out = Vec::new();
        let mut push = |path: &str, delta: Delta| {
            out.push(Rel {
                path: path.to_string(),
                delta,
            });
        };
        for (name, (_, required)) in &before {
            if !after.contains_key(name) {
                push(
                    name,
                    Delta::Removed {
                        required: *required,
                    },
                );
            }
        }
        let mut nested = Vec::new();
        for (name, (sub_new, required)) in &after {
            let Some((sub_old, was_required)) = before.get(name) else {
                push(
                    name,
                    Delta::Added {
                        required: *required,
                    },
                );
                continue;
            };
            if *required && !was_required {
                push(name, Delta::BecameRequired);
            } else if !required && *was_required {
                push(name, Delta::BecameOptional);
            }
            let (from, to) = (kind(o, sub_old), kind(n, sub_new));
            if from != to && !from.is_empty() && !to.is_empty() {
                push(name, Delta::TypeChanged { from, to });
            }
            let (ea, eb) = (enums(o, sub_old), enums(n, sub_new));
            if !ea.is_empty() && !eb.is_empty() {
                for v in eb.iter().filter(|v| !ea.contains(v)) {
                    push(name, Delta::EnumAdded(v.clone()));
                }
                for v in ea.iter().filter(|v| !eb.contains(v)) {
                    push(name, Delta::EnumRemoved(v.clone()));
                }
            }
            nested.push((*name, *sub_old, *sub_new));
        }
        for (name, sub_old, sub_new) in nested {
            for r in self.walk(sub_old, sub_new, depth + 1) {
                out.push(Rel {
                    path: format!("{name}/{}", r.path),
                    delta: r.delta,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_recursive_schema_is_compared_by_path_and_cut_where_it_recurs() {
        let node = |extra: Value| {
            let mut props = json!({
                "id": {"type": "string", "format": "uuid"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
            });
            if let (Some(p), Some(e)) = (props.as_object_mut(), extra.as_object()) {
                p.extend(e.clone());
            }
            json!({"components": {"schemas": {"Node": {"type": "object", "required": ["id"], "properties": props}}}})
        };
        let old = node(json!({}));
        let new = node(json!({"size": {"type": "integer"}}));
        let r = json!({"$ref": "#/components/schemas/Node"});
        let rels = Comparer::new(&old, &new).compare(&r, &r);
        assert_eq!(
            rels,
            [Rel {
                path: "size".into(),
                delta: Delta::Added { required: false }
            }]
        );
    }

    #[test]
    fn an_alternative_that_names_itself_ends() {
        let root = json!({"components": {"schemas": {"A": {"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "string"}]}}}});
        assert_eq!(
            kind(&root, &json!({"$ref": "#/components/schemas/A"})),
            "object|string"
        );
    }

    #[test]
    fn openapi_31_type_arrays_leave_null_out() {
        let root = json!({});
        assert_eq!(kind(&root, &json!({"type": ["string", "null"]})), "string");
    }
}
