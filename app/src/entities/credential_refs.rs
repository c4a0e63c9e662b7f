//! A credential reference: where a secret lives, never the secret.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credential_refs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub integration_id: i32,
    pub environment_id: i32,
    pub name: String,
    pub kind: crate::choices::implementation::CredentialKind,
    pub reference: String,
    pub owner_id: Option<i32>,
    pub scopes: String,
    pub last_rotated: Date,
    pub rotation_days: Option<i32>,
    pub expires_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
