//! (ssr) The leak guard: one check, run by every text field in Tollgate (through
//! `validate::required` and `validate::optional`), that refuses a value which looks like a
//! live secret and says why in plain words, and one redaction, run on text that machines send
//! (error events, JUnit failure messages), that replaces each secret in place with
//! `[redacted: kind]` so a batch is not refused for one leaked key. Tollgate records where
//! secrets live, never the secrets themselves. A refused value is never stored, logged or
//! repeated in the message.
//!
//! The text is normalised first (zero-width and other invisible characters removed). Then
//! four kinds of rule, each giving the byte ranges it found:
//! - known formats (a provider's prefix and shape, webhook URLs that carry their token);
//! - the parts of a URI that can hold a secret: the password of its user information, the
//!   values of its query and of its fragment (`aws-sm://x#<secret>`, `?sig=`);
//! - for each other word, a long high-entropy string that is not a URI, a path, an ARN or a
//!   UUID;
//! - known formats again on the text with its whitespace taken out, for a key pasted in
//!   pieces (`AKIA IOSF ODNN 7EXA MPLE`).
//!
//! `app/tests/fixtures/leak_guard/` holds the corpus the tests run it on.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// What the value looks like, for the message ("this looks like {what}") and for a
/// redaction (`[redacted: {kind}]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    pub what: &'static str,
    pub kind: &'static str,
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

    /// What stands in the text where the secret was.
    pub fn placeholder(self) -> String {
        format!("[redacted: {}]", self.kind)
    }
}

struct Rule {
    pattern: Regex,
    finding: Finding,
    /// The rule for the text with its whitespace taken out, without its leading `\b` (joined
    /// words lose their boundaries; the start is checked in the original text instead).
    /// Prefix-led formats have one; the URL password rule does not (prose would join into
    /// false URLs).
    joined: Option<Regex>,
}

