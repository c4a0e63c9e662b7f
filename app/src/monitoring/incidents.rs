//! (ssr) Incidents. The monitor opens one when an environment goes down (critical for
//! production, minor elsewhere) unless one is already open for it or a maintenance window is,
//! and resolves it on recovery with its duration; both are on the timeline, in the trail (with
//! no person as the actor) and notified. People open incidents by hand and move them through
//! investigating, identified, monitoring and resolved, with notes, a provider ticket, the root
//! cause and a post-mortem.

use crate::auth::access::Action;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    TransactionSession, TransactionTrait,
};
use serde_json::json;

use super::model::{Incident, IncidentForm, IncidentSeverity, IncidentStatus, IncidentUpdateForm};
use crate::activity::service::{self as activity, NewActivity, child_id, record};
use crate::auth::model::CurrentUser;
use crate::entities::{environments, heartbeats, incident_updates, incidents, integrations, users};
use crate::error::Result;
use crate::error::{AppError, FieldErrors};
use crate::implementation::model::EnvironmentKind;
use crate::integrations::lookup::integration_by_id;
use crate::notifications::model::Kind;
use crate::notifications::model::Message;
use crate::notifications::service::notify;
use crate::outbox::EventType;
use crate::outbox::service::{Event, emit};
use crate::records;
use crate::validate::{optional, optional_id, required};

/// The severity of an automatic incident on `env`.
pub fn severity_of(env: &environments::Model) -> IncidentSeverity {
    if env.kind == EnvironmentKind::Production {
        IncidentSeverity::Critical
    } else {
        IncidentSeverity::Minor
    }
}

