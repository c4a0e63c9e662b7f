//! The versioning policy oasdiff checks after its rules: a breaking change needs a major
//! version increase (a minor one below 1.0.0), judged only when both `info.version`s are
//! semantic versions, so a document versioned by date is left alone.

use serde_json::Value;

use super::model::Level;

/// The major, minor and patch numbers of `version` if it is a semantic version (with an
/// optional leading `v`; pre-release and build metadata accepted and not compared).
pub fn semver(version: &str) -> Option<(u64, u64, u64)> {
    let v = version.strip_prefix('v').unwrap_or(version);
    let core = v.split(['-', '+']).next()?;
    let rest = &v[core.len()..];
    let ident = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let (pre, build) = match rest.split_once('+') {
        Some((pre, build)) => (pre, Some(build)),
        None => (rest, None),
    };
    if !pre.is_empty()
        && !pre
            .strip_prefix('-')
            .is_some_and(|p| p.split('.').all(ident))
    {
        return None;
    }
    if build.is_some_and(|b| !b.split('.').all(ident)) {
        return None;
    }
    let mut parts = core.split('.').map(|n| {
        let number = !n.is_empty()
            && n.chars().all(|c| c.is_ascii_digit())
            && (n == "0" || !n.starts_with('0'));
        number.then(|| n.parse::<u64>().ok()).flatten()
    });
    let version = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(version)
}

/// How the version moved from `base` to `revision` fails to carry a breaking change, if it
/// does: its rule and message. `breaking` says whether the diff found one.
pub fn policy(base: &Value, revision: &Value, breaking: bool) -> Option<(&'static str, String)> {
    let version = |doc: &Value| {
        doc.pointer("/info/version")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let (was, now) = (version(base)?, version(revision)?);
    let (a, b) = (semver(&was)?, semver(&now)?);
    if !breaking {
        return None;
    }
    let major = if a.0 == 0 && b.0 == 0 {
        b.1 > a.1
    } else {
        b.0 > a.0
    };
    if was == now {
        Some((
            "api-version-not-bumped",
            format!("the document has breaking changes, yet its version stayed {now}"),
        ))
    } else if b <= a {
        Some((
            "api-version-decreased",
            format!(
                "the document has breaking changes, yet its version went back from {was} to {now}"
            ),
        ))
    } else if !major {
        Some((
            "api-major-version-not-bumped",
            format!(
                "the document has breaking changes, yet its version moved from {was} to {now}, not by a major version"
            ),
        ))
    } else {
        None
    }
}

/// The level of the policy's rules: information, as oasdiff's, for teams that do not version
/// by semver.
pub const LEVEL: Level = Level::Info;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn semantic_versions_are_read_and_others_are_not() {
        assert_eq!(semver("1.2.3"), Some((1, 2, 3)));
        assert_eq!(semver("v0.10.0-beta.1+build.5"), Some((0, 10, 0)));
        for not in [
            "1.2",
            "v1",
            "2024-01-01",
            "01.2.3",
            "1.2.3.4",
            "1.2.3-",
            "1.2.3+",
        ] {
            assert_eq!(semver(not), None, "{not}");
        }
    }

    #[test]
    fn a_breaking_change_needs_a_major_bump_and_a_minor_one_below_1() {
        let doc = |v: &str| json!({"info": {"version": v}});
        let id = |a: &str, b: &str| policy(&doc(a), &doc(b), true).map(|p| p.0);
        assert_eq!(id("1.2.3", "1.2.3"), Some("api-version-not-bumped"));
        assert_eq!(id("1.2.3", "1.2.2"), Some("api-version-decreased"));
        assert_eq!(id("1.2.3", "1.3.0"), Some("api-major-version-not-bumped"));
        assert_eq!(id("1.2.3", "2.0.0"), None);
        assert_eq!(id("0.2.3", "0.3.0"), None);
        assert_eq!(id("0.2.3", "0.2.4"), Some("api-major-version-not-bumped"));
        assert_eq!(id("2024-01-01", "2024-01-01"), None);
        assert_eq!(policy(&doc("1.0.0"), &doc("1.0.0"), false), None);
    }
}
