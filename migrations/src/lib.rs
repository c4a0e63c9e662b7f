//! The schema's source of truth. Migrations use backend-neutral `sea_orm_migration::schema`
//! helpers so that each one runs unchanged on SQLite and PostgreSQL; a landed migration is never
//! edited, only followed by a new one.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_foundation;
mod m20261129_000001_planning;
mod m20261129_000002_api_tokens;
mod m20261130_000001_environments;
mod m20261130_000002_credential_refs;
mod m20261201_000001_implementation_records;
mod m20261202_000001_testing;
mod m20261203_000001_specs;
mod m20261204_000001_spec_usage;
mod m20261205_000001_error_events;
mod m20261206_000001_monitoring;
mod m20261207_000001_reviews_and_views;
mod m20261208_000001_audits;
mod m20261209_000001_trail_checkpoints;
mod m20261210_000001_spec_changes;
mod m20261211_000001_environment_kinds;
mod m20261212_000001_trail_integration;
mod m20261213_000001_certificate_expiry_index;
mod m20261214_000001_search;
mod m20261215_000001_search_speed;
mod m20261216_000001_webhooks;
mod m20261217_000001_webhook_format;
mod m20261218_000001_mail;
mod m20261219_000001_daily_digest;
mod m20261220_000001_delivery_fairness;
mod m20261221_000001_following;
mod m20261222_000001_lease_index;
mod m20261223_000001_ingest_keys;
mod m20261224_000001_ingest_key_backfill;
mod m20261225_000001_heartbeats;
mod m20261226_000001_observed_hours;

/// Runs `statements` in order, stopping at the first that fails: for a migration written as
/// SQL per backend.
pub(crate) async fn execute_all(
    manager: &SchemaManager<'_>,
    statements: Vec<String>,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for statement in statements {
        db.execute_unprepared(&statement).await?;
    }
    Ok(())
}

/// Every migration, in the order it runs.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_foundation::Migration),
            Box::new(m20261129_000001_planning::Migration),
            Box::new(m20261129_000002_api_tokens::Migration),
            Box::new(m20261130_000001_environments::Migration),
            Box::new(m20261130_000002_credential_refs::Migration),
            Box::new(m20261201_000001_implementation_records::Migration),
            Box::new(m20261202_000001_testing::Migration),
            Box::new(m20261203_000001_specs::Migration),
            Box::new(m20261204_000001_spec_usage::Migration),
            Box::new(m20261205_000001_error_events::Migration),
            Box::new(m20261206_000001_monitoring::Migration),
            Box::new(m20261207_000001_reviews_and_views::Migration),
            Box::new(m20261208_000001_audits::Migration),
            Box::new(m20261209_000001_trail_checkpoints::Migration),
            Box::new(m20261210_000001_spec_changes::Migration),
            Box::new(m20261211_000001_environment_kinds::Migration),
            Box::new(m20261212_000001_trail_integration::Migration),
            Box::new(m20261213_000001_certificate_expiry_index::Migration),
            Box::new(m20261214_000001_search::Migration),
            Box::new(m20261215_000001_search_speed::Migration),
            Box::new(m20261216_000001_webhooks::Migration),
            Box::new(m20261217_000001_webhook_format::Migration),
            Box::new(m20261218_000001_mail::Migration),
            Box::new(m20261219_000001_daily_digest::Migration),
            Box::new(m20261220_000001_delivery_fairness::Migration),
            Box::new(m20261221_000001_following::Migration),
            Box::new(m20261222_000001_lease_index::Migration),
            Box::new(m20261223_000001_ingest_keys::Migration),
            Box::new(m20261224_000001_ingest_key_backfill::Migration),
            Box::new(m20261225_000001_heartbeats::Migration),
            Box::new(m20261226_000001_observed_hours::Migration),
        ]
    }
}
