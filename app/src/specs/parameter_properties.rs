//! The properties of an object-valued request parameter (a `deepObject` query parameter, a
//! header of `key=value` pairs) compared, by oasdiff's `request-parameter-property-*` rules,
//! and for a header parameter its `request-header-property-*` ones: a property whose type,
//! values or nullability moved is what a client sends in that parameter.

use super::constraints::{Place, describe, rule};
use super::model::Level;
use super::schema::{Delta, Rel};
use super::schema_rules::{Found, retyped};

/// The rule and message for `rel`, a change inside the schema of the `location` parameter
/// `name`; `None` for a change to the schema itself (the parameter's own rules report it) or
/// one without a rule.
pub fn property_change(location: &str, name: &str, rel: &Rel) -> Found {
    if rel.path.is_empty() {
        return None;
    }
    let what = format!(
        "the property {} of the {location} request parameter {name}",
        rel.path
    );
    let header = location == "header";
    let found = |id: &'static str, level: Level, message: String| Some(((id, level), message));
    match &rel.delta {
        Delta::TypeChanged { from, to } => {
            retyped(Place::ParameterProperty, from, to, &what, false)
        }
        Delta::Moved(moved) => Some((
            rule(Place::ParameterProperty, moved)?,
            format!("for {what}, {}", describe(moved)),
        )),
        Delta::EnumAdded(v) => found(
            "request-parameter-property-enum-value-added",
            Level::Info,
            format!("added the enum value {v} to {what}"),
        ),
        Delta::EnumRemoved(v) => found(
            "request-parameter-property-enum-value-removed",
            Level::Err,
            format!("removed the enum value {v} from {what}"),
        ),
        Delta::Added { required: true } if header => found(
            "new-required-request-header-property",
            Level::Err,
            format!("added {what}, required"),
        ),
        Delta::BecameRequired if header => found(
            "request-header-property-became-required",
            Level::Err,
            format!("{what} became required"),
        ),
        Delta::BecameEnum(values) if header => found(
            "request-header-property-became-enum",
            Level::Err,
            format!("{what} became an enum of {values}"),
        ),
        _ => None,
    }
}
