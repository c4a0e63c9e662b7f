//! A provider API specification an integration uses (its versions are `spec_versions`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_specs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub integration_id: i32,
    pub name: String,
    /// Where it is fetched from; empty when uploaded.
    pub source_url: String,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    /// `never`, `daily` or `weekly`: how often `source_url` is fetched again.
    pub refetch: crate::choices::specs::Refetch,
    /// When the scheduler fetches it next; `None` when it is not re-fetched.
    pub next_fetch_at: Option<DateTimeUtc>,
    pub last_fetched_at: Option<DateTimeUtc>,
    /// Why the last fetch failed; empty when it worked.
    pub last_fetch_error: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
