//! Environment types that cross the wire.

use crate::auth::access::Action;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::choices::implementation::{
    AuthScheme, CredentialKind, EnvironmentKind, GranteeKind, HealthMethod, WebhookSignature,
};
use crate::integrations::model::IntegrationRef;

impl EnvironmentKind {
    /// The kind a name says (`sandbox`, `production`, whatever the case), else staging: what
    /// a blank kind means.
    pub fn of_name(name: &str) -> Self {
        Self::ALL
            .iter()
            .copied()
            .find(|k| name.trim().eq_ignore_ascii_case(k.as_str()))
            .unwrap_or(EnvironmentKind::Staging)
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
    pub kind: EnvironmentKind,
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
    /// The DSN its applications' Sentry SDKs report to; shown to those who build
    /// (engineers, coordinators and admins), null for others.
    #[serde(default)]
    pub dsn: Option<String>,
}

impl Environment {
    /// The edit form filled with this environment's values.
    pub fn form(&self) -> EnvironmentForm {
        let n = |v: i32| v.to_string();
        let h = self.health_check.as_ref();
        let text = |f: fn(&HealthCheck) -> Option<String>| h.and_then(f).unwrap_or_default();
        EnvironmentForm {
            name: self.name.clone(),
            kind: self.kind.as_str().into(),
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
    /// sandbox, staging or production; blank takes the kind the name says, else staging.
    pub kind: String,
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
pub struct EnvironmentsView {
    pub integration: IntegrationRef,
    pub environments: Vec<Environment>,
}

/// Names offered for new environments (any other name is allowed too).
pub const SUGGESTED_NAMES: &[&str] = &["sandbox", "staging", "production"];

// ---------------------------------------------------------------- credential references

crate::choice_enum! {
    /// A reference's state, computed from its dates (never typed).
    CredentialStatus {
        Ok => ("ok", "OK"),
        RotationDueSoon => ("rotation_due_soon", "Rotation due soon"),
        RotationOverdue => ("rotation_overdue", "Rotation overdue"),
        ExpiringSoon => ("expiring_soon", "Expiring soon"),
        Expired => ("expired", "Expired"),
    }
}

/// How many days ahead "soon" looks, for rotation and expiry alike.
pub const SOON_DAYS: i64 = 14;

/// The status on `today`: the most urgent of expiry and rotation. Rotation is due
/// `rotation_days` after `last_rotated`; "soon" is 14 days or less before a date.
pub fn credential_status(
    today: chrono::NaiveDate,
    last_rotated: chrono::NaiveDate,
    rotation_days: Option<i32>,
    expires_on: Option<chrono::NaiveDate>,
) -> CredentialStatus {
    if expires_on.is_some_and(|expiry| expiry <= today) {
        return CredentialStatus::Expired;
    }
    let due = rotation_days.map(|d| last_rotated + chrono::Duration::days(i64::from(d)));
    if due.is_some_and(|d| d <= today) {
        return CredentialStatus::RotationOverdue;
    }
    if expires_on.is_some_and(|e| (e - today).num_days() <= SOON_DAYS) {
        return CredentialStatus::ExpiringSoon;
    }
    if due.is_some_and(|d| (d - today).num_days() <= SOON_DAYS) {
        return CredentialStatus::RotationDueSoon;
    }
    CredentialStatus::Ok
}

/// A credential reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CredentialRef {
    pub id: i32,
    pub integration: IntegrationRef,
    pub environment_id: i32,
    pub environment: String,
    pub name: String,
    pub kind: CredentialKind,
    /// Where the secret lives: vault://..., env://..., aws-sm://..., or a locator in words.
    pub reference: String,
    pub owner: Option<crate::users::model::UserRef>,
    pub scopes: String,
    pub created_at: DateTime<Utc>,
    pub last_rotated: chrono::NaiveDate,
    pub rotation_days: Option<i32>,
    pub next_rotation: Option<chrono::NaiveDate>,
    pub expires_on: Option<chrono::NaiveDate>,
    pub status: CredentialStatus,
    /// Who has (and had) access, newest first; revoked grants stay.
    pub grants: Vec<AccessGrant>,
}

impl CredentialRef {
    /// Whether `user` may grant and revoke access to this credential (see [`may_grant`]).
    pub fn can_grant(&self, user: &crate::auth::model::CurrentUser) -> bool {
        user.can(Action::Grant)
    }
}

/// Access to a credential: who, granted by whom, when and why; revocation keeps the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AccessGrant {
    pub id: i32,
    pub credential_id: i32,
    pub grantee_kind: GranteeKind,
    /// The person's name, or the team or service.
    pub grantee: String,
    /// The person, for a person.
    pub user_id: Option<i32>,
    pub reason: String,
    pub granted_by: crate::users::model::UserRef,
    pub granted_at: DateTime<Utc>,
    pub revoked_by: Option<crate::users::model::UserRef>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
}

/// A new grant, as submitted: a person by `user_id`, or a team or service by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct GrantForm {
    pub grantee_kind: String,
    pub user_id: String,
    pub grantee: String,
    pub reason: String,
}

/// Why access is revoked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RevokeForm {
    pub reason: String,
}

