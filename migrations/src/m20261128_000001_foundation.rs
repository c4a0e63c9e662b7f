//! Accounts, sessions, login throttling, the integrations registry and the activity trail.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    Name,
    Role,
    PasswordHash,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    Email,
    ClientIp,
    At,
}

#[derive(DeriveIden)]
enum Integrations {
    Table,
    Id,
    Name,
    Slug,
    Provider,
    Category,
    OwnerId,
    BusinessObjective,
    Priority,
    Stage,
    Tags,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Activity {
    Table,
    Id,
    ActorId,
    Action,
    EntityKind,
    EntityId,
    At,
    Before,
    After,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum ActivityHead {
    Table,
    Id,
    Appends,
}

fn index(name: &str, table: impl IntoIden, cols: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for col in cols {
        stmt.col(Alias::new(*col));
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(pk_auto(Users::Id))
                    .col(string_uniq(Users::Email))
                    .col(string(Users::Name))
                    .col(string(Users::Role))
                    .col(string(Users::PasswordHash))
                    .col(boolean(Users::Active).default(true))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(string(Sessions::Id).primary_key())
                    .col(integer_null(Sessions::UserId))
                    .col(text(Sessions::Data))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_sessions_user_id", Sessions::Table, &["user_id"]))
            .await?;
        manager
            .create_index(index(
                "idx_sessions_expires_at",
                Sessions::Table,
                &["expires_at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginFailures::Table)
                    .col(pk_auto(LoginFailures::Id))
                    .col(string(LoginFailures::Email))
                    .col(string(LoginFailures::ClientIp))
                    .col(timestamp_with_time_zone(LoginFailures::At))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_login_failures_email_at",
                LoginFailures::Table,
                &["email", "at"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_login_failures_client_ip_at",
                LoginFailures::Table,
                &["client_ip", "at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Integrations::Table)
                    .col(pk_auto(Integrations::Id))
                    .col(string(Integrations::Name))
                    .col(string_uniq(Integrations::Slug))
                    .col(string(Integrations::Provider))
                    .col(string(Integrations::Category))
                    .col(integer(Integrations::OwnerId))
                    .col(text(Integrations::BusinessObjective))
                    .col(string(Integrations::Priority))
                    .col(string(Integrations::Stage))
                    .col(text(Integrations::Tags))
                    .col(timestamp_with_time_zone(Integrations::CreatedAt))
                    .col(timestamp_with_time_zone(Integrations::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_integrations_owner")
                            .from(Integrations::Table, Integrations::OwnerId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_integrations_owner_id", "owner_id"),
            ("idx_integrations_stage", "stage"),
            ("idx_integrations_category", "category"),
            ("idx_integrations_priority", "priority"),
            ("idx_integrations_name", "name"),
            ("idx_integrations_updated_at", "updated_at"),
        ] {
            manager
                .create_index(index(name, Integrations::Table, &[col]))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Activity::Table)
                    .col(pk_auto(Activity::Id))
                    .col(integer_null(Activity::ActorId))
                    .col(string(Activity::Action))
                    .col(string(Activity::EntityKind))
                    .col(string(Activity::EntityId))
                    .col(timestamp_with_time_zone(Activity::At))
                    .col(text_null(Activity::Before))
                    .col(text_null(Activity::After))
                    // A unique previous hash means the chain cannot fork: two rows can never
                    // both claim to follow the same row.
                    .col(string_uniq(Activity::PrevHash))
                    .col(string_uniq(Activity::Hash))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_activity_actor")
                            .from(Activity::Table, Activity::ActorId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_activity_actor_id",
                Activity::Table,
                &["actor_id"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_activity_entity",
                Activity::Table,
                &["entity_kind", "entity_id"],
            ))
            .await?;

        // One row that every trail append updates first: the row lock (PostgreSQL) or write
        // lock (SQLite) it takes serialises appends, so each reads the true chain head.
        manager
            .create_table(
                Table::create()
                    .table(ActivityHead::Table)
                    .col(integer(ActivityHead::Id).primary_key())
                    .col(big_integer(ActivityHead::Appends).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(ActivityHead::Table)
                    .columns([ActivityHead::Id, ActivityHead::Appends])
                    .values_panic([1.into(), 0.into()])
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ActivityHead::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Activity::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Integrations::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(LoginFailures::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Sessions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Users::Table).to_owned())
            .await?;
        Ok(())
    }
}
