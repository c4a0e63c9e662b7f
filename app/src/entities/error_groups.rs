//! Error events of one integration that share a fingerprint.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "error_groups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub integration_id: i32,
    /// SHA-256 hex of the error type, operation and normalized message.
    pub fingerprint: String,
    pub error_type: String,
    pub operation: String,
    /// The normalized message.
    pub message: String,
    /// The most serious level seen.
    pub level: crate::choices::events::EventLevel,
    /// `unresolved`, `resolved` or `ignored`.
    pub status: crate::choices::events::GroupStatus,
    /// Set when a resolved group recurred.
    pub regressed: bool,
    pub count: i64,
    pub first_seen: DateTimeUtc,
    pub last_seen: DateTimeUtc,
    pub resolved_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
