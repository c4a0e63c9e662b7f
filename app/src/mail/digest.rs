//! (ssr) The daily digest: the emails someone chose to get once a day are held (state
//! `held`, due at the next [`DIGEST_HOUR`]); when due, each person's are gathered into one
//! email listing them all, in the order they happened, and the held ones are dropped in the
//! same transaction. Two processes gathering at once cannot both send a digest: each deletes
//! the held rows it read, and only the one that deleted them all keeps its digest.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionSession, TransactionTrait,
};

use super::letter::Letter;
use super::service::{channel, enqueue};
use crate::choices::notifications::MailState;
use crate::entities::mail_messages;
use crate::error::Result;

/// The hour (UTC) the daily digest goes out.
pub const DIGEST_HOUR: u32 = 8;
/// The most people one round gathers for.
const PEOPLE_PER_ROUND: u64 = 50;
/// The most emails one digest lists; the rest wait for the next round, a second later.
const ITEMS_PER_DIGEST: u64 = 200;

/// When the next digest goes out after `now`.
pub fn next_time(now: DateTime<Utc>) -> DateTime<Utc> {
    let at = NaiveTime::from_hms_opt(DIGEST_HOUR, 0, 0).unwrap_or_default();
    let today = now.date_naive().and_time(at).and_utc();
    if now < today {
        today
    } else {
        today + Duration::days(1)
    }
}

/// The part of a queued email's plain text that tells what happened (its heading, body and
/// link), without the footer each email has alone.
fn item(text: &str) -> &str {
    text.split("\n\n--\n").next().unwrap_or(text).trim()
}

/// Gathers the held emails due by `now` into one digest per person; returns how many
/// digests it queued.
///
/// # Errors
/// Database failures.
pub async fn gather(
    db: &(impl ConnectionTrait + TransactionTrait),
    now: DateTime<Utc>,
) -> Result<usize> {
    let due: Vec<i32> = mail_messages::Entity::find()
        .select_only()
        .column(mail_messages::Column::UserId)
        .filter(mail_messages::Column::State.eq(MailState::Held))
        .filter(mail_messages::Column::NextAttemptAt.lte(now))
        .distinct()
        .limit(PEOPLE_PER_ROUND)
        .into_tuple()
        .all(db)
        .await?;
    let Some(mail) = channel(db).await? else {
        return Ok(0);
    };
    let mut sent = 0;
    for user in due {
        let txn = db.begin().await?;
        let held = mail_messages::Entity::find()
            .filter(mail_messages::Column::UserId.eq(user))
            .filter(mail_messages::Column::State.eq(MailState::Held))
            .filter(mail_messages::Column::NextAttemptAt.lte(now))
            .order_by_asc(mail_messages::Column::Id)
            .limit(ITEMS_PER_DIGEST)
            .all(&txn)
            .await?;
        let ids: Vec<i32> = held.iter().map(|m| m.id).collect();
        let taken = mail_messages::Entity::delete_many()
            .filter(mail_messages::Column::Id.is_in(ids.clone()))
            .filter(mail_messages::Column::State.eq(MailState::Held))
            .exec(&txn)
            .await?
            .rows_affected;
        let Some(first) = held.first() else {
            continue;
        };
        if taken != ids.len() as u64 {
            // Another process gathered them first.
            txn.rollback().await?;
            continue;
        }
        let mut kinds: Vec<&str> = held
            .iter()
            .filter_map(|m| m.kind.map(|k| k.label()))
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        let letter = Letter {
            subject: format!(
                "[Tollgate] Your daily digest: {} {}",
                held.len(),
                if held.len() == 1 {
                    "notification"
                } else {
                    "notifications"
                }
            ),
            heading: format!("What happened since your last digest ({})", held.len()),
            body: held
                .iter()
                .map(|m| item(&m.text_body))
                .collect::<Vec<_>>()
                .join("\n\n"),
            link: format!("{}/notifications", mail.public_url),
            why: format!(
                "You get this once a day because you chose the daily digest for: {}.",
                kinds.join("; ")
            ),
        };
        enqueue(
            &txn,
            &mail,
            None,
            &[(user, first.to_address.clone())],
            &letter,
            None,
        )
        .await?;
        txn.commit().await?;
        sent += 1;
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_goes_at_eight_today_or_else_tomorrow() {
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_default()
        };
        assert_eq!(
            next_time(at("2026-12-07T07:59:00Z")),
            at("2026-12-07T08:00:00Z")
        );
        assert_eq!(
            next_time(at("2026-12-07T08:00:00Z")),
            at("2026-12-08T08:00:00Z")
        );
        assert_eq!(
            next_time(at("2026-12-07T23:00:00Z")),
            at("2026-12-08T08:00:00Z")
        );
        assert_eq!(
            item("Refunds stuck\n\nSince 09:00.\n\nOpen in Tollgate: x\n\n--\nYou get this"),
            "Refunds stuck\n\nSince 09:00.\n\nOpen in Tollgate: x"
        );
    }
}
