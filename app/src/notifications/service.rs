//! (ssr) Sending and reading notifications, and each user's choice of the kinds they get on
//! each channel. Each user sees only their own.
//!
//! Rules kept here:
//! - until someone chooses, their role's defaults hold ([`default_on`]): everything in
//!   Tollgate; by email, what their role acts on at once;
//! - the email channel exists only while SMTP is configured (`mail::service::channel`):
//!   otherwise nothing is emailed and no email choice is offered;
//! - an email's one-click unsubscribe turns off that kind's email for its reader, and nothing
//!   else.

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Select, TransactionSession, TransactionTrait,
};

use super::channels;
use super::model::{Channel, Inbox, Kind, Message, Notification, Preferences};
use crate::auth::model::{CurrentUser, Role};
use crate::entities::{notification_preferences, notifications, users};
use crate::error::{AppError, Result};

/// How many notifications a page of the inbox lists.
pub const PER_PAGE: u64 = 25;

/// Whether someone of `role` gets `kind` on `channel` until they choose: everything in
/// Tollgate (where it reaches them: progress goes to an integration's owner and followers);
/// by email, what the role acts on: outages, breaking changes and rotations for engineers,
/// sign-offs for QA, progress and the weekly digest for stakeholders, plans, overdue work and
/// findings for coordinators, and so on.
pub fn default_on(role: Role, channel: Channel, kind: Kind) -> bool {
    use Kind::{
        AuditFindingOpened, CertificateExpiring, CredentialRotationDue, EnvironmentDown,
        ErrorRegression, GateOverridden, IncidentOpened, IncidentResolved, MilestoneOverdue,
        PlanApproved, PlanSubmitted, SignoffSuperseded, SpecBreaking, StageChanged,
        WebhookDisabled, WeeklyDigest,
    };
    match channel {
        Channel::InApp => true,
        Channel::Email => match role {
            Role::Engineer => matches!(
                kind,
                EnvironmentDown
                    | IncidentOpened
                    | CertificateExpiring
                    | ErrorRegression
                    | SpecBreaking
                    | CredentialRotationDue
            ),
            Role::Qa => matches!(kind, IncidentOpened | ErrorRegression | SignoffSuperseded),
            Role::Stakeholder => matches!(
                kind,
                IncidentOpened | IncidentResolved | StageChanged | PlanApproved | WeeklyDigest
            ),
            Role::Coordinator => matches!(
                kind,
                IncidentOpened
                    | IncidentResolved
                    | SpecBreaking
                    | WebhookDisabled
                    | PlanSubmitted
                    | MilestoneOverdue
                    | AuditFindingOpened
                    | WeeklyDigest
            ),
            Role::Admin => matches!(kind, CertificateExpiring | WebhookDisabled | GateOverridden),
        },
    }
}

/// Whether `user` gets `kind` on `channel`: their choice among `chosen`, else the default.
fn wants(
    chosen: &[notification_preferences::Model],
    user: i32,
    role: Role,
    channel: Channel,
    kind: Kind,
) -> bool {
    chosen
        .iter()
        .find(|p| p.user_id == user && p.channel == channel && p.kind == kind)
        .map_or_else(|| default_on(role, channel, kind), |p| p.enabled)
}

/// Whether `user`'s email of `kind` waits for the daily digest (their choice; at once until
/// they choose).
fn daily(chosen: &[notification_preferences::Model], user: i32, kind: Kind) -> bool {
    chosen
        .iter()
        .any(|p| p.user_id == user && p.channel == Channel::Email && p.kind == kind && p.daily)
}

/// The channels of this instance: email only while it is on.
async fn channels_on(db: &impl ConnectionTrait) -> Result<Vec<Channel>> {
    let email = crate::mail::service::channel(db).await?.is_some();
    Ok(Channel::ALL
        .iter()
        .copied()
        .filter(|c| *c != Channel::Email || email)
        .collect())
}

/// Sends `message` to each of `user_ids` once (duplicates and deactivated people dropped),
/// on every channel where they get its kind.
///
/// # Errors
/// Database failures.
pub async fn notify(
    db: &impl ConnectionTrait,
    user_ids: Vec<i32>,
    message: &Message<'_>,
) -> Result<()> {
    notify_all(db, &[(user_ids, message)]).await
}

