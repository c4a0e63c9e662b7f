//! Events and their delivery. `outbox_events` is the transactional outbox: a change writes its
//! event in its own transaction, so an event is never lost and never sent for a change that
//! rolled back. `webhook_endpoints` are where events go (with their signing secrets, the
//! previous one kept through a rotation's overlap); `webhook_deliveries` is one event owed to
//! one endpoint (at most one row per pair, whoever fans it out), claimed with a lease by the
//! process that sends it; `webhook_attempts` logs each try.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Integrations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum OutboxEvents {
    Table,
    Id,
    Uid,
    EventType,
    IntegrationId,
    Data,
    DedupKey,
    CreatedAt,
    DispatchedAt,
}

#[derive(DeriveIden)]
enum WebhookEndpoints {
    Table,
    Id,
    Url,
    Description,
    EventTypes,
    IntegrationIds,
    Enabled,
    Secret,
    PreviousSecret,
    PreviousUntil,
    FailingSince,
    DisabledReason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    EndpointId,
    EventId,
    State,
    Attempts,
    NextAttemptAt,
    LeaseOwner,
    LeaseUntil,
    LastStatus,
    LastError,
    FinishedAt,
    ResendByHand,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WebhookAttempts {
    Table,
    Id,
    DeliveryId,
    EndpointId,
    AttemptedAt,
    StatusCode,
    LatencyMs,
    ResponseBody,
    Error,
    ByHand,
}

fn reference(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

fn index(name: &str, table: impl IntoIden, cols: Vec<DynIden>) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, NoAction, SetNull};
        manager
            .create_table(
                Table::create()
                    .table(OutboxEvents::Table)
                    .col(pk_auto(OutboxEvents::Id))
                    .col(string_uniq(OutboxEvents::Uid))
                    .col(string(OutboxEvents::EventType))
                    .col(integer_null(OutboxEvents::IntegrationId))
                    .col(text(OutboxEvents::Data))
                    .col(string_null(OutboxEvents::DedupKey).unique_key())
                    .col(timestamp_with_time_zone(OutboxEvents::CreatedAt))
                    .col(timestamp_with_time_zone_null(OutboxEvents::DispatchedAt))
                    .foreign_key(&mut reference(
                        "fk_outbox_events_integration",
                        (OutboxEvents::Table, OutboxEvents::IntegrationId),
                        (Integrations::Table, Integrations::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_outbox_events_dispatched",
                OutboxEvents::Table,
                vec![
                    OutboxEvents::DispatchedAt.into_iden(),
                    OutboxEvents::Id.into_iden(),
                ],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookEndpoints::Table)
                    .col(pk_auto(WebhookEndpoints::Id))
                    .col(text(WebhookEndpoints::Url))
                    .col(string(WebhookEndpoints::Description))
                    .col(text(WebhookEndpoints::EventTypes))
                    .col(text(WebhookEndpoints::IntegrationIds))
                    .col(boolean(WebhookEndpoints::Enabled))
                    .col(string(WebhookEndpoints::Secret))
                    .col(string_null(WebhookEndpoints::PreviousSecret))
                    .col(timestamp_with_time_zone_null(
                        WebhookEndpoints::PreviousUntil,
                    ))
                    .col(timestamp_with_time_zone_null(
                        WebhookEndpoints::FailingSince,
                    ))
                    .col(text_null(WebhookEndpoints::DisabledReason))
                    .col(integer(WebhookEndpoints::CreatedBy))
                    .col(timestamp_with_time_zone(WebhookEndpoints::CreatedAt))
                    .col(timestamp_with_time_zone(WebhookEndpoints::UpdatedAt))
                    .foreign_key(&mut reference(
                        "fk_webhook_endpoints_created_by",
                        (WebhookEndpoints::Table, WebhookEndpoints::CreatedBy),
                        (Users::Table, Users::Id),
                        NoAction,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDeliveries::Table)
                    .col(pk_auto(WebhookDeliveries::Id))
                    .col(integer(WebhookDeliveries::EndpointId))
                    .col(integer(WebhookDeliveries::EventId))
                    .col(string(WebhookDeliveries::State))
                    .col(integer(WebhookDeliveries::Attempts))
                    .col(timestamp_with_time_zone(WebhookDeliveries::NextAttemptAt))
                    .col(string_null(WebhookDeliveries::LeaseOwner))
                    .col(timestamp_with_time_zone_null(WebhookDeliveries::LeaseUntil))
                    .col(integer_null(WebhookDeliveries::LastStatus))
                    .col(text_null(WebhookDeliveries::LastError))
                    .col(timestamp_with_time_zone_null(WebhookDeliveries::FinishedAt))
                    .col(boolean(WebhookDeliveries::ResendByHand))
                    .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
                    .foreign_key(&mut reference(
                        "fk_webhook_deliveries_endpoint",
                        (WebhookDeliveries::Table, WebhookDeliveries::EndpointId),
                        (WebhookEndpoints::Table, WebhookEndpoints::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut reference(
                        "fk_webhook_deliveries_event",
                        (WebhookDeliveries::Table, WebhookDeliveries::EventId),
                        (OutboxEvents::Table, OutboxEvents::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "idx_webhook_deliveries_pair",
                    WebhookDeliveries::Table,
                    vec![
                        WebhookDeliveries::EndpointId.into_iden(),
                        WebhookDeliveries::EventId.into_iden(),
                    ],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_webhook_deliveries_due",
                WebhookDeliveries::Table,
                vec![
                    WebhookDeliveries::State.into_iden(),
                    WebhookDeliveries::NextAttemptAt.into_iden(),
                ],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_webhook_deliveries_event",
                WebhookDeliveries::Table,
                vec![WebhookDeliveries::EventId.into_iden()],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookAttempts::Table)
                    .col(pk_auto(WebhookAttempts::Id))
                    .col(integer(WebhookAttempts::DeliveryId))
                    .col(integer(WebhookAttempts::EndpointId))
                    .col(timestamp_with_time_zone(WebhookAttempts::AttemptedAt))
                    .col(integer_null(WebhookAttempts::StatusCode))
                    .col(integer(WebhookAttempts::LatencyMs))
                    .col(text(WebhookAttempts::ResponseBody))
                    .col(text_null(WebhookAttempts::Error))
                    .col(boolean(WebhookAttempts::ByHand))
                    .foreign_key(&mut reference(
                        "fk_webhook_attempts_delivery",
                        (WebhookAttempts::Table, WebhookAttempts::DeliveryId),
                        (WebhookDeliveries::Table, WebhookDeliveries::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut reference(
                        "fk_webhook_attempts_endpoint",
                        (WebhookAttempts::Table, WebhookAttempts::EndpointId),
                        (WebhookEndpoints::Table, WebhookEndpoints::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_webhook_attempts_endpoint",
                WebhookAttempts::Table,
                vec![
                    WebhookAttempts::EndpointId.into_iden(),
                    WebhookAttempts::Id.into_iden(),
                ],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_webhook_attempts_delivery",
                WebhookAttempts::Table,
                vec![WebhookAttempts::DeliveryId.into_iden()],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WebhookAttempts::Table.into_iden(),
            WebhookDeliveries::Table.into_iden(),
            WebhookEndpoints::Table.into_iden(),
            OutboxEvents::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
