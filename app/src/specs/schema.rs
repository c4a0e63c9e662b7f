//! Comparing two versions of a schema property by property. The two are walked side by side:
//! a property present on one side only is added or removed (its children are not listed
//! again), one on both sides is compared (required, type and format, enum values) and walked
//! into. Referenced schemas are compared as a graph ([`Comparer`]): each pair once, to any
//! depth, a recursive schema ending where it recurs, and a change inside one reported once, at
//! its location.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use super::constraints::Moved;
use super::document::deref;
use super::index::truthy;

/// How deeply `allOf` parts and `anyOf`/`oneOf` alternatives nesting in one another are
/// followed (a schema that is its own part would never end).
const COMPOSITION_DEPTH: usize = 32;

/// What changed about one property.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Delta {
    Added {
        required: bool,
    },
    Removed {
        required: bool,
    },
    BecameRequired,
    BecameOptional,
    TypeChanged {
        from: String,
        to: String,
    },
    EnumAdded(String),
    EnumRemoved(String),
    /// A value dropped from the property's `x-extensible-enum` (a list of values that may
    /// grow, which clients must accept).
    ExtensibleEnumRemoved(String),
    /// The property became deprecated, with its `x-sunset` date if it has one.
    Deprecated {
        sunset: Option<String>,
    },
    /// The property is no longer deprecated.
    Reactivated,
    /// Its `readOnly` or `writeOnly` (the flag) set or unset, with whether the property is
    /// required.
    Access {
        flag: &'static str,
        set: bool,
        required: bool,
    },
    /// Its `discriminator` added, removed, or its property name or mapping changed.
    Discriminator {
        change: Discriminated,
        detail: String,
    },
    /// Its `x-stability-level` moved down (`stable` to `beta`) or up, to the level given.
    StabilityDecreased(String),
    StabilityIncreased(String),
    /// An enum where any value was accepted: the JSON text of its values.
    BecameEnum(String),
    /// A member of the schema's `anyOf`, `oneOf`, `allOf` or `prefixItems` (the keyword) added
    /// or removed:
    /// a reference by its address, an inline schema by its type.
    MemberAdded {
        of: &'static str,
        member: String,
    },
    MemberRemoved {
        of: &'static str,
        member: String,
    },
    /// A bound, pattern, nullability or default moved (`constraints`).
    Moved(Moved),
    /// The schema became one alternative of a new `oneOf` (the other alternatives given):
    /// clients that sent or read it alone must now tell them apart.
    WrappedInOneOf(String),
}

/// How a schema's `discriminator` moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Discriminated {
    Added,
    Removed,
    PropertyNameChanged,
    MappingAdded,
    MappingDeleted,
    MappingChanged,
}

/// A change at a property path (`data/items/id`), relative to the schema compared, or at its
/// location in a referenced schema (`#/components/schemas/Charge/properties/amount`); an empty
/// path is the schema compared itself (a body's own type, bounds or members).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rel {
    pub path: String,
    pub delta: Delta,
    /// What the property's own schema says of it (the new one's, the old one's if removed).
    pub guard: Guard,
}

/// What a property's schema says of who sends it and of what stands in when it is absent:
/// oasdiff's guards, under which some changes have rules of their own (a write-only property
/// removed from a response is nothing a client read).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Guard {
    pub read_only: bool,
    pub write_only: bool,
    /// It has a `default`.
    pub default: bool,
}

impl Guard {
    /// The guard of `schema` (dereferenced in `root`).
    pub fn of(root: &Value, schema: &Value) -> Self {
        deref(root, schema).map_or_else(Self::default, |s| Self {
            read_only: truthy(s.get("readOnly")),
            write_only: truthy(s.get("writeOnly")),
            default: s.get("default").is_some(),
        })
    }
}

/// The type of a schema: `type` (a string, or a 3.1 array without "null") with `format`;
/// alternatives as their types joined by `|`; an external reference as its address.
pub fn kind(root: &Value, schema: &Value) -> String {
    kind_at(root, schema, 0, &mut HashMap::new())
}

