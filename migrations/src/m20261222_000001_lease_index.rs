//! The webhook claim counts each endpoint's attempts under way (pending deliveries whose lease
//! has not run out) on every claim, and claims run each time a place frees. Without an index
//! on the lease that count read every pending delivery: an endpoint that is down for an hour
//! holds tens of thousands, and the bench's simulated hour slowed from 54 changes a second to
//! 14. An index on (state, lease) makes it read only the few leased.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    State,
    LeaseUntil,
}

const NAME: &str = "idx_webhook_deliveries_leased";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::State)
                    .col(WebhookDeliveries::LeaseUntil)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(NAME)
                    .table(WebhookDeliveries::Table)
                    .to_owned(),
            )
            .await
    }
}
