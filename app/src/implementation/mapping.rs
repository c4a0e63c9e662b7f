//! The data mapping: rows that take a field of the provider's payload (a JSON pointer) to a
//! field of SayPro's platform object (a dotted name), through a transform. The engine here is
//! pure and built for both targets, so the page previews a sample as the engineer types, and
//! the server renders the same preview when the form is posted without JavaScript.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use crate::choices::implementation::Transform;
use crate::integrations::model::IntegrationRef;
use crate::users::model::UserRef;

pub use super::transforms::{apply, default_value, enum_pairs};

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
