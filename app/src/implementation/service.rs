//! (ssr) Environments: validation, reads and audited writes. Engineers, coordinators and
//! admins edit; everyone signed in reads.

use crate::auth::access::Action;
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionSession, TransactionTrait,
};
use serde_json::json;

use super::model::{
    AuthScheme, Environment, EnvironmentForm, EnvironmentKind, EnvironmentsView, HealthCheck,
    HealthMethod, RateLimit, WebhookSignature,
};
use crate::activity::service as activity;
use crate::auth::model::CurrentUser;
use crate::entities::{environments, integrations};
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::lookup::{integration, integration_by_id, reference};
use crate::records::{self};
use crate::validate::{optional, optional_url, required, required_url, whole};

/// A validated form, ready to store.
struct Valid {
    name: String,
    kind: EnvironmentKind,
    base_url: String,
    auth_scheme: AuthScheme,
    timeout_ms: i32,
    retry_attempts: i32,
    retry_backoff_ms: i32,
    rate_limit: Option<RateLimit>,
    webhook_url: Option<String>,
    webhook_signature: WebhookSignature,
    health_check: Option<HealthCheck>,
}

fn choice<T: Copy>(
    e: &mut FieldErrors,
    field: &str,
    value: &str,
    parse: fn(&str) -> Option<T>,
    names: String,
    blank: Option<T>,
) -> Option<T> {
    if value.trim().is_empty() && blank.is_some() {
        return blank;
    }
    let parsed = parse(value);
    if parsed.is_none() {
        e.add(field, format!("Choose one of: {names}."));
    }
    parsed
}

fn validate(form: &EnvironmentForm) -> Result<Valid> {
    let mut e = FieldErrors::default();
    let name = required(&mut e, "name", &form.name, "a name, such as sandbox", 40);
    let kind = choice(
        &mut e,
        "kind",
        &form.kind,
        EnvironmentKind::parse,
        EnvironmentKind::names(),
        Some(EnvironmentKind::of_name(&form.name)),
    );
    let base_url = required_url(
        &mut e,
        "base_url",
        &form.base_url,
        "the base URL, such as https://api.stripe.com",
    );
    let auth_scheme = choice(
        &mut e,
        "auth_scheme",
        &form.auth_scheme,
        AuthScheme::parse,
        AuthScheme::names(),
        None,
    );
    let timeout_ms = whole(
        &mut e,
        "timeout_ms",
        &form.timeout_ms,
        "the timeout",
        (100, 120_000),
        Some(10_000),
    );
    let retry_attempts = whole(
        &mut e,
        "retry_attempts",
        &form.retry_attempts,
        "the retry attempts",
        (0, 10),
        Some(0),
    );
    let retry_backoff_ms = whole(
        &mut e,
        "retry_backoff_ms",
        &form.retry_backoff_ms,
        "the backoff",
        (0, 60_000),
        Some(500),
    );
    let rate_limit = match (
        form.rate_limit_requests.trim(),
        form.rate_limit_period_seconds.trim(),
    ) {
        ("", "") => None,
        (requests, period) => {
            let requests = whole(
                &mut e,
                "rate_limit_requests",
                requests,
                "the number of requests",
                (1, 1_000_000),
                None,
            );
            let period = whole(
                &mut e,
                "rate_limit_period_seconds",
                period,
                "the period in seconds",
                (1, 86_400),
                None,
            );
            requests
                .zip(period)
                .map(|(requests, period_seconds)| RateLimit {
                    requests,
                    period_seconds,
                })
        }
    };
    let webhook_url = optional_url(&mut e, "webhook_url", &form.webhook_url);
    let webhook_signature = choice(
        &mut e,
        "webhook_signature",
        &form.webhook_signature,
        WebhookSignature::parse,
        WebhookSignature::names(),
        Some(WebhookSignature::Unsigned),
    );
    let health_check = health_check(&mut e, form);
    e.into_result()?;
    Ok(Valid {
        kind: kind.unwrap_or(EnvironmentKind::Staging),
        name,
        base_url: base_url.trim_end_matches('/').to_string(),
        auth_scheme: auth_scheme.unwrap_or(AuthScheme::NoAuth),
        timeout_ms: timeout_ms.unwrap_or_default(),
        retry_attempts: retry_attempts.unwrap_or_default(),
        retry_backoff_ms: retry_backoff_ms.unwrap_or_default(),
        rate_limit,
        webhook_url: (!webhook_url.is_empty()).then_some(webhook_url),
        webhook_signature: webhook_signature.unwrap_or(WebhookSignature::Unsigned),
        health_check,
    })
}