impl CredentialRef {
    /// The edit form filled with this reference's values.
    pub fn form(&self) -> CredentialForm {
        CredentialForm {
            environment_id: self.environment_id.to_string(),
            name: self.name.clone(),
            kind: self.kind.as_str().into(),
            reference: self.reference.clone(),
            owner_id: self
                .owner
                .as_ref()
                .map(|o| o.id.to_string())
                .unwrap_or_default(),
            scopes: self.scopes.clone(),
            last_rotated: self.last_rotated.to_string(),
            rotation_days: self
                .rotation_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            expires_on: self.expires_on.map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}

/// The credential reference form, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CredentialForm {
    pub environment_id: String,
    pub name: String,
    pub kind: String,
    pub reference: String,
    pub owner_id: String,
    pub scopes: String,
    /// Blank: today.
    pub last_rotated: String,
    pub rotation_days: String,
    pub expires_on: String,
}

/// The credentials page of one integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CredentialsView {
    pub integration: IntegrationRef,
    pub credentials: Vec<CredentialRef>,
    /// (id, name) of each environment, for the form.
    pub environments: Vec<(i32, String)>,
    pub people: Vec<crate::users::model::UserRef>,
    pub today: chrono::NaiveDate,
}

/// Secret stores a `scheme://` reference may name.
pub const SECRET_STORES: &[&str] = &[
    "vault", "env", "aws-sm", "aws-ssm", "gcp-sm", "azure-kv", "k8s", "op", "doppler", "sops",
];

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn rotation_status_at_its_boundaries() {
        let today = d("2026-11-29");
        let status = |last: &str, days: Option<i32>| credential_status(today, d(last), days, None);
        assert_eq!(
            status("2026-11-29", None),
            CredentialStatus::Ok,
            "no interval, never due"
        );
        // Due 2026-12-14: 15 days ahead is still OK, 14 is soon.
        assert_eq!(status("2026-09-14", Some(91)), CredentialStatus::Ok);
        assert_eq!(
            status("2026-09-13", Some(91)),
            CredentialStatus::RotationDueSoon
        );
        // Due tomorrow is soon; due today is overdue.
        assert_eq!(
            status("2026-08-31", Some(91)),
            CredentialStatus::RotationDueSoon
        );
        assert_eq!(
            status("2026-08-31", Some(90)),
            CredentialStatus::RotationOverdue
        );
    }

    #[test]
    fn expiry_status_at_its_boundaries_and_the_most_urgent_wins() {
        let today = d("2026-11-29");
        let status = |expires: &str| credential_status(today, today, None, Some(d(expires)));
        assert_eq!(status("2026-12-14"), CredentialStatus::Ok);
        assert_eq!(status("2026-12-13"), CredentialStatus::ExpiringSoon);
        assert_eq!(status("2026-11-30"), CredentialStatus::ExpiringSoon);
        assert_eq!(status("2026-11-29"), CredentialStatus::Expired);
        assert_eq!(
            credential_status(today, d("2025-01-01"), Some(30), Some(d("2026-11-28"))),
            CredentialStatus::Expired,
            "expired beats overdue"
        );
        assert_eq!(
            credential_status(today, d("2025-01-01"), Some(30), Some(d("2026-12-01"))),
            CredentialStatus::RotationOverdue,
            "overdue beats expiring soon"
        );
    }
}
