//! (ssr) Gathering and sending the weekly digest.
//!
//! Rules kept here:
//! - a week runs from Monday 00:00 UTC to the next; its digest falls due that next Monday at
//!   [`SEND_HOUR`], and only the latest week due is ever sent (a server down for a month does
//!   not send four);
//! - a week is sent once: its `weekly_digests` row is written in the transaction that queues
//!   every reader's digest and writes every integration's event, and a second server finds
//!   the row and sends nothing;
//! - a week tells of the integrations that existed before it ended and were not retired
//!   before it began ([`integration_week`]): each has its event, and a reader's digest
//!   covers those they follow; someone following none of them gets none.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionSession, TransactionTrait, sea_query::OnConflict,
};

use super::model::{COMING_DAYS, IntegrationWeek, RISKS_SHOWN, WeekUptime, WeeklyDigest};
use crate::auth::model::CurrentUser;
use crate::choices::integrations::Stage;
use crate::choices::planning::MilestoneStatus;
use crate::entities::{integrations, plans, users, weekly_digests};
use crate::error::Result;
use crate::integrations::lookup::reference;
use crate::notifications::model::{Kind, Message};
use crate::outbox::EventType;
use crate::outbox::service::{Event, emit};

/// The hour (UTC) on Monday the week before is sent.
pub const SEND_HOUR: u32 = 8;

/// The Monday on or before `day`.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// Midnight UTC at the start of `day`.
fn midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc()
}

/// The Monday of the latest week whose digest is due by `now`: last week from this Monday's
/// [`SEND_HOUR`] on, the week before until then.
pub fn due_week(now: DateTime<Utc>) -> NaiveDate {
    let this_monday = monday_of(now.date_naive());
    let send_at = midnight(this_monday) + Duration::hours(i64::from(SEND_HOUR));
    if now >= send_at {
        this_monday - Duration::days(7)
    } else {
        this_monday - Duration::days(14)
    }
}

