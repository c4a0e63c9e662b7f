//! (ssr) Sentry's envelope format (`application/x-sentry-envelope`), read item by item: a
//! header line of JSON, then for each item a header line of JSON (`type`, and `length` in
//! bytes when the payload may hold newlines) and its payload. Pure, bounded and fuzzed:
//! every input is an envelope or a [`Refusal`], never a panic.

use serde::Deserialize;

/// The most bytes an envelope may hold once decompressed (Sentry's relay takes up to 100 MB
/// with attachments; Tollgate keeps no attachments, and a batch of 100 events of 100 KB each
/// fits).
pub const ENVELOPE_BYTES: usize = 20 * 1024 * 1024;
/// The most bytes of one event or transaction item: Sentry's own limit for an event.
pub const EVENT_ITEM_BYTES: usize = 1024 * 1024;
/// The most items one envelope may hold (SDKs send one event, or a few session updates and
/// a client report; a load generator batching 100 events stays well under).
pub const ITEMS: usize = 1000;

/// Why an envelope was refused: too large (413), not an envelope (400), or in an encoding
/// not taken (415).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    TooLarge(String),
    Malformed(String),
    Encoding(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::TooLarge(why) | Refusal::Malformed(why) | Refusal::Encoding(why) => {
                f.write_str(why)
            }
        }
    }
}

/// `body` decompressed as `encoding` (a `Content-Encoding`: none, `identity`, `gzip`,
/// `deflate` or `br`) says, never past [`ENVELOPE_BYTES`]: a small bomb is stopped as it unpacks.
///
/// # Errors
/// `Encoding` for another encoding; `Malformed` for a body that does not decompress;
/// `TooLarge` past the limit.
pub fn decode(encoding: &str, body: &[u8]) -> Result<Vec<u8>, Refusal> {
    use std::io::Read;
    let encoding = encoding.trim().to_ascii_lowercase();
    let limit = u64::try_from(ENVELOPE_BYTES).unwrap_or(u64::MAX) + 1;
    let mut out = Vec::new();
    let read = match encoding.as_str() {
        "" | "identity" => return Ok(body.to_vec()),
        "gzip" | "x-gzip" => flate2::read::GzDecoder::new(body)
            .take(limit)
            .read_to_end(&mut out),
        "deflate" => flate2::read::ZlibDecoder::new(body)
            .take(limit)
            .read_to_end(&mut out),
        "br" => brotli_decompressor::Decompressor::new(body, 4096)
            .take(limit)
            .read_to_end(&mut out),
        other => {
            return Err(Refusal::Encoding(format!(
                "The body's encoding {other:?} is not taken here: send it plain, gzip, deflate or br."
            )));
        }
    };
    match read {
        Ok(_) if out.len() > ENVELOPE_BYTES => Err(Refusal::TooLarge(format!(
            "The body is larger than {} MB once decompressed.",
            ENVELOPE_BYTES / 1024 / 1024
        ))),
        Ok(_) => Ok(out),
        Err(e) => Err(Refusal::Malformed(format!(
            "The body is not valid {encoding}: {e}."
        ))),
    }
}

/// The envelope's header: the fields Tollgate reads of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Header {
    #[serde(default)]
    pub event_id: Option<String>,
    #[serde(default)]
    pub dsn: Option<String>,
}

/// One item: its type (`event`, `transaction`, `check_in`, `session`, …) and its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item<'a> {
    pub kind: String,
    pub payload: &'a [u8],
}

/// An envelope read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope<'a> {
    pub header: Header,
    pub items: Vec<Item<'a>>,
}

#[derive(Deserialize)]
struct ItemHeader {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    length: Option<u64>,
}

/// The line at the start of `rest` (without its newline) and what follows it.
fn line(rest: &[u8]) -> (&[u8], &[u8]) {
    match rest.iter().position(|b| *b == b'\n') {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &[]),
    }
}

/// A header line's JSON: small, so parsed whole after a size check.
fn header_line<'de, T: Deserialize<'de>>(bytes: &'de [u8], what: &str) -> Result<T, Refusal> {
    if bytes.len() > 64 * 1024 {
        return Err(Refusal::Malformed(format!(
            "The {what} header is longer than 64 KB."
        )));
    }
    serde_json::from_slice(bytes)
        .map_err(|e| Refusal::Malformed(format!("The {what} header is not a JSON object: {e}.")))
}

