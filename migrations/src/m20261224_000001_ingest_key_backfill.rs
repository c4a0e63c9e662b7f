//! Every environment has its ingest key from the start: environments made before the
//! Sentry-compatible ingest get theirs here (128 random bits in hex, as new ones are), so
//! reading a DSN never writes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const MISSING: &str = "FROM environments e WHERE NOT EXISTS \
    (SELECT 1 FROM ingest_keys k WHERE k.environment_id = e.id AND k.expires_at IS NULL)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let (key, now) = match db.get_database_backend() {
            DbBackend::Postgres => ("replace(gen_random_uuid()::text, '-', '')", "now()"),
            _ => (
                "lower(hex(randomblob(16)))",
                "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')",
            ),
        };
        db.execute_unprepared(&format!(
            "INSERT INTO ingest_keys (environment_id, public_key, created_at) \
             SELECT e.id, {key}, {now} {MISSING}"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, _: &SchemaManager) -> Result<(), DbErr> {
        // The keys stay: they are the environments' DSNs, which applications now carry.
        Ok(())
    }
}
