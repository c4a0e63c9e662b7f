//! Comparing two versions of a schema property by property. The two are walked side by side:
//! a property present on one side only is added or removed (its children are not listed
//! again), one on both sides is compared (required, type and format, enum values) and walked
//! into. Referenced schemas are compared as a graph ([`Comparer`]): each pair once, to any
//! depth, a recursive schema ending where it recurs, and a change inside one reported once, at
//! its location.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use super::document::deref;

/// How deeply `allOf` parts and `anyOf`/`oneOf` alternatives nesting in one another are
/// followed (a schema that is its own part would never end).
const COMPOSITION_DEPTH: usize = 32;

/// What changed about one property.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Delta {
    Added { required: bool },
    Removed { required: bool },
    BecameRequired,
    BecameOptional,
    TypeChanged { from: String, to: String },
    EnumAdded(String),
    EnumRemoved(String),
}

/// A change at a property path (`data/items/id`), relative to the schema compared, or at its
/// location in a referenced schema (`#/components/schemas/Charge/properties/amount`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rel {
    pub path: String,
    pub delta: Delta,
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
                    if depth >= COMPOSITION_DEPTH {
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
    if depth < COMPOSITION_DEPTH {
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

/// The most property comparisons one diff makes: far beyond any real pair of documents
/// (Stripe's takes about 40,000), a bound on what a hostile one can cost.
pub const WORK_LIMIT: usize = 2_000_000;

/// The JSON pointer of property `name` of the schema at pointer `at`.
fn property_at(at: &str, name: &str) -> String {
    if name == "items" {
        // An array's `items` is walked as a property of that name (see `properties`).
        return format!("{at}/items");
    }
    format!(
        "{at}/properties/{}",
        name.replace('~', "~0").replace('/', "~1")
    )
}

/// A pair of referenced schemas compared: the changes at its own level and in the inline
/// schemas below it, each at its location in the revision, and the pairs of references it
/// leads to.
#[derive(Default)]
struct Node {
    direct: Vec<Rel>,
    refs: Vec<usize>,
}

/// Compares schemas of two documents as a graph: each pair of referenced schemas is compared
/// once per diff, however many properties, operations or levels lead to it and however deep
/// it sits (a pair met again, a recursive schema, is an edge back, not a new comparison), and
/// a change inside one is reported at its location (`#/components/schemas/Charge/properties/
/// amount`), once for each schema compared that reaches it. The work is linear in the pairs
/// and their properties; past [`WORK_LIMIT`] comparisons it stops and says so
/// ([`Comparer::exhausted`]).
pub struct Comparer<'a> {
    old_root: &'a Value,
    new_root: &'a Value,
    ids: HashMap<(&'a str, &'a str), usize>,
    nodes: Vec<Node>,
    /// Pairs found and not compared yet: their id and their two schemas.
    pending: Vec<(usize, &'a Value, &'a Value, &'a str)>,
    work: usize,
    limit: usize,
}

impl<'a> Comparer<'a> {
    pub fn new(old_root: &'a Value, new_root: &'a Value) -> Self {
        Self::with_limit(old_root, new_root, WORK_LIMIT)
    }

    /// A comparer that stops after `limit` property comparisons.
    pub fn with_limit(old_root: &'a Value, new_root: &'a Value, limit: usize) -> Self {
        Self {
            old_root,
            new_root,
            ids: HashMap::new(),
            nodes: Vec::new(),
            pending: Vec::new(),
            work: 0,
            limit,
        }
    }

    /// Whether the work limit was reached: the changes returned may then be incomplete.
    pub fn exhausted(&self) -> bool {
        self.work >= self.limit
    }

    /// The changes from schema `old` to schema `new`: those in its inline parts by property
    /// path (`data/items/id`), those inside a referenced schema at that schema's location;
    /// each once.
    pub fn compare(&mut self, old: &'a Value, new: &'a Value) -> Vec<Rel> {
        let mut direct = Vec::new();
        let mut refs = Vec::new();
        self.visit(old, new, "", &mut direct, &mut refs);
        // Every pair found is compared, without recursion, however deep the chain.
        while let Some((id, old, new, at)) = self.pending.pop() {
            let mut node = Node::default();
            self.walk_resolved(old, new, at, &mut node.direct, &mut node.refs);
            self.nodes[id] = node;
        }
        let mut out = direct;
        let mut seen = HashSet::new();
        while let Some(id) = refs.pop() {
            if seen.insert(id) {
                out.extend(self.nodes[id].direct.iter().cloned());
                refs.extend(self.nodes[id].refs.iter().copied());
            }
        }
        let mut once = HashSet::new();
        out.retain(|r| once.insert(r.clone()));
        out
    }

    /// Compares `old` with `new` at `at` (a property path, or a location): a pair of
    /// references is an edge to the pair's node, made the first time it is met.
    fn visit(
        &mut self,
        old: &'a Value,
        new: &'a Value,
        at: &str,
        direct: &mut Vec<Rel>,
        refs: &mut Vec<usize>,
    ) {
        let pair = (
            old.get("$ref").and_then(Value::as_str),
            new.get("$ref").and_then(Value::as_str),
        );
        let (Some(a), Some(b)) = pair else {
            return self.walk_resolved(old, new, at, direct, refs);
        };
        let id = *self.ids.entry((a, b)).or_insert_with(|| {
            self.nodes.push(Node::default());
            self.pending.push((self.nodes.len() - 1, old, new, b));
            self.nodes.len() - 1
        });
        refs.push(id);
    }

    fn walk_resolved(
        &mut self,
        old: &'a Value,
        new: &'a Value,
        at: &str,
        direct: &mut Vec<Rel>,
        refs: &mut Vec<usize>,
    ) {
        let (o, n) = (self.old_root, self.new_root);
        let before = properties(o, old, 0);
        let after = properties(n, new, 0);
        self.work += before.len().max(after.len());
        if self.exhausted() {
            return;
        }
        let path = |name: &str| {
            if at.is_empty() {
                name.to_string()
            } else if at.starts_with('#') {
                property_at(at, name)
            } else {
                format!("{at}/{name}")
            }
        };
        let mut push = |name: &str, delta: Delta| {
            direct.push(Rel {
                path: path(name),
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
            nested.push((path(name), *sub_old, *sub_new));
        }
        for (at, sub_old, sub_new) in nested {
            self.visit(sub_old, sub_new, &at, direct, refs);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_recursive_schema_is_compared_once_and_its_change_reported_where_it_is() {
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
                path: "#/components/schemas/Node/properties/size".into(),
                delta: Delta::Added { required: false }
            }]
        );
    }

    #[test]
    fn a_comparison_past_its_work_limit_stops_and_says_so() {
        let level = |k: usize, bottom: &str| {
            json!({"type": "object", "properties": {
                "a": {"$ref": format!("#/components/schemas/L{}", k + 1)},
                "amount": {"type": if k == 9 { bottom } else { "integer" }}
            }})
        };
        let doc = |bottom: &str| {
            let schemas: serde_json::Map<String, Value> = (0..10)
                .map(|k| (format!("L{k}"), level(k, bottom)))
                .collect();
            json!({"components": {"schemas": schemas}})
        };
        let (old, new) = (doc("integer"), doc("string"));
        let r = json!({"$ref": "#/components/schemas/L0"});
        let mut all = Comparer::new(&old, &new);
        assert_eq!(all.compare(&r, &r).len(), 1);
        assert!(!all.exhausted());
        let mut cut = Comparer::with_limit(&old, &new, 8);
        assert!(cut.compare(&r, &r).is_empty());
        assert!(cut.exhausted());
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
