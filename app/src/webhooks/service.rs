//! (ssr) Webhook endpoints: adding, changing, rotating and removing them (admins and
//! coordinators), sending a test event, reading the attempts, and sending a delivery again.
//!
//! Rules kept here:
//! - the URL passes the outbound guard when saved (and again at every delivery, in `worker`);
//! - a secret is made by Tollgate and shown once; a rotation keeps the old one signing for an
//!   overlap, so receivers can switch without missing a delivery;
//! - every change is in the trail (never with the secret);
//! - a Slack-compatible endpoint's URL carries its token: it is the one field the leak guard
//!   lets hold one, and it is never shown back in full (pages, REST, trail), and a form that
//!   leaves it blank (or sends back the shown form) keeps it.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, TransactionSession, TransactionTrait,
};
use serde_json::json;

use super::model::{
    Attempt, DeliveryState, Endpoint, EndpointForm, EndpointFormat, EndpointList, EndpointView,
    EventType, NewSecret,
};
use super::signature::new_secret;
use crate::activity::service as activity;
use crate::auth::access::Action;
use crate::auth::model::CurrentUser;
use crate::entities::{
    integrations, outbox_events, webhook_attempts, webhook_deliveries, webhook_endpoints,
};
use crate::error::{AppError, FieldErrors, Result};
use crate::outbound::Guard;
use crate::outbox::service::{Event, row};
use crate::records::{self, Audited};
use crate::validate::{optional, required_url};

/// The trail's name for an endpoint.
pub const ENTITY_KIND: &str = "webhook_endpoint";
/// The most endpoints an instance keeps.
pub const MAX_ENDPOINTS: u64 = 50;
/// The most integrations one endpoint names.
pub const MAX_INTEGRATIONS: usize = 200;
/// How many attempts a page of an endpoint's log lists.
pub const ATTEMPTS_PER_PAGE: u64 = 25;
/// How long the secret before a rotation keeps signing, unless the rotation says.
pub const DEFAULT_OVERLAP_HOURS: i64 = 24;
/// The longest overlap a rotation may ask for: a week.
pub const MAX_OVERLAP_HOURS: i64 = 168;

/// An endpoint is filed under its own id; the trail never holds its secret.
impl Audited for webhook_endpoints::Entity {
    const KIND: &'static str = ENTITY_KIND;
    fn trail_id(m: &webhook_endpoints::Model) -> String {
        m.id.to_string()
    }
    fn snapshot(m: &webhook_endpoints::Model) -> serde_json::Value {
        json!({
            "url": shown_url(m),
            "format": m.format.as_str(),
            "description": m.description,
            "events": m.event_types,
            "integrations": m.integration_ids,
            "enabled": m.enabled,
            "secret_rotating_until": m.previous_until.map(|t| t.to_rfc3339()),
        })
    }
}

/// The event types stored for an endpoint (all when empty).
pub fn event_types(m: &webhook_endpoints::Model) -> Vec<EventType> {
    serde_json::from_str::<Vec<String>>(&m.event_types)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| EventType::parse(s))
        .collect()
}

/// The integration ids stored for an endpoint (all when empty).
pub fn integration_ids(m: &webhook_endpoints::Model) -> Vec<i32> {
    serde_json::from_str(&m.integration_ids).unwrap_or_default()
}

/// Whether endpoint `m` takes events of `event_type` about integration `integration`.
pub fn wants(
    m: &webhook_endpoints::Model,
    event_type: EventType,
    integration: Option<i32>,
) -> bool {
    if event_type == EventType::Test {
        return false;
    }
    let types = event_types(m);
    let ids = integration_ids(m);
    (types.is_empty() || types.contains(&event_type))
        && (ids.is_empty() || integration.is_some_and(|i| ids.contains(&i)))
}

/// The URL as it may be shown: a Slack-compatible one (a credential) as its scheme, host and
/// last four characters.
pub fn shown_url(m: &webhook_endpoints::Model) -> String {
    match m.format {
        EndpointFormat::Standard => m.url.clone(),
        EndpointFormat::Slack => {
            let host = reqwest::Url::parse(&m.url)
                .ok()
                .map(|u| {
                    let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
                    format!(
                        "{}://{}{port}",
                        u.scheme(),
                        u.host_str().unwrap_or_default()
                    )
                })
                .unwrap_or_default();
            let chars: Vec<char> = m.url.chars().collect();
            let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
            format!("{host}/…{tail}")
        }
    }
}

