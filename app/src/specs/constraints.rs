//! The constraints and values of one schema compared between two versions (its bounds:
//! `maximum`, `minimum`, their exclusive forms, lengths and item counts; its `pattern`,
//! whether it is nullable, and its `default`), and oasdiff's rules for what each change means
//! where the schema sits: a bound tightened in a request refuses what a client sent before
//! (breaking), the same bound loosened in a response sends what a client never expected
//! (breaking too), and the opposite moves are harmless. The rules are a table ([`RULES`]),
//! read by the diff and by the rule-table test alike.

use serde_json::Value;

use super::model::Level;

/// How a constraint moved from one version to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Movement {
    /// Absent before, present now.
    Set,
    /// Present before, absent now.
    Unset,
    Increased,
    Decreased,
    /// A value that is not a number (a pattern, a default) changed.
    Changed,
    /// A `multipleOf` divided by the new one, or a pattern changed to one that matches any
    /// string: every value it admitted is still admitted.
    Loosened,
    /// A `multipleOf` that divides the new one: fewer values are admitted.
    Tightened,
}

/// One constraint of a schema that moved: the keyword, how, and its two values as JSON text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Moved {
    pub keyword: &'static str,
    /// The entry of a keyword that maps names to values (`dependentRequired`,
    /// `dependentSchemas`, `patternProperties`) that moved; `None` for any other keyword.
    pub key: Option<String>,
    pub movement: Movement,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Where a schema sits, which decides what a change to it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A property of a request body.
    RequestProperty,
    /// A request parameter's schema.
    Parameter,
    /// A property of an object-valued request parameter's schema.
    ParameterProperty,
    /// A property of a response body.
    ResponseProperty,
    /// A request body's schema itself.
    RequestBody,
    /// A response body's schema itself.
    ResponseBody,
    /// A response header's schema.
    ResponseHeader,
    /// A `readOnly` property of a request body, which no client sends: its own rules where
    /// oasdiff has them, those of [`Place::RequestProperty`] otherwise.
    RequestReadOnlyProperty,
}

/// The numeric bounds compared.
const BOUNDS: [&str; 12] = [
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "maxItems",
    "minItems",
    "minContains",
    "maxContains",
    "maxProperties",
    "minProperties",
];

/// The subschemas (JSON Schema 2020-12, OpenAPI 3.1) whose presence is compared: one added
/// is one more condition a value must meet.
const SUBSCHEMAS: [&str; 8] = [
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];

/// The keywords (JSON Schema 2020-12) that map names to values, compared entry by entry: a
/// dependency or a pattern added is one more condition a value must meet.
const ENTRIES: [&str; 3] = ["dependentRequired", "dependentSchemas", "patternProperties"];

/// The keywords whose every move (set, removed or changed) is a change: what the string is
/// encoded as, and the media type it holds.
const ENCODINGS: [&str; 2] = ["contentMediaType", "contentEncoding"];

use Level::{Err, Info, Warn};
use Movement::{Changed, Decreased, Increased, Loosened, Set, Tightened, Unset};
use Place::{
    Parameter, ParameterProperty, RequestBody, RequestProperty, RequestReadOnlyProperty,
    ResponseBody, ResponseHeader, ResponseProperty,
};

