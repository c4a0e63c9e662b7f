//! The monitor of an environment's health check: its state, its consecutive failures and
//! successes, when it runs next, and the lease of the process running it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "monitors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub environment_id: i32,
    pub state: crate::choices::monitoring::MonitorState,
    pub failures: i32,
    pub successes: i32,
    pub next_run_at: DateTimeUtc,
    pub lease_owner: Option<String>,
    pub lease_until: Option<DateTimeUtc>,
    pub last_checked_at: Option<DateTimeUtc>,
    pub changed_at: Option<DateTimeUtc>,
    pub tls_expires_at: Option<DateTimeUtc>,
    /// The smallest certificate warning already sent (21, 14 or 7 days).
    pub tls_warned: Option<i32>,
    /// The availability objective in basis points (9990 is 99.9%).
    pub slo_target: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
