//! (ssr) The leak guard: one check, run by every text field in Tollgate (through
//! `validate::required` and `validate::optional`), that refuses a value which looks like a
//! live secret and says why in plain words. Tollgate records where secrets live, never the
//! secrets themselves. The refused value is never stored, logged or repeated in the message.
//!
//! Two kinds of rule: known formats (a provider's prefix and shape), then, for each word of
//! the text, a long high-entropy string that is not a URI, a path, an ARN or a UUID.

use std::sync::LazyLock;

use regex::Regex;

/// What the value looks like, for the message: "this looks like {what}".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    pub what: &'static str,
}

impl Finding {
    /// The message shown next to the field.
    pub fn message(self) -> String {
        format!(
            "This looks like {}. Do not paste secrets into Tollgate: store it in your secret \
             manager and record where it lives instead, such as vault://kv/payments/stripe#secret_key \
             or env://STRIPE_SECRET_KEY.",
            self.what
        )
    }
}

/// Known secret formats: (pattern, what it is).
static KNOWN: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    let rules: &[(&str, &str)] = &[
        (
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
            "a private key (PEM)",
        ),
        (
            r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{10,}",
            "a Stripe secret key",
        ),
        (
            r"\bwhsec_[0-9A-Za-z+/=]{16,}",
            "a Stripe webhook signing secret",
        ),
        (
            r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b",
            "an AWS access key id",
        ),
        (r"\bgh[pousr]_[0-9A-Za-z]{30,}", "a GitHub token"),
        (
            r"\bgithub_pat_[0-9A-Za-z_]{22,}",
            "a GitHub fine-grained token",
        ),
        (r"\bxox[abposr]-[0-9A-Za-z-]{10,}", "a Slack token"),
        (r"\bxapp-\d-[0-9A-Za-z-]{10,}", "a Slack app token"),
        (r"\bAIza[0-9A-Za-z_-]{35}", "a Google API key"),
        (r"\bSK[0-9a-f]{32}\b", "a Twilio API key"),
        (r"\bAQE[0-9A-Za-z+/=_-]{40,}", "an Adyen API key"),
        (r"\b(?:live|test)_[0-9A-Z]{32}\b", "an Adyen client key"),
        (r"\bA21AA[0-9A-Za-z_-]{40,}", "a PayPal access token"),
        (
            r"access_token\$(?:production|sandbox)\$[0-9a-z]{10,}\$[0-9a-f]{20,}",
            "a PayPal (Braintree) access token",
        ),
        (
            r"\beyJ[0-9A-Za-z_-]{8,}\.eyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{8,}",
            "a JSON Web Token",
        ),
        (r"\bnpm_[0-9A-Za-z]{36}\b", "an npm token"),
        (r"\bglpat-[0-9A-Za-z_-]{20,}", "a GitLab token"),
        (
            r"\bSG\.[0-9A-Za-z_-]{16,}\.[0-9A-Za-z_-]{16,}",
            "a SendGrid API key",
        ),
        (r"://[^/\s:@]+:[^/\s:@]{6,}@", "a URL with a password in it"),
    ];
    rules
        .iter()
        .filter_map(|(pattern, what)| Regex::new(pattern).ok().map(|r| (r, *what)))
        .collect()
});

static UUID: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
        .ok()
});

/// Checks `value`: `Some` when it looks like a live secret.
pub fn check(value: &str) -> Option<Finding> {
    for (pattern, what) in KNOWN.iter() {
        if pattern.is_match(value) {
            return Some(Finding { what });
        }
    }
    value
        .split(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '"' | '\'' | '`' | ',' | ';' | '(' | ')' | '<' | '>' | '[' | ']' | '{' | '}'
                )
        })
        .map(|w| w.trim_end_matches(['.', ':', '!', '?']))
        .find_map(word)
}

/// One word of the text: an AWS secret key's shape, a 32-character hex secret, or a long
/// random-looking string.
fn word(w: &str) -> Option<Finding> {
    if w.len() < 24 || is_locator(w) {
        return None;
    }
    // `name=value`: judge the value (base64 padding is not a separator).
    let unpadded = w.trim_end_matches('=');
    let token = unpadded.rsplit_once('=').map_or(unpadded, |(_, v)| v);
    if token.len() < 24 {
        return None;
    }
    if token.len() == 40
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '/' || c == '+')
        && mixed(token)
    {
        return Some(Finding {
            what: "an AWS secret access key",
        });
    }
    if token.len() == 32
        && token.chars().all(|c| c.is_ascii_hexdigit())
        && token.chars().any(|c| c.is_ascii_digit())
        && token.chars().any(|c| c.is_ascii_alphabetic())
    {
        return Some(Finding {
            what: "a 32-character hex secret (such as a Twilio auth token)",
        });
    }
    // Random keys mix cases and digits (base62, base64); a lowercase slug with a year in it
    // must look much more random to count.
    let threshold = if mixed(token) { 3.7 } else { 4.3 };
    let random = !token.starts_with("pk_")
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-'))
        && token.chars().any(|c| c.is_ascii_digit())
        && token.chars().any(|c| c.is_ascii_alphabetic())
        && entropy(token) >= threshold;
    random.then_some(Finding {
        what: "a random secret string (a key or token)",
    })
}

/// URIs (vault://, env://, https://, arn:..., gcp-sm://...), paths and UUIDs are where secrets
/// live, not secrets.
fn is_locator(w: &str) -> bool {
    let lower = w.to_ascii_lowercase();
    lower.contains("://")
        || lower.starts_with("arn:")
        || lower.starts_with("urn:")
        || w.starts_with('/')
        || w.starts_with("~/")
        || w.starts_with("./")
        || UUID.as_ref().is_some_and(|r| r.is_match(w))
        || (w.contains('/')
            && w.split('/').all(|s| {
                s.chars().all(|c| {
                    c.is_ascii_lowercase()
                        || c.is_ascii_digit()
                        || matches!(c, '-' | '_' | '.' | '#')
                })
            }))
}

fn mixed(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_uppercase())
        && s.chars().any(|c| c.is_ascii_lowercase())
        && s.chars().any(|c| c.is_ascii_digit())
}

/// Shannon entropy in bits per character.
fn entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in s.bytes() {
        counts[usize::from(b)] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}