/// The risks of a plan's risks section, a line each: its list items and lines of text, with
/// their bullets and numbers taken off and headings left out.
pub fn risk_lines(section: &str) -> Vec<String> {
    section
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let l = l.trim_start_matches(['-', '*', '+']).trim_start();
            let digits = l.chars().take_while(char::is_ascii_digit).count();
            let numbered = digits > 0 && l[digits..].starts_with(['.', ')']);
            (if numbered { &l[digits + 1..] } else { l })
                .trim()
                .to_string()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

/// Integration `i`'s week from `from` to `until`; none when it was retired before the week
/// began (retired, and no stage move in the week), as a week leaves it out.
///
/// # Errors
/// Database failures.
pub async fn integration_week(
    db: &impl ConnectionTrait,
    i: &integrations::Model,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Option<IntegrationWeek>> {
    let mut moves: Vec<_> = crate::lifecycle::service::timeline(db, i.id)
        .await?
        .into_iter()
        .filter(|m| m.at >= from && m.at < until)
        .collect();
    if i.stage == Stage::Retired && moves.is_empty() {
        return Ok(None);
    }
    moves.reverse();
    let (first_day, last_day) = (
        from.date_naive(),
        (until - Duration::seconds(1)).date_naive(),
    );
    let milestones = crate::planning::service::milestones::for_integration(db, i).await?;
    let (done, rest): (Vec<_>, Vec<_>) = milestones
        .into_iter()
        .partition(|m| m.status == MilestoneStatus::Done);
    let milestones_done = done
        .into_iter()
        .filter(|m| {
            m.completed_on
                .is_some_and(|d| d >= first_day && d <= last_day)
        })
        .collect();
    let horizon = last_day + Duration::days(COMING_DAYS);
    let milestones_coming = rest.into_iter().filter(|m| m.due_date <= horizon).collect();
    let incidents = crate::monitoring::service::incidents_since(db, i.id, from).await?;
    let in_week = |t: Option<DateTime<Utc>>| t.is_some_and(|t| t >= from && t < until);
    let incidents_open = incidents
        .iter()
        .filter(|x| x.opened_at < until && x.resolved_at.is_none_or(|r| r >= until))
        .count();
    let incidents_opened = incidents
        .iter()
        .filter(|x| in_week(Some(x.opened_at)))
        .cloned()
        .collect();
    let incidents_resolved = incidents
        .into_iter()
        .filter(|x| in_week(x.resolved_at))
        .collect();
    let uptime = crate::monitoring::service::uptime_between(db, i.id, from, until)
        .await?
        .into_iter()
        .map(|(environment, uptime_bp)| WeekUptime {
            environment,
            uptime_bp,
        })
        .collect();
    let plan = plans::Entity::find()
        .filter(plans::Column::IntegrationId.eq(i.id))
        .order_by_desc(plans::Column::Version)
        .one(db)
        .await?;
    let mut risks = plan.map(|p| risk_lines(&p.risks)).unwrap_or_default();
    let more_risks = risks.len().saturating_sub(RISKS_SHOWN);
    risks.truncate(RISKS_SHOWN);
    Ok(Some(IntegrationWeek {
        integration: reference(i),
        stage: i.stage,
        moves,
        milestones_done,
        milestones_coming,
        incidents_opened,
        incidents_resolved,
        incidents_open,
        uptime,
        risks,
        more_risks,
    }))
}

/// The integrations `user` follows that existed before `until`, by name.
async fn followed_by(
    db: &impl ConnectionTrait,
    user: i32,
    until: DateTime<Utc>,
) -> Result<Vec<integrations::Model>> {
    let ids = crate::notifications::follows::followed(db, user).await?;
    Ok(integrations::Entity::find()
        .filter(integrations::Column::Id.is_in(ids))
        .filter(integrations::Column::CreatedAt.lt(until))
        .order_by_asc(integrations::Column::Name)
        .all(db)
        .await?)
}

/// `user`'s digest of the last seven days to `now`: what next Monday's email will say, so
/// far.
///
/// # Errors
/// Database failures.
pub async fn preview(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<WeeklyDigest> {
    let from = now - Duration::days(7);
    let mut integrations = Vec::new();
    for i in followed_by(db, user.id, now).await? {
        integrations.extend(integration_week(db, &i, from, now).await?);
    }
    Ok(WeeklyDigest {
        from,
        until: now,
        week_of: None,
        integrations,
    })
}

/// Sends the digest of the latest week due by `now`, unless it was sent: to each active
/// person following an integration, and a `digest.weekly` event per integration. Returns
/// how many people it was sent to (none when it was sent already).
///
/// # Errors
/// Database failures.
pub async fn send_due(
    db: &(impl ConnectionTrait + TransactionTrait),
    now: DateTime<Utc>,
) -> Result<usize> {
    let week = due_week(now);
    if weekly_digests::Entity::find_by_id(week)
        .one(db)
        .await?
        .is_some()
    {
        return Ok(0);
    }
    let (from, until) = (midnight(week), midnight(week + Duration::days(7)));
    // Read first, outside the transaction, so the write lock is held only for the writes.
    let all = integrations::Entity::find()
        .filter(integrations::Column::CreatedAt.lt(until))
        .order_by_asc(integrations::Column::Name)
        .all(db)
        .await?;
    let mut shown = Vec::with_capacity(all.len());
    for i in all {
        if let Some(w) = integration_week(db, &i, from, until).await? {
            shown.push((i, w));
        }
    }
    let follows = crate::notifications::follows::of(db, shown.iter().map(|(i, _)| i.id)).await?;
    let readers = users::Entity::find()
        .filter(users::Column::Id.is_in(follows.iter().map(|f| f.user_id)))
        .filter(users::Column::Active.eq(true))
        .order_by_asc(users::Column::Id)
        .all(db)
        .await?;
    let txn = db.begin().await?;
    let claimed = weekly_digests::Entity::insert(weekly_digests::ActiveModel {
        week_of: Set(week),
        sent_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(weekly_digests::Column::WeekOf)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    if claimed == 0 {
        return Ok(0);
    }
    for (i, w) in &shown {
        let event = Event::new(
            EventType::DigestWeekly,
            Some(i),
            format!("{}: the week of {week}", i.name),
            format!("/integrations/{}", i.slug),
            serde_json::json!({"week_of": week.to_string(), "summary": super::text::integration(w)}),
        )
        .once(format!("digest.weekly:{}:{week}", i.id));
        emit(&txn, event).await?;
    }
    let mut sent = 0;
    for reader in &readers {
        let mine: Vec<IntegrationWeek> = shown
            .iter()
            .filter(|(i, _)| {
                follows
                    .iter()
                    .any(|f| f.user_id == reader.id && f.integration_id == i.id)
            })
            .map(|(_, w)| w.clone())
            .collect();
        if mine.is_empty() {
            continue;
        }
        let digest = WeeklyDigest {
            from,
            until,
            week_of: Some(week),
            integrations: mine,
        };
        let title = format!("Your weekly digest: the week of {week}");
        crate::notifications::service::notify(
            &txn,
            vec![reader.id],
            &Message {
                kind: Kind::WeeklyDigest,
                integration_id: None,
                title: &title,
                body: &super::text::digest(&digest),
                link: "/digest",
            },
        )
        .await?;
        sent += 1;
    }
    txn.commit().await?;
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_week_due_is_last_week_from_monday_at_eight() {
        let last = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let before = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(due_week(at("2026-12-07T08:00:00Z")), last);
        assert_eq!(due_week(at("2026-12-13T23:59:59Z")), last);
        assert_eq!(due_week(at("2026-12-07T07:59:59Z")), before);
        assert_eq!(due_week(at("2026-12-06T12:00:00Z")), before);
        assert_eq!(
            monday_of(NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()),
            last
        );
    }

    #[test]
    fn risks_are_read_a_line_each_without_bullets_or_headings() {
        let section = "## Risks\n\n- Rate limits at peak\n* 3DS flow changes\n2. Vendor lock-in\n\nPlain line\n-\n";
        assert_eq!(
            risk_lines(section),
            [
                "Rate limits at peak",
                "3DS flow changes",
                "Vendor lock-in",
                "Plain line"
            ]
        );
    }
}
