//! The changes between two versions of a specification, each classified with oasdiff's rule
//! identifier and level so the report reads familiarly: ERR (breaking), WARN (possibly
//! breaking), INFO. Operations are matched by method and path template (a renamed path
//! parameter, or a base path moved between `servers` and the paths, is the same operation).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::constraints::{Moved, Place, describe, rule};
use super::deprecation::{Breach, Policy, sunset_day};
use super::document::Document;
use super::document::deref;
use super::index::{Operation, Parameter, Response, operations, template, webhooks};
use super::media_names;
use super::parameter_properties;
use super::schema::{Comparer, Delta, Rel, dropped, enums, extensible_enums, kind, stability};
use super::schema_rules::{breached, retyped, schema_change};
use super::security;
use super::versioning;

pub use super::model::{Direction, Level, OperationRef, Reach};

/// One classified change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Change {
    /// The oasdiff rule id, such as `api-removed-without-deprecation`.
    pub id: String,
    pub level: Level,
    /// `None` for a document-wide change (global security); for a change in a schema, the
    /// first operation that reaches it.
    pub operation: Option<OperationRef>,
    pub message: String,
    /// For a change inside a referenced schema, its location in the revision
    /// (`#/components/schemas/Charge/properties/amount`): reported once, however many
    /// operations reach it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// For a change in a schema, every request and response that reaches it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reached_by: Vec<Reach>,
}

impl Change {
    /// A change about the operation `method` `path`, outside any schema.
    fn about(
        id: &'static str,
        level: Level,
        (method, path): (&str, &str),
        message: String,
    ) -> Self {
        Change {
            id: id.to_string(),
            level,
            operation: Some(OperationRef {
                method: method.to_string(),
                path: path.to_string(),
            }),
            message,
            location: None,
            reached_by: Vec::new(),
        }
    }
}

struct Out(Vec<Change>);

impl Out {
    fn add(&mut self, id: &'static str, level: Level, op: Option<&Operation>, message: String) {
        let mut change = Change::about(id, level, ("", ""), message);
        change.operation = op.map(|o| OperationRef {
            method: o.method.clone(),
            path: o.path.clone(),
        });
        self.0.push(change);
    }

    /// A change in a schema at `path` (a property path inside the body's own schema, or a
    /// location in a referenced one), reached by `reach`.
    fn at(
        &mut self,
        (id, level): (&'static str, Level),
        reach: &Reach,
        path: &str,
        message: String,
    ) {
        self.0.push(Change {
            id: id.to_string(),
            level,
            operation: Some(OperationRef {
                method: reach.method.clone(),
                path: reach.path.clone(),
            }),
            message,
            location: path.starts_with('#').then(|| path.to_string()),
            reached_by: vec![reach.clone()],
        });
    }
}

/// `changes` with each change at a location once, listing every request and response that
/// reaches it, in the order met.
fn once_per_location(changes: Vec<Change>) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::with_capacity(changes.len());
    let mut first: HashMap<(String, Level, String, String), usize> = HashMap::new();
    for c in changes {
        if let Some(location) = &c.location {
            let key = (c.id.clone(), c.level, location.clone(), c.message.clone());
            if let Some(&i) = first.get(&key) {
                for r in c.reached_by {
                    if !out[i].reached_by.contains(&r) {
                        out[i].reached_by.push(r);
                    }
                }
                continue;
            }
            first.insert(key, out.len());
        }
        out.push(c);
    }
    out
}

/// The way to `n`'s request body, or to its response with `status`, through `media_types`'s
/// first (the one whose schema is compared).
fn reach(n: &Operation, status: Option<&str>, media_types: &[String]) -> Reach {
    Reach {
        method: n.method.clone(),
        path: n.path.clone(),
        direction: if status.is_some() {
            Direction::Response
        } else {
            Direction::Request
        },
        status: status.map(str::to_string),
        media_type: media_types.first().cloned(),
    }
}

/// Whether `sunset` (a date, `YYYY-MM-DD` or RFC 3339) is after `today`.
fn before_sunset(sunset: Option<&str>, today: chrono::NaiveDate) -> Option<String> {
    let s = sunset?;
    (sunset_day(s)? > today).then(|| s.to_string())
}

