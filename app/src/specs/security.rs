//! Security compared between two versions of a document: the requirements of the document
//! and of each operation (an alternative removed, or a scope added to one, locks clients out;
//! the reverse opens the door wider), and the schemes the components define (information:
//! what a client must do changes only through the requirements).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::model::Level;

/// A rule and its level.
pub type Rule = (&'static str, Level);

/// The rule ids of one kind of requirement list, and how a message names it.
pub struct Ids {
    removed: &'static str,
    added: &'static str,
    scope_added: &'static str,
    scope_removed: &'static str,
    what: &'static str,
}

/// The document's own requirements.
pub const GLOBAL: Ids = Ids {
    removed: "api-global-security-removed",
    added: "api-global-security-added",
    scope_added: "api-global-security-scope-added",
    scope_removed: "api-global-security-scope-removed",
    what: "the security scheme",
};

/// An operation's requirements.
pub const ENDPOINT: Ids = Ids {
    removed: "api-security-removed",
    added: "api-security-added",
    scope_added: "api-security-scope-added",
    scope_removed: "api-security-scope-removed",
    what: "the endpoint scheme security",
};

/// The alternatives of a requirement list, each by its sorted scheme names, with the scopes
/// each scheme asks for.
fn alternatives(v: Option<&Value>) -> Option<BTreeMap<String, BTreeMap<String, BTreeSet<String>>>> {
    let list = v?.as_array()?;
    Some(
        list.iter()
            .map(|alt| {
                let schemes: BTreeMap<String, BTreeSet<String>> = alt
                    .as_object()
                    .map(|m| {
                        m.iter()
                            .map(|(name, scopes)| {
                                let scopes = scopes
                                    .as_array()
                                    .map(|s| {
                                        s.iter()
                                            .filter_map(Value::as_str)
                                            .map(str::to_string)
                                            .collect()
                                    })
                                    .unwrap_or_default();
                                (name.clone(), scopes)
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let names: Vec<&str> = schemes.keys().map(String::as_str).collect();
                (names.join(" + "), schemes)
            })
            .collect(),
    )
}

/// The changes from requirement list `old` to `new`, named by `ids`: alternatives removed and
/// added, and in an alternative on both sides, scopes added and removed.
pub fn requirements(old: Option<&Value>, new: Option<&Value>, ids: &Ids) -> Vec<(Rule, String)> {
    let (Some(a), Some(b)) = (alternatives(old), alternatives(new)) else {
        return Vec::new();
    };
    let shown = |s: &str| {
        if s.is_empty() {
            "(none)".to_string()
        } else {
            s.to_string()
        }
    };
    let what = ids.what;
    let mut out = Vec::new();
    for name in a.keys().filter(|k| !b.contains_key(*k)) {
        out.push((
            (ids.removed, Level::Err),
            format!("{what} {} was removed from the API", shown(name)),
        ));
    }
    for name in b.keys().filter(|k| !a.contains_key(*k)) {
        out.push((
            (ids.added, Level::Info),
            format!("{what} {} was added to the API", shown(name)),
        ));
    }
    for (name, was) in &a {
        let Some(now) = b.get(name) else {
            continue;
        };
        for (scheme, scopes) in now {
            let before = was.get(scheme).cloned().unwrap_or_default();
            for scope in scopes.difference(&before) {
                out.push((
                    (ids.scope_added, Level::Err),
                    format!("the scope {scope} of {what} {scheme} is now required"),
                ));
            }
            for scope in before.difference(scopes) {
                out.push((
                    (ids.scope_removed, Level::Info),
                    format!("the scope {scope} of {what} {scheme} is no longer required"),
                ));
            }
        }
    }
    out
}

/// The security schemes of a document's components, by name.
fn defined(root: &Value) -> BTreeMap<&str, &Value> {
    root.pointer("/components/securitySchemes")
        .or_else(|| root.get("securityDefinitions"))
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
        .unwrap_or_default()
}

/// The URLs (`authorizationUrl` or `tokenUrl`) and scopes of a scheme's OAuth flows, by flow.
fn flows(scheme: &Value) -> BTreeMap<&str, &Value> {
    scheme
        .get("flows")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
        .unwrap_or_default()
}

/// The changes to the security schemes the components define: added, removed, type changed,
/// and in OAuth flows, URLs changed and scopes added, removed or described anew. All
/// information: clients feel a scheme only through the requirements that name it.
pub fn schemes(old: &Value, new: &Value) -> Vec<(Rule, String)> {
    let (a, b) = (defined(old), defined(new));
    let info = |id| (id, Level::Info);
    let mut out = Vec::new();
    for name in a.keys().filter(|k| !b.contains_key(*k)) {
        out.push((
            info("api-security-component-removed"),
            format!("the security scheme {name} was removed from the components"),
        ));
    }
    for name in b.keys().filter(|k| !a.contains_key(*k)) {
        out.push((
            info("api-security-component-added"),
            format!("the security scheme {name} was added to the components"),
        ));
    }
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    for (name, was) in &a {
        let Some(now) = b.get(name) else {
            continue;
        };
        let (t1, t2) = (text(was, "type"), text(now, "type"));
        if t1 != t2 {
            out.push((
                info("api-security-component-type-changed"),
                format!("the type of the security scheme {name} changed from {t1} to {t2}"),
            ));
        }
        let (f1, f2) = (flows(was), flows(now));
        for (flow, x) in &f1 {
            let Some(y) = f2.get(flow) else {
                continue;
            };
            for (key, id) in [
                (
                    "authorizationUrl",
                    "api-security-component-oauth-url-changed",
                ),
                ("tokenUrl", "api-security-component-oauth-token-url-changed"),
            ] {
                let (u1, u2) = (text(x, key), text(y, key));
                if u1 != u2 {
                    out.push((info(id), format!("the {key} of the {flow} flow of the security scheme {name} changed from {u1} to {u2}")));
                }
            }
            let scopes = |v: &Value| {
                v.get("scopes")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default()
            };
            let (s1, s2) = (scopes(x), scopes(y));
            for (scope, described) in &s2 {
                match s1.get(scope) {
                    None => out.push((info("api-security-component-oauth-scope-added"), format!("the scope {scope} was added to the {flow} flow of the security scheme {name}"))),
                    Some(d) if d != described => out.push((info("api-security-component-oauth-scope-changed"), format!("the scope {scope} of the {flow} flow of the security scheme {name} was described anew"))),
                    Some(_) => {}
                }
            }
            for scope in s1.keys().filter(|k| !s2.contains_key(*k)) {
                out.push((info("api-security-component-oauth-scope-removed"), format!("the scope {scope} was removed from the {flow} flow of the security scheme {name}")));
            }
        }
    }
    out
}
