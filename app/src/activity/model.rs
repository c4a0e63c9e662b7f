//! Trail entries as the pages show them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One changed field: its value before and after (absent on create or delete).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One trail entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEntry {
    pub id: i32,
    pub actor: Option<String>,
    /// The kind of record changed (integration, objective, plan ...).
    pub kind: String,
    pub action: String,
    pub at: DateTime<Utc>,
    pub changes: Vec<FieldChange>,
}
