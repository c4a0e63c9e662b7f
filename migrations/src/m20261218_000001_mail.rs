//! The email channel. `mail_channel` holds one row while some process of this instance has
//! SMTP configured (`TOLLGATE_SMTP_URL`): its sender address and the address links start
//! with; without it no email is queued and no email choice is shown. `mail_messages` is the
//! queue: a notification's email is written in the same transaction as the notification, and
//! claimed with a lease by the process that sends it, retried on failure; each carries the
//! one-click unsubscribe token of its `List-Unsubscribe` link, kept with it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum MailChannel {
    Table,
    Id,
    FromAddress,
    PublicUrl,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MailMessages {
    Table,
    Id,
    UserId,
    Kind,
    ToAddress,
    Subject,
    TextBody,
    HtmlBody,
    UnsubscribeToken,
    State,
    Attempts,
    NextAttemptAt,
    LeaseOwner,
    LeaseUntil,
    LastError,
    CreatedAt,
    SentAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MailChannel::Table)
                    .col(integer(MailChannel::Id).primary_key())
                    .col(text(MailChannel::FromAddress))
                    .col(text(MailChannel::PublicUrl))
                    .col(timestamp_with_time_zone(MailChannel::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MailMessages::Table)
                    .col(pk_auto(MailMessages::Id))
                    .col(integer(MailMessages::UserId))
                    .col(string_null(MailMessages::Kind))
                    .col(text(MailMessages::ToAddress))
                    .col(text(MailMessages::Subject))
                    .col(text(MailMessages::TextBody))
                    .col(text(MailMessages::HtmlBody))
                    .col(string(MailMessages::UnsubscribeToken).unique_key())
                    .col(string(MailMessages::State))
                    .col(integer(MailMessages::Attempts).default(0))
                    .col(timestamp_with_time_zone(MailMessages::NextAttemptAt))
                    .col(string_null(MailMessages::LeaseOwner))
                    .col(timestamp_with_time_zone_null(MailMessages::LeaseUntil))
                    .col(text_null(MailMessages::LastError))
                    .col(timestamp_with_time_zone(MailMessages::CreatedAt))
                    .col(timestamp_with_time_zone_null(MailMessages::SentAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mail_messages_user")
                            .from(MailMessages::Table, MailMessages::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_mail_messages_due")
                    .table(MailMessages::Table)
                    .col(MailMessages::State)
                    .col(MailMessages::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MailMessages::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(MailChannel::Table).to_owned())
            .await
    }
}
