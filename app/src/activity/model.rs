//! Trail entries as the pages show them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One changed field: its value before and after (absent on create or delete).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One trail entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActivityEntry {
    pub id: i32,
    pub actor: Option<String>,
    /// The kind of record changed (integration, objective, plan ...).
    pub kind: String,
    /// The record's id in the trail: `7` for integration 7, `7/12` for record 12 of it.
    pub entity_id: String,
    pub action: String,
    pub at: DateTime<Utc>,
    pub changes: Vec<FieldChange>,
}

/// The trail's filters and page, as query parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
pub struct ActivityQuery {
    /// The kind of record: integration, objective, milestone, plan, user ...
    pub kind: Option<String>,
    /// One record's trail id (see `ActivityEntry.entity_id`).
    pub entity_id: Option<String>,
    /// An integration's slug: its entries and those of its records.
    pub integration: Option<String>,
    /// The 1-based page (50 entries each).
    pub page: Option<String>,
}

/// One page of the trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActivityView {
    pub items: Vec<ActivityEntry>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}
