//! Whether a user gets one kind of notification on one channel; no row means yes.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_preferences")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: crate::choices::notifications::Kind,
    #[sea_orm(primary_key, auto_increment = false)]
    pub channel: crate::choices::notifications::Channel,
    pub enabled: bool,
    /// On the email channel: gathered into the daily digest rather than sent at once.
    pub daily: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
