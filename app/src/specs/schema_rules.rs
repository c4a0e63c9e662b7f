//! What each change to a request or response schema means, by oasdiff's rules: tables by
//! direction and by whether the schema is the body itself or one of its properties, for
//! types, members of `anyOf`/`oneOf`/`allOf`, access flags, discriminators and the rest
//! (bounds have theirs in [`super::constraints`]). The same change is breaking in one
//! direction and harmless in the other; the tables say which.

use super::constraints::{Place, describe, rule};
use super::deprecation::Breach;
use super::model::{Direction, Level, Reach};
use super::schema::Discriminated as D;
use super::schema::{ANNOTATIONS, Delta, Guard, widens};

/// oasdiff's rules for a member of `anyOf`, `oneOf` or `allOf` added or removed, by
/// direction and whether the schema is the body itself or one of its properties: a request
/// that accepts fewer alternatives, or must match one more part, refuses what clients sent;
/// a response that may be one more alternative, or matches one part fewer, sends what
/// clients never expected.
#[rustfmt::skip]
const MEMBERS: &[(Direction, bool, &str, bool, &str, Level)] = &[
    (Direction::Request, true, "anyOf", true, "request-body-any-of-added", Level::Info),
    (Direction::Request, true, "anyOf", false, "request-body-any-of-removed", Level::Err),
    (Direction::Request, true, "oneOf", true, "request-body-one-of-added", Level::Info),
    (Direction::Request, true, "oneOf", false, "request-body-one-of-removed", Level::Err),
    (Direction::Request, true, "allOf", true, "request-body-all-of-added", Level::Err),
    (Direction::Request, true, "allOf", false, "request-body-all-of-removed", Level::Info),
    (Direction::Request, false, "anyOf", true, "request-property-any-of-added", Level::Info),
    (Direction::Request, false, "anyOf", false, "request-property-any-of-removed", Level::Err),
    (Direction::Request, false, "oneOf", true, "request-property-one-of-added", Level::Info),
    (Direction::Request, false, "oneOf", false, "request-property-one-of-removed", Level::Err),
    (Direction::Request, false, "allOf", true, "request-property-all-of-added", Level::Err),
    (Direction::Request, false, "allOf", false, "request-property-all-of-removed", Level::Info),
    (Direction::Response, true, "anyOf", true, "response-body-any-of-added", Level::Err),
    (Direction::Response, true, "anyOf", false, "response-body-any-of-removed", Level::Info),
    (Direction::Response, true, "oneOf", true, "response-body-one-of-added", Level::Err),
    (Direction::Response, true, "oneOf", false, "response-body-one-of-removed", Level::Info),
    (Direction::Response, true, "allOf", true, "response-body-all-of-added", Level::Info),
    (Direction::Response, true, "allOf", false, "response-body-all-of-removed", Level::Err),
    (Direction::Response, false, "anyOf", true, "response-property-any-of-added", Level::Err),
    (Direction::Response, false, "anyOf", false, "response-property-any-of-removed", Level::Info),
    (Direction::Response, false, "oneOf", true, "response-property-one-of-added", Level::Err),
    (Direction::Response, false, "oneOf", false, "response-property-one-of-removed", Level::Info),
    (Direction::Response, false, "allOf", true, "response-property-all-of-added", Level::Info),
    (Direction::Response, false, "allOf", false, "response-property-all-of-removed", Level::Err),
    // A tuple's items (JSON Schema 2020-12 `prefixItems`): one more is one more a request
    // may send and a response may hold.
    (Direction::Request, true, "prefixItems", true, "request-body-prefix-items-added", Level::Info),
    (Direction::Request, true, "prefixItems", false, "request-body-prefix-items-removed", Level::Err),
    (Direction::Request, false, "prefixItems", true, "request-property-prefix-items-added", Level::Info),
    (Direction::Request, false, "prefixItems", false, "request-property-prefix-items-removed", Level::Err),
    (Direction::Response, true, "prefixItems", true, "response-body-prefix-items-added", Level::Err),
    (Direction::Response, true, "prefixItems", false, "response-body-prefix-items-removed", Level::Info),
    (Direction::Response, false, "prefixItems", true, "response-property-prefix-items-added", Level::Err),
    (Direction::Response, false, "prefixItems", false, "response-property-prefix-items-removed", Level::Info),
];

