//! An environment of an integration: connection settings and its health-check definition.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "environments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub integration_id: i32,
    pub name: String,
    /// sandbox, staging or production (`EnvironmentKind`): what the gates look for.
    pub kind: crate::choices::implementation::EnvironmentKind,
    pub base_url: String,
    pub auth_scheme: crate::choices::implementation::AuthScheme,
    pub timeout_ms: i32,
    pub retry_attempts: i32,
    pub retry_backoff_ms: i32,
    pub rate_limit_requests: Option<i32>,
    pub rate_limit_period_seconds: Option<i32>,
    pub webhook_url: Option<String>,
    pub webhook_signature: crate::choices::implementation::WebhookSignature,
    /// The health check: absent when `health_path` is null.
    pub health_method: Option<crate::choices::implementation::HealthMethod>,
    pub health_path: Option<String>,
    pub health_expected_status: Option<i32>,
    pub health_keyword: Option<String>,
    pub health_pointer: Option<String>,
    pub health_pointer_value: Option<String>,
    pub health_interval_seconds: Option<i32>,
    pub health_timeout_ms: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
