//! Environment types that cross the wire.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::planning::model::IntegrationRef;

crate::choice_enum! {
    /// How requests to the provider authenticate.
    AuthScheme {
        ApiKeyHeader => ("api_key_header", "API key in a header"),
        ApiKeyQuery => ("api_key_query", "API key in the query string"),
        Bearer => ("bearer", "Bearer token"),
        Basic => ("basic", "HTTP Basic"),
        OAuth2ClientCredentials => ("oauth2_client_credentials", "OAuth 2 client credentials"),
        HmacSignature => ("hmac_signature", "HMAC-signed requests"),
        Mtls => ("mtls", "Mutual TLS"),
        NoAuth => ("none", "None"),
    }
}

crate::choice_enum! {
    /// How the provider signs the webhooks it sends.
    WebhookSignature {
        Unsigned => ("none", "Not signed"),
        HmacSha256 => ("hmac_sha256", "HMAC-SHA256 of the body"),
        StripeSignature => ("stripe_signature", "Stripe-Signature header"),
        Jwt => ("jwt", "Signed JWT"),
        Mtls => ("mtls", "Mutual TLS"),
        BasicAuth => ("basic_auth", "HTTP Basic"),
    }
}

crate::choice_enum! {
    /// The health check's HTTP method.
    HealthMethod {
        Get => ("GET", "GET"),
        Head => ("HEAD", "HEAD"),
        Post => ("POST", "POST"),
    }
}

/// A rate limit: `requests` per `period_seconds`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RateLimit {
    pub requests: i32,
    pub period_seconds: i32,
}

/// What the monitor checks: the request, the status expected, and at most one assertion on
/// the body (a keyword it contains, or a JSON pointer that equals a value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HealthCheck {
    pub method: HealthMethod,
    pub path: String,
    pub expected_status: i32,
    pub keyword: Option<String>,
    pub pointer: Option<String>,
    pub pointer_value: Option<String>,
    pub interval_seconds: i32,
    pub timeout_ms: i32,
}

/// An environment of an integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Environment {
    pub id: i32,
    pub integration: IntegrationRef,
    pub name: String,
    pub base_url: String,
    pub auth_scheme: AuthScheme,
    pub timeout_ms: i32,
    pub retry_attempts: i32,
    pub retry_backoff_ms: i32,
    pub rate_limit: Option<RateLimit>,
    pub webhook_url: Option<String>,
    pub webhook_signature: WebhookSignature,
    pub health_check: Option<HealthCheck>,
    pub updated_at: DateTime<Utc>,
}

impl Environment {
    /// The edit form filled with this environment's values.
    pub fn form(&self) -> EnvironmentForm {
        let n = |v: i32| v.to_string();
        let h = self.health_check.as_ref();
        let text = |f: fn(&HealthCheck) -> Option<String>| h.and_then(f).unwrap_or_default();
        EnvironmentForm {
            name: self.name.clone(),
            base_url: self.base_url.clone(),
            auth_scheme: self.auth_scheme.as_str().into(),
            timeout_ms: n(self.timeout_ms),
            retry_attempts: n(self.retry_attempts),
            retry_backoff_ms: n(self.retry_backoff_ms),
            rate_limit_requests: self
                .rate_limit
                .as_ref()
                .map(|r| n(r.requests))
                .unwrap_or_default(),
            rate_limit_period_seconds: self
                .rate_limit
                .as_ref()
                .map(|r| n(r.period_seconds))
                .unwrap_or_default(),
            webhook_url: self.webhook_url.clone().unwrap_or_default(),
            webhook_signature: self.webhook_signature.as_str().into(),
            health_method: h.map(|c| c.method.as_str().to_string()).unwrap_or_default(),
            health_path: h.map(|c| c.path.clone()).unwrap_or_default(),
            health_expected_status: h.map(|c| n(c.expected_status)).unwrap_or_default(),
            health_keyword: text(|c| c.keyword.clone()),
            health_pointer: text(|c| c.pointer.clone()),
            health_pointer_value: text(|c| c.pointer_value.clone()),
            health_interval_seconds: h.map(|c| n(c.interval_seconds)).unwrap_or_default(),
            health_timeout_ms: h.map(|c| n(c.timeout_ms)).unwrap_or_default(),
        }
    }
}

/// The environment form, as submitted. Blank numbers take the defaults shown as hints; a
/// blank health-check path means no health check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct EnvironmentForm {
    pub name: String,
    pub base_url: String,
    pub auth_scheme: String,
    pub timeout_ms: String,
    pub retry_attempts: String,
    pub retry_backoff_ms: String,
    pub rate_limit_requests: String,
    pub rate_limit_period_seconds: String,
    pub webhook_url: String,
    pub webhook_signature: String,
    pub health_method: String,
    pub health_path: String,
    pub health_expected_status: String,
    pub health_keyword: String,
    pub health_pointer: String,
    pub health_pointer_value: String,
    pub health_interval_seconds: String,
    pub health_timeout_ms: String,
}

/// The environments page of one integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EnvironmentPage {
    pub integration: IntegrationRef,
    pub environments: Vec<Environment>,
}

/// Names offered for new environments (any other name is allowed too).
pub const SUGGESTED_NAMES: &[&str] = &["sandbox", "staging", "production"];
