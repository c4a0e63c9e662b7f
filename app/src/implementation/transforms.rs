//! The transforms a mapping row applies to the provider's value: cents to a decimal, a date
//! to ISO 8601, an enum map, a default, and the rest. Pure, built for both targets, so the
//! page's preview and the server's run the same code.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde_json::Value;

use crate::choices::implementation::Transform;

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(t: Transform, arg: &str, v: Value) -> Result<Option<Value>, String> {
        apply(t, arg, Some(&v))
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
}