/// Known secret formats: (pattern, what it is, its redaction kind).
static KNOWN: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let rules: &[(&str, &str, &str)] = &[
        (
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
            "a private key (PEM)",
            "private-key",
        ),
        (
            r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{10,}",
            "a Stripe secret key",
            "stripe-secret-key",
        ),
        (
            r"\bwhsec_[0-9A-Za-z+/=]{16,}",
            "a Stripe webhook signing secret",
            "stripe-webhook-secret",
        ),
        (
            r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b",
            "an AWS access key id",
            "aws-access-key",
        ),
        (
            r"\bgh[pousr]_[0-9A-Za-z]{30,}",
            "a GitHub token",
            "github-token",
        ),
        (
            r"\bgithub_pat_[0-9A-Za-z_]{22,}",
            "a GitHub fine-grained token",
            "github-token",
        ),
        (
            r"\bxox[abposr]-[0-9A-Za-z-]{10,}",
            "a Slack token",
            "slack-token",
        ),
        (
            r"\bxapp-\d-[0-9A-Za-z-]{10,}",
            "a Slack app token",
            "slack-token",
        ),
        (
            r"hooks\.slack\.com/(?:services|workflows|triggers)/[0-9A-Za-z]+/[0-9A-Za-z]+/[0-9A-Za-z]{12,}",
            "a Slack webhook URL (it carries its token)",
            "slack-webhook",
        ),
        (
            r"discord(?:app)?\.com/api/webhooks/\d+/[0-9A-Za-z_-]{20,}",
            "a Discord webhook URL (it carries its token)",
            "discord-webhook",
        ),
        (
            r"\.webhook\.office\.com/webhookb2/[0-9a-fA-F-]{20,}",
            "a Microsoft Teams webhook URL (it carries its token)",
            "teams-webhook",
        ),
        (
            r"chat\.googleapis\.com/v1/spaces/[^/\s]+/messages\?[^\s]*token=[0-9A-Za-z_%-]{20,}",
            "a Google Chat webhook URL (it carries its token)",
            "google-chat-webhook",
        ),
        (
            r"\bAIza[0-9A-Za-z_-]{35}",
            "a Google API key",
            "google-api-key",
        ),
        (r"\bSK[0-9a-f]{32}\b", "a Twilio API key", "twilio-api-key"),
        (
            r"\bAQE[0-9A-Za-z+/=_-]{40,}",
            "an Adyen API key",
            "adyen-api-key",
        ),
        (
            r"\b(?:live|test)_[0-9A-Z]{32}\b",
            "an Adyen client key",
            "adyen-client-key",
        ),
        (
            r"\bA21AA[0-9A-Za-z_-]{40,}",
            "a PayPal access token",
            "paypal-token",
        ),
        (
            r"access_token\$(?:production|sandbox)\$[0-9a-z]{10,}\$[0-9a-f]{20,}",
            "a PayPal (Braintree) access token",
            "paypal-token",
        ),
        (
            r"\beyJ[0-9A-Za-z_-]{8,}\.eyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{8,}",
            "a JSON Web Token",
            "jwt",
        ),
        (r"\bnpm_[0-9A-Za-z]{36}\b", "an npm token", "npm-token"),
        (
            r"\bglpat-[0-9A-Za-z_-]{20,}",
            "a GitLab token",
            "gitlab-token",
        ),
        (
            r"\bSG\.[0-9A-Za-z_-]{16,}\.[0-9A-Za-z_-]{16,}",
            "a SendGrid API key",
            "sendgrid-key",
        ),
        (
            r"\bhv[sbr]\.[0-9A-Za-z_-]{20,}",
            "a HashiCorp Vault token",
            "vault-token",
        ),
        (
            r"\bshp(?:at|ss|ca|pa)_[0-9a-fA-F]{32}\b",
            "a Shopify access token",
            "shopify-token",
        ),
        (
            r"\bdapi[0-9a-f]{32}(?:-\d)?\b",
            "a Databricks token",
            "databricks-token",
        ),
        (
            r"[?&]sig=[0-9A-Za-z%+/=]{20,}",
            "an Azure shared access signature",
            "azure-sas",
        ),
        (
            r"AccountKey=[0-9A-Za-z+/=]{40,}",
            "an Azure storage account key",
            "azure-storage-key",
        ),
        (
            r"\bsk-(?:proj-|svcacct-|admin-)?[0-9A-Za-z_-]{20,}T3BlbkFJ[0-9A-Za-z_-]{20,}",
            "an OpenAI API key",
            "openai-key",
        ),
        (
            r"\bsk-(?:proj|svcacct|admin)-[0-9A-Za-z_-]{40,}",
            "an OpenAI API key",
            "openai-key",
        ),
        (
            r"\bsk-ant-[a-z0-9]+-[0-9A-Za-z_-]{40,}",
            "an Anthropic API key",
            "anthropic-key",
        ),
        (r"\bkey-[0-9a-f]{32}\b", "a Mailgun API key", "mailgun-key"),
        (
            r"\b[0-9a-f]{32}-us\d{1,2}\b",
            "a Mailchimp API key",
            "mailchimp-key",
        ),
        (
            r"\b(?:EAAA[0-9A-Za-z_-]{60}|sq0(?:atp|csp)-[0-9A-Za-z_-]{22,})",
            "a Square access token",
            "square-token",
        ),
        (
            r"\bdo[opr]_v1_[0-9a-f]{64}\b",
            "a DigitalOcean token",
            "digitalocean-token",
        ),
        (
            r"\bdp\.(?:pt|st|sa|ct)\.[0-9A-Za-z]{40,}",
            "a Doppler token",
            "doppler-token",
        ),
        (
            r"\bATATT[0-9A-Za-z_=-]{50,}",
            "an Atlassian API token",
            "atlassian-token",
        ),
        (
            r"\blin_api_[0-9A-Za-z]{40}\b",
            "a Linear API key",
            "linear-key",
        ),
        (
            r"\bpypi-AgEIcHlwaS5vcmc[0-9A-Za-z_-]{50,}",
            "a PyPI token",
            "pypi-token",
        ),
        (
            r"\bPMAK-[0-9a-f]{24}-[0-9a-f]{34}\b",
            "a Postman API key",
            "postman-key",
        ),
        (
            r"\bsntr[ysu]_[0-9A-Za-z+/=_-]{40,}",
            "a Sentry token",
            "sentry-token",
        ),
        (
            r"\bhf_[0-9A-Za-z]{34,}",
            "a Hugging Face token",
            "huggingface-token",
        ),
        (
            r"\b\d{8,10}:AA[0-9A-Za-z_-]{33}\b",
            "a Telegram bot token",
            "telegram-token",
        ),
        (
            r"\bAGE-SECRET-KEY-1[0-9A-Z]{58}\b",
            "an age secret key",
            "age-key",
        ),
    ];
    let mut out: Vec<Rule> = rules
        .iter()
        .filter_map(|(pattern, what, kind)| {
            Regex::new(pattern).ok().map(|compiled| Rule {
                pattern: compiled,
                finding: Finding { what, kind },
                joined: Regex::new(pattern.strip_prefix(r"\b").unwrap_or(pattern)).ok(),
            })
        })
        .collect();
    // A password in a URL's user information, with or without a user name
    // (postgres://app:pw@host, redis://:pw@host).
    if let Ok(pattern) = Regex::new(r"://[^/\s:@]*:[^/\s:@]{6,}@") {
        out.push(Rule {
            pattern,
            finding: URL_PASSWORD,
            joined: None,
        });
    }
    out
});