fn to_endpoint(m: webhook_endpoints::Model, slugs: &[(i32, String)]) -> Endpoint {
    let integrations = integration_ids(&m)
        .into_iter()
        .filter_map(|id| slugs.iter().find(|(i, _)| *i == id).map(|(_, s)| s.clone()))
        .collect();
    Endpoint {
        id: m.id,
        events: event_types(&m),
        integrations,
        url: shown_url(&m),
        format: m.format,
        description: m.description,
        enabled: m.enabled,
        disabled_reason: m.disabled_reason,
        failing_since: m.failing_since,
        previous_secret_until: m.previous_until.filter(|u| *u > Utc::now()),
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

async fn slugs(db: &impl ConnectionTrait) -> Result<Vec<(i32, String)>> {
    Ok(integrations::Entity::find()
        .order_by_asc(integrations::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i.slug))
        .collect())
}

/// The format `form` asks for: standard when blank; an added endpoint keeps its format.
fn format_of(
    e: &mut FieldErrors,
    form: &EndpointForm,
    stored: Option<&webhook_endpoints::Model>,
) -> EndpointFormat {
    let asked = form.format.trim();
    let parsed = if asked.is_empty() {
        stored.map_or(EndpointFormat::Standard, |m| m.format)
    } else if let Some(f) = EndpointFormat::parse(asked) {
        f
    } else {
        e.add(
            "format",
            format!("Choose one of: {}.", EndpointFormat::names()),
        );
        return EndpointFormat::Standard;
    };
    match stored {
        Some(m) if m.format != parsed => {
            e.add(
                "format",
                "An endpoint keeps the format it was added with; add another endpoint for the other.",
            );
            m.format
        }
        _ => parsed,
    }
}

/// The URL of `form` for an endpoint of `format`, checked; for a Slack-compatible endpoint
/// already saved (`stored`), blank or its shown form keeps the saved URL.
fn url_of(
    e: &mut FieldErrors,
    form: &EndpointForm,
    format: EndpointFormat,
    stored: Option<&webhook_endpoints::Model>,
) -> String {
    let typed = form.url.trim();
    let chat_only = || {
        crate::leak_guard::check(typed).is_some()
            && crate::leak_guard::check_allowing(typed, crate::leak_guard::CHAT_WEBHOOKS).is_none()
    };
    if format == EndpointFormat::Standard {
        if chat_only() {
            e.add(
                "url",
                "This is a chat service's incoming-webhook address, which carries its token: choose the Slack-compatible format, which keeps it as a credential.",
            );
            return String::new();
        }
        return required_url(e, "url", typed, "the address events are sent to");
    }
    if let Some(m) = stored.filter(|m| typed.is_empty() || typed == shown_url(m)) {
        return m.url.clone();
    }
    if typed.is_empty() {
        e.add(
            "url",
            "Enter the incoming-webhook address the chat service gave you.",
        );
    } else if typed.chars().count() > 2000 {
        e.add("url", "Use an address of at most 2,000 characters.");
    } else if !(typed.starts_with("https://") || typed.starts_with("http://"))
        || typed.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        e.add(
            "url",
            "Enter a web address starting with https:// or http://.",
        );
    } else if let Some(f) =
        crate::leak_guard::check_allowing(typed, crate::leak_guard::CHAT_WEBHOOKS)
    {
        e.add("url", f.message());
    }
    typed.to_string()
}

/// What a checked form gives: (format, url, description, event types as stored, integration
/// ids as stored).
type Checked = (EndpointFormat, String, String, String, String);