/// The health check, when a path is given. Assertion fields without a path are an error
/// rather than silently dropped.
fn health_check(e: &mut FieldErrors, form: &EnvironmentForm) -> Option<HealthCheck> {
    let path = optional(e, "health_path", &form.health_path, 500);
    let keyword = optional(e, "health_keyword", &form.health_keyword, 200);
    let pointer = optional(e, "health_pointer", &form.health_pointer, 300);
    let pointer_value = optional(e, "health_pointer_value", &form.health_pointer_value, 300);
    if path.is_empty() {
        if !(keyword.is_empty() && pointer.is_empty() && pointer_value.is_empty()) {
            e.add(
                "health_path",
                "Enter the path to check, or clear the health-check assertion.",
            );
        }
        return None;
    }
    if !path.starts_with('/') || path.contains(char::is_whitespace) {
        e.add(
            "health_path",
            "Enter a path starting with /, such as /v1/health.",
        );
    }
    let method = choice(
        e,
        "health_method",
        &form.health_method,
        HealthMethod::parse,
        HealthMethod::names(),
        Some(HealthMethod::Get),
    );
    let expected_status = whole(
        e,
        "health_expected_status",
        &form.health_expected_status,
        "the expected status",
        (100, 599),
        Some(200),
    );
    let interval_seconds = whole(
        e,
        "health_interval_seconds",
        &form.health_interval_seconds,
        "the interval",
        (10, 86_400),
        Some(60),
    );
    let timeout_ms = whole(
        e,
        "health_timeout_ms",
        &form.health_timeout_ms,
        "the timeout",
        (100, 60_000),
        Some(5_000),
    );
    if !keyword.is_empty() && !pointer.is_empty() {
        e.add(
            "health_pointer",
            "Use one assertion: a keyword, or a JSON pointer with its value.",
        );
    }
    if !pointer.is_empty() && !pointer.starts_with('/') {
        e.add(
            "health_pointer",
            "Enter a JSON pointer starting with /, such as /status.",
        );
    }
    if !pointer.is_empty() && pointer_value.is_empty() {
        e.add(
            "health_pointer_value",
            "Enter the value the pointer must equal.",
        );
    }
    if pointer.is_empty() && !pointer_value.is_empty() {
        e.add(
            "health_pointer",
            "Enter the JSON pointer this value is for.",
        );
    }
    if let (Some(i), Some(t)) = (interval_seconds, timeout_ms)
        && i64::from(t) >= i64::from(i) * 1000
    {
        e.add(
            "health_timeout_ms",
            "The timeout must be shorter than the interval.",
        );
    }
    let some = |s: String| (!s.is_empty()).then_some(s);
    Some(HealthCheck {
        method: method.unwrap_or(HealthMethod::Get),
        path,
        expected_status: expected_status.unwrap_or(200),
        keyword: some(keyword),
        pointer: some(pointer),
        pointer_value: some(pointer_value),
        interval_seconds: interval_seconds.unwrap_or(60),
        timeout_ms: timeout_ms.unwrap_or(5_000),
    })
}

/// The first environment (by id) of `kind` of integration `integration_id`: what the gates
/// look for, whatever the environment is called.
///
/// # Errors
/// Database failures.
pub async fn environment_of_kind(
    db: &impl ConnectionTrait,
    integration_id: i32,
    kind: EnvironmentKind,
) -> Result<Option<environments::Model>> {
    Ok(environments::Entity::find()
        .filter(environments::Column::IntegrationId.eq(integration_id))
        .filter(environments::Column::Kind.eq(kind))
        .order_by_asc(environments::Column::Id)
        .one(db)
        .await?)
}