/// A rule and the message of the change it names, if a rule applies.
pub type Found = Option<((&'static str, Level), String)>;

/// oasdiff's rules for a property's `readOnly` or `writeOnly` set or unset, by direction and
/// requiredness: none breaks a client but one, a required response property that clients
/// could not see before and now may.
#[rustfmt::skip]
const ACCESS: &[(Direction, bool, &str, bool, &str, Level)] = &[
    (Direction::Request, false, "readOnly", true, "request-optional-property-became-read-only", Level::Info),
    (Direction::Request, false, "readOnly", false, "request-optional-property-became-not-read-only", Level::Info),
    (Direction::Request, false, "writeOnly", true, "request-optional-property-became-write-only", Level::Info),
    (Direction::Request, false, "writeOnly", false, "request-optional-property-became-not-write-only", Level::Info),
    (Direction::Request, true, "readOnly", true, "request-required-property-became-read-only", Level::Info),
    (Direction::Request, true, "readOnly", false, "request-required-property-became-not-read-only", Level::Info),
    (Direction::Request, true, "writeOnly", true, "request-required-property-became-write-only", Level::Info),
    (Direction::Request, true, "writeOnly", false, "request-required-property-became-not-write-only", Level::Info),
    (Direction::Response, false, "readOnly", true, "response-optional-property-became-read-only", Level::Info),
    (Direction::Response, false, "readOnly", false, "response-optional-property-became-not-read-only", Level::Info),
    (Direction::Response, false, "writeOnly", true, "response-optional-property-became-write-only", Level::Info),
    (Direction::Response, false, "writeOnly", false, "response-optional-property-became-not-write-only", Level::Info),
    (Direction::Response, true, "readOnly", true, "response-required-property-became-read-only", Level::Info),
    (Direction::Response, true, "readOnly", false, "response-required-property-became-not-read-only", Level::Info),
    (Direction::Response, true, "writeOnly", true, "response-required-property-became-write-only", Level::Info),
    (Direction::Response, true, "writeOnly", false, "response-required-property-became-not-write-only", Level::Warn),
];

/// A property's `flag` set or unset, by [`ACCESS`].
fn access(way: &Reach, path: &str, (flag, set, required): (&str, bool, bool)) -> Found {
    let (.., id, level) = ACCESS
        .iter()
        .find(|r| r.0 == way.direction && r.1 == required && r.2 == flag && r.3 == set)?;
    let side = match way.direction {
        Direction::Request => "request",
        Direction::Response => "response",
    };
    let now = if set {
        flag.to_string()
    } else {
        format!("not {flag}")
    };
    Some((
        (id, *level),
        format!("the {side} property {path} became {now}"),
    ))
}

/// oasdiff's rules for a `discriminator` that moved, by direction and whether the schema is
/// the body itself: all information (the values a client sends and reads are the same).
#[rustfmt::skip]
const DISCRIMINATORS: &[(Direction, bool, D, &str)] = &[
    (Direction::Request, true, D::Added, "request-body-discriminator-added"),
    (Direction::Request, true, D::Removed, "request-body-discriminator-removed"),
    (Direction::Request, true, D::PropertyNameChanged, "request-body-discriminator-property-name-changed"),
    (Direction::Request, true, D::MappingAdded, "request-body-discriminator-mapping-added"),
    (Direction::Request, true, D::MappingDeleted, "request-body-discriminator-mapping-deleted"),
    (Direction::Request, true, D::MappingChanged, "request-body-discriminator-mapping-changed"),
    (Direction::Request, false, D::Added, "request-property-discriminator-added"),
    (Direction::Request, false, D::Removed, "request-property-discriminator-removed"),
    (Direction::Request, false, D::PropertyNameChanged, "request-property-discriminator-property-name-changed"),
    (Direction::Request, false, D::MappingAdded, "request-property-discriminator-mapping-added"),
    (Direction::Request, false, D::MappingDeleted, "request-property-discriminator-mapping-deleted"),
    (Direction::Request, false, D::MappingChanged, "request-property-discriminator-mapping-changed"),
    (Direction::Response, true, D::Added, "response-body-discriminator-added"),
    (Direction::Response, true, D::Removed, "response-body-discriminator-removed"),
    (Direction::Response, true, D::PropertyNameChanged, "response-body-discriminator-property-name-changed"),
    (Direction::Response, true, D::MappingAdded, "response-body-discriminator-mapping-added"),
    (Direction::Response, true, D::MappingDeleted, "response-body-discriminator-mapping-deleted"),
    (Direction::Response, true, D::MappingChanged, "response-body-discriminator-mapping-changed"),
    (Direction::Response, false, D::Added, "response-property-discriminator-added"),
    (Direction::Response, false, D::Removed, "response-property-discriminator-removed"),
    (Direction::Response, false, D::PropertyNameChanged, "response-property-discriminator-property-name-changed"),
    (Direction::Response, false, D::MappingAdded, "response-property-discriminator-mapping-added"),
    (Direction::Response, false, D::MappingDeleted, "response-property-discriminator-mapping-deleted"),
    (Direction::Response, false, D::MappingChanged, "response-property-discriminator-mapping-changed"),
];

/// The discriminator of the schema `what` names moved, by [`DISCRIMINATORS`].
fn discriminated(way: &Reach, path: &str, change: D, detail: &str, what: &str) -> Found {
    let (.., id) = DISCRIMINATORS
        .iter()
        .find(|r| r.0 == way.direction && r.1 == path.is_empty() && r.2 == change)?;
    let message = match change {
        D::Added => format!("added a discriminator on {detail} to {what}"),
        D::Removed => format!("removed the discriminator on {detail} from {what}"),
        D::PropertyNameChanged => {
            format!("the discriminator property of {what} changed from {detail}")
        }
        D::MappingAdded => format!("added the discriminator mapping {detail} to {what}"),
        D::MappingDeleted => format!("removed the discriminator mapping {detail} from {what}"),
        D::MappingChanged => {
            format!("the discriminator mapping {detail} of {what} now names another schema")
        }
    };
    Some(((id, Level::Info), message))
}

/// How a type or format moved (both as `schema::kind` gives them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Retyped {
    /// Every value of the old type is one of the new.
    Generalized,
    /// Every value of the new type is one of the old.
    Specialized,
    Changed,
    /// A list of types (OpenAPI 3.1) that gained a type, or lost one.
    ListWidened,
    ListNarrowed,
    /// Changed where values travel as text (a header, an XML or form body): a request that now
    /// takes a string, or a response that sent one, reads the same characters as before.
    Compatible,
}

/// oasdiff's rules for a type that moved, by where the schema sits: a request that accepts
/// more is harmless and one that accepts other values breaks clients; a response that sends
/// more breaks them and one that sends less is harmless. A place without a row for how it
/// moved takes its `Changed` row.
#[rustfmt::skip]
const TYPES: &[(Place, Retyped, &str, Level)] = &[
    (Place::Parameter, Retyped::Generalized, "request-parameter-type-generalized", Level::Info),
    (Place::ParameterProperty, Retyped::Generalized, "request-parameter-property-type-generalized", Level::Info),
    (Place::ParameterProperty, Retyped::Specialized, "request-parameter-property-type-specialized", Level::Err),
    (Place::ParameterProperty, Retyped::Changed, "request-parameter-property-type-changed", Level::Warn),
    (Place::ParameterProperty, Retyped::ListWidened, "request-parameter-property-list-of-types-widened", Level::Info),
    (Place::ParameterProperty, Retyped::ListNarrowed, "request-parameter-property-list-of-types-narrowed", Level::Err),
    (Place::Parameter, Retyped::Changed, "request-parameter-type-changed", Level::Err),
    (Place::RequestBody, Retyped::Generalized, "request-body-type-generalized", Level::Info),
    (Place::RequestBody, Retyped::Changed, "request-body-type-changed", Level::Err),
    (Place::RequestProperty, Retyped::Generalized, "request-property-type-generalized", Level::Info),
    (Place::RequestProperty, Retyped::Changed, "request-property-type-changed", Level::Err),
    (Place::ResponseBody, Retyped::Generalized, "response-body-type-generalized", Level::Err),
    (Place::ResponseBody, Retyped::Specialized, "response-body-type-specialized", Level::Info),
    (Place::ResponseBody, Retyped::Changed, "response-body-type-changed", Level::Err),
    (Place::ResponseProperty, Retyped::Generalized, "response-property-type-generalized", Level::Err),
    (Place::ResponseProperty, Retyped::Specialized, "response-property-type-specialized", Level::Info),
    (Place::ResponseProperty, Retyped::Changed, "response-property-type-changed", Level::Err),
    (Place::ResponseHeader, Retyped::Generalized, "response-header-type-generalized", Level::Err),
    (Place::ResponseHeader, Retyped::Specialized, "response-header-type-specialized", Level::Info),
    (Place::ResponseHeader, Retyped::Changed, "response-header-type-changed", Level::Err),
    // OpenAPI 3.1 type lists (`type: [string, integer]`) that gain or lose a type.
    (Place::Parameter, Retyped::ListWidened, "request-parameter-list-of-types-widened", Level::Info),
    (Place::Parameter, Retyped::ListNarrowed, "request-parameter-list-of-types-narrowed", Level::Err),
    (Place::RequestBody, Retyped::ListWidened, "request-body-list-of-types-widened", Level::Info),
    (Place::RequestBody, Retyped::ListNarrowed, "request-body-list-of-types-narrowed", Level::Err),
    (Place::RequestProperty, Retyped::ListWidened, "request-property-list-of-types-widened", Level::Info),
    (Place::RequestProperty, Retyped::ListNarrowed, "request-property-list-of-types-narrowed", Level::Err),
    (Place::ResponseBody, Retyped::ListWidened, "response-body-list-of-types-widened", Level::Err),
    (Place::ResponseBody, Retyped::ListNarrowed, "response-body-list-of-types-narrowed", Level::Info),
    (Place::ResponseProperty, Retyped::ListWidened, "response-property-list-of-types-widened", Level::Err),
    (Place::ResponseProperty, Retyped::ListNarrowed, "response-property-list-of-types-narrowed", Level::Info),
    (Place::RequestBody, Retyped::Compatible, "request-body-type-compatible", Level::Info),
    (Place::RequestProperty, Retyped::Compatible, "request-property-type-compatible", Level::Info),
    (Place::ResponseBody, Retyped::Compatible, "response-body-type-compatible", Level::Info),
    (Place::ResponseProperty, Retyped::Compatible, "response-property-type-compatible", Level::Info),
    (Place::ResponseHeader, Retyped::Compatible, "response-header-type-compatible", Level::Info),
];

/// The type of `subject` at `place` moved from `from` to `to`, by [`TYPES`]; `text` says its
/// values travel as text (a header; a body in a media type other than JSON).
pub fn retyped(place: Place, from: &str, to: &str, subject: &str, text: bool) -> Found {
    // A kind with `|` is a list of types (alternatives that moved are told as members).
    let list = from.contains('|') || to.contains('|');
    let request = matches!(place, Place::RequestBody | Place::RequestProperty);
    let string = if request { to } else { from };
    let how = match (widens(from, to), widens(to, from)) {
        (true, _) if list => Retyped::ListWidened,
        (_, true) if list => Retyped::ListNarrowed,
        (true, _) => Retyped::Generalized,
        (_, true) => Retyped::Specialized,
        _ if text && string == "string" => Retyped::Compatible,
        _ => Retyped::Changed,
    };
    let row = |how| TYPES.iter().find(|r| r.0 == place && r.1 == how);
    let (_, how, id, level) = row(how).or_else(|| row(Retyped::Changed))?;
    let verb = match how {
        Retyped::Generalized => "was generalized",
        Retyped::Specialized => "was specialized",
        Retyped::Changed => "changed",
        Retyped::ListWidened => "was widened",
        Retyped::ListNarrowed => "was narrowed",
        Retyped::Compatible => "changed, compatibly as text,",
    };
    Some((
        (id, *level),
        format!("the type/format of {subject} {verb} from {from} to {to}"),
    ))
}

/// oasdiff's rules for an `allOf` part of annotations only added or removed, by direction,
/// whether the schema is the body itself, and added: information, as it constrains nothing.
#[rustfmt::skip]
const ANNOTATION_PARTS: &[(Direction, bool, bool, &str)] = &[
    (Direction::Request, true, true, "request-body-all-of-added-annotation-only"),
    (Direction::Request, true, false, "request-body-all-of-removed-annotation-only"),
    (Direction::Request, false, true, "request-property-all-of-added-annotation-only"),
    (Direction::Request, false, false, "request-property-all-of-removed-annotation-only"),
    (Direction::Response, true, true, "response-body-all-of-added-annotation-only"),
    (Direction::Response, true, false, "response-body-all-of-removed-annotation-only"),
    (Direction::Response, false, true, "response-property-all-of-added-annotation-only"),
    (Direction::Response, false, false, "response-property-all-of-removed-annotation-only"),
];

/// A member of `of` added or removed in the schema `what` names, by [`MEMBERS`] (an `allOf`
/// part of annotations only by [`ANNOTATION_PARTS`]).
fn member(way: &Reach, path: &str, of: &str, added: bool, m: &str, what: &str) -> Found {
    let annotations = (of == "allOf" && m == ANNOTATIONS)
        .then(|| {
            ANNOTATION_PARTS
                .iter()
                .find(|r| r.0 == way.direction && r.1 == path.is_empty() && r.2 == added)
                .map(|(.., id)| (*id, Level::Info))
        })
        .flatten();
    let (id, level) = annotations.or_else(|| {
        MEMBERS
            .iter()
            .find(|r| r.0 == way.direction && r.1 == path.is_empty() && r.2 == of && r.3 == added)
            .map(|(.., id, level)| (*id, *level))
    })?;
    let message = if added {
        format!("added {m} to the {of} list of {what}")
    } else {
        format!("removed {m} from the {of} list of {what}")
    };
    Some(((id, level), message))
}

/// What a change to a schema is, for [`SCHEMA_RULES`]: the delta without its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Removed or added, with whether the property was (is) required.
    Removed(bool),
    Added(bool),
    BecameRequired,
    BecameOptional,
    EnumAdded,
    EnumRemoved,
    BecameEnum,
    ExtensibleEnumRemoved,
    Deprecated,
    DeprecatedWithSunset,
    Reactivated,
    StabilityDecreased,
    StabilityIncreased,
    WrappedInOneOf,
}

