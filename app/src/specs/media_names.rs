//! A response's media type renamed rather than replaced: `application/json` become
//! `application/*` (generalized: clients may get kinds they cannot read), the reverse
//! (specialized), or its parameters changed (`; charset=utf-8`), paired as oasdiff pairs them so
//! they are not also told as one media type removed and another added.

use super::model::Level;

/// How a media type's name moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renamed {
    Generalized,
    Specialized,
    /// The same name with other parameters, or parameters and name both.
    Changed,
}

impl Renamed {
    /// oasdiff's rule for the move.
    pub fn rule(self) -> (&'static str, Level) {
        match self {
            Self::Generalized => ("response-media-type-name-generalized", Level::Err),
            Self::Specialized => ("response-media-type-name-specialized", Level::Info),
            Self::Changed => ("response-media-type-name-changed", Level::Info),
        }
    }
}

/// The name without parameters, and the parameters sorted.
fn parts(media_type: &str) -> (String, Vec<String>) {
    let mut pieces = media_type.split(';').map(|p| p.trim().to_ascii_lowercase());
    let bare = pieces.next().unwrap_or_default();
    let mut params: Vec<String> = pieces.filter(|p| !p.is_empty()).collect();
    params.sort_unstable();
    (bare, params)
}

/// Whether bare name `general` (`*/*`, `application/*`) covers `specific`, another name.
fn covers(general: &str, specific: &str) -> bool {
    general != specific
        && (general == "*/*"
            || general
                .strip_suffix("/*")
                .is_some_and(|kind| specific.split('/').next() == Some(kind)))
}

/// How `from` became `to`, if one is a renaming of the other.
fn how(from: &str, to: &str) -> Option<Renamed> {
    let ((a, pa), (b, pb)) = (parts(from), parts(to));
    if a == b {
        return (pa != pb).then_some(Renamed::Changed);
    }
    let moved = if covers(&b, &a) {
        Renamed::Generalized
    } else if covers(&a, &b) {
        Renamed::Specialized
    } else {
        return None;
    };
    Some(if pa == pb { moved } else { Renamed::Changed })
}

/// The media types of `was` renamed in `now`, each paired once: (old name, new name, how).
pub fn renamed(was: &[String], now: &[String]) -> Vec<(String, String, Renamed)> {
    let gone: Vec<&String> = was.iter().filter(|m| !now.contains(m)).collect();
    let mut new: Vec<&String> = now.iter().filter(|m| !was.contains(m)).collect();
    let mut out = Vec::new();
    for from in gone {
        let found = new
            .iter()
            .enumerate()
            .find_map(|(i, to)| how(from, to).map(|moved| (i, moved)));
        if let Some((i, moved)) = found {
            out.push((from.clone(), new.remove(i).clone(), moved));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(was: &[&str], now: &[&str]) -> Vec<Renamed> {
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        renamed(&owned(was), &owned(now))
            .into_iter()
            .map(|r| r.2)
            .collect()
    }

    #[test]
    fn names_pair_by_wildcards_and_parameters_and_nothing_else() {
        assert_eq!(
            pair(&["application/json"], &["application/*"]),
            [Renamed::Generalized]
        );
        assert_eq!(
            pair(&["application/json"], &["*/*"]),
            [Renamed::Generalized]
        );
        assert_eq!(pair(&["text/*"], &["text/csv"]), [Renamed::Specialized]);
        assert_eq!(
            pair(&["text/html"], &["text/html; charset=utf-8"]),
            [Renamed::Changed]
        );
        assert_eq!(pair(&["application/json"], &["application/xml"]), []);
        assert_eq!(pair(&["application/json"], &["text/*"]), []);
        assert_eq!(pair(&["application/json"], &["application/json"]), []);
    }
}
