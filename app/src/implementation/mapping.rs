//! The data mapping: rows that take a field of the provider's payload (a JSON pointer) to a
//! field of SayPro's platform object (a dotted name), through a transform. The engine here is
//! pure and built for both targets, so the page previews a sample as the engineer types, and
//! the server renders the same preview when the form is posted without JavaScript.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use crate::choices::implementation::Transform;
use crate::integrations::model::IntegrationRef;
use crate::users::model::UserRef;

impl Transform {
    /// Whether the transform takes an argument (the value map or the default).
    pub fn takes_argument(self) -> bool {
        matches!(self, Transform::EnumMap | Transform::DefaultValue)
    }
}

/// One mapping row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MappingRow {
    pub id: i32,
    pub integration: IntegrationRef,
    /// Order on the page (1 first).
    pub position: i32,
    /// A JSON pointer into the provider's payload, such as /data/object/amount.
    pub source_pointer: String,
    /// A dotted platform field, such as payment.amount.
    pub target_field: String,
    pub transform: Transform,
    /// For enum_map, `from=to` pairs separated by commas; for default, the value (JSON or
    /// text); otherwise empty.
    pub transform_arg: String,
    pub required: bool,
    pub notes: String,
}

impl MappingRow {
    /// The edit form filled with this row's values.
    pub fn form(&self) -> MappingRowForm {
        MappingRowForm {
            position: self.position.to_string(),
            source_pointer: self.source_pointer.clone(),
            target_field: self.target_field.clone(),
            transform: self.transform.as_str().into(),
            transform_arg: self.transform_arg.clone(),
            required: if self.required {
                "on".into()
            } else {
                String::new()
            },
            notes: self.notes.clone(),
        }
    }
}

/// The mapping row form, as submitted. `required` is a checkbox: "on" or "true" when ticked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MappingRowForm {
    /// Blank: after the last row.
    pub position: String,
    pub source_pointer: String,
    pub target_field: String,
    pub transform: String,
    pub transform_arg: String,
    pub required: String,
    pub notes: String,
}

impl MappingRowForm {
    /// Whether the required box is ticked.
    pub fn is_required(&self) -> bool {
        matches!(
            self.required.trim().to_ascii_lowercase().as_str(),
            "on" | "true" | "yes" | "1"
        )
    }
}

/// Who reviewed the mapping, and when. Any change to a row clears it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MappingReview {
    pub by: UserRef,
    pub at: DateTime<Utc>,
}

/// An integration's data mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MappingView {
    pub integration: IntegrationRef,
    pub rows: Vec<MappingRow>,
    pub review: Option<MappingReview>,
}

/// What one row produced from the sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RowOutcome {
    pub row_id: i32,
    pub target_field: String,
    /// The mapped value; absent when the field was missing (and optional) or on error.
    pub value: Option<Value>,
    pub error: Option<String>,
}

/// The preview of a sample payload through the mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Preview {
    /// The platform object built from the rows without errors; absent when the sample is not
    /// JSON.
    pub output: Option<Value>,
    pub rows: Vec<RowOutcome>,
    /// Why the sample could not be read, with its line and column.
    pub sample_error: Option<String>,
}

impl Preview {
    /// How many rows failed.
    pub fn errors(&self) -> usize {
        self.rows.iter().filter(|r| r.error.is_some()).count()
    }
}

/// A sample to preview, as the REST API takes it: the payload as text, so that invalid JSON
/// can be reported with its position.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PreviewRequest {
    pub sample: String,
}

/// Reads a sample payload, or says where it stops being JSON.
///
/// # Errors
/// The message, with line and column.
pub fn parse_sample(sample: &str) -> Result<Value, String> {
    if sample.trim().is_empty() {
        return Err("Paste a sample payload from the provider (JSON).".into());
    }
    if sample.len() > crate::limits::SAMPLE_BYTES {
        return Err(format!(
            "The sample is larger than {} KB, the limit for a sample payload.",
            crate::limits::SAMPLE_BYTES / 1024
        ));
    }
    crate::limits::check_json(sample.as_bytes(), crate::limits::SAMPLE_NODES)
        .map_err(|e| e.message("The sample"))?;
    serde_json::from_str(sample).map_err(|e| {
        let full = e.to_string();
        let what = full.split(" at line ").next().unwrap_or(&full);
        format!(
            "The sample is not valid JSON: line {}, column {}: {what}.",
            e.line(),
            e.column()
        )
    })
}

