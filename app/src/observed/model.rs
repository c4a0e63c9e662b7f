//! Observed provider performance types that cross the wire.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::integrations::model::IntegrationRef;

/// One hour of an operation's calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ObservedHour {
    /// The hour's start.
    pub hour: DateTime<Utc>,
    pub calls: i64,
    pub failures: i64,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
}

/// One operation of the provider's spec as the code really calls it on one environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ObservedOperation {
    /// Upper case.
    pub method: String,
    /// As the spec writes it.
    pub path: String,
    pub environment_id: i32,
    pub environment: String,
    pub calls: i64,
    /// Calls answered 400 or above (or that failed without an answer).
    pub failures: i64,
    /// Failures over calls, from 0 to 1.
    pub failure_rate: f64,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    /// The latest hour with calls.
    pub last_hour: DateTime<Utc>,
    /// Hour by hour, oldest first.
    pub hours: Vec<ObservedHour>,
}

/// The operations an integration's code was seen calling within the last `hours` hours,
/// the most called first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ObservedView {
    pub integration: IntegrationRef,
    pub hours: i64,
    pub operations: Vec<ObservedOperation>,
}
