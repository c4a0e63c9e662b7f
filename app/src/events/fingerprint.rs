//! (ssr) Which events are the same error: the error type, the operation and the message with
//! what varies between occurrences (numbers, ids, hex, UUIDs, quoted values) replaced, hashed
//! with SHA-256.

use sha2::{Digest, Sha256};

/// `message` with the parts that vary between occurrences of one error replaced: UUIDs by
/// `<uuid>`, hexadecimal runs (`0x1f`, or eight or more hex digits) by `<hex>`, words that mix
/// letters and digits (ids such as `ch_3MqL9x2eZvKYlo2C`) by `<id>`, numbers by `<n>`.
pub fn normalize(message: &str) -> String {
    message
        .split_inclusive(|c: char| c.is_whitespace() || ",;:()[]{}<>\"'=/".contains(c))
        .map(|piece| {
            let end = piece
                .char_indices()
                .last()
                .filter(|(_, c)| c.is_whitespace() || ",;:()[]{}<>\"'=/".contains(*c))
                .map_or(piece.len(), |(i, _)| i);
            let (word, sep) = piece.split_at(end);
            format!("{}{sep}", token(word))
        })
        .collect::<String>()
        .trim()
        .to_string()
}

fn is_uuid(w: &str) -> bool {
    let parts: Vec<&str> = w.split('-').collect();
    parts.len() == 5
        && [8, 4, 4, 4, 12]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

fn token(word: &str) -> String {
    if word.is_empty() {
        return String::new();
    }
    let trimmed = word.trim_end_matches(['.', '!', '?']);
    let tail = &word[trimmed.len()..];
    let has_digit = trimmed.chars().any(|c| c.is_ascii_digit());
    let replaced = if is_uuid(trimmed) {
        "<uuid>"
    } else if (trimmed.len() > 2
        && (trimmed.starts_with("0x") || trimmed.starts_with("0X"))
        && trimmed[2..].chars().all(|c| c.is_ascii_hexdigit()))
        || (trimmed.len() >= 8 && has_digit && trimmed.chars().all(|c| c.is_ascii_hexdigit()))
    {
        "<hex>"
    } else if !trimmed.is_empty()
        && trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+')
        && has_digit
    {
        "<n>"
    } else if has_digit && trimmed.chars().any(|c| c.is_ascii_alphabetic()) {
        "<id>"
    } else {
        return word.to_string();
    };
    format!("{replaced}{tail}")
}

/// The fingerprint of an error: SHA-256 over its type, operation and normalized message.
pub fn fingerprint(error_type: &str, operation: &str, message: &str) -> String {
    let mut h = Sha256::new();
    for part in [error_type.trim(), operation.trim(), &normalize(message)] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    hex::encode(h.finalize())
}

/// What an SDK's own `fingerprint` stands for in place of Tollgate's (Sentry's spelling).
const DEFAULT: &str = "{{ default }}";

/// The fingerprint of an error its reporter grouped with `parts` (a Sentry SDK's
/// `fingerprint`): SHA-256 over the parts, `{{ default }}` standing for [`fingerprint`]; with
/// no parts, [`fingerprint`] itself.
pub fn grouped(parts: &[String], error_type: &str, operation: &str, message: &str) -> String {
    if parts.is_empty() {
        return fingerprint(error_type, operation, message);
    }
    let mut h = Sha256::new();
    h.update(b"grouped\0");
    for part in parts {
        let part = part.trim();
        if part.replace(' ', "") == DEFAULT.replace(' ', "") {
            h.update(fingerprint(error_type, operation, message).as_bytes());
        } else {
            h.update(part.as_bytes());
        }
        h.update([0]);
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_varies_between_occurrences_is_replaced() {
        assert_eq!(
            normalize("Charge ch_3MqL9x2eZvKYlo2C failed after 3 retries (30.5 s)."),
            "Charge <id> failed after <n> retries (<n> s)."
        );
        assert_eq!(
            normalize("request 4f9c2a1e-8b7d-4c3a-9e21-0a1b2c3d4e5f: status=502 at 0x7ffd5e8c"),
            "request <uuid>: status=<n> at <hex>"
        );
        assert_eq!(normalize("sha deadbeef00 mismatch"), "sha <hex> mismatch");
        assert_eq!(normalize("Card declined"), "Card declined");
    }

    #[test]
    fn the_same_error_with_other_ids_shares_a_fingerprint() {
        let a = fingerprint(
            "Timeout",
            "POST /v1/charges",
            "charge ch_1 timed out after 30000 ms",
        );
        let b = fingerprint(
            "Timeout",
            "POST /v1/charges",
            "charge ch_99 timed out after 31000 ms",
        );
        assert_eq!(a, b);
        assert_ne!(
            a,
            fingerprint(
                "Timeout",
                "GET /v1/charges",
                "charge ch_1 timed out after 30000 ms"
            )
        );
        assert_ne!(
            a,
            fingerprint(
                "Declined",
                "POST /v1/charges",
                "charge ch_1 timed out after 30000 ms"
            )
        );
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn a_reporters_own_grouping_is_honoured() {
        let parts = |p: &[&str]| p.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
        let by =
            |p: &[&str], message: &str| grouped(&parts(p), "Timeout", "POST /v1/charges", message);
        assert_eq!(
            by(&[], "charge ch_1 timed out"),
            fingerprint("Timeout", "POST /v1/charges", "charge ch_1 timed out")
        );
        // The same parts group different errors together; other parts keep them apart.
        assert_eq!(by(&["stripe-outage"], "a"), by(&["stripe-outage"], "b"));
        assert_ne!(by(&["stripe-outage"], "a"), by(&["acme-outage"], "a"));
        // `{{ default }}` keeps Tollgate's grouping inside the reporter's.
        assert_eq!(
            by(&["{{ default }}", "eu"], "x 1"),
            by(&["{{default}}", "eu"], "x 2")
        );
        assert_ne!(
            by(&["{{ default }}", "eu"], "x"),
            by(&["{{ default }}", "eu"], "y")
        );
        assert_ne!(
            by(&["{{ default }}"], "x"),
            by(&[], "x"),
            "a list is not the default itself"
        );
    }
}