/// The health check stored on environment `m`, if it has one (GET unless it names a method).
///
/// # Errors
/// `Internal` when the stored method is not one.
pub fn health_check_of(m: &environments::Model) -> Result<Option<HealthCheck>> {
    let Some(path) = m.health_path.clone() else {
        return Ok(None);
    };
    let method = m.health_method.unwrap_or(HealthMethod::Get);
    Ok(Some(HealthCheck {
        method,
        path,
        expected_status: m.health_expected_status.unwrap_or(200),
        keyword: m.health_keyword.clone(),
        pointer: m.health_pointer.clone(),
        pointer_value: m.health_pointer_value.clone(),
        interval_seconds: m.health_interval_seconds.unwrap_or(60),
        timeout_ms: m.health_timeout_ms.unwrap_or(5_000),
    }))
}

fn to_environment(m: environments::Model, i: &integrations::Model) -> Result<Environment> {
    let health_check = health_check_of(&m)?;
    Ok(Environment {
        id: m.id,
        integration: reference(i),
        auth_scheme: m.auth_scheme,
        rate_limit: m.rate_limit_requests.zip(m.rate_limit_period_seconds).map(
            |(requests, period_seconds)| RateLimit {
                requests,
                period_seconds,
            },
        ),
        webhook_signature: m.webhook_signature,
        health_check,
        kind: m.kind,
        name: m.name,
        base_url: m.base_url,
        timeout_ms: m.timeout_ms,
        retry_attempts: m.retry_attempts,
        retry_backoff_ms: m.retry_backoff_ms,
        webhook_url: m.webhook_url,
        updated_at: m.updated_at,
        dsn: None,
    })
}

crate::integration_record!(environments, "environment", |m| {
    json!({
        "name": m.name, "kind": m.kind, "base_url": m.base_url, "auth_scheme": m.auth_scheme,
        "timeout_ms": m.timeout_ms, "retry_attempts": m.retry_attempts, "retry_backoff_ms": m.retry_backoff_ms,
        "rate_limit_requests": m.rate_limit_requests, "rate_limit_period_seconds": m.rate_limit_period_seconds,
        "webhook_url": m.webhook_url, "webhook_signature": m.webhook_signature,
        "health_method": m.health_method, "health_path": m.health_path, "health_expected_status": m.health_expected_status,
        "health_keyword": m.health_keyword, "health_pointer": m.health_pointer, "health_pointer_value": m.health_pointer_value,
        "health_interval_seconds": m.health_interval_seconds, "health_timeout_ms": m.health_timeout_ms,
    })
});

fn apply(active: &mut environments::ActiveModel, v: Valid) {
    let h = v.health_check;
    active.name = Set(v.name);
    active.kind = Set(v.kind);
    active.base_url = Set(v.base_url);
    active.auth_scheme = Set(v.auth_scheme);
    active.timeout_ms = Set(v.timeout_ms);
    active.retry_attempts = Set(v.retry_attempts);
    active.retry_backoff_ms = Set(v.retry_backoff_ms);
    active.rate_limit_requests = Set(v.rate_limit.as_ref().map(|r| r.requests));
    active.rate_limit_period_seconds = Set(v.rate_limit.as_ref().map(|r| r.period_seconds));
    active.webhook_url = Set(v.webhook_url);
    active.webhook_signature = Set(v.webhook_signature);
    active.health_method = Set(h.as_ref().map(|c| c.method));
    active.health_expected_status = Set(h.as_ref().map(|c| c.expected_status));
    active.health_keyword = Set(h.as_ref().and_then(|c| c.keyword.clone()));
    active.health_pointer = Set(h.as_ref().and_then(|c| c.pointer.clone()));
    active.health_pointer_value = Set(h.as_ref().and_then(|c| c.pointer_value.clone()));
    active.health_interval_seconds = Set(h.as_ref().map(|c| c.interval_seconds));
    active.health_timeout_ms = Set(h.as_ref().map(|c| c.timeout_ms));
    active.health_path = Set(h.map(|c| c.path));
    active.updated_at = Set(Utc::now());
}

/// Refuses a second environment with the same name on one integration.
async fn check_name(
    db: &impl ConnectionTrait,
    integration_id: i32,
    name: &str,
    except: Option<i32>,
) -> Result<()> {
    let taken = environments::Entity::find()
        .filter(environments::Column::IntegrationId.eq(integration_id))
        .filter(environments::Column::Name.eq(name))
        .one(db)
        .await?
        .is_some_and(|m| Some(m.id) != except);
    if taken {
        return Err(AppError::field(
            "name",
            "This integration already has an environment with this name.",
        ));
    }
    Ok(())
}