/// The schema's type, each schema's worked out once (`known`, by address): alternatives that
/// share a schema cost it once, and one that is its own alternative counts as an object.
fn kind_at<'a>(
    root: &'a Value,
    schema: &'a Value,
    depth: usize,
    known: &mut HashMap<*const Value, String>,
) -> String {
    let Some(s) = deref(root, schema) else {
        return schema
            .get("$ref")
            .and_then(Value::as_str)
            .unwrap_or("object")
            .to_string();
    };
    let key = std::ptr::from_ref(s);
    if let Some(k) = known.get(&key) {
        return k.clone();
    }
    // Met again before it is worked out: it is its own alternative.
    known.insert(key, "object".into());
    let base = match s.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => {
            // Sorted: a list re-ordered is the same type.
            let mut names: Vec<&str> = ts
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect();
            names.sort_unstable();
            names.dedup();
            names.join("|")
        }
        _ => alternatives(root, s, depth, known).unwrap_or_else(|| {
            if s.get("properties").is_some() || s.get("allOf").is_some() {
                "object".into()
            } else {
                String::new()
            }
        }),
    };
    let out = match s.get("format").and_then(Value::as_str) {
        Some(f) if !base.is_empty() => format!("{base}/{f}"),
        _ => base,
    };
    known.insert(key, out.clone());
    out
}

/// The types of a schema's `anyOf` or `oneOf` alternatives joined by `|`, if it has them.
fn alternatives<'a>(
    root: &'a Value,
    s: &'a Value,
    depth: usize,
    known: &mut HashMap<*const Value, String>,
) -> Option<String> {
    let branches = ["anyOf", "oneOf"]
        .iter()
        .find_map(|key| s.get(*key).and_then(Value::as_array))?;
    if depth >= COMPOSITION_DEPTH {
        return Some("object".into());
    }
    let mut kinds: Vec<String> = Vec::new();
    for b in branches {
        let k = kind_at(root, b, depth + 1, known);
        kinds.extend(k.split('|').filter(|k| !k.is_empty()).map(str::to_string));
    }
    kinds.sort();
    kinds.dedup();
    Some(kinds.join("|"))
}

/// The rank of an `x-stability-level` (`draft` lowest, `stable` highest); `None` for a value
/// that is not one of the four.
pub fn stability(level: &str) -> Option<u8> {
    ["draft", "alpha", "beta", "stable"]
        .iter()
        .position(|l| *l == level)
        .and_then(|i| u8::try_from(i).ok())
}

/// Whether every value of type `from` is one of type `to` (both as [`kind`] gives them): an
/// integer is a number, a type is one of a list that adds others, and a format dropped
/// accepts what it named. A format changed or added narrows, or is another type.
pub fn widens(from: &str, to: &str) -> bool {
    fn split(kind: &str) -> (Vec<&str>, Option<&str>) {
        match kind.split_once('/') {
            Some((types, format)) => (types.split('|').collect(), Some(format)),
            None => (kind.split('|').collect(), None),
        }
    }
    let ((was, was_format), (now, now_format)) = (split(from), split(to));
    from != to
        && (now_format.is_none() || now_format == was_format)
        && was
            .iter()
            .all(|t| now.contains(t) || (*t == "integer" && now.contains(&"number")))
}

/// The enum values of a schema, as JSON text.
pub fn enums(root: &Value, schema: &Value) -> Vec<String> {
    listed(root, schema, "enum")
}

/// The `x-extensible-enum` values of a schema, as JSON text.
pub fn extensible_enums(root: &Value, schema: &Value) -> Vec<String> {
    listed(root, schema, "x-extensible-enum")
}

/// The values a schema lists under `key`, as JSON text.
fn listed(root: &Value, schema: &Value, key: &str) -> Vec<String> {
    deref(root, schema)
        .and_then(|s| s.get(key))
        .and_then(Value::as_array)
        .map(|vs| vs.iter().map(Value::to_string).collect())
        .unwrap_or_default()
}

/// The values listed on the old side that the new side's list no longer holds, when both
/// sides list some (a list added or removed whole is not a value removed).
pub fn dropped(old: &[String], new: &[String]) -> Vec<String> {
    if old.is_empty() || new.is_empty() {
        return Vec::new();
    }
    old.iter().filter(|v| !new.contains(v)).cloned().collect()
}