/// [`diff_with`] under no deprecation policy (oasdiff's library default).
pub fn diff(base: &Document, revision: &Document, today: chrono::NaiveDate) -> Vec<Change> {
    diff_with(base, revision, today, Policy::default())
}

/// The changes from `base` to `revision`, errors first; `today` decides whether a removal
/// came before its sunset date, and `policy` what a new deprecation must give.
pub fn diff_with(
    base: &Document,
    revision: &Document,
    today: chrono::NaiveDate,
    policy: Policy,
) -> Vec<Change> {
    let mut out = Out(Vec::new());
    let old_ops = operations(base);
    let new_ops = operations(revision);
    let old: BTreeMap<(String, String), &Operation> =
        old_ops.iter().map(|o| (o.key(), o)).collect();
    let new: BTreeMap<(String, String), &Operation> =
        new_ops.iter().map(|o| (o.key(), o)).collect();
    let new_paths: BTreeSet<String> = new_ops.iter().map(|o| template(&o.path)).collect();
    let mut comparer = Comparer::new(&base.root, &revision.root);

    for (key, o) in &old {
        let Some(n) = new.get(key) else {
            let path_gone = !new_paths.contains(&key.1);
            let (with, without, early) = if path_gone {
                (
                    "api-path-removed-with-deprecation",
                    "api-path-removed-without-deprecation",
                    "api-path-removed-before-sunset",
                )
            } else {
                (
                    "api-removed-with-deprecation",
                    "api-removed-without-deprecation",
                    "api-removed-before-sunset",
                )
            };
            let what = if path_gone {
                "api path removed"
            } else {
                "api removed"
            };
            if let Some(day) = o
                .sunset
                .as_deref()
                .filter(|d| path_gone && sunset_day(d).is_none())
            {
                out.add(
                    "api-path-sunset-parse",
                    Level::Err,
                    Some(o),
                    format!("{what} with a sunset date that is not a date: {day}"),
                );
            } else if let Some(sunset) = before_sunset(o.sunset.as_deref(), today) {
                out.add(
                    early,
                    Level::Err,
                    Some(o),
                    format!("{what} before the sunset date {sunset}"),
                );
            } else if o.deprecated {
                out.add(
                    with,
                    Level::Info,
                    Some(o),
                    format!("{what} with deprecation"),
                );
            } else {
                out.add(
                    without,
                    Level::Err,
                    Some(o),
                    format!("{what} without deprecation"),
                );
            }
            continue;
        };
        operation(
            (base, revision),
            &mut comparer,
            (o, n),
            (today, policy),
            &mut out,
        );
    }
    for (key, n) in &new {
        if !old.contains_key(key) {
            out.add(
                "endpoint-added",
                Level::Info,
                Some(n),
                "endpoint added".into(),
            );
        }
    }
    hooks(base, revision, &mut out);
    if comparer.exhausted() {
        out.add(
            "comparison-incomplete",
            Level::Err,
            None,
            format!(
                "the comparison stopped after {} schema comparisons: changes past them are not listed",
                super::schema::WORK_LIMIT
            ),
        );
    }
    for (rule, message) in security::requirements(
        base.root.get("security"),
        revision.root.get("security"),
        &security::GLOBAL,
    )
    .into_iter()
    .chain(security::schemes(&base.root, &revision.root))
    {
        out.add(rule.0, rule.1, None, message);
    }
    schemas_removed(base, revision, &mut out);
    let breaking = out.0.iter().any(|c| c.level == Level::Err);
    if let Some((id, message)) = versioning::policy(&base.root, &revision.root, breaking) {
        out.add(id, versioning::LEVEL, None, message);
    }
    let mut changes = once_per_location(out.0);
    changes.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then_with(|| a.operation.cmp(&b.operation))
            .then_with(|| a.id.cmp(&b.id))
    });
    changes
}