/// Runs every row over `sample`.
pub fn preview(rows: &[MappingRow], sample: &str) -> Preview {
    let payload = match parse_sample(sample) {
        Ok(v) => v,
        Err(message) => {
            return Preview {
                output: None,
                rows: Vec::new(),
                sample_error: Some(message),
            };
        }
    };
    let mut output = Map::new();
    let outcomes = rows
        .iter()
        .map(|row| {
            let result = map_row(row, &payload).and_then(|value| {
                if let Some(v) = &value {
                    place(&mut output, &row.target_field, v.clone())?;
                }
                Ok(value)
            });
            let (value, error) = match result {
                Ok(value) => (value, None),
                Err(e) => (None, Some(e)),
            };
            RowOutcome {
                row_id: row.id,
                target_field: row.target_field.clone(),
                value,
                error,
            }
        })
        .collect();
    Preview {
        output: Some(Value::Object(output)),
        rows: outcomes,
        sample_error: None,
    }
}

/// One row over the payload: `Ok(None)` when an optional field is missing.
fn map_row(row: &MappingRow, payload: &Value) -> Result<Option<Value>, String> {
    let found = payload
        .pointer(&row.source_pointer)
        .filter(|v| !v.is_null());
    match apply(row.transform, &row.transform_arg, found)? {
        Some(v) => Ok(Some(v)),
        None if row.required => Err(format!(
            "Missing required field: the sample has nothing at {}.",
            row.source_pointer
        )),
        None => Ok(None),
    }
}

/// Sets `dotted` (such as payment.amount) in `object`, making the objects on the way.
fn place(object: &mut Map<String, Value>, dotted: &str, value: Value) -> Result<(), String> {
    let mut parts: Vec<&str> = dotted.split('.').collect();
    let last = parts.pop().unwrap_or_default();
    let mut here = object;
    for (depth, part) in parts.iter().enumerate() {
        let slot = here
            .entry((*part).to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        here = match slot {
            Value::Object(m) => m,
            _ => {
                return Err(format!(
                    "Conflicts with the field {}, which another row sets to a value.",
                    parts[..=depth].join(".")
                ));
            }
        };
    }
    if here.contains_key(last) {
        return Err(format!("Another row already sets {dotted}."));
    }
    here.insert(last.to_string(), value);
    Ok(())
}

/// How a value is named in messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(n) if n.is_i64() || n.is_u64() => "a whole number",
        Value::Number(_) => "a decimal number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn mismatch(expected: &str, found: &Value) -> String {
    format!("Type mismatch: expected {expected}, found {}.", kind(found))
}

/// The `from=to` pairs of an enum map, in order.
///
/// # Errors
/// Which pair is malformed.
pub fn enum_pairs(arg: &str) -> Result<Vec<(String, String)>, String> {
    let pairs: Vec<(String, String)> = arg
        .split([',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((from, to)) if !from.trim().is_empty() => {
                Ok((from.trim().to_string(), to.trim().to_string()))
            }
            _ => Err(format!(
                "\"{p}\" is not a from=to pair, such as succeeded=paid."
            )),
        })
        .collect::<Result<_, _>>()?;
    if pairs.is_empty() {
        return Err(
            "List the values to map as from=to pairs, such as succeeded=paid, failed=failed."
                .into(),
        );
    }
    Ok(pairs)
}

/// The default value: JSON when it reads as JSON (42, true, "x", {...}), otherwise the text.
pub fn default_value(arg: &str) -> Value {
    serde_json::from_str(arg.trim()).unwrap_or_else(|_| Value::String(arg.trim().to_string()))
}

/// Whole cents from a decimal written as text, exactly (no floating point on the way).
fn cents(text: &str) -> Option<Result<i64, String>> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let significant = fraction.trim_end_matches('0');
    if significant.len() > 2 {
        return Some(Err(format!(
            "{text} has more than two decimal places; cents cannot hold it."
        )));
    }
    let fraction = format!("{significant:0<2}");
    let value = whole
        .parse::<i64>()
        .ok()
        .and_then(|w| w.checked_mul(100))
        .and_then(|w| w.checked_add(fraction.parse::<i64>().unwrap_or_default()));
    Some(match value {
        Some(v) if negative => Ok(-v),
        Some(v) => Ok(v),
        None => Err(format!("{text} is too large.")),
    })
}