/// The members of a schema's `anyOf`, `oneOf` or `allOf` (`of`), each as a reference's
/// address or an inline schema's type (with its title, if it has one). An `allOf` that only
/// wraps a reference (see [`reference`]) has none: it is that reference.
fn members(root: &Value, schema: &Value, of: &str) -> Vec<String> {
    if of == "allOf" && schema.get("$ref").is_none() && reference(schema).is_some() {
        return Vec::new();
    }
    let Some(list) = schema.get(of).and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .map(|m| {
            match (
                m.get("$ref").and_then(Value::as_str),
                m.get("title").and_then(Value::as_str),
            ) {
                (Some(r), _) => r.to_string(),
                (None, _) if annotations_only(m) => ANNOTATIONS.to_string(),
                (None, Some(t)) => format!("{t} ({})", kind(root, m)),
                (None, None) => kind(root, m),
            }
        })
        .collect()
}

/// The member an inline schema of annotations alone is named by: it constrains nothing.
pub const ANNOTATIONS: &str = "a schema of annotations only";

/// Whether inline schema `m` holds annotations only (titles, descriptions, examples,
/// defaults, access flags, extensions), so a value that met the rest meets it too.
fn annotations_only(m: &Value) -> bool {
    const ANNOTATING: [&str; 11] = [
        "title",
        "description",
        "example",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$comment",
        "externalDocs",
        "xml",
    ];
    m.as_object().is_some_and(|o| {
        o.keys()
            .all(|k| ANNOTATING.contains(&k.as_str()) || k.starts_with("x-"))
    })
}

/// The items of `old` that `new` holds fewer of (counted, so a second `string` member is one).
fn fewer(old: &[String], new: &[String]) -> Vec<String> {
    let mut left = new.to_vec();
    old.iter()
        .filter(|m| match left.iter().position(|l| l == *m) {
            Some(i) => {
                left.swap_remove(i);
                false
            }
            None => true,
        })
        .cloned()
        .collect()
}

/// Whether `new` wraps `old` as one alternative of a `oneOf` it did not have (the same
/// reference, or an equal inline schema): the other alternatives, named as members are.
fn wrapped(o: &Value, n: &Value, old: &Value, new: &Value) -> Option<String> {
    let (a, b) = (deref(o, old)?, deref(n, new)?);
    if a.get("oneOf").is_some() {
        return None;
    }
    let list = b.get("oneOf").and_then(Value::as_array)?;
    let same = |m: &Value| match (old.get("$ref"), m.get("$ref")) {
        (Some(x), Some(y)) => x == y,
        _ => deref(n, m) == Some(a),
    };
    let at = list.iter().position(same)?;
    let mut names = members(n, b, "oneOf");
    names.remove(at);
    Some(names.join(", "))
}

/// What changed about one schema itself from `old` (in document `o`) to `new` (in `n`): its
/// members, type, enum values, deprecation and constraints (not its properties).
fn own(o: &Value, n: &Value, old: &Value, new: &Value) -> Vec<Delta> {
    let mut out = Vec::new();
    let (Some(a), Some(b)) = (deref(o, old), deref(n, new)) else {
        return out;
    };
    let mut alternatives_moved = false;
    for of in ["anyOf", "oneOf", "allOf", "prefixItems"] {
        let (was, now) = (members(o, a, of), members(n, b, of));
        let alternative = matches!(of, "anyOf" | "oneOf");
        for member in fewer(&now, &was) {
            alternatives_moved |= alternative;
            out.push(Delta::MemberAdded { of, member });
        }
        for member in fewer(&was, &now) {
            alternatives_moved |= alternative;
            out.push(Delta::MemberRemoved { of, member });
        }
    }
    // A type read from alternatives that moved is told by the members, not again as a type.
    let (from, to) = (kind(o, old), kind(n, new));
    if from != to && !from.is_empty() && !to.is_empty() && !alternatives_moved {
        out.push(Delta::TypeChanged { from, to });
    }
    let (ea, eb) = (enums(o, old), enums(n, new));
    if ea.is_empty() && !eb.is_empty() {
        out.push(Delta::BecameEnum(eb.join(", ")));
    }
    out.extend(dropped(&eb, &ea).into_iter().map(Delta::EnumAdded));
    out.extend(dropped(&ea, &eb).into_iter().map(Delta::EnumRemoved));
    let (xa, xb) = (extensible_enums(o, old), extensible_enums(n, new));
    out.extend(
        dropped(&xa, &xb)
            .into_iter()
            .map(Delta::ExtensibleEnumRemoved),
    );
    match (truthy(a.get("deprecated")), truthy(b.get("deprecated"))) {
        (false, true) => out.push(Delta::Deprecated {
            sunset: b
                .get("x-sunset")
                .and_then(Value::as_str)
                .map(str::to_string),
        }),
        (true, false) => out.push(Delta::Reactivated),
        _ => {}
    }
    out.extend(discriminator(
        a.get("discriminator"),
        b.get("discriminator"),
    ));
    fn level(s: &Value) -> Option<&str> {
        s.get("x-stability-level").and_then(Value::as_str)
    }
    if let (Some(was), Some(now)) = (level(a), level(b))
        && let (Some(x), Some(y)) = (stability(was), stability(now))
    {
        if y < x {
            out.push(Delta::StabilityDecreased(now.to_string()));
        } else if y > x {
            out.push(Delta::StabilityIncreased(now.to_string()));
        }
    }
    out.extend(
        super::constraints::compare(a, b)
            .into_iter()
            .map(Delta::Moved),
    );
    out
}