/// The environments page of integration `slug`, by name.
///
/// # Errors
/// `NotFound`.
pub async fn page(db: &impl ConnectionTrait, slug: &str) -> Result<EnvironmentsView> {
    let i = integration(db, slug).await?;
    let rows = environments::Entity::find()
        .filter(environments::Column::IntegrationId.eq(i.id))
        .order_by_asc(environments::Column::Name)
        .all(db)
        .await?;
    Ok(EnvironmentsView {
        environments: rows
            .into_iter()
            .map(|m| to_environment(m, &i))
            .collect::<Result<_>>()?,
        integration: reference(&i),
    })
}

/// One environment.
///
/// # Errors
/// `NotFound`.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Environment> {
    let m = environments::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let i = integration_by_id(db, m.integration_id).await?;
    to_environment(m, &i)
}

/// `e` as `actor` sees it: with its DSN on the Tollgate at `public_url` when `actor` builds
/// (engineers, coordinators and admins), who are the ones that configure SDKs with it.
///
/// # Errors
/// `NotFound` (no such environment); database failures.
pub async fn with_dsn(
    db: &impl ConnectionTrait,
    actor: &CurrentUser,
    e: Environment,
    public_url: &str,
) -> Result<Environment> {
    let mut shown = with_dsns(db, actor, vec![e], public_url).await?;
    shown.pop().ok_or(AppError::NotFound)
}

/// [`with_dsn`] for many environments, reading their keys in one query.
///
/// # Errors
/// `NotFound` (an environment without a key); database failures.
async fn with_dsns(
    db: &impl ConnectionTrait,
    actor: &CurrentUser,
    mut shown: Vec<Environment>,
    public_url: &str,
) -> Result<Vec<Environment>> {
    if actor.can(Action::Build) {
        let ids: Vec<i32> = shown.iter().map(|e| e.id).collect();
        let keys = crate::sentry::keys::currents(db, &ids).await?;
        for e in &mut shown {
            let key = keys.get(&e.id).ok_or(AppError::NotFound)?;
            e.dsn = Some(crate::sentry::keys::dsn(public_url, key, e.id));
        }
    }
    Ok(shown)
}

/// The environments page of integration `slug` as `actor` sees it ([`page`] with
/// [`with_dsn`]).
///
/// # Errors
/// `NotFound`; database failures.
pub async fn page_for(
    db: &impl ConnectionTrait,
    actor: &CurrentUser,
    slug: &str,
    public_url: &str,
) -> Result<EnvironmentsView> {
    let mut view = page(db, slug).await?;
    view.environments = with_dsns(db, actor, view.environments, public_url).await?;
    Ok(view)
}

/// Adds an environment.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` naming bad fields or a taken name.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &EnvironmentForm,
) -> Result<i32> {
    actor.may(Action::Build)?;
    let v = validate(form)?;
    let txn = activity::begin(db).await?;
    integration_by_id(&txn, integration_id).await?;
    check_name(&txn, integration_id, &v.name, None).await?;
    let now = Utc::now();
    let mut active = environments::ActiveModel {
        integration_id: Set(integration_id),
        created_at: Set(now),
        ..Default::default()
    };
    apply(&mut active, v);
    let m = records::insert::<environments::Entity>(&txn, actor, active).await?;
    crate::monitors::sync_monitor(&txn, &m).await?;
    crate::sentry::keys::issue(&txn, m.id).await?;
    txn.commit().await?;
    Ok(m.id)
}

/// Edits an environment.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation`.
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    form: &EnvironmentForm,
) -> Result<()> {
    actor.may(Action::Build)?;
    let v = validate(form)?;
    let txn = activity::begin(db).await?;
    let before = records::find::<environments::Entity>(&txn, id).await?;
    check_name(&txn, before.integration_id, &v.name, Some(id)).await?;
    let mut active: environments::ActiveModel = before.clone().into();
    apply(&mut active, v);
    let m = records::save::<environments::Entity>(&txn, actor, "update", &before, active).await?;
    crate::monitors::sync_monitor(&txn, &m).await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes an environment.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn delete(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    crate::records::delete::<environments::Entity>(db, actor, Action::Build, id).await
}
