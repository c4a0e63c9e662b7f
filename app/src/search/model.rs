//! What a search asks and finds: the query's words, and the records found, grouped by kind,
//! each with its integration, its title and a snippet with the matching words marked, and
//! where it lives.

use serde::{Deserialize, Serialize};

pub use crate::choices::search::RecordKind;
use crate::error::AppError;
use crate::integrations::model::IntegrationRef;

/// The longest query read, in characters.
pub const QUERY_CHARS: usize = 200;
/// The most words a query matches on; the rest are ignored.
pub const QUERY_WORDS: usize = 8;
/// Query words this long or longer also match the words they begin ("onf" finds Onfido);
/// shorter ones match whole words only, so one letter never reads half the index.
pub const PREFIX_FROM: usize = 3;
/// How many of the best matches a search across every kind shows.
pub const BEST: u64 = 50;
/// How many matches of one kind a page shows.
pub const PER_PAGE: u64 = 25;
/// The most matches a search counts and ranks: the newest this many (and any record whose
/// title is the query). Beyond, it says "more than", so a common word costs no more to find
/// than a rare one.
pub const CAP: u64 = 1000;

/// A query as the page, the server function and the REST route take it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
pub struct SearchQuery {
    /// Words to find (up to 200 characters), all of them; a word of three letters or more
    /// also matches the words it begins.
    pub q: Option<String>,
    /// One kind of record only (integration, meeting, defect ...), paged.
    pub kind: Option<String>,
    /// The 1-based page of one kind's matches (25 each).
    pub page: Option<String>,
}

/// The words of a query: lower-cased runs of letters and digits, at most [`QUERY_WORDS`].
///
/// # Errors
/// `Validation` on `q` when it is longer than [`QUERY_CHARS`].
pub fn words(q: &str) -> Result<Vec<String>, AppError> {
    if q.chars().count() > QUERY_CHARS {
        return Err(AppError::field(
            "q",
            format!("Search for at most {QUERY_CHARS} characters."),
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for w in q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        // Lower-casing may add marks that are no letters (İ becomes i and a combining dot):
        // a word keeps its letters and digits only, so nothing in it is an index's syntax.
        let w: String = w
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        if !w.is_empty() && !out.contains(&w) {
            out.push(w);
        }
        if out.len() == QUERY_WORDS {
            break;
        }
    }
    Ok(out)
}

/// A piece of a title or snippet: matching words are marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Piece {
    pub text: String,
    pub hit: bool,
}

/// Whether `word` matches one of the query's `words`, as the index matches them: the same
/// word, or one it begins for a query word of [`PREFIX_FROM`] characters or more.
fn matches(word: &str, words: &[String]) -> bool {
    let word = word.to_lowercase();
    words.iter().any(|w| {
        if w.chars().count() >= PREFIX_FROM {
            word.starts_with(w.as_str())
        } else {
            word == *w
        }
    })
}

/// The byte ranges of the words of `text`.
fn spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// `text[from..to]` in pieces, the words matching `words` marked.
fn pieces(text: &str, from: usize, to: usize, words: &[String]) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let mut push = |text: &str, hit: bool| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.hit == hit => last.text.push_str(text),
            _ => out.push(Piece {
                text: text.to_string(),
                hit,
            }),
        }
    };
    let mut at = from;
    for (s, e) in spans(&text[from..to]) {
        let (s, e) = (s + from, e + from);
        let word = &text[s..e];
        if matches(word, words) {
            push(&text[at..s], false);
            push(word, true);
            at = e;
        }
    }
    push(&text[at..to], false);
    out
}

/// `title` with its matching words marked.
pub fn marked(title: &str, words: &[String]) -> Vec<Piece> {
    pieces(title, 0, title.len(), words)
}

/// Words of context a snippet shows before its first match, and in all.
const BEFORE: usize = 6;
const SNIPPET_WORDS: usize = 24;

/// A few words of `body` around its first word matching `words` (or its first words), the
/// matching ones marked, with an ellipsis where it was cut. Empty for an empty body.
pub fn snippet(body: &str, words: &[String]) -> Vec<Piece> {
    let spans = spans(body);
    if spans.is_empty() {
        return Vec::new();
    }
    let first = spans
        .iter()
        .position(|&(s, e)| matches(&body[s..e], words))
        .unwrap_or(0);
    let from_word = first.saturating_sub(BEFORE);
    let to_word = (from_word + SNIPPET_WORDS).min(spans.len()) - 1;
    let from = if from_word == 0 {
        0
    } else {
        spans[from_word].0
    };
    let to = if to_word + 1 == spans.len() {
        body.len()
    } else {
        spans[to_word].1
    };
    let mut out = pieces(body, from, to, words);
    for p in out.iter_mut().filter(|p| !p.hit) {
        p.text = collapse(&p.text);
    }
    if from > 0 {
        out.insert(
            0,
            Piece {
                text: "… ".into(),
                hit: false,
            },
        );
    }
    if to < body.len() {
        out.push(Piece {
            text: " …".into(),
            hit: false,
        });
    }
    out
}

/// `s` with each run of white space (line breaks, tabs) made one space.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

/// One record found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Hit {
    pub kind: RecordKind,
    pub id: i32,
    pub integration: IntegrationRef,
    pub title: Vec<Piece>,
    pub snippet: Vec<Piece>,
    /// Where the record lives.
    pub href: String,
}