/// oasdiff's rule for each constraint change that has one: where, which keyword, which
/// movement, the rule id and its level. A change without a row is not reported (a request
/// bound loosened past what oasdiff lists, say); a divisor or pattern loosened or tightened
/// without a row of its own is read as changed.
#[rustfmt::skip]
pub const RULES: &[(Place, &str, Movement, &str, Level)] = &[
    // Bounds in a request body: tightening refuses what clients send.
    (RequestProperty, "maximum", Set, "request-property-max-set", Err),
    (RequestProperty, "maximum", Decreased, "request-property-max-decreased", Err),
    (RequestProperty, "maximum", Increased, "request-property-max-increased", Info),
    (RequestProperty, "exclusiveMaximum", Set, "request-property-exclusive-max-set", Err),
    (RequestProperty, "exclusiveMaximum", Decreased, "request-property-exclusive-max-decreased", Err),
    (RequestProperty, "exclusiveMaximum", Increased, "request-property-exclusive-max-increased", Info),
    (RequestProperty, "minimum", Set, "request-property-min-set", Err),
    (RequestProperty, "minimum", Increased, "request-property-min-increased", Err),
    (RequestProperty, "minimum", Decreased, "request-property-min-decreased", Info),
    (RequestProperty, "exclusiveMinimum", Set, "request-property-exclusive-min-set", Err),
    (RequestProperty, "exclusiveMinimum", Increased, "request-property-exclusive-min-increased", Err),
    (RequestProperty, "exclusiveMinimum", Decreased, "request-property-exclusive-min-decreased", Info),
    (RequestProperty, "maxLength", Set, "request-property-max-length-set", Err),
    (RequestProperty, "maxLength", Decreased, "request-property-max-length-decreased", Err),
    (RequestProperty, "maxLength", Increased, "request-property-max-length-increased", Info),
    (RequestProperty, "minLength", Increased, "request-property-min-length-increased", Err),
    (RequestProperty, "minLength", Decreased, "request-property-min-length-decreased", Info),
    // oasdiff has no rule for some bounds set where there were none, or removed from a
    // response, though each breaks a client as its siblings do: these (each marked `+`) are
    // Tollgate's, named as their siblings are.
    (RequestProperty, "minLength", Set, "request-property-min-length-set", Err), // +
    (RequestProperty, "maxItems", Set, "request-property-max-items-set", Err),
    (RequestProperty, "maxItems", Decreased, "request-property-max-items-decreased", Err),
    (RequestProperty, "maxItems", Increased, "request-property-max-items-increased", Info),
    (RequestProperty, "minItems", Set, "request-property-min-items-set", Err),
    (RequestProperty, "minItems", Increased, "request-property-min-items-increased", Err),
    (RequestProperty, "pattern", Set, "request-property-pattern-added", Err),
    (RequestProperty, "pattern", Unset, "request-property-pattern-removed", Info),
    (RequestProperty, "pattern", Changed, "request-property-pattern-changed", Warn),
    (RequestProperty, "pattern", Loosened, "request-property-pattern-generalized", Info),
    (RequestProperty, "nullable", Set, "request-property-became-nullable", Info),
    (RequestProperty, "nullable", Unset, "request-property-became-not-nullable", Err),
    (RequestProperty, "default", Set, "request-property-default-value-added", Info),
    (RequestProperty, "default", Unset, "request-property-default-value-removed", Info),
    (RequestProperty, "default", Changed, "request-property-default-value-changed", Info),
    (RequestProperty, "const", Set, "request-property-const-added", Err),
    (RequestProperty, "const", Unset, "request-property-const-removed", Info),
    (RequestProperty, "const", Changed, "request-property-const-changed", Err),
    (RequestProperty, "if", Set, "request-property-if-added", Err),
    (RequestProperty, "if", Unset, "request-property-if-removed", Info),
    (RequestProperty, "then", Set, "request-property-then-added", Err),
    (RequestProperty, "then", Unset, "request-property-then-removed", Info),
    (RequestProperty, "else", Set, "request-property-else-added", Err),
    (RequestProperty, "else", Unset, "request-property-else-removed", Info),
    (RequestProperty, "contains", Set, "request-property-contains-added", Err),
    (RequestProperty, "contains", Unset, "request-property-contains-removed", Info),
    (RequestProperty, "minContains", Increased, "request-property-min-contains-increased", Err),
    (RequestProperty, "minContains", Decreased, "request-property-min-contains-decreased", Info),
    (RequestProperty, "maxContains", Increased, "request-property-max-contains-increased", Info),
    (RequestProperty, "maxContains", Decreased, "request-property-max-contains-decreased", Err),
    // Object sizes, unique items, divisors, the 2020-12 subschemas and dependencies.
    (RequestProperty, "maxProperties", Set, "request-property-max-properties-set", Err),
    (RequestProperty, "maxProperties", Decreased, "request-property-max-properties-decreased", Err),
    (RequestProperty, "maxProperties", Increased, "request-property-max-properties-increased", Info),
    (RequestProperty, "minProperties", Increased, "request-property-min-properties-increased", Err),
    (RequestProperty, "uniqueItems", Set, "request-property-unique-items-set", Err),
    (RequestProperty, "uniqueItems", Unset, "request-property-unique-items-unset", Info),
    (RequestProperty, "multipleOf", Set, "request-property-multiple-of-set", Err),
    (RequestProperty, "multipleOf", Unset, "request-property-multiple-of-unset", Info),
    (RequestProperty, "multipleOf", Changed, "request-property-multiple-of-changed", Err),
    (RequestProperty, "multipleOf", Loosened, "request-property-multiple-of-generalized", Info),
    (RequestProperty, "propertyNames", Set, "request-property-property-names-added", Err),
    (RequestProperty, "propertyNames", Unset, "request-property-property-names-removed", Info),
    (RequestProperty, "unevaluatedItems", Set, "request-property-unevaluated-items-added", Err),
    (RequestProperty, "unevaluatedItems", Unset, "request-property-unevaluated-items-removed", Info),
    (RequestProperty, "unevaluatedProperties", Set, "request-property-unevaluated-properties-added", Err),
    (RequestProperty, "unevaluatedProperties", Unset, "request-property-unevaluated-properties-removed", Info),
    (RequestProperty, "contentSchema", Set, "request-property-content-schema-added", Err),
    (RequestProperty, "contentSchema", Unset, "request-property-content-schema-removed", Info),
    (RequestProperty, "contentMediaType", Changed, "request-property-content-media-type-changed", Err),
    (RequestProperty, "contentEncoding", Changed, "request-property-content-encoding-changed", Err),
    (RequestProperty, "dependentRequired", Set, "request-property-dependent-required-added", Err),
    (RequestProperty, "dependentRequired", Unset, "request-property-dependent-required-removed", Info),
    (RequestProperty, "dependentRequired", Changed, "request-property-dependent-required-changed", Err),
    (RequestProperty, "dependentSchemas", Set, "request-property-dependent-schema-added", Err),
    (RequestProperty, "dependentSchemas", Unset, "request-property-dependent-schema-removed", Info),
    (RequestProperty, "patternProperties", Set, "request-property-pattern-property-added", Err),
    (RequestProperty, "patternProperties", Unset, "request-property-pattern-property-removed", Info),
    // Bounds of a request parameter: the same, with item counts both ways.
    (Parameter, "maximum", Set, "request-parameter-max-set", Err),
    (Parameter, "maximum", Decreased, "request-parameter-max-decreased", Err),
    (Parameter, "maximum", Increased, "request-parameter-max-increased", Info),
    (Parameter, "exclusiveMaximum", Set, "request-parameter-exclusive-max-set", Err),
    (Parameter, "exclusiveMaximum", Decreased, "request-parameter-exclusive-max-decreased", Err),
    (Parameter, "exclusiveMaximum", Increased, "request-parameter-exclusive-max-increased", Info),
    (Parameter, "minimum", Set, "request-parameter-min-set", Err),
    (Parameter, "minimum", Increased, "request-parameter-min-increased", Err),
    (Parameter, "minimum", Decreased, "request-parameter-min-decreased", Info),
    (Parameter, "exclusiveMinimum", Set, "request-parameter-exclusive-min-set", Err),
    (Parameter, "exclusiveMinimum", Increased, "request-parameter-exclusive-min-increased", Err),
    (Parameter, "exclusiveMinimum", Decreased, "request-parameter-exclusive-min-decreased", Info),
    (Parameter, "maxLength", Set, "request-parameter-max-length-set", Err),
    (Parameter, "maxLength", Decreased, "request-parameter-max-length-decreased", Err),
    (Parameter, "maxLength", Increased, "request-parameter-max-length-increased", Info),
    (Parameter, "minLength", Set, "request-parameter-min-length-set", Err), // +
    (Parameter, "minLength", Increased, "request-parameter-min-length-increased", Err),
    (Parameter, "minLength", Decreased, "request-parameter-min-length-decreased", Info),
    (Parameter, "maxItems", Set, "request-parameter-max-items-set", Err), // +
    (Parameter, "maxItems", Decreased, "request-parameter-max-items-decreased", Err),
    (Parameter, "maxItems", Increased, "request-parameter-max-items-increased", Info),
    (Parameter, "minItems", Set, "request-parameter-min-items-set", Err),
    (Parameter, "minItems", Increased, "request-parameter-min-items-increased", Err),
    (Parameter, "minItems", Decreased, "request-parameter-min-items-decreased", Info),
    (Parameter, "pattern", Set, "request-parameter-pattern-added", Err),
    (Parameter, "pattern", Unset, "request-parameter-pattern-removed", Info),
    (Parameter, "pattern", Changed, "request-parameter-pattern-changed", Warn),
    (Parameter, "pattern", Loosened, "request-parameter-pattern-generalized", Info),
    (Parameter, "nullable", Set, "request-parameter-became-nullable", Info),
    (Parameter, "nullable", Unset, "request-parameter-became-not-nullable", Err),
    (Parameter, "default", Set, "request-parameter-default-value-added", Info),
    (Parameter, "default", Unset, "request-parameter-default-value-removed", Info),
    (Parameter, "default", Changed, "request-parameter-default-value-changed", Info),
    // A property of an object-valued parameter that may be null, or no longer.
    (ParameterProperty, "nullable", Set, "request-parameter-property-became-nullable", Info),
    (ParameterProperty, "nullable", Unset, "request-parameter-property-became-not-nullable", Err),
    // Bounds in a response: loosening sends what clients never expected.
    (ResponseProperty, "maximum", Increased, "response-property-max-increased", Err),
    (ResponseProperty, "maximum", Unset, "response-property-max-unset", Err), // +
    (ResponseProperty, "exclusiveMaximum", Increased, "response-property-exclusive-max-increased", Err),
    (ResponseProperty, "exclusiveMaximum", Unset, "response-property-exclusive-max-unset", Err), // +
    (ResponseProperty, "minimum", Decreased, "response-property-min-decreased", Err),
    (ResponseProperty, "minimum", Unset, "response-property-min-unset", Err), // +
    (ResponseProperty, "exclusiveMinimum", Decreased, "response-property-exclusive-min-decreased", Err),
    (ResponseProperty, "exclusiveMinimum", Unset, "response-property-exclusive-min-unset", Err), // +
    (ResponseProperty, "maxLength", Increased, "response-property-max-length-increased", Err),
    (ResponseProperty, "maxLength", Unset, "response-property-max-length-unset", Err),
    (ResponseProperty, "minLength", Decreased, "response-property-min-length-decreased", Err),
    (ResponseProperty, "minLength", Unset, "response-property-min-length-unset", Err), // +
    (ResponseProperty, "maxItems", Increased, "response-property-max-items-increased", Err),
    (ResponseProperty, "maxItems", Unset, "response-property-max-items-unset", Err), // +
    (ResponseProperty, "minItems", Decreased, "response-property-min-items-decreased", Err),
    (ResponseProperty, "minItems", Unset, "response-property-min-items-unset", Err),
    (ResponseProperty, "pattern", Set, "response-property-pattern-added", Info),
    (ResponseProperty, "pattern", Unset, "response-property-pattern-removed", Err),
    (ResponseProperty, "pattern", Changed, "response-property-pattern-changed", Warn),
    (ResponseProperty, "nullable", Set, "response-property-became-nullable", Err),
    (ResponseProperty, "nullable", Unset, "response-property-became-not-nullable", Info),
    (ResponseProperty, "default", Set, "response-property-default-value-added", Info),
    (ResponseProperty, "default", Unset, "response-property-default-value-removed", Info),
    (ResponseProperty, "default", Changed, "response-property-default-value-changed", Info),
    (ResponseProperty, "const", Set, "response-property-const-added", Info),
    (ResponseProperty, "const", Unset, "response-property-const-removed", Err),
    (ResponseProperty, "const", Changed, "response-property-const-changed", Err),
    (ResponseProperty, "if", Set, "response-property-if-added", Info),
    (ResponseProperty, "if", Unset, "response-property-if-removed", Err),
    (ResponseProperty, "then", Set, "response-property-then-added", Info),
    (ResponseProperty, "then", Unset, "response-property-then-removed", Err),
    (ResponseProperty, "else", Set, "response-property-else-added", Info),
    (ResponseProperty, "else", Unset, "response-property-else-removed", Err),
    (ResponseProperty, "contains", Set, "response-property-contains-added", Info),
    (ResponseProperty, "contains", Unset, "response-property-contains-removed", Err),
    (ResponseProperty, "minContains", Increased, "response-property-min-contains-increased", Info),
    (ResponseProperty, "minContains", Decreased, "response-property-min-contains-decreased", Err),
    (ResponseProperty, "maxContains", Increased, "response-property-max-contains-increased", Err),
    (ResponseProperty, "maxContains", Decreased, "response-property-max-contains-decreased", Info),
    // Object sizes, unique items, divisors, the 2020-12 subschemas and dependencies.
    (ResponseProperty, "maxProperties", Increased, "response-property-max-properties-increased", Err),
    (ResponseProperty, "minProperties", Decreased, "response-property-min-properties-decreased", Err),
    (ResponseProperty, "uniqueItems", Unset, "response-property-unique-items-unset", Err),
    (ResponseProperty, "multipleOf", Unset, "response-property-multiple-of-unset", Err),
    (ResponseProperty, "multipleOf", Changed, "response-property-multiple-of-changed", Err),
    (ResponseProperty, "multipleOf", Tightened, "response-property-multiple-of-specialized", Info),
    (ResponseProperty, "propertyNames", Set, "response-property-property-names-added", Info),
    (ResponseProperty, "propertyNames", Unset, "response-property-property-names-removed", Err),
    (ResponseProperty, "unevaluatedItems", Set, "response-property-unevaluated-items-added", Info),
    (ResponseProperty, "unevaluatedItems", Unset, "response-property-unevaluated-items-removed", Err),
    (ResponseProperty, "unevaluatedProperties", Set, "response-property-unevaluated-properties-added", Info),
    (ResponseProperty, "unevaluatedProperties", Unset, "response-property-unevaluated-properties-removed", Err),
    (ResponseProperty, "contentSchema", Set, "response-property-content-schema-added", Info),
    (ResponseProperty, "contentSchema", Unset, "response-property-content-schema-removed", Err),
    (ResponseProperty, "contentMediaType", Changed, "response-property-content-media-type-changed", Err),
    (ResponseProperty, "contentEncoding", Changed, "response-property-content-encoding-changed", Err),
    (ResponseProperty, "dependentRequired", Set, "response-property-dependent-required-added", Info),
    (ResponseProperty, "dependentRequired", Unset, "response-property-dependent-required-removed", Err),
    (ResponseProperty, "dependentRequired", Changed, "response-property-dependent-required-changed", Err),
    (ResponseProperty, "dependentSchemas", Set, "response-property-dependent-schema-added", Info),
    (ResponseProperty, "dependentSchemas", Unset, "response-property-dependent-schema-removed", Err),
    (ResponseProperty, "patternProperties", Set, "response-property-pattern-property-added", Info),
    (ResponseProperty, "patternProperties", Unset, "response-property-pattern-property-removed", Err),
    // A request body's own bounds, as its properties' (oasdiff names fewer of them).
    (RequestBody, "maximum", Set, "request-body-max-set", Err),
    (RequestBody, "maximum", Decreased, "request-body-max-decreased", Err),
    (RequestBody, "maximum", Increased, "request-body-max-increased", Info),
    (RequestBody, "exclusiveMaximum", Set, "request-body-exclusive-max-set", Err),
    (RequestBody, "exclusiveMaximum", Decreased, "request-body-exclusive-max-decreased", Err),
    (RequestBody, "exclusiveMaximum", Increased, "request-body-exclusive-max-increased", Info),
    (RequestBody, "minimum", Set, "request-body-min-set", Err),
    (RequestBody, "minimum", Increased, "request-body-min-increased", Err),
    (RequestBody, "minimum", Decreased, "request-body-min-decreased", Info),
    (RequestBody, "exclusiveMinimum", Set, "request-body-exclusive-min-set", Err),
    (RequestBody, "exclusiveMinimum", Increased, "request-body-exclusive-min-increased", Err),
    (RequestBody, "exclusiveMinimum", Decreased, "request-body-exclusive-min-decreased", Info),
    (RequestBody, "maxLength", Set, "request-body-max-length-set", Err),
    (RequestBody, "maxLength", Decreased, "request-body-max-length-decreased", Err),
    (RequestBody, "maxLength", Increased, "request-body-max-length-increased", Info),
    (RequestBody, "minLength", Increased, "request-body-min-length-increased", Err),
    (RequestBody, "minLength", Decreased, "request-body-min-length-decreased", Info),
    (RequestBody, "minItems", Set, "request-body-min-items-set", Err),
    (RequestBody, "minItems", Increased, "request-body-min-items-increased", Err),
    (RequestBody, "nullable", Set, "request-body-became-nullable", Info),
    (RequestBody, "nullable", Unset, "request-body-became-not-nullable", Err),
    (RequestBody, "default", Set, "request-body-default-value-added", Info),
    (RequestBody, "default", Unset, "request-body-default-value-removed", Info),
    (RequestBody, "default", Changed, "request-body-default-value-changed", Info),
    (RequestBody, "const", Set, "request-body-const-added", Err),
    (RequestBody, "const", Unset, "request-body-const-removed", Info),
    (RequestBody, "const", Changed, "request-body-const-changed", Err),
    // JSON Schema 2020-12 conditions: a subschema added is one more test to pass.
    (RequestBody, "if", Set, "request-body-if-added", Err),
    (RequestBody, "if", Unset, "request-body-if-removed", Info),
    (RequestBody, "then", Set, "request-body-then-added", Err),
    (RequestBody, "then", Unset, "request-body-then-removed", Info),
    (RequestBody, "else", Set, "request-body-else-added", Err),
    (RequestBody, "else", Unset, "request-body-else-removed", Info),
    (RequestBody, "contains", Set, "request-body-contains-added", Err),
    (RequestBody, "contains", Unset, "request-body-contains-removed", Info),
    (RequestBody, "minContains", Increased, "request-body-min-contains-increased", Err),
    (RequestBody, "minContains", Decreased, "request-body-min-contains-decreased", Info),
    (RequestBody, "maxContains", Increased, "request-body-max-contains-increased", Info),
    (RequestBody, "maxContains", Decreased, "request-body-max-contains-decreased", Err),
    // Object sizes, unique items, divisors, the 2020-12 subschemas and dependencies.
    (RequestBody, "maxItems", Set, "request-body-max-items-set", Err),
    (RequestBody, "maxItems", Decreased, "request-body-max-items-decreased", Err),
    (RequestBody, "maxItems", Increased, "request-body-max-items-increased", Info),
    (RequestBody, "maxProperties", Set, "request-body-max-properties-set", Err),
    (RequestBody, "maxProperties", Decreased, "request-body-max-properties-decreased", Err),
    (RequestBody, "maxProperties", Increased, "request-body-max-properties-increased", Info),
    (RequestBody, "minProperties", Increased, "request-body-min-properties-increased", Err),
    (RequestBody, "uniqueItems", Set, "request-body-unique-items-set", Err),
    (RequestBody, "uniqueItems", Unset, "request-body-unique-items-unset", Info),
    (RequestBody, "multipleOf", Set, "request-body-multiple-of-set", Err),
    (RequestBody, "multipleOf", Unset, "request-body-multiple-of-unset", Info),
    (RequestBody, "multipleOf", Changed, "request-body-multiple-of-changed", Err),
    (RequestBody, "multipleOf", Loosened, "request-body-multiple-of-generalized", Info),
    (RequestBody, "propertyNames", Set, "request-body-property-names-added", Err),
    (RequestBody, "propertyNames", Unset, "request-body-property-names-removed", Info),
    (RequestBody, "unevaluatedItems", Set, "request-body-unevaluated-items-added", Err),
    (RequestBody, "unevaluatedItems", Unset, "request-body-unevaluated-items-removed", Info),
    (RequestBody, "unevaluatedProperties", Set, "request-body-unevaluated-properties-added", Err),
    (RequestBody, "unevaluatedProperties", Unset, "request-body-unevaluated-properties-removed", Info),
    (RequestBody, "contentSchema", Set, "request-body-content-schema-added", Err),
    (RequestBody, "contentSchema", Unset, "request-body-content-schema-removed", Info),
    (RequestBody, "contentMediaType", Changed, "request-body-content-media-type-changed", Err),
    (RequestBody, "contentEncoding", Changed, "request-body-content-encoding-changed", Err),
    (RequestBody, "dependentRequired", Set, "request-body-dependent-required-added", Err),
    (RequestBody, "dependentRequired", Unset, "request-body-dependent-required-removed", Info),
    (RequestBody, "dependentRequired", Changed, "request-body-dependent-required-changed", Err),
    (RequestBody, "dependentSchemas", Set, "request-body-dependent-schema-added", Err),
    (RequestBody, "dependentSchemas", Unset, "request-body-dependent-schema-removed", Info),
    (RequestBody, "patternProperties", Set, "request-body-pattern-property-added", Err),
    (RequestBody, "patternProperties", Unset, "request-body-pattern-property-removed", Info),
    // A response body's own bounds loosened.
    (ResponseBody, "maximum", Increased, "response-body-max-increased", Err),
    (ResponseBody, "exclusiveMaximum", Increased, "response-body-exclusive-max-increased", Err),
    (ResponseBody, "minimum", Decreased, "response-body-min-decreased", Err),
    (ResponseBody, "exclusiveMinimum", Decreased, "response-body-exclusive-min-decreased", Err),
    (ResponseBody, "maxLength", Increased, "response-body-max-length-increased", Err),
    (ResponseBody, "maxLength", Unset, "response-body-max-length-unset", Err),
    (ResponseBody, "minLength", Decreased, "response-body-min-length-decreased", Err),
    (ResponseBody, "minItems", Decreased, "response-body-min-items-decreased", Err),
    (ResponseBody, "minItems", Unset, "response-body-min-items-unset", Err),
    (ResponseBody, "nullable", Set, "response-body-became-nullable", Err),
    (ResponseBody, "nullable", Unset, "response-body-became-not-nullable", Info),
    // A response header that may be null sends what clients never expected.
    (ResponseHeader, "nullable", Set, "response-header-became-nullable", Err),
    (ResponseHeader, "nullable", Unset, "response-header-became-not-nullable", Info),
    (ResponseBody, "default", Set, "response-body-default-value-added", Info),
    (ResponseBody, "default", Unset, "response-body-default-value-removed", Info),
    (ResponseBody, "default", Changed, "response-body-default-value-changed", Info),
    (ResponseBody, "const", Set, "response-body-const-added", Info),
    (ResponseBody, "const", Unset, "response-body-const-removed", Err),
    (ResponseBody, "const", Changed, "response-body-const-changed", Err),
    (ResponseBody, "if", Set, "response-body-if-added", Info),
    (ResponseBody, "if", Unset, "response-body-if-removed", Err),
    (ResponseBody, "then", Set, "response-body-then-added", Info),
    (ResponseBody, "then", Unset, "response-body-then-removed", Err),
    (ResponseBody, "else", Set, "response-body-else-added", Info),
    (ResponseBody, "else", Unset, "response-body-else-removed", Err),
    (ResponseBody, "contains", Set, "response-body-contains-added", Info),
    (ResponseBody, "contains", Unset, "response-body-contains-removed", Err),
    (ResponseBody, "minContains", Increased, "response-body-min-contains-increased", Info),
    (ResponseBody, "minContains", Decreased, "response-body-min-contains-decreased", Err),
    (ResponseBody, "maxContains", Increased, "response-body-max-contains-increased", Err),
    (ResponseBody, "maxContains", Decreased, "response-body-max-contains-decreased", Info),
    // Object sizes, unique items, divisors, the 2020-12 subschemas and dependencies.
    (ResponseBody, "maxItems", Increased, "response-body-max-items-increased", Err),
    (ResponseBody, "maxProperties", Increased, "response-body-max-properties-increased", Err),
    (ResponseBody, "minProperties", Decreased, "response-body-min-properties-decreased", Err),
    (ResponseBody, "uniqueItems", Unset, "response-body-unique-items-unset", Err),
    (ResponseBody, "multipleOf", Unset, "response-body-multiple-of-unset", Err),
    (ResponseBody, "multipleOf", Changed, "response-body-multiple-of-changed", Err),
    (ResponseBody, "multipleOf", Tightened, "response-body-multiple-of-specialized", Info),
    (ResponseBody, "propertyNames", Set, "response-body-property-names-added", Info),
    (ResponseBody, "propertyNames", Unset, "response-body-property-names-removed", Err),
    (ResponseBody, "unevaluatedItems", Set, "response-body-unevaluated-items-added", Info),
    (ResponseBody, "unevaluatedItems", Unset, "response-body-unevaluated-items-removed", Err),
    (ResponseBody, "unevaluatedProperties", Set, "response-body-unevaluated-properties-added", Info),
    (ResponseBody, "unevaluatedProperties", Unset, "response-body-unevaluated-properties-removed", Err),
    (ResponseBody, "contentSchema", Set, "response-body-content-schema-added", Info),
    (ResponseBody, "contentSchema", Unset, "response-body-content-schema-removed", Err),
    (ResponseBody, "contentMediaType", Changed, "response-body-content-media-type-changed", Err),
    (ResponseBody, "contentEncoding", Changed, "response-body-content-encoding-changed", Err),
    (ResponseBody, "dependentRequired", Set, "response-body-dependent-required-added", Info),
    (ResponseBody, "dependentRequired", Unset, "response-body-dependent-required-removed", Err),
    (ResponseBody, "dependentRequired", Changed, "response-body-dependent-required-changed", Err),
    (ResponseBody, "dependentSchemas", Set, "response-body-dependent-schema-added", Info),
    (ResponseBody, "dependentSchemas", Unset, "response-body-dependent-schema-removed", Err),
    (ResponseBody, "patternProperties", Set, "response-body-pattern-property-added", Info),
    (ResponseBody, "patternProperties", Unset, "response-body-pattern-property-removed", Err),
    // A bound tightened on a read-only request property: nobody sends it, so nothing breaks.
    (RequestReadOnlyProperty, "maximum", Decreased, "request-read-only-property-max-decreased", Info),
    (RequestReadOnlyProperty, "exclusiveMaximum", Decreased, "request-read-only-property-exclusive-max-decreased", Info),
    (RequestReadOnlyProperty, "minimum", Increased, "request-read-only-property-min-increased", Info),
    (RequestReadOnlyProperty, "exclusiveMinimum", Increased, "request-read-only-property-exclusive-min-increased", Info),
    (RequestReadOnlyProperty, "maxLength", Decreased, "request-read-only-property-max-length-decreased", Info),
    (RequestReadOnlyProperty, "maxItems", Decreased, "request-read-only-property-max-items-decreased", Info),
    (RequestReadOnlyProperty, "maxProperties", Decreased, "request-read-only-property-max-properties-decreased", Info),
];

