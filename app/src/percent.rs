//! Percent-decoding (`%7B` is `{`), for the places that read URL parts and JSON pointers:
//! the leak guard's query values and specs' `$ref` pointers.

/// `s` with each `%XX` decoded; a `%` not followed by two hex digits stays as it is, and
/// bytes that do not form UTF-8 become U+FFFD.
pub fn decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s
                .get(i + 1..i + 3)
                .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn escapes_decode_and_anything_else_stays() {
        assert_eq!(
            decode("/paths/~1v1~1charges~1%7Bid%7D"),
            "/paths/~1v1~1charges~1{id}"
        );
        assert_eq!(decode("sk%5Flive%5Fabc"), "sk_live_abc");
        assert_eq!(decode("100% sure, %zz, %+1, %4"), "100% sure, %zz, %+1, %4");
        assert_eq!(decode("%FF"), "\u{FFFD}");
        assert_eq!(decode("plain"), "plain");
        // A `%` before a multi-byte character is not an escape and does not split it.
        assert_eq!(decode("%é1"), "%é1");
    }
}