const URL_PASSWORD: Finding = Finding {
    what: "a URL with a password in it",
    kind: "url-password",
};
const RANDOM: Finding = Finding {
    what: "a random secret string (a key or token)",
    kind: "random-secret",
};

static UUID: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
        .ok()
});

/// Characters that render as nothing and can hide a secret from a pattern: zero-width
/// spaces and joiners, the word joiner, the byte-order mark, the soft hyphen, the Mongolian
/// vowel separator.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
    )
}

/// `value` without invisible characters: what the guard judges, and what is stored of text
/// that is redacted.
pub fn normalize(value: &str) -> std::borrow::Cow<'_, str> {
    if value.chars().any(invisible) {
        std::borrow::Cow::Owned(value.chars().filter(|c| !invisible(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// Checks `value`: `Some` when it looks like a live secret.
pub fn check(value: &str) -> Option<Finding> {
    let text = normalize(value);
    findings(&text).into_iter().next().map(|(_, f)| f)
}

/// The kinds of secret that are a chat service's incoming-webhook address, which a
/// Slack-compatible webhook endpoint's URL field (and no other field) holds.
pub const CHAT_WEBHOOKS: &[&str] = &["slack-webhook", "discord-webhook"];

/// As [`check`], but a secret of one of the `allowed` kinds passes: for the one field made to
/// hold it.
pub fn check_allowing(value: &str, allowed: &[&str]) -> Option<Finding> {
    let text = normalize(value);
    findings(&text)
        .into_iter()
        .map(|(_, f)| f)
        .find(|f| !allowed.contains(&f.kind))
}

/// `value` with every secret replaced by `[redacted: kind]` (invisible characters removed),
/// and how many were replaced.
pub fn redact(value: &str) -> (String, usize) {
    let text = normalize(value);
    let mut found = findings(&text);
    if found.is_empty() {
        return (text.into_owned(), 0);
    }
    found.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut count = 0;
    for (range, finding) in found {
        if range.start < at {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&finding.placeholder());
        at = range.end;
        count += 1;
    }
    out.push_str(&text[at..]);
    (out, count)
}

fn separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '"' | '\'' | '`' | ',' | ';' | '(' | ')' | '<' | '>' | '[' | ']' | '{' | '}'
        )
}

/// Every secret in `text` (already normalised) with its byte range; known formats first.
fn findings(text: &str) -> Vec<(Range<usize>, Finding)> {
    let mut found: Vec<(Range<usize>, Finding)> = Vec::new();
    for rule in KNOWN.iter() {
        for m in rule.pattern.find_iter(text) {
            found.push((m.range(), rule.finding));
        }
    }
    let overlaps = |found: &[(Range<usize>, Finding)], r: &Range<usize>| {
        found
            .iter()
            .any(|(f, _)| f.start < r.end && r.start < f.end)
    };
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (separator(c), start) {
            (true, Some(s)) => {
                start = None;
                let raw = &text[s..i];
                let w = raw.trim_end_matches(['.', ':', '!', '?']);
                let range = s..s + w.len();
                if !overlaps(&found, &range)
                    && let Some(f) = word_or_uri(w)
                {
                    found.push((range, f));
                }
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    // A key pasted in pieces: known formats over the text with its whitespace taken out.
    if text.chars().any(char::is_whitespace) {
        let mut joined = String::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len());
        for (i, c) in text.char_indices().filter(|(_, c)| !c.is_whitespace()) {
            joined.push(c);
            origin.extend(std::iter::repeat_n(i, c.len_utf8()));
        }
        for rule in KNOWN.iter() {
            let Some(pattern) = &rule.joined else {
                continue;
            };
            for m in pattern.find_iter(&joined) {
                let last = origin[m.end() - 1];
                let end = last + text[last..].chars().next().map_or(1, char::len_utf8);
                let range = origin[m.start()]..end;
                let starts_a_word = text[..range.start]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric() && c != '_');
                // Pieces of a key are not lowercase words: "hvs. marks a Vault token" is prose.
                let pieces_look_keyed = text[range.clone()]
                    .split_whitespace()
                    .skip(1)
                    .all(|p| p.chars().any(|c| !c.is_ascii_lowercase()));
                if starts_a_word && pieces_look_keyed && !overlaps(&found, &range) {
                    found.push((range, rule.finding));
                }
            }
        }
    }
    found
}

/// One word: a URI's secret-bearing parts, or the word itself when it is not a locator.
fn word_or_uri(w: &str) -> Option<Finding> {
    if let Some((_, rest)) = w.split_once("://") {
        return uri(rest);
    }
    word(w)
}

/// Query parameters whose value is a credential whatever it looks like.
const SECRET_PARAMS: &[&str] = &[
    "access_token",
    "api_key",
    "apikey",
    "auth",
    "client_secret",
    "key",
    "password",
    "pass",
    "pwd",
    "secret",
    "sig",
    "signature",
    "token",
];

/// The part of a URI after `://`: its user information's password, the values of its query
/// and fragment. The host and path are where a secret lives, not the secret.
fn uri(rest: &str) -> Option<Finding> {
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if let Some((userinfo, _)) = rest[..authority_end].rsplit_once('@') {
        match userinfo.split_once(':') {
            Some((_, password)) if password.len() >= 6 => return Some(URL_PASSWORD),
            // A token as the user name (https://<token>@host).
            None if word(userinfo).is_some() => return Some(URL_PASSWORD),
            _ => {}
        }
    }
    let (before_fragment, fragment) = rest.split_once('#').unwrap_or((rest, ""));
    let query = before_fragment.split_once('?').map_or("", |(_, q)| q);
    for part in [query, fragment] {
        for pair in part.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or(("", pair));
            let value = crate::percent::decode(value);
            let named = SECRET_PARAMS.contains(&name.to_ascii_lowercase().as_str());
            if named && value.len() >= 12 && value.chars().any(|c| c.is_ascii_digit()) {
                return Some(RANDOM);
            }
            if let Some(f) = word(&value) {
                return Some(f);
            }
        }
    }
    None
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
            kind: "aws-secret-key",
        });
    }
    if token.len() == 32
        && token.chars().all(|c| c.is_ascii_hexdigit())
        && token.chars().any(|c| c.is_ascii_digit())
        && token.chars().any(|c| c.is_ascii_alphabetic())
    {
        return Some(Finding {
            what: "a 32-character hex secret (such as a Twilio auth token)",
            kind: "hex-secret",
        });
    }
    // Random keys mix cases and digits (base62, base64); a lowercase slug with a year in it
    // must look much more random to count.
    let threshold = if mixed(token) { 3.7 } else { 4.3 };
    let random = !is_object_id(token)
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-'))
        && token.chars().any(|c| c.is_ascii_digit())
        && token.chars().any(|c| c.is_ascii_alphabetic())
        && entropy(token) >= threshold;
    random.then_some(RANDOM)
}

/// Object ids and publishable keys that providers print in logs and dashboards: a known
/// prefix, then random characters, and no secret (Stripe's `pi_`, `ch_`, `evt_`, `pk_`...).
fn is_object_id(token: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "pk_", "pi_", "pm_", "ch_", "evt_", "seti_", "cus_", "acct_", "in_", "sub_", "prod_",
        "price_", "py_", "re_", "tr_", "po_", "txn_", "src_", "tok_", "card_", "ba_", "cs_",
        "req_", "si_", "ii_", "il_", "cn_", "dp_", "du_", "file_", "link_", "plink_",
    ];
    PREFIXES.iter().any(|p| token.starts_with(p))
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