/// Applies one transform to a value (`None`: missing or null in the payload).
///
/// # Errors
/// Why the value cannot be transformed.
pub fn apply(
    transform: Transform,
    arg: &str,
    value: Option<&Value>,
) -> Result<Option<Value>, String> {
    let Some(v) = value else {
        return Ok((transform == Transform::DefaultValue).then(|| default_value(arg)));
    };
    let text = |expected: &str| v.as_str().ok_or_else(|| mismatch(expected, v));
    let out = match transform {
        Transform::Unchanged | Transform::DefaultValue => v.clone(),
        Transform::CentsToDecimal => {
            let c = v
                .as_i64()
                .ok_or_else(|| mismatch("a whole number of cents", v))?;
            // Exact: 1999 -> "19.99" -> 19.99.
            let sign = if c < 0 { "-" } else { "" };
            let abs = c.unsigned_abs();
            let decimal: f64 = format!("{sign}{}.{:02}", abs / 100, abs % 100)
                .parse()
                .map_err(|_| mismatch("a whole number of cents", v))?;
            Value::from(decimal)
        }
        Transform::DecimalToCents => {
            let written = match v {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.trim().to_string(),
                other => return Err(mismatch("a decimal amount", other)),
            };
            match cents(&written) {
                Some(result) => Value::from(result?),
                None => {
                    return Err(format!(
                        "Type mismatch: expected a decimal amount, found \"{written}\"."
                    ));
                }
            }
        }
        Transform::Iso8601ToTimestamp => {
            let s = text("an ISO 8601 date-time")?.trim();
            let seconds = DateTime::parse_from_rfc3339(s)
                .map(|t| t.timestamp())
                .or_else(|_| {
                    NaiveDate::parse_from_str(s, "%Y-%m-%d").map(|d| {
                        d.and_hms_opt(0, 0, 0)
                            .unwrap_or_default()
                            .and_utc()
                            .timestamp()
                    })
                })
                .map_err(|_| {
                    format!("\"{s}\" is not an ISO 8601 date-time, such as 2026-11-29T07:30:00Z.")
                })?;
            Value::from(seconds)
        }
        Transform::UnixToIso8601 => {
            let seconds = v
                .as_i64()
                .ok_or_else(|| mismatch("a Unix timestamp in whole seconds", v))?;
            let at = DateTime::<Utc>::from_timestamp(seconds, 0)
                .ok_or_else(|| format!("{seconds} is outside the range of dates."))?;
            Value::from(at.to_rfc3339_opts(SecondsFormat::Secs, true))
        }
        Transform::Lowercase => Value::from(text("text")?.to_lowercase()),
        Transform::Uppercase => Value::from(text("text")?.to_uppercase()),
        Transform::Trim => Value::from(text("text")?.trim()),
        Transform::EnumMap => {
            let key = match v {
                Value::String(s) => s.clone(),
                Value::Number(_) | Value::Bool(_) => v.to_string(),
                other => return Err(mismatch("a single value", other)),
            };
            let pairs = enum_pairs(arg)?;
            let to = pairs
                .iter()
                .find(|(from, _)| *from == key)
                .map(|(_, to)| to.clone())
                .ok_or_else(|| format!("Unmapped enum value \"{key}\": add it to the map."))?;
            Value::from(to)
        }
    };
    Ok(Some(out))
}

/// Checks a JSON pointer as RFC 6901 writes it.
///
/// # Errors
/// What is wrong with it.
pub fn check_pointer(pointer: &str) -> Result<(), String> {
    if !pointer.starts_with('/') {
        return Err("A JSON pointer starts with /, such as /data/object/amount.".into());
    }
    let mut chars = pointer.chars();
    while let Some(c) = chars.next() {
        if c == '~' && !matches!(chars.next(), Some('0' | '1')) {
            return Err("In a JSON pointer, ~ is written ~0 and / inside a name ~1.".into());
        }
    }
    Ok(())
}