/// oasdiff's rules for the changes to a request or response schema that are not bounds,
/// types, members, discriminators or access flags (those have tables of their own), by
/// direction, whether the schema is the body itself, and kind. A change without a row is not
/// reported: a response value list that shrinks, say, or an extensible one in a response.
#[rustfmt::skip]
const SCHEMA_RULES: &[(Direction, bool, Kind, &str, Level)] = &[
    (Direction::Request, false, Kind::Removed(false), "request-property-removed", Level::Warn),
    (Direction::Request, false, Kind::Removed(true), "request-property-removed", Level::Warn),
    (Direction::Request, false, Kind::Added(true), "new-required-request-property", Level::Err),
    (Direction::Request, false, Kind::Added(false), "new-optional-request-property", Level::Info),
    (Direction::Request, false, Kind::BecameRequired, "request-property-became-required", Level::Err),
    (Direction::Request, false, Kind::BecameOptional, "request-property-became-optional", Level::Info),
    (Direction::Request, false, Kind::EnumRemoved, "request-property-enum-value-removed", Level::Err),
    (Direction::Request, false, Kind::EnumAdded, "request-property-enum-value-added", Level::Info),
    (Direction::Request, false, Kind::BecameEnum, "request-property-became-enum", Level::Err),
    (Direction::Request, false, Kind::ExtensibleEnumRemoved, "request-property-x-extensible-enum-value-removed", Level::Err),
    (Direction::Request, false, Kind::Deprecated, "request-property-deprecated", Level::Info),
    (Direction::Request, false, Kind::DeprecatedWithSunset, "request-property-deprecated-with-sunset", Level::Info),
    (Direction::Request, false, Kind::Reactivated, "request-property-reactivated", Level::Info),
    (Direction::Request, false, Kind::StabilityDecreased, "request-property-stability-decreased", Level::Err),
    (Direction::Request, false, Kind::StabilityIncreased, "request-property-stability-increased", Level::Info),
    (Direction::Request, true, Kind::EnumRemoved, "request-body-enum-value-removed", Level::Err),
    (Direction::Request, true, Kind::EnumAdded, "request-body-enum-value-added", Level::Info),
    (Direction::Request, true, Kind::BecameEnum, "request-body-became-enum", Level::Err),
    (Direction::Request, true, Kind::WrappedInOneOf, "request-body-wrapped-in-one-of", Level::Err),
    (Direction::Response, true, Kind::WrappedInOneOf, "response-body-wrapped-in-one-of", Level::Err),
    (Direction::Response, false, Kind::Removed(true), "response-required-property-removed", Level::Err),
    (Direction::Response, false, Kind::Removed(false), "response-optional-property-removed", Level::Info),
    (Direction::Response, false, Kind::Added(true), "response-required-property-added", Level::Info),
    (Direction::Response, false, Kind::Added(false), "response-optional-property-added", Level::Info),
    (Direction::Response, false, Kind::BecameOptional, "response-property-became-optional", Level::Err),
    (Direction::Response, false, Kind::BecameRequired, "response-property-became-required", Level::Info),
    (Direction::Response, false, Kind::EnumAdded, "response-property-enum-value-added", Level::Warn),
    (Direction::Response, false, Kind::EnumRemoved, "response-property-enum-value-removed", Level::Info),
    (Direction::Response, false, Kind::Deprecated, "response-property-deprecated", Level::Info),
    (Direction::Response, false, Kind::DeprecatedWithSunset, "response-property-deprecated-with-sunset", Level::Info),
    (Direction::Response, false, Kind::Reactivated, "response-property-reactivated", Level::Info),
    (Direction::Response, false, Kind::StabilityDecreased, "response-property-stability-decreased", Level::Err),
    (Direction::Response, false, Kind::StabilityIncreased, "response-property-stability-increased", Level::Info),
    (Direction::Response, true, Kind::EnumRemoved, "response-media-type-enum-value-removed", Level::Info),
];

