//! What the spec pages and the REST API show of specifications, on both targets.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::choices::specs::Refetch;
use crate::integrations::model::IntegrationRef;
use crate::users::model::UserRef;

impl Refetch {
    /// The time between fetches; `None` for never.
    pub fn period(self) -> Option<chrono::Duration> {
        match self {
            Refetch::Never => None,
            Refetch::Daily => Some(chrono::Duration::days(1)),
            Refetch::Weekly => Some(chrono::Duration::weeks(1)),
        }
    }
}

/// How serious a change is, as oasdiff grades it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Level {
    #[serde(rename = "INFO")]
    Info,
    #[serde(rename = "WARN")]
    Warn,
    #[serde(rename = "ERR")]
    Err,
}

impl Level {
    /// `ERR`, `WARN` or `INFO`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Err => "ERR",
            Level::Warn => "WARN",
            Level::Info => "INFO",
        }
    }

    /// Reads `ERR`, `WARN` or `INFO` (any case).
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_uppercase().as_str() {
            "ERR" | "ERROR" => Some(Level::Err),
            "WARN" | "WARNING" => Some(Level::Warn),
            "INFO" => Some(Level::Info),
            _ => None,
        }
    }

    /// How a reader names it.
    pub fn label(self) -> &'static str {
        match self {
            Level::Err => "Breaking",
            Level::Warn => "Possibly breaking",
            Level::Info => "Information",
        }
    }
}

/// The operation a change is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OperationRef {
    pub method: String,
    pub path: String,
}

/// Whether a change in a schema was reached through an operation's request or its response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Request,
    Response,
}

/// One way to a change in a schema: an operation's request body, or one of its responses,
/// with the media type whose schema was compared.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Reach {
    pub method: String,
    pub path: String,
    pub direction: Direction,
    /// The response's status; `None` for the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `None` when the body names no media type (Swagger 2.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
}

impl Reach {
    /// `POST /v1/charges (request, application/json)`, `GET /v1/charges (response 200)`.
    pub fn label(&self) -> String {
        let side = match (&self.direction, &self.status) {
            (Direction::Request, _) => "request".to_string(),
            (Direction::Response, Some(s)) => format!("response {s}"),
            (Direction::Response, None) => "response".to_string(),
        };
        match &self.media_type {
            Some(m) => format!("{} {} ({side}, {m})", self.method, self.path),
            None => format!("{} {} ({side})", self.method, self.path),
        }
    }
}

/// Where a change is, for lists: its operation, or the first way to it and how many more
/// there are; `None` for a document-wide change.
pub fn where_label(operation: Option<&OperationRef>, reached_by: &[Reach]) -> Option<String> {
    match (reached_by, operation) {
        ([first], _) => Some(first.label()),
        ([first, rest @ ..], _) => Some(format!("{} and {} more", first.label(), rest.len())),
        ([], Some(o)) => Some(format!("{} {}", o.method, o.path)),
        ([], None) => None,
    }
}

/// `/a/{id}/b` as `/a/{}/b`.
pub fn template(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// One version of a spec, as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VersionSummary {
    pub id: i32,
    pub number: i32,
    pub sha256: String,
    /// `swagger-2.0`, `openapi-3.0` or `openapi-3.1`.
    pub dialect: String,
    pub info_version: String,
    pub operation_count: i32,
    pub bytes: i64,
    pub imported_by: UserRef,
    pub imported_at: DateTime<Utc>,
}

/// A spec with its versions, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SpecSummary {
    pub id: i32,
    pub name: String,
    pub versions: Vec<VersionSummary>,
    /// How many of its operations the integration marked as used.
    pub used: usize,
    /// Where it is fetched from; empty when uploaded.
    pub source_url: String,
    pub refetch: Refetch,
    pub next_fetch_at: Option<DateTime<Utc>>,
    pub last_fetched_at: Option<DateTime<Utc>>,
    /// Why the last fetch failed; empty when it worked.
    pub last_fetch_error: String,
}

/// An operation the integration uses, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UsedOperation {
    pub id: i32,
    pub spec_id: i32,
    pub spec_name: String,
    pub method: String,
    pub path: String,
    pub note: String,
    pub marked_by: UserRef,
    pub marked_at: DateTime<Utc>,
    /// Keys of the test cases linked to it.
    pub linked_cases: Vec<String>,
}

impl UsedOperation {
    /// The path with parameter names erased, as versions match operations.
    pub fn template(&self) -> String {
        template(&self.path)
    }

    /// `GET /v1/charges (Stripe API)`.
    pub fn label(&self) -> String {
        crate::testing::model::operation_label(&self.method, &self.path, &self.spec_name)
    }
}

/// One operation of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CatalogueEntry {
    pub method: String,
    pub path: String,
    pub operation_id: Option<String>,
    pub summary: String,
    pub tags: Vec<String>,
    pub deprecated: bool,
    /// Set when the integration uses it.
    #[serde(default)]
    pub used: Option<UsedOperation>,
}

/// One classified change, as pages and downloads show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChangeRow {
    /// The oasdiff rule id, such as `api-removed-without-deprecation`.
    pub id: String,
    pub level: Level,
    /// `None` for a document-wide change (global security).
    pub operation: Option<OperationRef>,
    pub message: String,
    /// For a change inside a referenced schema, its location in the revision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// For a change in a schema, every request and response that reaches it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reached_by: Vec<Reach>,
    /// Whether it touches an operation the integration uses.
    pub used: bool,
}

/// An integration's specs page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecsOverview {
    pub integration: IntegrationRef,
    pub specs: Vec<SpecSummary>,
    pub used: Vec<UsedOperation>,
    pub maintenance: Vec<MaintenanceItem>,
    /// Whether the viewer may import specs and mark operations.
    pub can_edit: bool,
}

/// A spec's operation catalogue, one page of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationCatalogue {
    pub integration: IntegrationRef,
    pub spec_id: i32,
    pub spec_name: String,
    pub version: VersionSummary,
    pub entries: Vec<CatalogueEntry>,
    /// Matching operations in all pages.
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub can_edit: bool,
}

/// The changes between two versions of a spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeList {
    pub integration: IntegrationRef,
    pub spec_id: i32,
    pub spec_name: String,
    /// Every version, newest first, for choosing another pair.
    pub versions: Vec<VersionSummary>,
    pub base: VersionSummary,
    pub revision: VersionSummary,
    /// Changes on used operations first, then by level, most serious first.
    pub changes: Vec<ChangeRow>,
}

/// Something a live integration needs done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MaintenanceItem {
    pub id: i32,
    pub title: String,
    pub detail: String,
    pub link: String,
    /// `spec` or `manual`.
    pub source: String,
    /// `open` or `closed`.
    pub status: String,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// A provider field to map from: a JSON pointer into a used operation's success response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointerSuggestion {
    pub pointer: String,
    /// The operation whose response holds it, such as `GET /v1/charges (Stripe API)`.
    pub operation: String,
}