/// Reads `body` as an envelope.
///
/// # Errors
/// `TooLarge` past [`ENVELOPE_BYTES`], [`ITEMS`] or an event item past [`EVENT_ITEM_BYTES`];
/// `Malformed` for a header that is not JSON, an item without a type, or a length past the
/// end.
pub fn parse(body: &[u8]) -> Result<Envelope<'_>, Refusal> {
    if body.len() > ENVELOPE_BYTES {
        return Err(Refusal::TooLarge(format!(
            "The envelope is larger than {} MB.",
            ENVELOPE_BYTES / 1024 / 1024
        )));
    }
    let (first, mut rest) = line(body);
    if first.iter().all(u8::is_ascii_whitespace) {
        return Err(Refusal::Malformed("The envelope is empty.".into()));
    }
    let header: Header = header_line(first, "envelope")?;
    let mut items = Vec::new();
    loop {
        // Blank lines between items are tolerated, as the relay does.
        while let Some(b'\n' | b'\r') = rest.first() {
            rest = &rest[1..];
        }
        if rest.is_empty() {
            break;
        }
        if items.len() == ITEMS {
            return Err(Refusal::TooLarge(format!(
                "The envelope holds more than {ITEMS} items."
            )));
        }
        let (head, after) = line(rest);
        let ItemHeader { kind, length } = header_line(head, "item")?;
        let payload;
        (payload, rest) = match length {
            Some(n) => {
                let n = usize::try_from(n).unwrap_or(usize::MAX);
                if n > after.len() {
                    return Err(Refusal::Malformed(format!(
                        "A {kind} item says it has {n} bytes; {} are left.",
                        after.len()
                    )));
                }
                let (payload, tail) = after.split_at(n);
                // The newline that ends the payload is optional at the end.
                (payload, tail.strip_prefix(b"\n").unwrap_or(tail))
            }
            None => line(after),
        };
        if matches!(kind.as_str(), "event" | "transaction") && payload.len() > EVENT_ITEM_BYTES {
            return Err(Refusal::TooLarge(format!(
                "A {kind} item is larger than {} MB.",
                EVENT_ITEM_BYTES / 1024 / 1024
            )));
        }
        items.push(Item { kind, payload });
    }
    Ok(Envelope { header, items })
}

/// A legacy store request's body (one event, as JSON) as an envelope of that one event.
///
/// # Errors
/// `TooLarge` past [`EVENT_ITEM_BYTES`]; `Malformed` when it is not a JSON object.
pub fn from_store(body: &[u8]) -> Result<Envelope<'_>, Refusal> {
    if body.len() > EVENT_ITEM_BYTES {
        return Err(Refusal::TooLarge(format!(
            "An event is larger than {} MB.",
            EVENT_ITEM_BYTES / 1024 / 1024
        )));
    }
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return Err(Refusal::Malformed("The body is not a JSON event.".into()));
    }
    Ok(Envelope {
        header: Header::default(),
        items: vec![Item {
            kind: "event".into(),
            payload: body,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_read_by_length_or_to_the_line_end() {
        let body =
            b"{\"event_id\":\"9ec79c33ec9942ab8353589fcb2e04dc\",\"dsn\":\"http://k@h/1\"}\n\
{\"type\":\"event\",\"length\":8}\n{\"a\":\n1}\n\
{\"type\":\"session\"}\n{\"sid\":\"1\"}\n\
\n{\"type\":\"client_report\",\"length\":2}\n{}";
        let e = parse(body).unwrap();
        assert_eq!(
            e.header.event_id.as_deref(),
            Some("9ec79c33ec9942ab8353589fcb2e04dc")
        );
        let kinds: Vec<&str> = e.items.iter().map(|i| i.kind.as_str()).collect();
        assert_eq!(kinds, ["event", "session", "client_report"]);
        assert_eq!(
            e.items[0].payload, b"{\"a\":\n1}",
            "a payload may hold newlines"
        );
        assert_eq!(e.items[1].payload, b"{\"sid\":\"1\"}");
        assert_eq!(e.items[2].payload, b"{}");
    }

    #[test]
    fn broken_and_oversized_envelopes_are_refused_with_a_reason() {
        let malformed = |b: &[u8]| matches!(parse(b), Err(Refusal::Malformed(_)));
        assert!(malformed(b""));
        assert!(malformed(b"not json\n"));
        assert!(malformed(b"{}\n{\"length\":2}\n{}"), "an item needs a type");
        assert!(malformed(b"{}\n{\"type\":\"event\",\"length\":99}\n{}"));
        let big = format!(
            "{{}}\n{{\"type\":\"event\"}}\n\"{}\"",
            "x".repeat(EVENT_ITEM_BYTES)
        );
        assert!(matches!(parse(big.as_bytes()), Err(Refusal::TooLarge(_))));
        let many = format!("{{}}\n{}", "{\"type\":\"session\"}\n{}\n".repeat(ITEMS + 1));
        assert!(matches!(parse(many.as_bytes()), Err(Refusal::TooLarge(_))));
        assert_eq!(
            parse(b"{}").unwrap().items.len(),
            0,
            "a header alone is an envelope"
        );
    }

    #[test]
    fn bodies_are_decompressed_within_the_limit() {
        use std::io::Write;
        let gzip = |bytes: &[u8]| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(bytes).unwrap();
            e.finish().unwrap()
        };
        assert_eq!(decode("gzip", &gzip(b"{}\n")).unwrap(), b"{}\n");
        assert_eq!(decode("", b"{}").unwrap(), b"{}");
        let bomb = gzip(&vec![b' '; ENVELOPE_BYTES + 10]);
        assert!(bomb.len() < 100_000);
        assert!(matches!(decode("gzip", &bomb), Err(Refusal::TooLarge(_))));
        assert!(matches!(
            decode("gzip", b"plain"),
            Err(Refusal::Malformed(_))
        ));
        assert!(matches!(decode("zstd", b"x"), Err(Refusal::Encoding(_))));
    }
}