/// A guard a property's schema may have ([`Guard`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Guarded {
    ReadOnly,
    WriteOnly,
    Default,
}

/// oasdiff's rules for changes to a property under a guard, before [`SCHEMA_RULES`]: a
/// required property with a default asks nothing more of a client (yet oasdiff still calls it
/// breaking, by a rule of its own), and what a client never sends (read-only in a request) or
/// never reads (write-only in a response) breaks nothing.
#[rustfmt::skip]
const GUARDED: &[(Direction, Kind, Guarded, &str, Level)] = &[
    (Direction::Request, Kind::Added(true), Guarded::Default, "new-required-request-property-with-default", Level::Err),
    (Direction::Request, Kind::BecameRequired, Guarded::Default, "request-property-became-required-with-default", Level::Err),
    (Direction::Request, Kind::EnumRemoved, Guarded::ReadOnly, "request-read-only-property-enum-value-removed", Level::Info),
    (Direction::Response, Kind::Removed(false), Guarded::WriteOnly, "response-optional-write-only-property-removed", Level::Info),
    (Direction::Response, Kind::Removed(true), Guarded::WriteOnly, "response-required-write-only-property-removed", Level::Info),
    (Direction::Response, Kind::Added(false), Guarded::WriteOnly, "response-optional-write-only-property-added", Level::Info),
    (Direction::Response, Kind::Added(true), Guarded::WriteOnly, "response-required-write-only-property-added", Level::Info),
    (Direction::Response, Kind::BecameOptional, Guarded::WriteOnly, "response-write-only-property-became-optional", Level::Info),
    (Direction::Response, Kind::BecameRequired, Guarded::WriteOnly, "response-write-only-property-became-required", Level::Info),
    (Direction::Response, Kind::EnumAdded, Guarded::WriteOnly, "response-write-only-property-enum-value-added", Level::Info),
];