async fn everyone(db: &impl ConnectionTrait) -> Result<Vec<i32>> {
    Ok(users::Entity::find()
        .filter(users::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect())
}

async fn add_update(
    db: &impl ConnectionTrait,
    incident_id: i32,
    status: IncidentStatus,
    note: String,
    author_id: Option<i32>,
    at: DateTime<Utc>,
) -> Result<()> {
    incident_updates::ActiveModel {
        incident_id: Set(incident_id),
        status: Set(status),
        note: Set(note),
        author_id: Set(author_id),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Emits `event_type` for incident `m` of `i` (on environment `environment`, if any), titled
/// `title`, `summary` saying what happened.
async fn tell(
    txn: &impl ConnectionTrait,
    event_type: EventType,
    i: &integrations::Model,
    (m, environment): (&incidents::Model, Option<&str>),
    title: &str,
    summary: &str,
) -> Result<()> {
    emit(
        txn,
        Event::new(
            event_type,
            Some(i),
            title,
            format!("/incidents/{}", m.id),
            json!({"incident_id": m.id, "environment": environment, "summary": summary}),
        ),
    )
    .await?;
    Ok(())
}

/// Records what the monitor did to incident `m` of `i` on `env` in the trail (with no person
/// as the actor) and tells everyone, and the outside world as `event_type`.
async fn announce(
    txn: &impl ConnectionTrait,
    (kind, event_type): (Kind, EventType),
    i: &integrations::Model,
    (m, env): (&incidents::Model, &environments::Model),
    (action, before, after): (&str, Option<serde_json::Value>, serde_json::Value),
    title: &str,
    body: &str,
) -> Result<()> {
    let id = m.id;
    tell(
        txn,
        event_type,
        i,
        (m, Some(env.name.as_str())),
        title,
        body,
    )
    .await?;
    record(
        txn,
        NewActivity {
            actor_id: None,
            action,
            entity_kind: "incident",
            entity_id: child_id(i.id, id),
            before,
            after: Some(after),
        },
    )
    .await?;
    notify(
        txn,
        everyone(txn).await?,
        &Message {
            kind,
            integration_id: Some(i.id),
            title,
            body,
            link: &format!("/integrations/{}/health", i.slug),
        },
    )
    .await
}

/// The automatic incidents open on environment `env_id`: its checks' (`heartbeat` none) or
/// heartbeat monitor `heartbeat`'s.
fn open_automatic(env_id: i32, heartbeat: Option<i32>) -> sea_orm::Select<incidents::Entity> {
    let q = incidents::Entity::find()
        .filter(incidents::Column::EnvironmentId.eq(env_id))
        .filter(incidents::Column::Automatic.eq(true))
        .filter(incidents::Column::Status.ne(IncidentStatus::Resolved));
    match heartbeat {
        Some(id) => q.filter(incidents::Column::HeartbeatId.eq(id)),
        None => q.filter(incidents::Column::HeartbeatId.is_null()),
    }
}

/// Tells everyone that `env` went down (`up` false, the last check saying `why`) or came
/// back; nothing during a maintenance window.
///
/// # Errors
/// Database failures.
pub async fn state_changed(
    txn: &impl ConnectionTrait,
    env: &environments::Model,
    up: bool,
    why: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    if super::windows::in_window(txn, env.id, at).await? {
        return Ok(());
    }
    let Some(i) = integrations::Entity::find_by_id(env.integration_id)
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    let (kind, event_type, title) = if up {
        (
            Kind::EnvironmentUp,
            EventType::ProbeRecovered,
            format!("{}: {} is back up", i.name, env.name),
        )
    } else {
        (
            Kind::EnvironmentDown,
            EventType::ProbeDown,
            format!("{}: {} is down", i.name, env.name),
        )
    };
    emit(
        txn,
        Event::new(
            event_type,
            Some(&i),
            &title,
            format!("/integrations/{}/health", i.slug),
            json!({"environment": env.name, "reason": why}),
        ),
    )
    .await?;
    notify(
        txn,
        everyone(txn).await?,
        &Message {
            kind,
            integration_id: Some(i.id),
            title: &title,
            body: why,
            link: &format!("/integrations/{}/health", i.slug),
        },
    )
    .await
}

/// Tells everyone that `env`'s certificate expires at `expires`, within `days` days.
///
/// # Errors
/// Database failures.
pub async fn certificate_expiring(
    txn: &impl ConnectionTrait,
    env: &environments::Model,
    days: i32,
    expires: DateTime<Utc>,
) -> Result<()> {
    let Some(i) = integrations::Entity::find_by_id(env.integration_id)
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    let title = format!(
        "{}: {}'s TLS certificate expires within {days} days",
        i.name, env.name
    );
    let link = format!("/integrations/{}/health", i.slug);
    emit(
        txn,
        Event::new(
            EventType::CertificateExpiring,
            Some(&i),
            &title,
            &link,
            json!({"environment": env.name, "expires_at": expires.to_rfc3339(), "days": days}),
        ),
    )
    .await?;
    notify(
        txn,
        everyone(txn).await?,
        &Message {
            kind: Kind::CertificateExpiring,
            integration_id: Some(i.id),
            title: &title,
            body: &format!("It expires on {}.", expires.format("%Y-%m-%d %H:%M UTC")),
            link: &link,
        },
    )
    .await
}

/// Whether environment `env` has an automatic incident open.
///
/// # Errors
/// Database failures.
pub async fn has_open_automatic(db: &impl ConnectionTrait, env: i32) -> Result<bool> {
    Ok(open_automatic(env, None).one(db).await?.is_some())
}

/// `env` went down at `at` after `failures` failed checks, the last saying `why`. Call in a
/// transaction from `activity::begin`.
///
/// # Errors
/// Database failures.
pub async fn went_down(
    txn: &impl ConnectionTrait,
    env: &environments::Model,
    failures: i32,
    why: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let opened = Opened {
        heartbeat: None,
        title: format!("{} is down", env.name),
        note: format!("Opened by the monitor after {failures} failed checks: {why}"),
        announced: format!("incident opened, {} is down", env.name),
    };
    open(txn, env, opened, why, at).await
}

/// `env` answered again at `at`: its automatic incidents are resolved. Call in a transaction
/// from `activity::begin`.
///
/// # Errors
/// Database failures.
pub async fn came_back(
    txn: &impl ConnectionTrait,
    env: &environments::Model,
    at: DateTime<Utc>,
) -> Result<()> {
    let subject = env.name.clone();
    let back = format!("{subject} is back up");
    resolve(
        txn,
        env,
        (None, &subject, &back),
        &format!("{subject} answered again"),
        at,
    )
    .await
}

/// Heartbeat monitor `hb` of `env` missed a run or reported a failure at `at` (`why` says
/// which): the same path as an environment going down, one incident per monitor. Call in a
/// transaction from `activity::begin`.
///
/// # Errors
/// Database failures.
pub async fn heartbeat_down(
    txn: &impl ConnectionTrait,
    env: &environments::Model,
    hb: &heartbeats::Model,
    why: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let opened = Opened {
        heartbeat: Some(hb.id),
        title: format!("{} ({}) is not running", hb.name, env.name),
        note: format!("Opened by the heartbeat monitor: {why}"),
        announced: format!("incident opened, {} ({}) is not running", hb.name, env.name),
    };
    open(txn, env, opened, why, at).await
}

/// Heartbeat monitor `hb` of `env` reported a good run at `at`: its open incident is
/// resolved. Call in a transaction from `activity::begin`.
///
/// # Errors
/// Database failures.
pub async fn heartbeat_back(
    txn: &impl ConnectionTrait,
    env: &environments::Model,
    hb: &heartbeats::Model,
    at: DateTime<Utc>,
) -> Result<()> {
    let subject = format!("{} ({})", hb.name, env.name);
    let back = format!("{subject} is running again");
    let what = format!("{subject} reported a good run");
    resolve(txn, env, (Some(hb.id), &subject, &back), &what, at).await
}

/// An automatic incident to open: about an environment's checks or heartbeat monitor
/// `heartbeat`, titled `title`, its first update `note`, announced as `announced`.
struct Opened {
    heartbeat: Option<i32>,
    title: String,
    note: String,
    announced: String,
}

/// Opens the automatic incident `o` on `env` at `at` (`why` it opened), unless one is open
/// for the same subject or a maintenance window is.
async fn open(
    txn: &impl ConnectionTrait,
    env: &environments::Model,
    o: Opened,
    why: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let Some(i) = integrations::Entity::find_by_id(env.integration_id)
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    if open_automatic(env.id, o.heartbeat)
        .one(txn)
        .await?
        .is_some()
        || super::windows::in_window(txn, env.id, at).await?
    {
        return Ok(());
    }
    let m = incidents::ActiveModel {
        integration_id: Set(i.id),
        environment_id: Set(Some(env.id)),
        heartbeat_id: Set(o.heartbeat),
        title: Set(o.title),
        severity: Set(severity_of(env)),
        status: Set(IncidentStatus::Open),
        automatic: Set(true),
        opened_at: Set(at),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    add_update(txn, m.id, IncidentStatus::Open, o.note, None, at).await?;
    announce(
        txn,
        (Kind::IncidentOpened, EventType::IncidentOpened),
        &i,
        (&m, env),
        ("create", None, json!({"title": m.title, "severity": m.severity, "status": m.status, "automatic": true})),
        &format!("{}: {}", i.name, o.announced),
        why,
    )
    .await
}

/// Resolves the automatic incidents open on `env` for `heartbeat` (none: its checks') at
/// `at`, because `what` happened: announced as `back`, `subject` having been down.
async fn resolve(
    txn: &impl ConnectionTrait,
    env: &environments::Model,
    (heartbeat, subject, back): (Option<i32>, &str, &str),
    what: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let Some(i) = integrations::Entity::find_by_id(env.integration_id)
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    for m in open_automatic(env.id, heartbeat).all(txn).await? {
        let minutes = (at - m.opened_at).num_minutes();
        let mut active: incidents::ActiveModel = m.clone().into();
        active.status = Set(IncidentStatus::Resolved);
        active.resolved_at = Set(Some(at));
        active.update(txn).await?;
        add_update(
            txn,
            m.id,
            IncidentStatus::Resolved,
            format!("Resolved by the monitor: {what} after {minutes} min."),
            None,
            at,
        )
        .await?;
        announce(
            txn,
            (Kind::IncidentResolved, EventType::IncidentResolved),
            &i,
            (&m, env),
            (
                "resolve",
                Some(json!({"status": m.status})),
                json!({"status": "resolved", "minutes": minutes}),
            ),
            &format!("{}: incident resolved, {back}", i.name),
            &format!("{subject} was down for {minutes} min."),
        )
        .await?;
    }
    Ok(())
}

crate::integration_record!(incidents, "incident", |m| { snapshot(m) });

fn snapshot(m: &incidents::Model) -> serde_json::Value {
    json!({
        "title": m.title,
        "severity": m.severity,
        "status": m.status,
        "ticket_ref": m.ticket_ref,
        "root_cause": m.root_cause,
        "postmortem": m.postmortem,
    })
}

/// Opens an incident on integration `integration_id` by hand.
///
/// # Errors
/// `Forbidden` (stakeholders and QA read incidents); `NotFound`; `Validation`.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &IncidentForm,
) -> Result<i32> {
    if !actor.can(Action::Build) {
        return Err(AppError::Forbidden);
    }
    let mut e = FieldErrors::default();
    let title = required(&mut e, "title", &form.title, "a title", 200);
    let severity = IncidentSeverity::parse(form.severity.trim());
    if severity.is_none() {
        e.add(
            "severity",
            format!("Choose one of: {}.", IncidentSeverity::names()),
        );
    }
    let note = optional(&mut e, "note", &form.note, 4000);
    let env_id = optional_id(&mut e, "environment_id", &form.environment_id);
    let env = match env_id {
        Some(id) => {
            let env = environments::Entity::find_by_id(id)
                .one(db)
                .await?
                .filter(|m| m.integration_id == integration_id);
            if env.is_none() {
                e.add(
                    "environment_id",
                    "Choose an environment of this integration.",
                );
            }
            env
        }
        None => None,
    };
    e.into_result()?;
    let txn = activity::begin(db).await?;
    let i = integration_by_id(&txn, integration_id).await?;
    let now = Utc::now();
    let incident = incidents::ActiveModel {
        integration_id: Set(i.id),
        environment_id: Set(env.as_ref().map(|e| e.id)),
        title: Set(title),
        severity: Set(severity.unwrap_or(IncidentSeverity::Minor)),
        status: Set(IncidentStatus::Open),
        automatic: Set(false),
        opened_at: Set(now),
        created_by: Set(Some(actor.id)),
        ..Default::default()
    };
    let m = records::insert::<incidents::Entity>(&txn, actor, incident).await?;
    let opened = if note.is_empty() {
        "Opened.".to_string()
    } else {
        note
    };
    add_update(
        &txn,
        m.id,
        IncidentStatus::Open,
        opened.clone(),
        Some(actor.id),
        now,
    )
    .await?;
    let title = format!("{}: incident opened, {}", i.name, m.title);
    tell(
        &txn,
        EventType::IncidentOpened,
        &i,
        (&m, env.as_ref().map(|e| e.name.as_str())),
        &title,
        &opened,
    )
    .await?;
    notify(
        &txn,
        everyone(&txn).await?,
        &Message {
            kind: Kind::IncidentOpened,
            integration_id: Some(i.id),
            title: &title,
            body: &opened,
            link: &format!("/incidents/{}", m.id),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m.id)
}

/// Updates incident `id`: a new status or a note goes on the timeline; the ticket reference,
/// root cause and post-mortem are set as given. Resolving records when; reopening clears it.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` (an unknown status, or nothing to record).
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    form: &IncidentUpdateForm,
) -> Result<()> {
    if !actor.can(Action::Build) {
        return Err(AppError::Forbidden);
    }
    let mut e = FieldErrors::default();
    let status = IncidentStatus::parse(form.status.trim());
    if status.is_none() {
        e.add(
            "status",
            format!("Choose one of: {}.", IncidentStatus::names()),
        );
    }
    let note = optional(&mut e, "note", &form.note, 4000);
    let ticket = optional(&mut e, "ticket_ref", &form.ticket_ref, 300);
    let root_cause = optional(&mut e, "root_cause", &form.root_cause, 4000);
    let postmortem = optional(&mut e, "postmortem", &form.postmortem, 20_000);
    e.into_result()?;
    let status = status.unwrap_or(IncidentStatus::Open);
    let txn = activity::begin(db).await?;
    let before = incidents::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let was = before.status;
    let some = |s: String| (!s.is_empty()).then_some(s);
    let now = Utc::now();
    let mut active: incidents::ActiveModel = before.clone().into();
    active.status = Set(status);
    active.ticket_ref = Set(some(ticket));
    active.root_cause = Set(some(root_cause));
    active.postmortem = Set(some(postmortem));
    if status == IncidentStatus::Resolved && was != IncidentStatus::Resolved {
        active.resolved_at = Set(Some(now));
    } else if status != IncidentStatus::Resolved {
        active.resolved_at = Set(None);
    }
    let after = records::save::<incidents::Entity>(&txn, actor, "update", &before, active).await?;
    if status != was || !note.is_empty() {
        let text = if note.is_empty() {
            format!("{} → {}.", was.label(), status.label())
        } else {
            note
        };
        add_update(&txn, id, status, text, Some(actor.id), now).await?;
    } else if snapshot(&before) == snapshot(&after) {
        return Err(AppError::field(
            "note",
            "Change the status, or write a note for the timeline.",
        ));
    }
    if status == IncidentStatus::Resolved && was != IncidentStatus::Resolved {
        let i = integration_by_id(&txn, after.integration_id).await?;
        let title = format!("{}: incident resolved, {}", i.name, after.title);
        let body = format!("Resolved by {}.", actor.name);
        let environment = match after.environment_id {
            Some(env) => environments::Entity::find_by_id(env)
                .one(&txn)
                .await?
                .map(|e| e.name),
            None => None,
        };
        tell(
            &txn,
            EventType::IncidentResolved,
            &i,
            (&after, environment.as_deref()),
            &title,
            &body,
        )
        .await?;
        notify(
            &txn,
            everyone(&txn).await?,
            &Message {
                kind: Kind::IncidentResolved,
                integration_id: Some(i.id),
                title: &title,
                body: &body,
                link: &format!("/incidents/{id}"),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Incident `id` with its timeline.
///
/// # Errors
/// `NotFound`.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Incident> {
    let m = incidents::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    super::service::to_incidents(db, vec![m])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}