/// The rule for `moved` at `place`, if oasdiff has one: its id and level. A constraint
/// loosened or tightened without a row of its own is changed.
pub fn rule(place: Place, moved: &Moved) -> Option<(&'static str, Level)> {
    let row = |movement: Movement| {
        RULES
            .iter()
            .find(|(p, k, m, ..)| *p == place && *k == moved.keyword && *m == movement)
            .map(|(.., id, level)| (*id, *level))
    };
    row(moved.movement).or_else(|| {
        matches!(moved.movement, Loosened | Tightened)
            .then(|| row(Changed))
            .flatten()
    })
}

/// Whether a (dereferenced) schema admits null: OpenAPI 3.0's `nullable: true`, or a 3.1 type
/// list holding `"null"`.
fn nullable(schema: &Value) -> bool {
    schema.get("nullable").and_then(Value::as_bool) == Some(true)
        || schema
            .get("type")
            .and_then(Value::as_array)
            .is_some_and(|types| types.iter().any(|t| t.as_str() == Some("null")))
}

/// How a value moved between `from` and `to`, numbers by their value and anything else by its
/// JSON text; `None` when it did not.
fn movement(from: Option<&Value>, to: Option<&Value>) -> Option<Movement> {
    match (from, to) {
        (None, None) => None,
        (None, Some(_)) => Some(Set),
        (Some(_), None) => Some(Unset),
        (Some(a), Some(b)) => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) if x < y => Some(Increased),
            (Some(x), Some(y)) if x > y => Some(Decreased),
            (Some(_), Some(_)) => None,
            _ => (a != b).then_some(Changed),
        },
    }
}