/// One change in a schema reached by `way`, at `path` (empty for the body itself), by its
/// rule: the tables of types, bounds, members, discriminators, access flags and the rest, a
/// property under a guard (`guard`) by its own rule where oasdiff has one.
pub fn schema_change(way: &Reach, path: &str, delta: &Delta, guard: Guard) -> Found {
    let body = path.is_empty();
    let (place, what) = match (way.direction, body) {
        (Direction::Request, true) => (Place::RequestBody, "the request body".to_string()),
        (Direction::Request, false) => (
            Place::RequestProperty,
            format!("the request property {path}"),
        ),
        (Direction::Response, true) => (Place::ResponseBody, "the response body".to_string()),
        (Direction::Response, false) => (
            Place::ResponseProperty,
            format!("the response property {path}"),
        ),
    };
    let (kind, message) = match delta {
        Delta::TypeChanged { from, to } => {
            // JSON tells a number from a string; other media types carry text.
            let text = way
                .media_type
                .as_deref()
                .is_some_and(|m| m != "application/json" && !m.ends_with("+json"));
            return retyped(place, from, to, &what, text);
        }
        Delta::Moved(moved) => {
            // A read-only request property takes its own rule where there is one.
            let read_only = (place == Place::RequestProperty && guard.read_only)
                .then(|| rule(Place::RequestReadOnlyProperty, moved))
                .flatten();
            return Some((
                read_only.or_else(|| rule(place, moved))?,
                format!("for {what}, {}", describe(moved)),
            ));
        }
        Delta::MemberAdded { of, member: m } => return member(way, path, of, true, m, &what),
        Delta::MemberRemoved { of, member: m } => return member(way, path, of, false, m, &what),
        Delta::Discriminator { change, detail } => {
            return discriminated(way, path, *change, detail, &what);
        }
        Delta::Access {
            flag,
            set,
            required,
        } => return access(way, path, (flag, *set, *required)),
        Delta::Removed { required } => (Kind::Removed(*required), format!("removed {what}")),
        Delta::Added { required } => (
            Kind::Added(*required),
            format!(
                "added {what}, {}",
                if *required { "required" } else { "optional" }
            ),
        ),
        Delta::BecameRequired => (Kind::BecameRequired, format!("{what} became required")),
        Delta::BecameOptional => (Kind::BecameOptional, format!("{what} became optional")),
        Delta::EnumAdded(v) => (
            Kind::EnumAdded,
            format!("added the enum value {v} to {what}"),
        ),
        Delta::EnumRemoved(v) => (
            Kind::EnumRemoved,
            format!("removed the enum value {v} from {what}"),
        ),
        Delta::BecameEnum(vs) => (Kind::BecameEnum, format!("{what} became an enum of {vs}")),
        Delta::ExtensibleEnumRemoved(v) => (
            Kind::ExtensibleEnumRemoved,
            format!("removed the x-extensible-enum value {v} from {what}"),
        ),
        Delta::Deprecated { sunset: None } => (Kind::Deprecated, format!("{what} was deprecated")),
        Delta::Deprecated { sunset: Some(day) } => (
            Kind::DeprecatedWithSunset,
            format!("{what} was deprecated with the sunset date {day}"),
        ),
        Delta::Reactivated => (Kind::Reactivated, format!("{what} was reactivated")),
        Delta::WrappedInOneOf(others) => (
            Kind::WrappedInOneOf,
            format!("{what} became one alternative of a oneOf, beside {others}"),
        ),
        Delta::StabilityDecreased(now) => (
            Kind::StabilityDecreased,
            format!("the stability level of {what} decreased to {now}"),
        ),
        Delta::StabilityIncreased(now) => (
            Kind::StabilityIncreased,
            format!("the stability level of {what} increased to {now}"),
        ),
    };
    let holds = |g: Guarded| match g {
        Guarded::ReadOnly => guard.read_only,
        Guarded::WriteOnly => guard.write_only,
        Guarded::Default => guard.default,
    };
    let guarded = GUARDED
        .iter()
        .find(|r| !body && r.0 == way.direction && r.1 == kind && holds(r.2))
        .map(|(.., id, level)| (*id, *level));
    let plain = || {
        SCHEMA_RULES
            .iter()
            .find(|r| r.0 == way.direction && r.1 == body && r.2 == kind)
            .map(|(.., id, level)| (*id, *level))
    };
    Some((guarded.or_else(plain)?, message))
}

