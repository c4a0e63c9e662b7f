//! Field checks shared by every form: each adds a message naming its field and returns the
//! cleaned value, so a form reports every bad field at once.

use chrono::NaiveDate;

use crate::error::FieldErrors;

/// Whether `value` holds a control character other than tab and line breaks. NUL is among
/// them, which PostgreSQL refuses to store, so such text is refused (or, in a lookup, matches
/// nothing) rather than failing in the database.
pub fn has_control(value: &str) -> bool {
    value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// The leak guard's message when `value` looks like a live secret (see `leak_guard`). Only
/// the server checks: the browser never needs to.
pub fn leak(value: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        crate::leak_guard::check(value).map(crate::leak_guard::Finding::message)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = value;
        None
    }
}

/// The message for text with control characters.
pub const CONTROL_MESSAGE: &str = "Remove the control characters (such as NUL) from this text.";

/// `value` without control characters: for search terms and filters.
pub fn strip_control(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

/// A required text of at most `max` characters, trimmed.
pub fn required(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    label: &str,
    max: usize,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, format!("Enter {label}."));
    } else if value.chars().count() > max {
        errors.add(field, format!("Use at most {max} characters."));
    } else if has_control(value) {
        errors.add(field, CONTROL_MESSAGE);
    } else if let Some(message) = leak(value) {
        errors.add(field, message);
    }
    value.to_string()
}

/// An optional text of at most `max` characters, trimmed.
pub fn optional(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    let value = value.trim();
    if value.chars().count() > max {
        errors.add(field, format!("Use at most {max} characters."));
    } else if has_control(value) {
        errors.add(field, CONTROL_MESSAGE);
    } else if let Some(message) = leak(value) {
        errors.add(field, message);
    }
    value.to_string()
}

/// A required finite number.
pub fn number(errors: &mut FieldErrors, field: &str, value: &str, label: &str) -> Option<f64> {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, format!("Enter {label}."));
        return None;
    }
    match value.parse::<f64>() {
        Ok(n) if n.is_finite() => Some(n),
        _ => {
            errors.add(
                field,
                format!("Enter {label} as a number, like 61 or 99.5."),
            );
            None
        }
    }
}

/// An optional finite number: blank is `None`.
pub fn optional_number(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    label: &str,
) -> Option<f64> {
    if value.trim().is_empty() {
        None
    } else {
        number(errors, field, value, label)
    }
}

/// A required date in ISO form (2026-12-31), as date inputs submit it.
pub fn date(errors: &mut FieldErrors, field: &str, value: &str, label: &str) -> Option<NaiveDate> {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, format!("Enter {label}."));
        return None;
    }
    optional_date(errors, field, value)
}

/// An optional date in ISO form: blank is `None`.
pub fn optional_date(errors: &mut FieldErrors, field: &str, value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(field, "Enter a date as YYYY-MM-DD, like 2026-12-31.");
            None
        }
    }
}

/// A required date and time (UTC) as `datetime-local` inputs submit it: 2026-12-01T10:00,
/// seconds optional.
pub fn datetime(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
) -> Option<chrono::DateTime<chrono::Utc>> {
    let value = value.trim();
    let parsed = chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"));
    match parsed {
        Ok(t) => Some(t.and_utc()),
        Err(_) => {
            errors.add(field, "Enter the date and time, like 2026-12-01T10:00.");
            None
        }
    }
}

/// An optional http(s) URL.
pub fn optional_url(errors: &mut FieldErrors, field: &str, value: &str) -> String {
    let value = optional(errors, field, value, 500);
    let web = value.starts_with("https://") || value.starts_with("http://");
    if !value.is_empty() && (!web || value.contains(char::is_whitespace)) {
        errors.add(
            field,
            "Enter a web address starting with https:// or http://.",
        );
    }
    value
}

/// A whole number from `min` to `max`; blank gives `blank` when there is a default, else asks
/// for `label`.
pub fn whole(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    label: &str,
    (min, max): (i32, i32),
    blank: Option<i32>,
) -> Option<i32> {
    let value = value.trim();
    if value.is_empty() {
        if blank.is_none() {
            errors.add(field, format!("Enter {label}."));
        }
        return blank;
    }
    match value.parse::<i32>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        _ => {
            errors.add(field, format!("Enter a whole number from {min} to {max}."));
            None
        }
    }
}

/// A required http(s) URL.
pub fn required_url(errors: &mut FieldErrors, field: &str, value: &str, label: &str) -> String {
    if value.trim().is_empty() {
        errors.add(field, format!("Enter {label}."));
        return String::new();
    }
    optional_url(errors, field, value)
}

/// An optional user id from a picker: blank is `None`.
pub fn optional_id(errors: &mut FieldErrors, field: &str, value: &str) -> Option<i32> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let id = value.parse::<i32>().ok();
    if id.is_none() {
        errors.add(field, "Choose someone from the list.");
    }
    id
}

/// The ids in a stored comma-separated list (anything else is skipped).
pub fn ids_of(list: &str) -> impl Iterator<Item = i32> + '_ {
    list.split(',').filter_map(|p| p.trim().parse().ok())
}

/// A comma-separated list of ids as posted; an error on `field` when a part is not a number.
pub fn id_list(errors: &mut FieldErrors, field: &str, value: &str) -> Vec<i32> {
    let mut ids = Vec::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<i32>() {
            Ok(id) => ids.push(id),
            Err(_) => {
                errors.add(field, "The form was malformed; reload the page.");
                break;
            }
        }
    }
    ids
}

/// An id posted by a form (forms post ids as text).
///
/// # Errors
/// `Validation` on `field` when it is not a number: the page was tampered with or is stale.
pub fn form_id(field: &str, value: &str) -> Result<i32, crate::error::AppError> {
    value.trim().parse().map_err(|_| {
        crate::error::AppError::field(field, "The form was malformed; reload the page.")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_numbers_dates_and_urls_are_named() {
        let mut errors = FieldErrors::default();
        assert_eq!(number(&mut errors, "target", "seventy", "the target"), None);
        assert_eq!(optional_date(&mut errors, "due_date", "31/12/2026"), None);
        optional_url(&mut errors, "docs_url", "javascript:alert(1)");
        for field in ["target", "due_date", "docs_url"] {
            assert!(errors.get(field).is_some(), "no message for {field}");
        }
        let mut fine = FieldErrors::default();
        assert_eq!(optional_number(&mut fine, "current", " ", "x"), None);
        assert_eq!(
            optional_url(&mut fine, "docs_url", "https://stripe.com/docs"),
            "https://stripe.com/docs"
        );
        assert!(fine.is_empty());
    }
}