/// The components' schemas removed: nothing a client sends or reads by itself (an operation
/// that used one reports its own changes).
fn schemas_removed(base: &Document, revision: &Document, out: &mut Out) {
    let names = |d: &Document| -> BTreeSet<String> {
        d.root
            .pointer("/components/schemas")
            .and_then(serde_json::Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    for name in names(base).difference(&names(revision)) {
        out.add(
            "api-schema-removed",
            Level::Info,
            None,
            format!("removed the schema {name} from the components"),
        );
    }
}

/// The webhooks (OpenAPI 3.1) added and removed: a webhook the provider stops sending is an
/// event its consumers lose.
fn hooks(base: &Document, revision: &Document, out: &mut Out) {
    let keys = |d| -> BTreeSet<(String, String)> {
        webhooks(d)
            .iter()
            .map(|o| (o.method.clone(), o.path.clone()))
            .collect()
    };
    let (was, now) = (keys(base), keys(revision));
    for (method, name) in was.difference(&now) {
        out.0.push(Change::about(
            "webhook-removed",
            Level::Err,
            (method, name),
            format!("the webhook {name} ({method}) was removed"),
        ));
    }
    for (method, name) in now.difference(&was) {
        out.0.push(Change::about(
            "webhook-added",
            Level::Info,
            (method, name),
            format!("the webhook {name} ({method}) was added"),
        ));
    }
}

fn operation<'a>(
    (base, revision): (&'a Document, &'a Document),
    comparer: &mut Comparer<'a>,
    (o, n): (&Operation<'a>, &Operation<'a>),
    (today, policy): (chrono::NaiveDate, Policy),
    out: &mut Out,
) {
    lifecycle(o, n, (today, policy), out);
    parameters(
        base,
        revision,
        n,
        (&o.parameters, &n.parameters),
        (today, policy),
        out,
    );
    parameter_properties(comparer, (o, n), out);
    body(o, n, out);
    if let (Some(a), Some(b)) = (o.body.as_ref(), n.body.as_ref())
        && let (Some(sa), Some(sb)) = (a.schema, b.schema)
    {
        let way = reach(n, None, &b.media_types);
        schema_changes(&comparer.compare(sa, sb), &way, (today, policy), out);
    }
    for status in o.responses.keys() {
        if !n.responses.contains_key(status) {
            if status.starts_with('2') {
                out.add(
                    "response-success-status-removed",
                    Level::Err,
                    Some(n),
                    format!("removed the success response with the status {status}"),
                );
            } else {
                out.add(
                    "response-non-success-status-removed",
                    Level::Info,
                    Some(n),
                    format!("removed the non-success response with the status {status}"),
                );
            }
        }
    }
    for (status, new) in &n.responses {
        match o.responses.get(status) {
            None if status.starts_with('2') => out.add(
                "response-success-status-added",
                Level::Info,
                Some(n),
                format!("added the success response with the status {status}"),
            ),
            None => out.add(
                "response-non-success-status-added",
                Level::Info,
                Some(n),
                format!("added the non-success response with the status {status}"),
            ),
            Some(old) => {
                response_parts((&base.root, &revision.root), (old, new), status, n, out);
                if status.starts_with('2')
                    && let (Some(a), Some(b)) = (old.schema, new.schema)
                {
                    let way = reach(n, Some(status), &new.media_types);
                    schema_changes(&comparer.compare(a, b), &way, (today, policy), out);
                }
            }
        }
    }
    for (rule, message) in security::requirements(o.security, n.security, &security::ENDPOINT) {
        out.add(rule.0, rule.1, Some(n), message);
    }
}

/// How the sunset date of something deprecated on both sides moved, when that breaks the
/// promise it made: removed, or moved earlier. The message names `what`.
fn sunset_broken(was: Option<&str>, now: Option<&str>, what: &str) -> Option<(bool, String)> {
    match (was, now) {
        (Some(was), None) => Some((
            true,
            format!("the sunset date {was} was removed from {what}"),
        )),
        (Some(was), Some(now)) if sunset_day(now) < sunset_day(was) => Some((
            false,
            format!("the sunset date of {what} moved earlier, from {was} to {now}"),
        )),
        _ => None,
    }
}

/// An operation's deprecation, sunset, stability, operation id and tags, from `o` to `n`.
fn lifecycle(
    o: &Operation,
    n: &Operation,
    (today, policy): (chrono::NaiveDate, Policy),
    out: &mut Out,
) {
    let breach = policy.judge(n.sunset.as_deref(), n.stability.as_deref(), today);
    if n.deprecated && !o.deprecated {
        match (n.sunset.as_deref(), breach) {
            (_, Some(breach @ (Breach::Missing | Breach::TooSoon(..)))) => out.add(
                if breach == Breach::Missing {
                    "api-deprecated-sunset-missing"
                } else {
                    "api-sunset-date-too-small"
                },
                Level::Err,
                Some(n),
                breach.message("the endpoint"),
            ),
            (None, _) => out.add(
                "endpoint-deprecated",
                Level::Info,
                Some(n),
                "endpoint deprecated".into(),
            ),
            (Some(day), _) if sunset_day(day).is_none() => out.add(
                "api-deprecated-sunset-parse",
                Level::Err,
                Some(n),
                format!("the endpoint was deprecated with a sunset date that is not a date: {day}"),
            ),
            (Some(day), _) => out.add(
                "endpoint-deprecated-with-sunset",
                Level::Info,
                Some(n),
                format!("endpoint deprecated with sunset date {day}"),
            ),
        }
    }
    if o.deprecated && !n.deprecated {
        out.add(
            "endpoint-reactivated",
            Level::Info,
            Some(n),
            "endpoint reactivated".into(),
        );
    }
    if o.deprecated && n.deprecated {
        match sunset_broken(
            o.sunset.as_deref(),
            n.sunset.as_deref(),
            "the deprecated endpoint",
        ) {
            Some((true, message)) => out.add("api-sunset-deleted", Level::Err, Some(n), message),
            Some((false, message)) => {
                out.add(
                    "api-sunset-date-changed-too-small",
                    Level::Err,
                    Some(n),
                    message,
                );
            }
            None => {}
        }
    }
    if let Some(now) = n.stability.as_deref() {
        match (o.stability.as_deref().and_then(stability), stability(now)) {
            (_, None) => out.add(
                "api-invalid-stability-level",
                Level::Err,
                Some(n),
                format!("the stability level {now} is not one of draft, alpha, beta or stable"),
            ),
            (Some(was), Some(rank)) if rank < was => out.add(
                "api-stability-decreased",
                Level::Err,
                Some(n),
                format!("the stability level decreased to {now}"),
            ),
            (Some(was), Some(rank)) if rank > was => out.add(
                "api-stability-increased",
                Level::Info,
                Some(n),
                format!("the stability level increased to {now}"),
            ),
            _ => {}
        }
    }
    let given = |id: &Option<String>| id.clone().filter(|i| !i.is_empty());
    match (given(&o.operation_id), given(&n.operation_id)) {
        (None, Some(now)) => out.add(
            "api-operation-id-added",
            Level::Info,
            Some(n),
            format!("the operation id {now} was added"),
        ),
        (Some(was), now) if now.as_ref() != Some(&was) => out.add(
            "api-operation-id-removed",
            Level::Info,
            Some(n),
            match now {
                Some(now) => format!("the operation id changed from {was} to {now}"),
                None => format!("the operation id {was} was removed"),
            },
        ),
        _ => {}
    }
    for tag in o.tags.iter().filter(|t| !n.tags.contains(t)) {
        out.add(
            "api-tag-removed",
            Level::Info,
            Some(n),
            format!("the tag {tag} was removed"),
        );
    }
    for tag in n.tags.iter().filter(|t| !o.tags.contains(t)) {
        out.add(
            "api-tag-added",
            Level::Info,
            Some(n),
            format!("the tag {tag} was added"),
        );
    }
}

/// The request body from `o` to `n`: added, removed, its requiredness and media types (its
/// schema is compared by the caller).
fn body(o: &Operation, n: &Operation, out: &mut Out) {
    match (&o.body, &n.body) {
        (None, Some(b)) if b.required => out.add(
            "request-body-added-required",
            Level::Err,
            Some(n),
            "added required request body".into(),
        ),
        (None, Some(_)) => out.add(
            "request-body-added-optional",
            Level::Info,
            Some(n),
            "added optional request body".into(),
        ),
        (Some(_), None) => out.add(
            "request-body-removed",
            Level::Err,
            Some(n),
            "removed the request body".into(),
        ),
        (Some(a), Some(b)) => {
            if b.required && !a.required {
                out.add(
                    "request-body-became-required",
                    Level::Err,
                    Some(n),
                    "the request body became required".into(),
                );
            } else if a.required && !b.required {
                out.add(
                    "request-body-became-optional",
                    Level::Info,
                    Some(n),
                    "the request body became optional".into(),
                );
            }
            media_types(
                (&a.media_types, &b.media_types),
                (
                    "request-body-media-type-removed",
                    "request-body-media-type-added",
                ),
                "the request body",
                n,
                out,
            );
            if a.media_types.first() == b.media_types.first() {
                media_schemas(
                    Direction::Request,
                    ((a.schema, b.schema), (a.item_schema, b.item_schema)),
                    "the request body",
                    n,
                    out,
                );
            }
        }
        (None, None) => {}
    }
}

/// oasdiff's rules for a schema (`schema`, or OpenAPI 3.2's `itemSchema`) appearing in or
/// disappearing from a media type both versions have, by direction: a request that now
/// checks what it took as anything refuses clients; a response that no longer says what it
/// sends breaks them.
#[rustfmt::skip]
const MEDIA_SCHEMAS: &[(Direction, &str, bool, &str, Level)] = &[
    (Direction::Request, "schema", true, "request-body-media-type-schema-added", Level::Err),
    (Direction::Request, "schema", false, "request-body-media-type-schema-removed", Level::Info),
    (Direction::Request, "item schema", true, "request-body-media-type-item-schema-added", Level::Err),
    (Direction::Request, "item schema", false, "request-body-media-type-item-schema-removed", Level::Info),
    (Direction::Response, "schema", true, "response-body-media-type-schema-added", Level::Info),
    (Direction::Response, "schema", false, "response-body-media-type-schema-removed", Level::Err),
    (Direction::Response, "item schema", true, "response-body-media-type-item-schema-added", Level::Info),
    (Direction::Response, "item schema", false, "response-body-media-type-item-schema-removed", Level::Err),
];

/// A schema before and after.
type Pair<'a> = (Option<&'a Value>, Option<&'a Value>);

/// The whole-body and item schemas of `whose` first media type (the same in both versions)
/// added or removed, by [`MEDIA_SCHEMAS`]; an item schema removed from a response with no
/// whole-body schema left leaves it untyped.
fn media_schemas(
    direction: Direction,
    (schemas, items): (Pair<'_>, Pair<'_>),
    whose: &str,
    n: &Operation,
    out: &mut Out,
) {
    for (what, (was, now)) in [("schema", schemas), ("item schema", items)] {
        let added = match (was, now) {
            (None, Some(_)) => true,
            (Some(_), None) => false,
            _ => continue,
        };
        let Some((.., id, level)) = MEDIA_SCHEMAS
            .iter()
            .find(|r| r.0 == direction && r.1 == what && r.2 == added)
        else {
            continue;
        };
        let untyped =
            direction == Direction::Response && what == "item schema" && schemas.1.is_none();
        let id = if !added && untyped {
            "response-body-media-type-item-schema-removed-untyped"
        } else {
            id
        };
        let message = if added {
            format!("a {what} was added to {whose}, which said nothing of it before")
        } else {
            format!("the {what} of {whose} was removed: it no longer says what it holds")
        };
        out.add(id, *level, Some(n), message);
    }
}

/// The media types `whose` (a request body, a response) lost (an error, under the first of
/// `ids`) and gained (information, under the second) from `was` to `now`.
fn media_types(
    (was, now): (&[String], &[String]),
    (removed, added): (&'static str, &'static str),
    whose: &str,
    n: &Operation,
    out: &mut Out,
) {
    for m in was.iter().filter(|m| !now.contains(m)) {
        out.add(
            removed,
            Level::Err,
            Some(n),
            format!("removed the media type {m} from {whose}"),
        );
    }
    for m in now.iter().filter(|m| !was.contains(m)) {
        out.add(
            added,
            Level::Info,
            Some(n),
            format!("added the media type {m} to {whose}"),
        );
    }
}

/// A response's media types and headers from `a` to `b`.
fn response_parts(
    (o_root, n_root): (&Value, &Value),
    (a, b): (&Response, &Response),
    status: &str,
    n: &Operation,
    out: &mut Out,
) {
    // A media type renamed (generalized, specialized, its parameters changed) is one change,
    // not one removed and one added.
    let renamed = media_names::renamed(&a.media_types, &b.media_types);
    for (from, to, how) in &renamed {
        let (id, level) = how.rule();
        out.add(
            id,
            level,
            Some(n),
            format!("the media type {from} of the response with the status {status} became {to}"),
        );
    }
    let unpaired =
        |list: &[String], side: fn(&(String, String, media_names::Renamed)) -> &String| {
            list.iter()
                .filter(|m| !renamed.iter().any(|r| side(r) == *m))
                .cloned()
                .collect::<Vec<String>>()
        };
    media_types(
        (
            &unpaired(&a.media_types, |r| &r.0),
            &unpaired(&b.media_types, |r| &r.1),
        ),
        ("response-media-type-removed", "response-media-type-added"),
        &format!("the response with the status {status}"),
        n,
        out,
    );
    if a.media_types.first() == b.media_types.first() {
        media_schemas(
            Direction::Response,
            ((a.schema, b.schema), (a.item_schema, b.item_schema)),
            &format!("the response with the status {status}"),
            n,
            out,
        );
    }
    for (header, was) in &a.headers {
        let required = &was.required;
        match b.headers.get(header).map(|h| h.required) {
            None if *required => out.add(
                "required-response-header-removed",
                Level::Err,
                Some(n),
                format!("removed the required header {header} from the response with the status {status}"),
            ),
            None => out.add(
                "optional-response-header-removed",
                Level::Warn,
                Some(n),
                format!("removed the optional header {header} from the response with the status {status}"),
            ),
            Some(false) if *required => out.add(
                "response-header-became-optional",
                Level::Err,
                Some(n),
                format!("the header {header} of the response with the status {status} became optional"),
            ),
            Some(_) => {}
        }
    }
    for (header, was) in &a.headers {
        let Some((x, y)) = b
            .headers
            .get(header)
            .and_then(|now| was.schema.zip(now.schema))
        else {
            continue;
        };
        let subject = format!("the header {header} of the response with the status {status}");
        let (kx, ky) = (kind(o_root, x), kind(n_root, y));
        if kx != ky
            && !kx.is_empty()
            && !ky.is_empty()
            && let Some(((id, level), message)) =
                retyped(Place::ResponseHeader, &kx, &ky, &subject, true)
        {
            out.add(id, level, Some(n), message);
        }
        if let (Some(x), Some(y)) = (deref(o_root, x), deref(n_root, y)) {
            for moved in super::constraints::compare(x, y) {
                constraint(out, Place::ResponseHeader, n, &moved, &subject);
            }
        }
    }
    for header in b.headers.keys().filter(|h| !a.headers.contains_key(*h)) {
        out.add(
            "response-header-added",
            Level::Info,
            Some(n),
            format!("added the header {header} to the response with the status {status}"),
        );
    }
}

/// What matches a parameter across versions: path parameters by position (a rename is not
/// a removal), the rest by place and name.
fn key(p: &Parameter, all: &[Parameter]) -> (String, String) {
    if p.location == "path" {
        let i = all
            .iter()
            .filter(|q| q.location == "path")
            .position(|q| q.name == p.name);
        (p.location.clone(), format!("#{}", i.unwrap_or(0)))
    } else {
        (p.location.clone(), p.name.clone())
    }
}

/// The properties inside the schemas of the parameters on both sides, compared.
fn parameter_properties<'a>(
    comparer: &mut Comparer<'a>,
    (o, n): (&Operation<'a>, &Operation<'a>),
    out: &mut Out,
) {
    for p in &n.parameters {
        let k = key(p, &n.parameters);
        let Some(q) = o.parameters.iter().find(|q| key(q, &o.parameters) == k) else {
            continue;
        };
        if let (Some(a), Some(b)) = (q.schema, p.schema) {
            for rel in comparer.compare(a, b) {
                if let Some(((id, level), message)) =
                    parameter_properties::property_change(&p.location, &p.name, &rel)
                {
                    out.add(id, level, Some(n), message);
                }
            }
        }
    }
}

