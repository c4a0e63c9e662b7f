//! Integration types that cross the wire.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::activity::model::ActivityEntry;
pub use crate::choices::integrations::{Category, Priority, Stage};
use crate::users::model::UserRef;

/// An integration as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Integration {
    pub id: i32,
    pub name: String,
    pub slug: String,
    pub provider: String,
    pub category: Category,
    pub owner: UserRef,
    pub business_objective: String,
    pub priority: Priority,
    pub stage: Stage,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Whether the current stage was entered past an unmet gate (an admin override).
    pub gate_overridden: bool,
}

impl Integration {
    /// The edit form filled with this integration's values.
    pub fn form(&self) -> IntegrationForm {
        IntegrationForm {
            name: self.name.clone(),
            slug: self.slug.clone(),
            provider: self.provider.clone(),
            category: self.category.as_str().into(),
            owner_id: self.owner.id.to_string(),
            business_objective: self.business_objective.clone(),
            priority: self.priority.as_str().into(),
            tags: self.tags.join(", "),
        }
    }
}

/// An integration with its newest history entries, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IntegrationDetail {
    pub integration: Integration,
    /// The newest ten entries; the whole history is paginated at
    /// `/api/v1/activity?integration={slug}`.
    pub history: Vec<ActivityEntry>,
    /// How many entries the history has in all.
    pub history_total: u64,
}

/// The create and edit form, as submitted: every field a string so that bad input becomes a
/// message next to its field rather than a rejected request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct IntegrationForm {
    pub name: String,
    pub slug: String,
    pub provider: String,
    pub category: String,
    pub owner_id: String,
    pub business_objective: String,
    pub priority: String,
    pub tags: String,
}

/// Columns the list sorts by.
pub const SORT_KEYS: &[(&str, &str)] = &[
    ("name", "Name"),
    ("provider", "Provider"),
    ("category", "Category"),
    ("priority", "Priority"),
    ("stage", "Stage"),
    ("updated", "Updated"),
];

/// The list's search, filters, sort and page, as they appear in the URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IntegrationQuery {
    pub q: Option<String>,
    pub stage: Option<String>,
    pub category: Option<String>,
    pub owner: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<String>,
}

impl IntegrationQuery {
    /// The 1-based page, defaulting to 1 for anything unparseable.
    pub fn page_number(&self) -> u64 {
        self.page
            .as_deref()
            .and_then(|p| p.parse().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1)
    }

    /// The query with control characters (NUL...) removed, which no stored value holds.
    pub fn without_control(&self) -> Self {
        let clean = |v: &Option<String>| v.as_deref().map(crate::validate::strip_control);
        Self {
            q: clean(&self.q),
            stage: clean(&self.stage),
            category: clean(&self.category),
            owner: clean(&self.owner),
            sort: clean(&self.sort),
            dir: clean(&self.dir),
            page: clean(&self.page),
        }
    }

    /// Whether the sort is descending.
    pub fn descending(&self) -> bool {
        self.dir.as_deref() == Some("desc")
    }

    /// The list page's URL for this query with some parameters replaced.
    pub fn href(&self, overrides: &[(&str, Option<String>)]) -> String {
        self.href_on("/integrations", overrides)
    }

    /// The URL of page `path` (which shows this query too, like the dashboard) for this
    /// query with some parameters replaced.
    pub fn href_on(&self, path: &str, overrides: &[(&str, Option<String>)]) -> String {
        let mut pairs: Vec<(&str, Option<String>)> = vec![
            ("q", self.q.clone()),
            ("stage", self.stage.clone()),
            ("category", self.category.clone()),
            ("owner", self.owner.clone()),
            ("sort", self.sort.clone()),
            ("dir", self.dir.clone()),
            ("page", self.page.clone()),
        ];
        for (key, value) in overrides {
            if let Some(pair) = pairs.iter_mut().find(|(k, _)| k == key) {
                pair.1 = value.clone();
            }
        }
        let query: Vec<String> = pairs
            .into_iter()
            .filter_map(|(k, v)| {
                v.filter(|v| !v.is_empty())
                    .map(|v| format!("{k}={}", crate::components::query_value(&v)))
            })
            .collect();
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", query.join("&"))
        }
    }
}

/// One page of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IntegrationList {
    pub items: Vec<Integration>,
    /// Everyone who can own an integration, for the owner filter.
    pub owners: Vec<UserRef>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

/// Rows per page.
pub const PER_PAGE: u64 = 20;

/// An integration as the pages of its records name it: the kernel reference every room uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IntegrationRef {
    pub id: i32,
    pub slug: String,
    pub name: String,
    /// Whether its current stage was entered past an unmet gate.
    pub gate_overridden: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn href_replaces_and_drops_empty_parameters() {
        let q = IntegrationQuery {
            q: Some("stripe pay".into()),
            page: Some("3".into()),
            ..Default::default()
        };
        assert_eq!(q.href(&[("page", None)]), "/integrations?q=stripe%20pay");
        assert_eq!(
            q.href(&[("sort", Some("name".into()))]),
            "/integrations?q=stripe%20pay&sort=name&page=3"
        );
    }

    #[test]
    fn page_number_defaults_to_one_for_nonsense() {
        let q = IntegrationQuery {
            page: Some("-2".into()),
            ..Default::default()
        };
        assert_eq!(q.page_number(), 1);
    }
}