/// How a schema's `discriminator` moved: added, removed, its property name changed, and each
/// mapping added, deleted or pointed elsewhere.
fn discriminator(old: Option<&Value>, new: Option<&Value>) -> Vec<Delta> {
    let d = |change, detail: String| Delta::Discriminator { change, detail };
    let name = |v: &Value| {
        v.get("propertyName")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let (a, b) = match (old, new) {
        (None, None) => return Vec::new(),
        (None, Some(b)) => return vec![d(Discriminated::Added, name(b))],
        (Some(a), None) => return vec![d(Discriminated::Removed, name(a))],
        (Some(a), Some(b)) => (a, b),
    };
    let mut out = Vec::new();
    if name(a) != name(b) {
        out.push(d(
            Discriminated::PropertyNameChanged,
            format!("{} to {}", name(a), name(b)),
        ));
    }
    let mapping = |v: &Value| {
        v.get("mapping")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let (was, now) = (mapping(a), mapping(b));
    for (key, target) in &now {
        match was.get(key) {
            None => out.push(d(Discriminated::MappingAdded, key.clone())),
            Some(t) if t != target => out.push(d(Discriminated::MappingChanged, key.clone())),
            Some(_) => {}
        }
    }
    for key in was.keys().filter(|k| !now.contains_key(*k)) {
        out.push(d(Discriminated::MappingDeleted, key.clone()));
    }
    out
}

/// The properties a schema gives its instances: its own and those of its `allOf` parts; an
/// array's `items` counts as a property named `items`. The alternatives of `anyOf` and
/// `oneOf` are not walked into (their change shows as the property's type, `object|string`):
/// that is how oasdiff reads them too, and it keeps Stripe's expandable fields (each one a
/// string or a whole object) from multiplying every nested change by every place it appears.
fn properties<'a>(root: &'a Value, schema: &'a Value) -> BTreeMap<&'a str, (&'a Value, bool)> {
    let mut out = BTreeMap::new();
    gather(root, schema, 0, &mut HashSet::new(), &mut out);
    out
}

/// Adds the properties of `schema` and its `allOf` parts to `out`, each part once (`met`, by
/// address): a part shared by parts, or the whole itself, adds nothing twice.
fn gather<'a>(
    root: &'a Value,
    schema: &'a Value,
    depth: usize,
    met: &mut HashSet<*const Value>,
    out: &mut BTreeMap<&'a str, (&'a Value, bool)>,
) {
    let Some(s) = deref(root, schema) else {
        return;
    };
    if !met.insert(std::ptr::from_ref(s)) {
        return;
    }
    let required: Vec<&str> = s
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if let Some(Value::Object(props)) = s.get("properties") {
        for (name, sub) in props {
            out.entry(name.as_str()).or_insert((sub, false));
        }
    }
    if let Some(items) = s.get("items") {
        out.entry("items").or_insert((items, false));
    }
    if depth < COMPOSITION_DEPTH {
        for part in s
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            gather(root, part, depth + 1, met, out);
        }
    }
    // `required` may sit in the whole while the properties sit in the parts.
    for (name, entry) in out.iter_mut() {
        entry.1 |= required.contains(name);
    }
}

/// The most property comparisons one diff makes: far beyond any real pair of documents
/// (Stripe's takes about 40,000), a bound on what a hostile one can cost.
pub const WORK_LIMIT: usize = 2_000_000;

