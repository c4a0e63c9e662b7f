//! The leak guard against a corpus: made-up secrets in real formats must be refused, and
//! legitimate references and prose must pass. None of these secrets is real.

use app::leak_guard::{check, redact};

/// The lines of a corpus file in `tests/fixtures/leak_guard/`: comments and blank lines
/// skipped, `\n` made a line break and `\u{hex}` the character with that code.
#[allow(clippy::expect_used)] // a test helper: a missing corpus fails the test
fn corpus(name: &str) -> Vec<String> {
    let path = format!(
        "{}/tests/fixtures/leak_guard/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("corpus file");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(unescape)
        .collect()
}

#[allow(clippy::expect_used)] // a test helper: a bad escape in the corpus fails the test
fn unescape(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("\\n") {
            out.push('\n');
            rest = after;
        } else if let Some(code) = tail.strip_prefix("\\u{").and_then(|t| t.split_once('}')) {
            let c = u32::from_str_radix(code.0, 16)
                .ok()
                .and_then(char::from_u32)
                .expect("a character code");
            out.push(c);
            rest = code.1;
        } else {
            out.push('\\');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn every_realistic_secret_is_refused_with_a_message_that_does_not_repeat_it() {
    let secrets = corpus("secrets.txt");
    assert!(secrets.len() >= 80, "corpus: {}", secrets.len());
    let missed: Vec<&String> = secrets.iter().filter(|s| check(s).is_none()).collect();
    assert!(missed.is_empty(), "not refused: {missed:#?}");
    for secret in &secrets {
        let message = check(secret).map(|f| f.message()).unwrap_or_default();
        assert!(message.contains("secret manager"), "{message}");
        for word in secret.split_whitespace().filter(|w| w.len() >= 12) {
            assert!(
                !message.contains(word),
                "the message repeats the secret: {message}"
            );
        }
    }
}

#[test]
fn references_identifiers_and_prose_pass() {
    let allowed = corpus("look_alikes.txt");
    assert!(allowed.len() >= 80, "corpus: {}", allowed.len());
    let refused: Vec<(&String, &'static str)> = allowed
        .iter()
        .filter_map(|s| check(s).map(|f| (s, f.what)))
        .collect();
    assert!(refused.is_empty(), "wrongly refused: {refused:#?}");
}

#[test]
fn named_formats_are_named_in_the_message() {
    let what = |s: &str| check(s).map(|f| f.what).unwrap_or_default();
    assert_eq!(
        what("sk_live_51HxQmZKx9aB7cD3eF5gH7iJ9kL1"),
        "a Stripe secret key"
    );
    assert_eq!(what("AKIAIOSFODNN7EXAMPLE"), "an AWS access key id");
    assert_eq!(what("-----BEGIN PRIVATE KEY-----"), "a private key (PEM)");
}

#[test]
fn redaction_replaces_every_secret_in_place_and_counts_them() {
    for secret in corpus("secrets.txt") {
        let (clean, n) = redact(&secret);
        assert!(n >= 1, "nothing redacted in {secret:?}");
        assert!(clean.contains("[redacted: "), "{clean}");
        assert_eq!(
            check(&clean),
            None,
            "still a secret after redaction: {clean:?}"
        );
    }
    for text in corpus("look_alikes.txt") {
        assert_eq!(redact(&text), (text.clone(), 0), "a look-alike changed");
    }
    let (clean, n) = redact(
        "charge failed: key AKIAIOSFODNN7EXAMPLE rejected, retried with sk_live_51HxQmZKx9aB7cD3eF5gH7iJ9kL1",
    );
    assert_eq!(n, 2);
    assert_eq!(
        clean,
        "charge failed: key [redacted: aws-access-key] rejected, retried with [redacted: stripe-secret-key]"
    );
    let (clean, n) = redact("split: AKIA IOSF ODNN 7EXA MPLE, then more text");
    assert_eq!(
        (clean.as_str(), n),
        ("split: [redacted: aws-access-key], then more text", 1)
    );
    let (clean, _) = redact("zero\u{200b}width sk_live_51Hx\u{200b}QmZKx9aB7cD3eF5gH7");
    assert_eq!(clean, "zerowidth [redacted: stripe-secret-key]");
}

#[test]
fn a_uri_is_judged_by_what_it_carries_not_exempt_for_its_scheme() {
    let what = |s: &str| check(s).map(|f| f.kind);
    assert_eq!(
        what("aws-sm://prod/payments#wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ9m3Kd8Lp"),
        Some("aws-secret-key")
    );
    assert_eq!(
        what("redis://:hunter2hunter2@cache:6379"),
        Some("url-password")
    );
    assert_eq!(what("aws-sm://prod/payments#secret_key"), None);
    assert_eq!(what("https://example.com/a?page=2&sort=name"), None);
}

#[test]
fn a_chat_webhook_address_passes_only_where_it_is_allowed() {
    use app::leak_guard::{CHAT_WEBHOOKS, check_allowing};
    let slack = "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/abcdefghijklmnopqrstuvwx";
    let discord = "https://discord.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyzABCDEF/slack";
    for url in [slack, discord] {
        assert!(check(url).is_some(), "{url} is a secret everywhere else");
        assert_eq!(check_allowing(url, CHAT_WEBHOOKS), None, "{url}");
    }
    // Another secret beside it is still refused.
    assert_eq!(
        check_allowing(
            &format!("{slack}?t=sk_live_abcdefghijklmnopqrstuvwx"),
            CHAT_WEBHOOKS
        )
        .map(|f| f.kind),
        Some("stripe-secret-key")
    );
}