fn parameters(
    base: &Document,
    revision: &Document,
    n: &Operation,
    (old, new): (&[Parameter], &[Parameter]),
    (today, policy): (chrono::NaiveDate, Policy),
    out: &mut Out,
) {
    let old_keys: Vec<_> = old.iter().map(|p| (key(p, old), p)).collect();
    let new_keys: Vec<_> = new.iter().map(|p| (key(p, new), p)).collect();
    for (k, p) in &old_keys {
        if !new_keys.iter().any(|(j, _)| j == k) {
            let what = format!("the {} request parameter {}", p.location, p.name);
            if let Some(day) = p.sunset.as_deref().filter(|d| sunset_day(d).is_none()) {
                out.add(
                    "request-parameter-sunset-parse",
                    Level::Err,
                    Some(n),
                    format!("deleted {what} with a sunset date that is not a date: {day}"),
                );
            } else if let Some(sunset) = before_sunset(p.sunset.as_deref(), today) {
                out.add(
                    "parameter-removed-before-sunset",
                    Level::Err,
                    Some(n),
                    format!("deleted {what} before the sunset date {sunset}"),
                );
            } else if p.deprecated {
                out.add(
                    "request-parameter-removed-with-deprecation",
                    Level::Info,
                    Some(n),
                    format!("deleted the deprecated {what}"),
                );
            } else {
                out.add(
                    "request-parameter-removed",
                    Level::Warn,
                    Some(n),
                    format!("deleted {what}"),
                );
            }
        }
    }
    for (k, p) in &new_keys {
        let Some((_, q)) = old_keys.iter().find(|(j, _)| j == k) else {
            // A parameter of the path item is every operation's under it.
            let (id, level, which) = match (p.location.as_str(), p.required, p.shared) {
                ("path", ..) => ("new-request-path-parameter", Level::Err, "required"),
                (_, true, true) => (
                    "new-required-request-default-parameter-to-existing-path",
                    Level::Err,
                    "required",
                ),
                (_, false, true) => (
                    "new-optional-request-default-parameter-to-existing-path",
                    Level::Info,
                    "optional",
                ),
                (_, true, false) => ("new-required-request-parameter", Level::Err, "required"),
                (_, false, false) => ("new-optional-request-parameter", Level::Info, "optional"),
            };
            let scope = if p.shared && p.location != "path" {
                " to the path, for all its operations"
            } else {
                ""
            };
            out.add(
                id,
                level,
                Some(n),
                format!(
                    "added the new {which} {} request parameter {}{scope}",
                    p.location, p.name
                ),
            );
            continue;
        };
        if p.required && !q.required {
            out.add(
                "request-parameter-became-required",
                Level::Err,
                Some(n),
                format!(
                    "the {} request parameter {} became required",
                    p.location, p.name
                ),
            );
        } else if !p.required && q.required {
            out.add(
                "request-parameter-became-optional",
                Level::Info,
                Some(n),
                format!(
                    "the {} request parameter {} became optional",
                    p.location, p.name
                ),
            );
        }
        if p.deprecated && q.deprecated {
            let what = format!("the deprecated {} request parameter {}", p.location, p.name);
            match sunset_broken(q.sunset.as_deref(), p.sunset.as_deref(), &what) {
                Some((true, message)) => {
                    out.add(
                        "request-parameter-sunset-deleted",
                        Level::Err,
                        Some(n),
                        message,
                    );
                }
                Some((false, message)) => out.add(
                    "request-parameter-sunset-date-changed-too-small",
                    Level::Err,
                    Some(n),
                    message,
                ),
                None => {}
            }
        }
        let breach = policy.judge(p.sunset.as_deref(), n.stability.as_deref(), today);
        match breach.filter(|_| p.deprecated && !q.deprecated) {
            Some(breach @ (Breach::Missing | Breach::TooSoon(..))) => out.add(
                if breach == Breach::Missing {
                    "request-parameter-deprecated-sunset-missing"
                } else {
                    "request-parameter-sunset-date-too-small"
                },
                Level::Err,
                Some(n),
                breach.message(&format!("the {} request parameter {}", p.location, p.name)),
            ),
            _ if p.deprecated != q.deprecated => {
                let (id, what) = if p.deprecated {
                    ("request-parameter-deprecated", "deprecated")
                } else {
                    ("request-parameter-reactivated", "reactivated")
                };
                out.add(
                    id,
                    Level::Info,
                    Some(n),
                    format!("the {} request parameter {} was {what}", p.location, p.name),
                );
            }
            _ => {}
        }
        if let (Some(a), Some(b)) = (q.schema, p.schema) {
            let (ka, kb) = (kind(&base.root, a), kind(&revision.root, b));
            if ka != kb && !ka.is_empty() && !kb.is_empty() {
                let subject = format!("the {} request parameter {}", p.location, p.name);
                if let Some(((id, level), message)) =
                    retyped(Place::Parameter, &ka, &kb, &subject, false)
                {
                    out.add(id, level, Some(n), message);
                }
            }
            let (xa, xb) = (
                extensible_enums(&base.root, a),
                extensible_enums(&revision.root, b),
            );
            for v in dropped(&xa, &xb) {
                out.add(
                    "request-parameter-x-extensible-enum-value-removed",
                    Level::Err,
                    Some(n),
                    format!(
                        "removed the x-extensible-enum value {v} from the {} request parameter {}",
                        p.location, p.name
                    ),
                );
            }
            let (ea, eb) = (enums(&base.root, a), enums(&revision.root, b));
            if ea.is_empty() && !eb.is_empty() {
                out.add(
                    "request-parameter-became-enum",
                    Level::Err,
                    Some(n),
                    format!(
                        "the {} request parameter {} became an enum of {}",
                        p.location,
                        p.name,
                        eb.join(", ")
                    ),
                );
            }
            for v in dropped(&ea, &eb) {
                out.add(
                    "request-parameter-enum-value-removed",
                    Level::Err,
                    Some(n),
                    format!(
                        "removed the enum value {v} from the {} request parameter {}",
                        p.location, p.name
                    ),
                );
            }
            for v in dropped(&eb, &ea) {
                out.add(
                    "request-parameter-enum-value-added",
                    Level::Info,
                    Some(n),
                    format!(
                        "added the new enum value {v} to the {} request parameter {}",
                        p.location, p.name
                    ),
                );
            }
            if let (Some(a), Some(b)) = (deref(&base.root, a), deref(&revision.root, b)) {
                for moved in super::constraints::compare(a, b) {
                    let subject = format!("the {} request parameter {}", p.location, p.name);
                    constraint(out, Place::Parameter, n, &moved, &subject);
                }
            }
        }
    }
}

/// The changes in a request body's or a response's schema, reached by `way`.
fn schema_changes(
    rels: &[Rel],
    way: &Reach,
    (today, policy): (chrono::NaiveDate, Policy),
    out: &mut Out,
) {
    for Rel { path, delta, guard } in rels {
        // A property deprecated against the policy, by its rule of that.
        let breach = match delta {
            Delta::Deprecated { sunset } if !path.is_empty() => {
                policy.judge(sunset.as_deref(), None, today)
            }
            _ => None,
        };
        let found = match &breach {
            Some(breach) => breached(way, path, breach),
            None => schema_change(way, path, delta, *guard),
        };
        if let Some((rule, message)) = found {
            out.at(rule, way, path, message);
        }
    }
}

/// A moved constraint of `subject` at `place`, reported by its rule when oasdiff's table
/// (`constraints::RULES`) has one.
fn constraint(out: &mut Out, place: Place, n: &Operation, moved: &Moved, subject: &str) {
    if let Some((id, level)) = rule(place, moved) {
        out.add(
            id,
            level,
            Some(n),
            format!("for {subject}, {}", describe(moved)),
        );
    }
}