/// Checks a dotted platform field name, such as payment.amount.
///
/// # Errors
/// What is wrong with it.
pub fn check_field(field: &str) -> Result<(), String> {
    let ok = field.split('.').all(|part| {
        let mut chars = part.chars();
        matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    if ok {
        Ok(())
    } else {
        Err("Use names of letters, digits and _ joined by dots, such as payment.amount.".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(t: Transform, arg: &str, v: Value) -> Result<Option<Value>, String> {
        apply(t, arg, Some(&v))
    }

    fn row(id: i32, from: &str, to: &str, t: Transform, arg: &str, required: bool) -> MappingRow {
        MappingRow {
            id,
            integration: IntegrationRef {
                id: 1,
                slug: "s".into(),
                name: "S".into(),
                gate_overridden: false,
            },
            position: id,
            source_pointer: from.into(),
            target_field: to.into(),
            transform: t,
            transform_arg: arg.into(),
            required,
            notes: String::new(),
        }
    }

    #[test]
    fn every_transform_on_good_input() {
        use Transform::*;
        assert_eq!(
            run(Unchanged, "", json!({"a": 1})),
            Ok(Some(json!({"a": 1})))
        );
        assert_eq!(run(CentsToDecimal, "", json!(1999)), Ok(Some(json!(19.99))));
        assert_eq!(run(CentsToDecimal, "", json!(-5)), Ok(Some(json!(-0.05))));
        assert_eq!(run(DecimalToCents, "", json!(19.99)), Ok(Some(json!(1999))));
        assert_eq!(
            run(DecimalToCents, "", json!("10.5")),
            Ok(Some(json!(1050)))
        );
        assert_eq!(run(DecimalToCents, "", json!(7)), Ok(Some(json!(700))));
        assert_eq!(
            run(DecimalToCents, "", json!("-0.10")),
            Ok(Some(json!(-10)))
        );
        assert_eq!(
            run(Iso8601ToTimestamp, "", json!("2026-11-29T07:30:00Z")),
            Ok(Some(json!(1_795_937_400)))
        );
        assert_eq!(
            run(Iso8601ToTimestamp, "", json!("2026-11-29T09:30:00+02:00")),
            Ok(Some(json!(1_795_937_400)))
        );
        assert_eq!(
            run(Iso8601ToTimestamp, "", json!("2026-11-29")),
            Ok(Some(json!(1_795_910_400)))
        );
        assert_eq!(
            run(UnixToIso8601, "", json!(1_795_937_400)),
            Ok(Some(json!("2026-11-29T07:30:00Z")))
        );
        assert_eq!(run(Lowercase, "", json!("EUR")), Ok(Some(json!("eur"))));
        assert_eq!(run(Uppercase, "", json!("eur")), Ok(Some(json!("EUR"))));
        assert_eq!(run(Trim, "", json!("  a b ")), Ok(Some(json!("a b"))));
        assert_eq!(
            run(EnumMap, "succeeded=paid, failed = failed", json!("failed")),
            Ok(Some(json!("failed")))
        );
        assert_eq!(
            run(EnumMap, "1=one\n2=two", json!(2)),
            Ok(Some(json!("two")))
        );
        assert_eq!(
            run(DefaultValue, "pending", json!("paid")),
            Ok(Some(json!("paid")))
        );
        assert_eq!(
            apply(DefaultValue, "pending", None),
            Ok(Some(json!("pending")))
        );
        assert_eq!(apply(DefaultValue, "42", None), Ok(Some(json!(42))));
        assert_eq!(
            apply(Lowercase, "", None),
            Ok(None),
            "missing stays missing"
        );
    }

    #[test]
    fn every_transform_refuses_bad_input_and_says_why() {
        use Transform::*;
        let err = |t, arg, v| run(t, arg, v).expect_err("refused");
        assert!(
            err(CentsToDecimal, "", json!("1999"))
                .contains("expected a whole number of cents, found text")
        );
        assert!(err(CentsToDecimal, "", json!(19.5)).contains("found a decimal number"));
        assert!(
            err(DecimalToCents, "", json!("ten"))
                .contains("expected a decimal amount, found \"ten\"")
        );
        assert!(err(DecimalToCents, "", json!(1.234)).contains("more than two decimal places"));
        assert!(err(DecimalToCents, "", json!(true)).contains("found true or false"));
        assert!(err(DecimalToCents, "", json!("99999999999999999999")).contains("too large"));
        assert!(
            err(Iso8601ToTimestamp, "", json!("yesterday")).contains("not an ISO 8601 date-time")
        );
        assert!(err(Iso8601ToTimestamp, "", json!(5)).contains("found a whole number"));
        assert!(err(UnixToIso8601, "", json!("1795937400")).contains("expected a Unix timestamp"));
        assert!(err(UnixToIso8601, "", json!(i64::MAX)).contains("outside the range"));
        assert!(err(Lowercase, "", json!(1)).contains("expected text"));
        assert!(err(Uppercase, "", json!([1])).contains("found a list"));
        assert!(err(Trim, "", json!({})).contains("found an object"));
        assert!(
            err(EnumMap, "succeeded=paid", json!("refunded"))
                .contains("Unmapped enum value \"refunded\"")
        );
        assert!(err(EnumMap, "succeeded", json!("x")).contains("not a from=to pair"));
        assert!(err(EnumMap, "", json!("x")).contains("List the values"));
    }

    #[test]
    fn preview_builds_the_object_and_reports_each_row() {
        use Transform::*;
        let rows = vec![
            row(
                1,
                "/data/object/amount",
                "payment.amount",
                CentsToDecimal,
                "",
                true,
            ),
            row(
                2,
                "/data/object/currency",
                "payment.currency",
                Uppercase,
                "",
                true,
            ),
            row(
                3,
                "/data/object/status",
                "payment.status",
                EnumMap,
                "succeeded=paid",
                true,
            ),
            row(
                4,
                "/data/object/customer",
                "payment.customer_id",
                Unchanged,
                "",
                true,
            ),
            row(
                5,
                "/data/object/description",
                "payment.note",
                Trim,
                "",
                false,
            ),
            row(
                6,
                "/data/object/created",
                "payment.created_at",
                UnixToIso8601,
                "",
                false,
            ),
        ];
        let sample = r#"{"data": {"object": {"amount": "12", "currency": "eur", "status": "refunded", "created": 1795937400}}}"#;
        let p = preview(&rows, sample);
        assert_eq!(p.sample_error, None);
        let errors: Vec<_> = p.rows.iter().map(|r| r.error.clone()).collect();
        assert!(
            errors[0]
                .as_deref()
                .unwrap_or_default()
                .contains("Type mismatch")
        );
        assert_eq!(errors[1], None);
        assert!(
            errors[2]
                .as_deref()
                .unwrap_or_default()
                .contains("Unmapped enum value")
        );
        assert!(
            errors[3]
                .as_deref()
                .unwrap_or_default()
                .contains("Missing required field")
        );
        assert_eq!(errors[4], None, "an optional missing field is no error");
        assert_eq!(p.errors(), 3);
        assert_eq!(
            p.output,
            Some(json!({"payment": {"currency": "EUR", "created_at": "2026-11-29T07:30:00Z"}}))
        );
    }

    #[test]
    fn invalid_json_is_reported_with_line_and_column() {
        let p = preview(&[], "{\n  \"amount\": 12,\n  \"currency\" \"eur\"\n}");
        let message = p.sample_error.expect("an error");
        assert!(message.contains("line 3, column 14"), "{message}");
        assert!(message.contains("expected `:`"), "{message}");
        assert!(preview(&[], "  ").sample_error.is_some());
    }

    #[test]
    fn conflicting_targets_are_row_errors() {
        use Transform::*;
        let rows = vec![
            row(1, "/a", "payment", Unchanged, "", true),
            row(2, "/b", "payment.amount", Unchanged, "", true),
        ];
        let p = preview(&rows, r#"{"a": 1, "b": 2}"#);
        assert_eq!(p.rows[0].error, None);
        assert!(
            p.rows[1]
                .error
                .as_deref()
                .unwrap_or_default()
                .contains("Conflicts with the field payment")
        );
    }

    #[test]
    fn pointers_and_field_names_are_checked() {
        assert!(check_pointer("/data/object/amount").is_ok());
        assert!(check_pointer("/a~1b/c~0d").is_ok());
        assert!(check_pointer("data/amount").is_err());
        assert!(check_pointer("/a~2").is_err());
        assert!(check_field("payment.amount").is_ok());
        assert!(check_field("_x.y_2").is_ok());
        assert!(check_field("payment..amount").is_err());
        assert!(check_field("2fa").is_err());
        assert!(check_field("payment amount").is_err());
    }
}
