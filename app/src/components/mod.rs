//! Cross-domain UI: the application shell, form fields, badges, charts, an integration's
//! sections row, and the enhancement of forms.

pub mod badges;
pub mod charts;
pub mod enhance;
pub mod forms;
pub mod layout;
pub mod pagination;
pub mod route;
pub mod sections;
pub mod shortcuts;
#[cfg(feature = "ssr")]
pub mod shown_once;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// What a query value keeps as it is: RFC 3986's unreserved characters.
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A value for a link's query: everything but the unreserved characters percent-encoded (a
/// space is `%20`, as the router decodes it).
pub fn query_value(v: &str) -> String {
    utf8_percent_encode(v, RESERVED).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_query_value_keeps_unreserved_characters_and_encodes_the_rest() {
        assert_eq!(super::query_value("on_hold-1.x~"), "on_hold-1.x~");
        assert_eq!(super::query_value("a b&c=é"), "a%20b%26c%3D%C3%A9");
    }
}