/// Whether `x` is a whole multiple of `y` (both positive), to a relative tolerance that
/// forgives decimal fractions written in binary (`0.01` into `0.1`).
fn multiple(x: f64, y: f64) -> bool {
    let q = x / y;
    y > 0.0 && x > 0.0 && (q - q.round()).abs() < 1e-9 * q.max(1.0)
}

/// How a `multipleOf` moved: a new divisor that divides the old one admits more values
/// (loosened); one the old divides admits fewer (tightened); any other is changed.
fn divisor(from: Option<&Value>, to: Option<&Value>) -> Option<Movement> {
    let number = |v: Option<&Value>| v.and_then(Value::as_f64);
    match (number(from), number(to)) {
        (Some(x), Some(y)) if (x - y).abs() > f64::EPSILON * x.abs().max(1.0) => {
            Some(if multiple(x, y) {
                Loosened
            } else if multiple(y, x) {
                Tightened
            } else {
                Changed
            })
        }
        (Some(_), Some(_)) => None,
        _ => movement(from.filter(|v| v.is_number()), to.filter(|v| v.is_number())),
    }
}

/// The constraints that moved from schema `old` to schema `new` (both dereferenced). A 3.0
/// boolean `exclusiveMaximum` or `exclusiveMinimum` qualifies its bound and is not a bound
/// of its own.
pub fn compare(old: &Value, new: &Value) -> Vec<Moved> {
    let mut out = Vec::new();
    let mut push = |keyword: &'static str,
                    key: Option<&str>,
                    movement: Option<Movement>,
                    from: Option<&Value>,
                    to: Option<&Value>| {
        if let Some(movement) = movement {
            out.push(Moved {
                keyword,
                key: key.map(str::to_string),
                movement,
                from: from.map(Value::to_string),
                to: to.map(Value::to_string),
            });
        }
    };
    let mut value = |keyword: &'static str, from: Option<&Value>, to: Option<&Value>| {
        push(keyword, None, movement(from, to), from, to);
    };
    let number = |s: &'_ Value, k: &str| s.get(k).filter(|v| v.is_number()).cloned();
    for keyword in BOUNDS {
        value(
            keyword,
            number(old, keyword).as_ref(),
            number(new, keyword).as_ref(),
        );
    }
    value("default", old.get("default"), new.get("default"));
    let yes = Value::Bool(true);
    let flag = |on: bool| on.then_some(&yes);
    value("nullable", flag(nullable(old)), flag(nullable(new)));
    let unique = |s: &Value| s.get("uniqueItems").and_then(Value::as_bool) == Some(true);
    value("uniqueItems", flag(unique(old)), flag(unique(new)));
    for keyword in SUBSCHEMAS {
        value(
            keyword,
            flag(old.get(keyword).is_some()),
            flag(new.get(keyword).is_some()),
        );
    }
    let text = |s: &Value, k: &str| s.get(k).filter(|v| v.is_string()).cloned();
    let (from, to) = (text(old, "pattern"), text(new, "pattern"));
    // A pattern changed to one that matches any string no longer constrains anything.
    let any = to
        .as_ref()
        .and_then(Value::as_str)
        .is_some_and(|p| [".*", "^.*$"].contains(&p));
    let moved = movement(from.as_ref(), to.as_ref()).map(|m| match m {
        Changed if any => Loosened,
        m => m,
    });
    push("pattern", None, moved, from.as_ref(), to.as_ref());
    // A constant is one value, an encoding one name: any move of them is a change.
    for keyword in ["const"].into_iter().chain(ENCODINGS) {
        let (from, to) = (old.get(keyword), new.get(keyword));
        let moved = movement(from, to).map(|m| match m {
            Increased | Decreased => Changed,
            Set | Unset if ENCODINGS.contains(&keyword) => Changed,
            m => m,
        });
        push(keyword, None, moved, from, to);
    }
    let (from, to) = (old.get("multipleOf"), new.get("multipleOf"));
    push("multipleOf", None, divisor(from, to), from, to);
    for keyword in ENTRIES {
        let entries = |s: &'_ Value| s.get(keyword).and_then(Value::as_object).cloned();
        let (a, b) = (
            entries(old).unwrap_or_default(),
            entries(new).unwrap_or_default(),
        );
        let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        for key in keys {
            let (from, to) = (a.get(key), b.get(key));
            let moved = movement(from, to).map(|m| match m {
                Increased | Decreased => Changed,
                m => m,
            });
            push(keyword, Some(key), moved, from, to);
        }
    }
    out
}

