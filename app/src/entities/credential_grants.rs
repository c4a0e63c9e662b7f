//! Who has access to a credential: granted by whom, when and why; a revoked grant stays.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credential_grants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub credential_id: i32,
    /// person, team or service.
    pub grantee_kind: crate::choices::implementation::GranteeKind,
    /// The person, when `grantee_kind` is person.
    pub user_id: Option<i32>,
    /// The team or service name (empty for a person).
    pub grantee: String,
    pub reason: String,
    pub granted_by: i32,
    pub granted_at: DateTimeUtc,
    pub revoked_by: Option<i32>,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoke_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
