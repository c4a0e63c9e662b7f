//! An integration's test plan: its configuration matrix and the categories it must cover.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "test_plans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub integration_id: i32,
    /// Chosen browsers, comma-separated stored names (chrome, firefox, safari, edge).
    pub browsers: String,
    /// Chosen devices, comma-separated (desktop, tablet, phone).
    pub devices: String,
    /// Categories the plan must cover, comma-separated.
    pub required_categories: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