/// What a moved constraint says, for a change's message: `the maxLength was decreased from 10
/// to 5`.
pub fn describe(m: &Moved) -> String {
    let (from, to) = (
        m.from.as_deref().unwrap_or("none"),
        m.to.as_deref().unwrap_or("none"),
    );
    let k = match &m.key {
        Some(key) => format!("{} entry {key}", m.keyword),
        None => m.keyword.to_string(),
    };
    match (m.keyword, m.movement) {
        ("nullable", Set) => "became nullable".into(),
        ("nullable", _) => "became not nullable".into(),
        ("uniqueItems", Set) => "its items must now be unique".into(),
        ("uniqueItems", _) => "its items need no longer be unique".into(),
        (s, Set) if SUBSCHEMAS.contains(&s) => format!("a schema was added as its {k}"),
        (s, _) if SUBSCHEMAS.contains(&s) => format!("its {k} schema was removed"),
        (_, Set) => format!("the {k} {to} was set"),
        (_, Unset) => format!("the {k} {from} was removed"),
        (_, Increased) => format!("the {k} was increased from {from} to {to}"),
        (_, Decreased) => format!("the {k} was decreased from {from} to {to}"),
        (_, Changed) => format!("the {k} was changed from {from} to {to}"),
        ("pattern", Loosened) => {
            format!("the {k} was relaxed from {from} to {to}, which matches any string")
        }
        (_, Loosened) => format!("the {k} was relaxed from {from} to {to}, a divisor of it"),
        (_, Tightened) => format!("the {k} was tightened from {from} to {to}, a multiple of it"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn moved(old: Value, new: Value) -> Vec<(&'static str, Movement)> {
        compare(&old, &new)
            .into_iter()
            .map(|m| (m.keyword, m.movement))
            .collect()
    }

    #[test]
    fn bounds_move_by_value_and_other_values_by_their_text() {
        assert_eq!(
            moved(
                json!({"maximum": 10, "minLength": 2}),
                json!({"maximum": 5.0, "minLength": 2})
            ),
            [("maximum", Decreased)]
        );
        assert_eq!(
            moved(
                json!({"pattern": "^a$"}),
                json!({"pattern": "^b$", "maxItems": 3})
            ),
            [("maxItems", Set), ("pattern", Changed)]
        );
        assert_eq!(
            moved(json!({"default": 1}), json!({})),
            [("default", Unset)]
        );
        assert_eq!(moved(json!({"maximum": 1.5}), json!({"maximum": 1.5})), []);
    }

    #[test]
    fn nullable_is_read_from_3_0_and_3_1_alike_and_a_boolean_exclusive_bound_is_not_a_bound() {
        assert_eq!(
            moved(
                json!({"type": "string"}),
                json!({"type": ["string", "null"]})
            ),
            [("nullable", Set)]
        );
        assert_eq!(
            moved(
                json!({"type": "string", "nullable": true}),
                json!({"type": "string"})
            ),
            [("nullable", Unset)]
        );
        assert_eq!(
            moved(
                json!({"maximum": 5, "exclusiveMaximum": false}),
                json!({"maximum": 5, "exclusiveMaximum": true})
            ),
            []
        );
    }

    #[test]
    fn a_divisor_moves_by_divisibility_and_entries_move_one_by_one() {
        let of = |a: Value, b: Value| moved(json!({"multipleOf": a}), json!({"multipleOf": b}));
        assert_eq!(of(json!(10), json!(5)), [("multipleOf", Loosened)]);
        assert_eq!(of(json!(5), json!(10)), [("multipleOf", Tightened)]);
        assert_eq!(of(json!(4), json!(6)), [("multipleOf", Changed)]);
        assert_eq!(of(json!(0.1), json!(0.01)), [("multipleOf", Loosened)]);
        assert_eq!(of(json!(5), json!(5.0)), []);
        let entries = compare(
            &json!({"dependentRequired": {"a": ["b"], "c": ["d"]}}),
            &json!({"dependentRequired": {"a": ["b", "e"], "f": ["g"]}}),
        );
        let keyed: Vec<(Option<&str>, Movement)> = entries
            .iter()
            .map(|m| (m.key.as_deref(), m.movement))
            .collect();
        assert_eq!(
            keyed,
            [(Some("a"), Changed), (Some("c"), Unset), (Some("f"), Set)]
        );
        assert_eq!(
            describe(&entries[1]),
            "the dependentRequired entry c [\"d\"] was removed"
        );
    }

    #[test]
    fn every_rule_is_named_once_and_named_for_where_it_sits() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.3).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "an id is used twice");
        for (place, keyword, movement, id, _) in RULES {
            let prefix = match place {
                RequestProperty => "request-property-",
                Parameter => "request-parameter-",
                ParameterProperty => "request-parameter-property-",
                ResponseProperty => "response-property-",
                RequestBody => "request-body-",
                ResponseBody => "response-body-",
                ResponseHeader => "response-header-",
                RequestReadOnlyProperty => "request-read-only-property-",
            };
            assert!(id.starts_with(prefix), "{id}");
            assert!(
                BOUNDS.contains(keyword)
                    || SUBSCHEMAS.contains(keyword)
                    || ENTRIES.contains(keyword)
                    || ENCODINGS.contains(keyword)
                    || [
                        "pattern",
                        "nullable",
                        "default",
                        "const",
                        "uniqueItems",
                        "multipleOf"
                    ]
                    .contains(keyword)
            );
            let same = RULES
                .iter()
                .filter(|r| r.0 == *place && r.1 == *keyword && r.2 == *movement)
                .count();
            assert_eq!(same, 1, "{id}: one rule per place, keyword and movement");
        }
    }
}
