//! Every limit on untrusted input, in one place, each with the reason for its size. Input over
//! a byte limit is refused before it is read into memory (413 for a body); a document within
//! it that nests too deep or holds too many values is refused before it is built (422 naming
//! the limit). A leaf module: it imports nothing of the application.

/// Nesting of any JSON or YAML Tollgate reads. Real specifications and payloads nest fewer
/// than 30 levels; serde_json and the YAML parser stop at 128 anyway, and every recursive
/// walk (dropping a value included) stays far from the end of the stack.
pub const DEPTH: usize = 64;

/// A specification document. GitHub's REST description, among the largest public ones, is
/// about 11 MB of JSON; this fits it with room, and bounds the memory of one import.
pub const SPEC_BYTES: usize = 20 * 1024 * 1024;
/// Values (objects, arrays, scalars) in a specification. GitHub's description holds about
/// 900,000; a document of tiny values packed into 20 MB could hold ten times this and take
/// gigabytes as a tree.
pub const SPEC_NODES: usize = 2_000_000;

/// A JSON body of the REST API: records are small; this is a hundred times the largest form.
pub const BODY_BYTES: usize = 1024 * 1024;
/// Values in a JSON body of the REST API: an event batch of 1,000 events with a context of
/// 200 values each; a record is a few dozen.
pub const BODY_NODES: usize = 200_000;

/// An event batch body: `EVENT_BATCH` events with a little context each.
pub const EVENT_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Events in one batch: a client flushing once a second at this rate is an incident, not
/// telemetry, and one request stays under a second of work.
pub const EVENT_BATCH: usize = 1000;
/// One event's context object, serialized: enough for a request's ids and tags, too little
/// for a dumped payload.
pub const EVENT_CONTEXT_BYTES: usize = 16 * 1024;

/// A JUnit XML report: a suite of 10,000 cases with failure messages is about 3 MB.
pub const JUNIT_BYTES: usize = 5 * 1024 * 1024;
/// XML nodes in a JUnit report (elements, attributes' text, text runs). DTDs, and with them
/// entity expansion, are refused outright.
pub const JUNIT_NODES: u32 = 1_000_000;

/// A sample payload pasted into the field mapping's preview: a provider's webhook or response
/// body, which is kilobytes.
pub const SAMPLE_BYTES: usize = 256 * 1024;
/// Values in a sample payload.
pub const SAMPLE_NODES: usize = 20_000;

/// A review's text: a long essay, well within one row.
pub const REVIEW_CHARS: usize = 50_000;

/// A server function's or form's body (not an upload): forms carry a few fields of text.
pub const FORM_BYTES: usize = 2 * 1024 * 1024;

/// How a document broke a limit, phrased for the person who sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exceeded {
    /// Nested deeper than [`DEPTH`].
    Depth,
    /// More values than allowed (the limit given).
    Nodes(usize),
}

impl Exceeded {
    /// The message for `what` ("The document", "The body").
    pub fn message(&self, what: &str) -> String {
        match self {
            Exceeded::Depth => {
                format!("{what} nests deeper than {DEPTH} levels, the limit for JSON and YAML.")
            }
            Exceeded::Nodes(limit) => format!(
                "{what} holds more than {} values, the limit here.",
                thousands(u64::try_from(*limit).unwrap_or(u64::MAX))
            ),
        }
    }
}

/// `n` with its thousands separated by commas: 1,000.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Checks JSON text before it is parsed: at most [`DEPTH`] levels and `max_nodes` values,
/// counted in one pass over the bytes (brackets and commas outside strings), so a hostile
/// document is refused without building any of it. Syntax is the parser's business.
///
/// # Errors
/// The first limit broken.
pub fn check_json(bytes: &[u8], max_nodes: usize) -> Result<(), Exceeded> {
    let mut depth = 0usize;
    let mut nodes = 1usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > DEPTH {
                    return Err(Exceeded::Depth);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' => {
                nodes += 1;
                if nodes > max_nodes {
                    return Err(Exceeded::Nodes(max_nodes));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Checks a value already built (from YAML, whose parser bounds aliases and depth itself):
/// at most [`DEPTH`] levels and `max_nodes` values.
///
/// # Errors
/// The first limit broken.
pub fn check_value(value: &serde_json::Value, max_nodes: usize) -> Result<(), Exceeded> {
    let mut stack = vec![(value, 0usize)];
    let mut nodes = 0usize;
    while let Some((v, depth)) = stack.pop() {
        nodes += 1;
        if nodes > max_nodes {
            return Err(Exceeded::Nodes(max_nodes));
        }
        if depth > DEPTH {
            return Err(Exceeded::Depth);
        }
        match v {
            serde_json::Value::Array(items) => stack.extend(items.iter().map(|i| (i, depth + 1))),
            serde_json::Value::Object(map) => stack.extend(map.values().map(|i| (i, depth + 1))),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_before_parsing_and_strings_do_not_count() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(check_json(deep.as_bytes(), 1000), Err(Exceeded::Depth));
        let ok = format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
        assert_eq!(check_json(ok.as_bytes(), 1000), Ok(()));
        let quoted = format!("{{\"a\": \"{}\\\"{}\"}}", "[".repeat(500), ",".repeat(500));
        assert_eq!(check_json(quoted.as_bytes(), 10), Ok(()));
    }

    #[test]
    fn too_many_values_are_refused_and_the_message_names_the_limit() {
        let many = format!("[{}0]", "0,".repeat(5000));
        assert_eq!(
            check_json(many.as_bytes(), 1000),
            Err(Exceeded::Nodes(1000))
        );
        assert_eq!(
            Exceeded::Nodes(2_000_000).message("The document"),
            "The document holds more than 2,000,000 values, the limit here."
        );
        let value = serde_json::json!({"a": [1, 2, 3], "b": {"c": null}});
        assert_eq!(check_value(&value, 7), Ok(()));
        assert_eq!(check_value(&value, 6), Err(Exceeded::Nodes(6)));
        let mut deep = serde_json::json!(1);
        for _ in 0..=DEPTH {
            deep = serde_json::json!([deep]);
        }
        assert_eq!(check_value(&deep, 1000), Err(Exceeded::Depth));
    }
}