/// The fields of `form`, checked, for a new endpoint or over `stored`.
async fn checked(
    db: &impl ConnectionTrait,
    guard: &Guard,
    form: &EndpointForm,
    stored: Option<&webhook_endpoints::Model>,
) -> Result<Checked> {
    let mut e = FieldErrors::default();
    let format = format_of(&mut e, form, stored);
    let url = url_of(&mut e, form, format, stored);
    if url.len() > 2000 && e.get("url").is_none() {
        e.add("url", "Use an address of at most 2,000 characters.");
    }
    let description = optional(&mut e, "description", &form.description, 200);
    let mut types = Vec::new();
    for name in &form.events {
        match EventType::parse(name) {
            Some(EventType::Test) | None => {
                e.add(
                    "events",
                    format!(
                        "Unknown event type {:?}. Choose from the catalogue: {}.",
                        name.chars().take(60).collect::<String>(),
                        EventType::ALL
                            .iter()
                            .filter(|t| **t != EventType::Test)
                            .map(|t| t.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                break;
            }
            Some(t) if !types.contains(&t.as_str()) => types.push(t.as_str()),
            Some(_) => {}
        }
    }
    let mut ids = Vec::new();
    if form.integrations.len() > MAX_INTEGRATIONS {
        e.add(
            "integrations",
            format!("Name at most {MAX_INTEGRATIONS} integrations, or none for all."),
        );
    } else {
        let known = slugs(db).await?;
        for slug in &form.integrations {
            match known.iter().find(|(_, s)| s == slug.trim()) {
                Some((id, _)) if !ids.contains(id) => ids.push(*id),
                Some(_) => {}
                None => {
                    e.add(
                        "integrations",
                        format!(
                            "There is no integration {:?}; give the slugs of existing integrations.",
                            slug.chars().take(60).collect::<String>()
                        ),
                    );
                    break;
                }
            }
        }
    }
    e.into_result()?;
    let parsed = reqwest::Url::parse(&url).map_err(|_| {
        AppError::field(
            "url",
            "Enter a full address, such as https://example.com/hooks/tollgate.",
        )
    })?;
    guard.check("url", &parsed).await?;
    Ok((
        format,
        url,
        description,
        serde_json::to_string(&types).unwrap_or_else(|_| "[]".into()),
        serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into()),
    ))
}

/// Every endpoint, oldest first, for `actor` (admins and coordinators).
///
/// # Errors
/// `Forbidden` for other roles.
pub async fn list(db: &impl ConnectionTrait, actor: &CurrentUser) -> Result<EndpointList> {
    actor.may(Action::ManageWebhooks)?;
    let all = integrations::Entity::find()
        .order_by_asc(integrations::Column::Name)
        .all(db)
        .await?;
    let slugs: Vec<(i32, String)> = all.iter().map(|i| (i.id, i.slug.clone())).collect();
    let endpoints = webhook_endpoints::Entity::find()
        .order_by_asc(webhook_endpoints::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| to_endpoint(m, &slugs))
        .collect();
    Ok(EndpointList {
        endpoints,
        integrations: all.into_iter().map(|i| (i.slug, i.name)).collect(),
    })
}

/// Endpoint `id`.
///
/// # Errors
/// `Forbidden` for roles that do not manage webhooks; `NotFound`.
pub async fn get(db: &impl ConnectionTrait, actor: &CurrentUser, id: i32) -> Result<Endpoint> {
    actor.may(Action::ManageWebhooks)?;
    let m = records::find::<webhook_endpoints::Entity>(db, id).await?;
    Ok(to_endpoint(m, &slugs(db).await?))
}

/// Endpoint `id` with page `page` of its attempts, newest first.
///
/// # Errors
/// As [`get`]; `Validation` on `page`.
pub async fn view(
    db: &impl ConnectionTrait,
    actor: &CurrentUser,
    id: i32,
    page: &str,
) -> Result<EndpointView> {
    let endpoint = get(db, actor, id).await?;
    let page = crate::paging::page_number(Some(page))?;
    let integrations = integrations::Entity::find()
        .order_by_asc(integrations::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.slug, i.name))
        .collect();
    Ok(EndpointView {
        endpoint,
        attempts: attempts(db, id, page).await?,
        integrations,
    })
}

/// Page `page` of endpoint `id`'s attempts, newest first, with their events and deliveries.
///
/// # Errors
/// Database failures.
pub async fn attempts(
    db: &impl ConnectionTrait,
    id: i32,
    page: u64,
) -> Result<crate::paging::Paged<Attempt>> {
    let select = webhook_attempts::Entity::find()
        .filter(webhook_attempts::Column::EndpointId.eq(id))
        .order_by_desc(webhook_attempts::Column::Id);
    let paged = crate::paging::fetch(db, select, ATTEMPTS_PER_PAGE, page).await?;
    let deliveries = webhook_deliveries::Entity::find()
        .filter(
            webhook_deliveries::Column::Id.is_in(
                paged
                    .items
                    .iter()
                    .map(|a| a.delivery_id)
                    .collect::<Vec<_>>(),
            ),
        )
        .all(db)
        .await?;
    let events = outbox_events::Entity::find()
        .filter(
            outbox_events::Column::Id
                .is_in(deliveries.iter().map(|d| d.event_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?;
    Ok(paged.map(|a| {
        let delivery = deliveries.iter().find(|d| d.id == a.delivery_id);
        let event = delivery.and_then(|d| events.iter().find(|e| e.id == d.event_id));
        Attempt {
            id: a.id,
            delivery_id: a.delivery_id,
            event_type: event.map_or(EventType::Test, |e| e.event_type),
            event_id: event.map(|e| e.uid.clone()).unwrap_or_default(),
            attempted_at: a.attempted_at,
            status_code: a.status_code,
            latency_ms: a.latency_ms,
            response_body: a.response_body,
            error: a.error,
            by_hand: a.by_hand,
            delivery_state: delivery.map_or(DeliveryState::Failed, |d| d.state),
        }
    }))
}

/// Adds an endpoint; its secret is in the answer only.
///
/// # Errors
/// `Forbidden`; `Validation` naming the field; `Conflict` at [`MAX_ENDPOINTS`].
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    guard: &Guard,
    form: &EndpointForm,
) -> Result<NewSecret> {
    actor.may(Action::ManageWebhooks)?;
    let (format, url, description, events, ids) = checked(db, guard, form, None).await?;
    let txn = activity::begin(db).await?;
    if webhook_endpoints::Entity::find().count(&txn).await? >= MAX_ENDPOINTS {
        return Err(AppError::Conflict(format!(
            "This instance has {MAX_ENDPOINTS} endpoints, the most it keeps; remove one first."
        )));
    }
    let secret = new_secret();
    let now = Utc::now();
    let m = records::insert::<webhook_endpoints::Entity>(
        &txn,
        actor,
        webhook_endpoints::ActiveModel {
            url: Set(url),
            format: Set(format),
            description: Set(description),
            event_types: Set(events),
            integration_ids: Set(ids),
            enabled: Set(form.enabled),
            secret: Set(secret.clone()),
            previous_secret: Set(None),
            previous_until: Set(None),
            failing_since: Set(None),
            disabled_reason: Set(None),
            created_by: Set(actor.id),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        },
    )
    .await?;
    let endpoint = to_endpoint(m, &slugs(&txn).await?);
    txn.commit().await?;
    // A Slack-compatible endpoint is not signed: its secret is never used or shown.
    let secret = (format == EndpointFormat::Standard).then_some(secret);
    Ok(NewSecret { endpoint, secret })
}

/// Saves `form` over endpoint `id`. Enabling it clears why Tollgate disabled it.
///
/// # Errors
/// As [`create`]; `NotFound`.
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    guard: &Guard,
    id: i32,
    form: &EndpointForm,
) -> Result<()> {
    actor.may(Action::ManageWebhooks)?;
    let stored = records::find::<webhook_endpoints::Entity>(db, id).await?;
    let (_, url, description, events, ids) = checked(db, guard, form, Some(&stored)).await?;
    let txn = activity::begin(db).await?;
    let before = records::find::<webhook_endpoints::Entity>(&txn, id).await?;
    let mut a = before.clone().into_active_model();
    a.url = Set(url);
    a.description = Set(description);
    a.event_types = Set(events);
    a.integration_ids = Set(ids);
    if form.enabled && !before.enabled {
        a.disabled_reason = Set(None);
        a.failing_since = Set(None);
    }
    a.enabled = Set(form.enabled);
    a.updated_at = Set(Utc::now());
    records::save::<webhook_endpoints::Entity>(&txn, actor, "update", &before, a).await?;
    txn.commit().await?;
    Ok(())
}

/// Removes endpoint `id` with its deliveries and their log.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn delete(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    records::delete::<webhook_endpoints::Entity>(db, actor, Action::ManageWebhooks, id).await
}

/// Gives endpoint `id` a new secret, shown in the answer only; the old one keeps signing for
/// `overlap_hours` (blank for [`DEFAULT_OVERLAP_HOURS`]; 0 ends it at once).
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` on `overlap_hours`.
pub async fn rotate(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    overlap_hours: &str,
) -> Result<NewSecret> {
    actor.may(Action::ManageWebhooks)?;
    let mut e = FieldErrors::default();
    let hours = crate::validate::whole(
        &mut e,
        "overlap_hours",
        overlap_hours,
        "the hours the old secret keeps signing",
        (0, MAX_OVERLAP_HOURS as i32),
        Some(DEFAULT_OVERLAP_HOURS as i32),
    );
    e.into_result()?;
    let txn = activity::begin(db).await?;
    let before = records::find::<webhook_endpoints::Entity>(&txn, id).await?;
    if before.format != EndpointFormat::Standard {
        return Err(AppError::Conflict(
            "A Slack-compatible endpoint is not signed: it has no secret to rotate.".into(),
        ));
    }
    let secret = new_secret();
    let now = Utc::now();
    let mut a = before.clone().into_active_model();
    let hours = i64::from(hours.unwrap_or_default());
    a.previous_secret = Set((hours > 0).then(|| before.secret.clone()));
    a.previous_until = Set((hours > 0).then(|| now + Duration::hours(hours)));
    a.secret = Set(secret.clone());
    a.updated_at = Set(now);
    let m = records::save::<webhook_endpoints::Entity>(&txn, actor, "rotate_secret", &before, a)
        .await?;
    let endpoint = to_endpoint(m, &slugs(&txn).await?);
    txn.commit().await?;
    Ok(NewSecret {
        endpoint,
        secret: Some(secret),
    })
}

/// Sends a `test` event to endpoint `id` now (enabled or not); the worker delivers it.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn send_test(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    actor.may(Action::ManageWebhooks)?;
    let txn = db.begin().await?;
    let endpoint = records::find::<webhook_endpoints::Entity>(&txn, id).await?;
    let mut event = row(Event::new(
        EventType::Test,
        None,
        format!("A test event from Tollgate for {}", shown_url(&endpoint)),
        format!("/settings/webhooks/{id}"),
        json!({"by": actor.name}),
    ))?;
    // Written as dispatched: it goes to this endpoint alone.
    event.dispatched_at = Set(Some(Utc::now()));
    let event = outbox_events::Entity::insert(event)
        .exec_with_returning(&txn)
        .await?;
    webhook_deliveries::Entity::insert(owed(id, event.id, Utc::now()))
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// A delivery of event `event_id` to endpoint `endpoint_id`, due at `now`.
pub fn owed(
    endpoint_id: i32,
    event_id: i32,
    now: chrono::DateTime<Utc>,
) -> webhook_deliveries::ActiveModel {
    webhook_deliveries::ActiveModel {
        endpoint_id: Set(endpoint_id),
        event_id: Set(event_id),
        state: Set(DeliveryState::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        lease_owner: Set(None),
        lease_until: Set(None),
        last_status: Set(None),
        last_error: Set(None),
        finished_at: Set(None),
        resend_by_hand: Set(false),
        created_at: Set(now),
        ..Default::default()
    }
}

/// Sends delivery `id` again now, whatever its state (one attempt; after it the delivery
/// stands as that attempt leaves it).
///
/// # Errors
/// `Forbidden`; `NotFound`; `Conflict` while an attempt at it is under way.
pub async fn retry(db: &impl ConnectionTrait, actor: &CurrentUser, id: i32) -> Result<()> {
    actor.may(Action::ManageWebhooks)?;
    let now = Utc::now();
    let d = webhook_deliveries::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if d.lease_until.is_some_and(|u| u > now) {
        return Err(AppError::Conflict(
            "An attempt at this delivery is under way; wait for it to finish.".into(),
        ));
    }
    let mut a = d.into_active_model();
    a.state = Set(DeliveryState::Pending);
    a.next_attempt_at = Set(now);
    a.finished_at = Set(None);
    a.resend_by_hand = Set(true);
    sea_orm::ActiveModelTrait::update(a, db).await?;
    Ok(())
}
