//! Cross-domain UI: the application shell, form fields, badges, charts, and the enhancement of
//! forms.

pub mod badges;
pub mod charts;
pub mod enhance;
pub mod forms;
pub mod layout;
pub mod route;

/// Percent-encodes everything but unreserved characters, for a value in a link's query.
pub fn query_value(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