/// How many inline schemas deep (a property's schema inside a property's) one walk goes
/// before it stops and says so.
const INLINE_DEPTH: usize = 64;

/// The schema a schema refers to: its `$ref`, or that of its one `allOf` part when it only
/// wraps a reference (`allOf: [{$ref}]` with a description, the OpenAPI 3.0 way to annotate
/// one), so such a wrapper is compared as the schema it wraps, once.
fn reference(schema: &Value) -> Option<&str> {
    if let Some(r) = schema.get("$ref") {
        return r.as_str();
    }
    const OWN: [&str; 6] = [
        "properties",
        "items",
        "required",
        "additionalProperties",
        "anyOf",
        "oneOf",
    ];
    match schema
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([part]) if OWN.iter().all(|k| schema.get(*k).is_none()) => {
            part.get("$ref").and_then(Value::as_str)
        }
        _ => None,
    }
}

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
    /// The inline schemas being walked, outermost first.
    inline: Vec<(*const Value, *const Value)>,
    work: usize,
    limit: usize,
    /// Whether a walk went deeper than [`INLINE_DEPTH`].
    cut: bool,
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
            inline: Vec::new(),
            work: 0,
            limit,
            cut: false,
        }
    }

    /// Whether the work limit was reached, or inline schemas nested deeper than any real
    /// document's: the changes returned may then be incomplete.
    pub fn exhausted(&self) -> bool {
        self.cut || self.work >= self.limit
    }

    /// The changes from schema `old` to schema `new`: its own at the empty path, those in its
    /// inline parts by property path (`data/items/id`), those inside a referenced schema at
    /// that schema's location; each once.
    pub fn compare(&mut self, old: &'a Value, new: &'a Value) -> Vec<Rel> {
        if let Some(others) = wrapped(self.old_root, self.new_root, old, new) {
            return vec![Rel {
                path: String::new(),
                delta: Delta::WrappedInOneOf(others),
                guard: Guard::default(),
            }];
        }
        let mut direct: Vec<Rel> = own(self.old_root, self.new_root, old, new)
            .into_iter()
            .map(|delta| Rel {
                path: String::new(),
                delta,
                guard: Guard::of(self.new_root, new),
            })
            .collect();
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
        let (Some(a), Some(b)) = (reference(old), reference(new)) else {
            // Inline schemas can recur too, through a part that refers back to a schema
            // holding them: the walk ends where it recurs.
            let key = (std::ptr::from_ref(old), std::ptr::from_ref(new));
            if self.inline.contains(&key) {
                return;
            }
            if self.inline.len() >= INLINE_DEPTH {
                self.cut = true;
                return;
            }
            self.inline.push(key);
            self.walk_resolved(old, new, at, direct, refs);
            self.inline.pop();
            return;
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
        let before = properties(o, old);
        let after = properties(n, new);
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
            let guard = after
                .get(name)
                .map(|(sub, _)| Guard::of(n, sub))
                .or_else(|| before.get(name).map(|(sub, _)| Guard::of(o, sub)))
                .unwrap_or_default();
            direct.push(Rel {
                path: path(name),
                delta,
                guard,
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
            for delta in own(o, n, sub_old, sub_new) {
                push(name, delta);
            }
            if let (Some(a), Some(b)) = (deref(o, sub_old), deref(n, sub_new)) {
                for flag in ["readOnly", "writeOnly"] {
                    let now = truthy(b.get(flag));
                    if truthy(a.get(flag)) != now {
                        push(
                            name,
                            Delta::Access {
                                flag,
                                set: now,
                                required: *required,
                            },
                        );
                    }
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
                delta: Delta::Added { required: false },
                guard: Guard::default(),
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
    fn an_inline_schema_that_recurs_through_an_all_of_part_ends_where_it_recurs() {
        // `Tree.child` wraps a reference back to Tree in an allOf with a second part, so it is
        // an inline schema, not a reference: the walk met it again and again, without end.
        let doc = |extra: Value| {
            let mut props = json!({"child": {"allOf": [{"$ref": "#/components/schemas/Tree"}, {"description": "d"}]}});
            if let (Some(p), Some(e)) = (props.as_object_mut(), extra.as_object()) {
                p.extend(e.clone());
            }
            json!({"components": {"schemas": {"Tree": {"type": "object", "properties": props}}}})
        };
        let (old, new) = (doc(json!({})), doc(json!({"size": {"type": "integer"}})));
        let wrapped = json!({"allOf": [{"$ref": "#/components/schemas/Tree"}, {"title": "t"}]});
        let mut comparer = Comparer::new(&old, &new);
        let rels = comparer.compare(&wrapped, &wrapped);
        let paths: Vec<&str> = rels.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(paths, ["size", "child/size"]);
        assert!(!comparer.exhausted());
    }

    #[test]
    fn a_reference_wrapped_in_a_lone_all_of_part_is_compared_as_that_reference() {
        let doc = |ty: &str| {
            json!({"components": {"schemas": {
                "Money": {"type": "object", "properties": {"amount": {"type": ty}}},
                "Order": {"type": "object", "properties": {
                    "total": {"allOf": [{"$ref": "#/components/schemas/Money"}], "description": "d"},
                    "refund": {"$ref": "#/components/schemas/Money"}
                }}
            }}})
        };
        let (old, new) = (doc("integer"), doc("string"));
        let r = json!({"$ref": "#/components/schemas/Order"});
        let rels = Comparer::new(&old, &new).compare(&r, &r);
        assert_eq!(
            rels,
            [Rel {
                path: "#/components/schemas/Money/properties/amount".into(),
                delta: Delta::TypeChanged {
                    from: "integer".into(),
                    to: "string".into()
                },
                guard: Guard::default(),
            }]
        );
    }

    #[test]
    fn a_reference_annotated_by_wrapping_it_in_a_lone_all_of_part_is_no_change() {
        let root = json!({"components": {"schemas": {"Money": {"type": "object", "properties": {"amount": {"type": "integer"}}}}}});
        let order = |total: Value| json!({"type": "object", "properties": {"total": total}});
        let plain = order(json!({"$ref": "#/components/schemas/Money"}));
        let wrapped =
            order(json!({"allOf": [{"$ref": "#/components/schemas/Money"}], "description": "d"}));
        assert_eq!(Comparer::new(&root, &root).compare(&plain, &wrapped), []);
        assert_eq!(Comparer::new(&root, &root).compare(&wrapped, &plain), []);
    }

    #[test]
    fn members_are_counted_so_a_second_alternative_of_one_type_is_one_added() {
        let root = json!({});
        let any = |members: Value| json!({"anyOf": members});
        let rels = Comparer::new(&root, &root).compare(
            &any(json!([{"type": "object"}])),
            &any(json!([{"type": "object"}, {"type": "object"}])),
        );
        assert_eq!(
            rels,
            [Rel {
                path: String::new(),
                delta: Delta::MemberAdded {
                    of: "anyOf",
                    member: "object".into()
                },
                guard: Guard::default(),
            }]
        );
    }

    #[test]
    fn inline_schemas_nested_past_the_depth_limit_stop_and_say_so() {
        let mut deep = json!({"type": "string"});
        for _ in 0..=INLINE_DEPTH {
            deep = json!({"type": "object", "properties": {"p": deep}});
        }
        let root = json!({});
        let mut comparer = Comparer::new(&root, &root);
        assert!(comparer.compare(&deep, &deep).is_empty());
        assert!(comparer.exhausted());
    }

    #[test]
    fn schemas_shared_by_alternatives_and_parts_are_worked_out_once() {
        // Each level names the next twice: followed blindly, 2^30 visits.
        let mut schemas = serde_json::Map::new();
        for k in 0..30 {
            let next = json!({"$ref": format!("#/components/schemas/S{}", k + 1)});
            schemas.insert(
                format!("S{k}"),
                json!({"anyOf": [next, next], "allOf": [next, next], "properties": {format!("p{k}"): {"type": "string"}}}),
            );
        }
        schemas.insert("S30".into(), json!({"type": "integer"}));
        let root = json!({"components": {"schemas": schemas}});
        let s0 = json!({"$ref": "#/components/schemas/S0"});
        assert_eq!(kind(&root, &s0), "integer");
        assert_eq!(properties(&root, &s0).len(), 30);
    }

    #[test]
    fn openapi_31_type_arrays_leave_null_out() {
        let root = json!({});
        assert_eq!(kind(&root, &json!({"type": ["string", "null"]})), "string");
    }
}
