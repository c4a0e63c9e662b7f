//! One move between lifecycle stages, with its reason and any gate override.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stage_transitions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub integration_id: i32,
    pub from_stage: crate::choices::integrations::Stage,
    pub to_stage: crate::choices::integrations::Stage,
    pub actor_id: Option<i32>,
    pub at: DateTimeUtc,
    pub reason: Option<String>,
    pub override_justification: Option<String>,
    /// A JSON array of the criteria that were unmet when an admin overrode the gate.
    pub unmet: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
