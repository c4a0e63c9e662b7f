//! An environment's monitor row: what the monitor last concluded, and the row's first values,
//! kept in step with the environment's health check when the environment is saved. Below
//! `implementation` (which saves environments) and `monitoring` (which runs the checks).

pub use crate::choices::monitoring::MonitorState;

#[cfg(feature = "ssr")]
use chrono::{DateTime, Utc};
#[cfg(feature = "ssr")]
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

#[cfg(feature = "ssr")]
use crate::entities::{environments, monitors};
#[cfg(feature = "ssr")]
use crate::error::Result;

/// The availability objective a new monitor starts with, in basis points: 99.9%.
#[cfg(feature = "ssr")]
pub const DEFAULT_SLO: i32 = 9990;

/// Keeps `env`'s monitor in step with its health check: a new check is due at once, a
/// removed one stops being monitored. Call in the transaction that saves the environment.
///
/// # Errors
/// Database failures.
#[cfg(feature = "ssr")]
pub async fn sync_monitor(db: &impl ConnectionTrait, env: &environments::Model) -> Result<()> {
    if env.health_path.is_some() {
        monitors::Entity::insert(fresh(env.id, Utc::now()))
            .on_conflict_do_nothing()
            .exec(db)
            .await?;
    } else {
        monitors::Entity::delete_by_id(env.id).exec(db).await?;
    }
    Ok(())
}

/// A monitor for environment `environment_id`, due at `now`, not checked yet.
#[cfg(feature = "ssr")]
pub fn fresh(environment_id: i32, now: DateTime<Utc>) -> monitors::ActiveModel {
    monitors::ActiveModel {
        environment_id: Set(environment_id),
        state: Set(MonitorState::Unknown),
        failures: Set(0),
        successes: Set(0),
        next_run_at: Set(now),
        lease_owner: Set(None),
        lease_until: Set(None),
        last_checked_at: Set(None),
        changed_at: Set(None),
        tls_expires_at: Set(None),
        tls_warned: Set(None),
        slo_target: Set(DEFAULT_SLO),
    }
}
