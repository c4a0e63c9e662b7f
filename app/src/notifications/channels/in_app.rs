//! (ssr) The in-app channel: a row per recipient, which the bell counts and the
//! notifications page lists.

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

use crate::entities::notifications;
use crate::error::Result;
use crate::notifications::model::Message;

/// The most rows one insert writes: under SQLite's and PostgreSQL's parameter limits.
const ROWS_A_STATEMENT: usize = 500;

/// Stores each message for each of its people.
///
/// # Errors
/// Database failures.
pub async fn deliver(db: &impl ConnectionTrait, batch: &[(Vec<i32>, &Message<'_>)]) -> Result<()> {
    let now = Utc::now();
    let rows: Vec<notifications::ActiveModel> = batch
        .iter()
        .flat_map(|(user_ids, message)| {
            user_ids.iter().map(|user_id| notifications::ActiveModel {
                user_id: Set(*user_id),
                integration_id: Set(message.integration_id),
                kind: Set(message.kind),
                title: Set(message.title.to_string()),
                body: Set(message.body.to_string()),
                link: Set(message.link.to_string()),
                created_at: Set(now),
                read_at: Set(None),
                ..Default::default()
            })
        })
        .collect();
    for chunk in rows.chunks(ROWS_A_STATEMENT) {
        notifications::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}