/// The records found of one kind: the best of them, and how many match in all (with `more`,
/// how many of the newest [`CAP`] matches of every kind are of this kind: at least that many).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Group {
    pub kind: RecordKind,
    pub label: String,
    pub total: u64,
    pub more: bool,
    pub hits: Vec<Hit>,
}

/// What a search found: groups by kind, best first (across every kind, the best [`BEST`]
/// matches; for one kind, page `page` of `pages`). With `more`, more than `total` ([`CAP`])
/// match: the newest `total` were counted and ranked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Results {
    pub q: String,
    pub kind: Option<RecordKind>,
    pub total: u64,
    pub more: bool,
    pub groups: Vec<Group>,
    pub page: u64,
    pub pages: u64,
}

/// Where a record of `kind` lives: its section of integration `slug` (its own page for an
/// incident; the spec, filtered to it, for an operation whose spec is `parent`; the page of
/// its meetings holding it for a meeting, or for an action item of meeting `parent`).
pub fn href(kind: RecordKind, id: i32, slug: &str, parent: Option<i32>, title: &str) -> String {
    let section = |s: &str| format!("/integrations/{slug}/{s}");
    match kind {
        RecordKind::Integration => format!("/integrations/{slug}"),
        RecordKind::Objective => section("planning/objectives"),
        RecordKind::Vendor => section(&format!("planning/vendors#candidate-{id}")),
        RecordKind::Plan => section("planning/plan"),
        RecordKind::Milestone => section("planning/milestones"),
        RecordKind::Meeting => section(&format!("planning/meetings?meeting={id}#meeting-{id}")),
        RecordKind::Action => match parent {
            Some(m) => section(&format!("planning/meetings?meeting={m}#meeting-{m}")),
            None => section("planning/meetings"),
        },
        RecordKind::Environment => section("environments"),
        RecordKind::Credential => section("credentials"),
        RecordKind::TestCase | RecordKind::Defect => section("testing"),
        RecordKind::Incident => format!("/incidents/{id}"),
        RecordKind::ErrorGroup => section("errors"),
        RecordKind::Ticket | RecordKind::Feedback => section("provider"),
        RecordKind::Operation => {
            let path = title.split_once(' ').map_or(title, |(_, p)| p);
            let q = percent_encoding::utf8_percent_encode(path, percent_encoding::NON_ALPHANUMERIC);
            section(&format!("specs/{}?q={q}", parent.unwrap_or_default()))
        }
        RecordKind::Finding => section("audits"),
    }
}

/// The search page's address for `q`, of one `kind` and `page` when given.
pub fn page_href(q: &str, kind: Option<RecordKind>, page: Option<u64>) -> String {
    let mut out = format!(
        "/search?q={}",
        percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC)
    );
    if let Some(k) = kind {
        out.push_str("&kind=");
        out.push_str(k.as_str());
    }
    if let Some(p) = page {
        out.push_str(&format!("&page={p}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(p: &[Piece]) -> String {
        p.iter()
            .map(|p| {
                if p.hit {
                    format!("[{}]", p.text)
                } else {
                    p.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn a_query_is_its_words_lower_cased_without_repeats_and_at_most_eight() {
        assert_eq!(words("Onfido  KYC-onfido").unwrap(), ["onfido", "kyc"]);
        assert!(words("  ...  ").unwrap().is_empty());
        assert_eq!(words("a b c d e f g h i j").unwrap().len(), QUERY_WORDS);
        assert_eq!(words("İstanbul").unwrap(), ["istanbul"]);
        let long = "x".repeat(QUERY_CHARS + 1);
        assert!(words(&long).unwrap_err().field_message("q").is_some());
    }

    #[test]
    fn a_title_marks_the_words_a_query_word_begins() {
        let w = words("onf kyc").unwrap();
        assert_eq!(
            shown(&marked("Choose Onfido for KYC", &w)),
            "Choose [Onfido] for [KYC]"
        );
        assert_eq!(shown(&marked("Nothing here", &w)), "Nothing here");
    }

    #[test]
    fn a_snippet_is_a_window_around_the_first_match_with_ellipses() {
        let body = (1..=60)
            .map(|n| format!("w{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        let w = words("w30").unwrap();
        let s = shown(&snippet(&body, &w));
        assert!(s.starts_with("… w24 "), "{s}");
        assert!(s.contains("[w30]"), "{s}");
        assert!(s.ends_with("w47 …"), "{s}");
        assert_eq!(shown(&snippet("short body", &w)), "short body");
        assert!(snippet("", &w).is_empty());
        // Multi-byte text is cut on character boundaries.
        assert_eq!(
            shown(&snippet("Café — crème brûlée", &words("crè").unwrap())),
            "Café — [crème] brûlée"
        );
    }

    #[test]
    fn an_operation_links_to_its_spec_filtered_to_its_path() {
        assert_eq!(
            href(
                RecordKind::Operation,
                9,
                "stripe",
                Some(3),
                "POST /v1/charges"
            ),
            "/integrations/stripe/specs/3?q=%2Fv1%2Fcharges"
        );
        assert_eq!(
            href(RecordKind::Incident, 4, "stripe", None, "x"),
            "/incidents/4"
        );
    }
}
