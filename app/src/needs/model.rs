//! What waits on one person, as the page and the navigation's count receive it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::integrations::model::IntegrationRef;

/// How many of a group the page shows; the rest are counted.
pub const SHOWN: usize = 10;

/// One thing waiting on the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    pub integration: IntegrationRef,
    pub title: String,
    /// Why it waits: what a gate still needs, when it fell due.
    pub detail: String,
    /// Where to act on it.
    pub href: String,
    /// When it falls or fell due, for what has a date: the earliest first.
    pub due: Option<NaiveDate>,
}

/// One kind of thing waiting: the first [`SHOWN`], earliest due first, and how many in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub key: String,
    pub title: String,
    /// What the group says when nothing waits.
    pub empty: String,
    pub items: Vec<Waiting>,
    pub total: u64,
}

impl Group {
    /// The group `key` of `all`: sorted by due date (undated last), cut to [`SHOWN`].
    pub fn new(key: &str, title: &str, empty: &str, mut all: Vec<Waiting>) -> Self {
        all.sort_by_key(|w| (w.due.is_none(), w.due));
        let total = all.len() as u64;
        all.truncate(SHOWN);
        Group {
            key: key.into(),
            title: title.into(),
            empty: empty.into(),
            items: all,
            total,
        }
    }
}

/// What waits on one person, group by group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedsMe {
    pub groups: Vec<Group>,
}

impl NeedsMe {
    /// How many things wait, in all groups.
    pub fn total(&self) -> u64 {
        self.groups.iter().map(|g| g.total).sum()
    }

    /// The group `key`, if the person's role has it.
    pub fn group(&self, key: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting(due: Option<&str>) -> Waiting {
        Waiting {
            integration: IntegrationRef {
                id: 1,
                slug: "s".into(),
                name: "S".into(),
                gate_overridden: false,
            },
            title: due.unwrap_or("none").into(),
            detail: String::new(),
            href: String::new(),
            due: due.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
        }
    }

    #[test]
    fn a_group_shows_the_earliest_due_first_undated_last_and_counts_the_rest() {
        let mut all = vec![waiting(None), waiting(Some("2026-12-09"))];
        all.extend((1..=12).map(|d| waiting(Some(&format!("2026-11-{d:02}")))));
        let g = Group::new("k", "K", "", all);
        assert_eq!(g.total, 14);
        assert_eq!(g.items.len(), SHOWN);
        assert_eq!(g.items[0].title, "2026-11-01");
        let g = Group::new(
            "k",
            "K",
            "",
            vec![waiting(None), waiting(Some("2026-12-09"))],
        );
        assert_eq!(g.items[1].title, "none");
    }
}
