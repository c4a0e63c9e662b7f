//! One email owed to one person, and the lease of the process sending it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    /// The notification kind it tells of (its one-click unsubscribe turns that kind's email
    /// off).
    pub kind: Option<crate::choices::notifications::Kind>,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    /// The token of its `List-Unsubscribe` link.
    pub unsubscribe_token: String,
    pub state: crate::choices::notifications::MailState,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub lease_owner: Option<String>,
    pub lease_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
