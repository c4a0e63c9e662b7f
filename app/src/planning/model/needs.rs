//! Planning: the needs assessment.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::integrations::model::IntegrationRef;

/// The needs assessment of an integration (empty until first saved).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NeedsAssessment {
    pub problem: String,
    pub affected: String,
    pub scope_in: String,
    pub scope_out: String,
    pub platform_areas: String,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<String>,
}

/// The needs page of one integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NeedsView {
    pub integration: IntegrationRef,
    pub needs: NeedsAssessment,
}