/// oasdiff's rules for a property deprecated against the deprecation policy, by direction:
/// without a sunset date, with one that is not a date, or with one too soon.
#[rustfmt::skip]
const BREACHES: &[(Direction, u8, &str)] = &[
    (Direction::Request, 0, "request-property-deprecated-sunset-missing"),
    (Direction::Request, 1, "request-property-deprecated-invalid"),
    (Direction::Request, 2, "request-property-sunset-date-too-small"),
    (Direction::Response, 0, "response-property-deprecated-sunset-missing"),
    (Direction::Response, 1, "response-property-deprecated-invalid"),
    (Direction::Response, 2, "response-property-sunset-date-too-small"),
];

/// The property at `path`, reached by `way`, deprecated against the policy (`breach`), by
/// [`BREACHES`]: an error.
pub fn breached(way: &Reach, path: &str, breach: &Breach) -> Found {
    let which = match breach {
        Breach::Missing => 0,
        Breach::NotADate(_) => 1,
        Breach::TooSoon(..) => 2,
    };
    let (.., id) = BREACHES
        .iter()
        .find(|r| r.0 == way.direction && r.1 == which)?;
    let side = match way.direction {
        Direction::Request => "request",
        Direction::Response => "response",
    };
    Some((
        (id, Level::Err),
        breach.message(&format!("the {side} property {path}")),
    ))
}