/// Sends each message to its people, as [`notify`] does, with one read of the people, their
/// choices and the email channel for the lot, and one write per channel: what a worker
/// handing on many events at once calls.
///
/// # Errors
/// Database failures.
pub async fn notify_all(
    db: &impl ConnectionTrait,
    notices: &[(Vec<i32>, &Message<'_>)],
) -> Result<()> {
    let mut everyone: Vec<i32> = notices.iter().flat_map(|(to, _)| to.clone()).collect();
    everyone.sort_unstable();
    everyone.dedup();
    if everyone.is_empty() {
        return Ok(());
    }
    let mut kinds: Vec<Kind> = notices.iter().map(|(_, m)| m.kind).collect();
    kinds.sort_unstable_by_key(|k| k.as_str());
    kinds.dedup();
    let people = users::Entity::find()
        .filter(users::Column::Id.is_in(everyone.clone()))
        .filter(users::Column::Active.eq(true))
        .all(db)
        .await?;
    let chosen = notification_preferences::Entity::find()
        .filter(notification_preferences::Column::Kind.is_in(kinds))
        .filter(notification_preferences::Column::UserId.is_in(everyone))
        .all(db)
        .await?;
    let mail = crate::mail::service::channel(db).await?;
    for channel in Channel::ALL {
        let batch: Vec<(Vec<channels::Recipient>, &Message)> = notices
            .iter()
            .map(|(to, message)| {
                let to = people
                    .iter()
                    .filter(|u| to.contains(&u.id))
                    .filter(|u| wants(&chosen, u.id, u.role, *channel, message.kind))
                    .map(|user| channels::Recipient {
                        user,
                        daily: daily(&chosen, user.id, message.kind),
                    })
                    .collect();
                (to, *message)
            })
            .collect();
        channels::deliver(db, *channel, &batch, mail.as_ref()).await?;
    }
    Ok(())
}

/// The kinds `user` gets on each channel of this instance, and those whose email waits for
/// the daily digest.
///
/// # Errors
/// Database failures.
pub async fn preferences(db: &impl ConnectionTrait, user: &CurrentUser) -> Result<Preferences> {
    let chosen = notification_preferences::Entity::find()
        .filter(notification_preferences::Column::UserId.eq(user.id))
        .all(db)
        .await?;
    let on_here = channels_on(db).await?;
    let daily_kinds = if on_here.contains(&Channel::Email) {
        Kind::ALL
            .iter()
            .copied()
            .filter(|k| daily(&chosen, user.id, *k))
            .collect()
    } else {
        Vec::new()
    };
    Ok(Preferences {
        daily: daily_kinds,
        channels: on_here
            .into_iter()
            .map(|c| {
                let on = Kind::ALL
                    .iter()
                    .copied()
                    .filter(|k| wants(&chosen, user.id, user.role, c, *k))
                    .collect();
                (c, on)
            })
            .collect(),
    })
}

/// The kinds named in `names` (stored names), or a message on `field`.
fn kinds_of(field: &str, names: &[String]) -> Result<Vec<Kind>> {
    names
        .iter()
        .map(|k| {
            Kind::parse(k.trim())
                .ok_or_else(|| AppError::field(field, format!("Choose from: {}.", Kind::names())))
        })
        .collect()
}

/// Sets what `user` gets: on each channel given (`in_app`, `email`; none leaves that channel
/// as it stands) exactly the kinds named (stored names), and of the email kinds those
/// gathered into the daily digest to `daily`. One transaction: all or nothing.
///
/// # Errors
/// `Validation` on a field naming an unknown kind, on `email` while this instance sends no
/// email, or on `daily` without `email`.
pub async fn set_preferences(
    db: &(impl ConnectionTrait + TransactionTrait),
    user: &CurrentUser,
    in_app: Option<&[String]>,
    email: Option<&[String]>,
    daily: &[String],
) -> Result<()> {
    let on_here = channels_on(db).await?;
    if email.is_some() && !on_here.contains(&Channel::Email) {
        return Err(AppError::field(
            "email",
            "This Tollgate sends no email: SMTP is not configured.",
        ));
    }
    let daily = kinds_of("daily", daily)?;
    if !daily.is_empty() && email.is_none() {
        return Err(AppError::field(
            "daily",
            "Only email can be gathered into a daily digest.",
        ));
    }
    let mut chosen = Vec::new();
    for (channel, names) in [(Channel::InApp, in_app), (Channel::Email, email)] {
        if let Some(names) = names {
            chosen.push((channel, kinds_of(channel.as_str(), names)?));
        }
    }
    let txn = db.begin().await?;
    for (channel, on) in chosen {
        notification_preferences::Entity::delete_many()
            .filter(notification_preferences::Column::UserId.eq(user.id))
            .filter(notification_preferences::Column::Channel.eq(channel))
            .exec(&txn)
            .await?;
        let rows: Vec<_> = Kind::ALL
            .iter()
            .map(|k| notification_preferences::ActiveModel {
                user_id: Set(user.id),
                kind: Set(*k),
                channel: Set(channel),
                enabled: Set(on.contains(k)),
                daily: Set(channel == Channel::Email && daily.contains(k)),
            })
            .collect();
        notification_preferences::Entity::insert_many(rows)
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// How many of `user`'s notifications are unread.
///
/// # Errors
/// Database failures.
pub async fn unread(db: &impl ConnectionTrait, user: &CurrentUser) -> Result<u64> {
    Ok(unread_of(user.id).count(db).await?)
}

/// The unread notifications of account `user` (an id, or a column holding one), as [`unread`]
/// counts them.
pub fn unread_of(user: impl Into<sea_orm::sea_query::Expr>) -> Select<notifications::Entity> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    notifications::Entity::find()
        .filter(Expr::col((notifications::Entity, notifications::Column::UserId)).eq(user))
        .filter(notifications::Column::ReadAt.is_null())
}

/// Page `page` of `user`'s notifications, newest first, and the unread count.
///
/// # Errors
/// `Validation` on `page`; database failures.
pub async fn inbox(db: &impl ConnectionTrait, user: &CurrentUser, page: &str) -> Result<Inbox> {
    let page = crate::paging::page_number(Some(page))?;
    let select = notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(user.id))
        .order_by_desc(notifications::Column::Id);
    let list = crate::paging::fetch(db, select, PER_PAGE, page)
        .await?
        .map(|n| Notification {
            id: n.id,
            title: n.title,
            body: n.body,
            link: n.link,
            created_at: n.created_at,
            read: n.read_at.is_some(),
        });
    Ok(Inbox {
        list,
        unread: unread(db, user).await?,
    })
}

/// Marks all of `user`'s notifications read.
///
/// # Errors
/// Database failures.
pub async fn mark_all_read(db: &impl ConnectionTrait, user: &CurrentUser) -> Result<()> {
    notifications::Entity::update_many()
        .col_expr(
            notifications::Column::ReadAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(notifications::Column::UserId.eq(user.id))
        .filter(notifications::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// What an email's unsubscribe stops: one kind's email, or (for a daily digest) the email of
/// every kind its reader gathers into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stops {
    Kind(Kind),
    DailyDigest,
}

impl Stops {
    /// In words, for the unsubscribe page.
    pub fn label(self) -> &'static str {
        match self {
            Stops::Kind(k) => k.label(),
            Stops::DailyDigest => "Your daily digest of emails",
        }
    }
}

/// What the email with unsubscribe token `token` would stop, and for whom: (user id, what),
/// or none for a token unknown or forgotten.
///
/// # Errors
/// Database failures.
pub async fn unsubscribe_target(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<(i32, Stops)>> {
    Ok(crate::mail::service::by_token(db, token)
        .await?
        .map(|m| (m.user_id, m.kind.map_or(Stops::DailyDigest, Stops::Kind))))
}

/// Turns off, for the reader of the email with unsubscribe token `token`, the email of the
/// kind it told of, or for a daily digest every kind gathered into it (one click, no sign-in:
/// the token is the proof). Returns what it stopped, or none for a token unknown or forgotten.
///
/// # Errors
/// Database failures.
pub async fn unsubscribe(db: &impl ConnectionTrait, token: &str) -> Result<Option<Stops>> {
    use sea_orm::sea_query::OnConflict;
    let Some((user_id, stops)) = unsubscribe_target(db, token).await? else {
        return Ok(None);
    };
    let kinds: Vec<Kind> = match stops {
        Stops::Kind(k) => vec![k],
        Stops::DailyDigest => notification_preferences::Entity::find()
            .filter(notification_preferences::Column::UserId.eq(user_id))
            .filter(notification_preferences::Column::Channel.eq(Channel::Email))
            .filter(notification_preferences::Column::Daily.eq(true))
            .all(db)
            .await?
            .into_iter()
            .map(|p| p.kind)
            .collect(),
    };
    for kind in kinds {
        notification_preferences::Entity::insert(notification_preferences::ActiveModel {
            user_id: Set(user_id),
            kind: Set(kind),
            channel: Set(Channel::Email),
            enabled: Set(false),
            daily: Set(false),
        })
        .on_conflict(
            OnConflict::columns([
                notification_preferences::Column::UserId,
                notification_preferences::Column::Kind,
                notification_preferences::Column::Channel,
            ])
            .update_columns([
                notification_preferences::Column::Enabled,
                notification_preferences::Column::Daily,
            ])
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    }
    Ok(Some(stops))
}
