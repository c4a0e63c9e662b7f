//! The environments page: each environment's connection settings and health check, with
//! editing behind a disclosure and deleting behind a confirmation.

use crate::auth::access::Action;
use leptos::prelude::*;

use super::api::{CreateEnvironment, DeleteEnvironment, UpdateEnvironment, get_environments};
use super::model::{
    AuthScheme, Environment, EnvironmentKind, HealthMethod, SUGGESTED_NAMES, WebhookSignature,
};
use crate::components::forms::{Confirm, DeleteButton};
use crate::components::forms::{Field, FormError, SelectField, action_error, field_error};
use crate::components::layout::Shell;
use crate::components::route::slug_param;
use crate::error::{AppError, ErrorTemplate};

fn options<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|v| (name(*v).to_string(), label(*v).to_string()))
        .collect()
}

/// The environment form's fields, filled from `env` when editing.
#[component]
fn EnvironmentFields(
    env: Option<Environment>,
    error: Signal<Option<AppError>>,
    #[prop(into)] scope: String,
) -> impl IntoView {
    let form = env.as_ref().map(Environment::form).unwrap_or_default();
    let e = move |f: &'static str| field_error(error, f);
    view! {
        <fieldset>
            <legend>"Connection"</legend>
            <div class="field-row">
                <Field
                    name="name"
                    scope=scope.clone()
                    label="Name"
                    value=form.name.clone()
                    required=true
                    hint=format!("For example {}", SUGGESTED_NAMES.join(", "))
                    error=e("name")
                />
                <SelectField
                    name="kind"
                    scope=scope.clone()
                    label="Kind"
                    options=options(
                        EnvironmentKind::ALL,
                        EnvironmentKind::as_str,
                        EnvironmentKind::label,
                    )
                    selected=form.kind.clone()
                    blank="As the name says (else staging)"
                    error=e("kind")
                />
                <Field
                    name="base_url"
                    scope=scope.clone()
                    label="Base URL"
                    kind="url"
                    value=form.base_url.clone()
                    required=true
                    hint="https://api.example.com/v1"
                    error=e("base_url")
                />
            </div>
            <div class="field-row">
                <SelectField
                    name="auth_scheme"
                    scope=scope.clone()
                    label="Authentication"
                    options=options(AuthScheme::ALL, AuthScheme::as_str, AuthScheme::label)
                    selected=form.auth_scheme.clone()
                    blank="Choose…"
                    required=true
                    error=e("auth_scheme")
                />
                <Field
                    name="timeout_ms"
                    scope=scope.clone()
                    label="Timeout (ms)"
                    kind="number"
                    value=form.timeout_ms.clone()
                    hint="Blank: 10000"
                    error=e("timeout_ms")
                />
                <Field
                    name="retry_attempts"
                    scope=scope.clone()
                    label="Retry attempts"
                    kind="number"
                    value=form.retry_attempts.clone()
                    hint="Blank: 0"
                    error=e("retry_attempts")
                />
                <Field
                    name="retry_backoff_ms"
                    scope=scope.clone()
                    label="Backoff (ms)"
                    kind="number"
                    value=form.retry_backoff_ms.clone()
                    hint="Blank: 500, doubling"
                    error=e("retry_backoff_ms")
                />
            </div>
            <div class="field-row">
                <Field
                    name="rate_limit_requests"
                    scope=scope.clone()
                    label="Rate limit: requests"
                    kind="number"
                    value=form.rate_limit_requests.clone()
                    hint="Blank for none"
                    error=e("rate_limit_requests")
                />
                <Field
                    name="rate_limit_period_seconds"
                    scope=scope.clone()
                    label="per seconds"
                    kind="number"
                    value=form.rate_limit_period_seconds.clone()
                    error=e("rate_limit_period_seconds")
                />
            </div>
        </fieldset>
        <fieldset>
            <legend>"Webhooks"</legend>
            <div class="field-row">
                <Field
                    name="webhook_url"
                    scope=scope.clone()
                    label="Webhook endpoint"
                    kind="url"
                    value=form.webhook_url.clone()
                    hint="Where the provider sends events"
                    error=e("webhook_url")
                />
                <SelectField
                    name="webhook_signature"
                    scope=scope.clone()
                    label="Signature"
                    options=options(
                        WebhookSignature::ALL,
                        WebhookSignature::as_str,
                        WebhookSignature::label,
                    )
                    selected=form.webhook_signature.clone()
                    error=e("webhook_signature")
                />
            </div>
        </fieldset>
        <fieldset>
            <legend>"Health check"</legend>
            <div class="field-row">
                <SelectField
                    name="health_method"
                    scope=scope.clone()
                    label="Method"
                    options=options(HealthMethod::ALL, HealthMethod::as_str, HealthMethod::label)
                    selected=form.health_method.clone()
                    error=e("health_method")
                />
                <Field
                    name="health_path"
                    scope=scope.clone()
                    label="Path"
                    value=form.health_path.clone()
                    hint="Blank for no health check, e.g. /v1/health"
                    error=e("health_path")
                />
                <Field
                    name="health_expected_status"
                    scope=scope.clone()
                    label="Expected status"
                    kind="number"
                    value=form.health_expected_status.clone()
                    hint="Blank: 200"
                    error=e("health_expected_status")
                />
            </div>
            <div class="field-row">
                <Field
                    name="health_keyword"
                    scope=scope.clone()
                    label="Body contains"
                    value=form.health_keyword.clone()
                    hint="Optional keyword"
                    error=e("health_keyword")
                />
                <Field
                    name="health_pointer"
                    scope=scope.clone()
                    label="or JSON pointer"
                    value=form.health_pointer.clone()
                    hint="Optional, e.g. /status"
                    error=e("health_pointer")
                />
                <Field
                    name="health_pointer_value"
                    scope=scope.clone()
                    label="equals"
                    value=form.health_pointer_value.clone()
                    error=e("health_pointer_value")
                />
            </div>
            <div class="field-row">
                <Field
                    name="health_interval_seconds"
                    scope=scope.clone()
                    label="Every (seconds)"
                    kind="number"
                    value=form.health_interval_seconds.clone()
                    hint="Blank: 60"
                    error=e("health_interval_seconds")
                />
                <Field
                    name="health_timeout_ms"
                    scope=scope.clone()
                    label="Timeout (ms)"
                    kind="number"
                    value=form.health_timeout_ms.clone()
                    hint="Blank: 5000"
                    error=e("health_timeout_ms")
                />
            </div>
        </fieldset>
    }
}

/// One environment's settings.
#[component]
fn EnvironmentSummary(env: Environment) -> impl IntoView {
    let retries = if env.retry_attempts == 0 {
        "No retries".to_string()
    } else {
        format!(
            "{} attempts, backoff from {} ms",
            env.retry_attempts, env.retry_backoff_ms
        )
    };
    let rate = env.rate_limit.as_ref().map_or_else(
        || "None recorded".to_string(),
        |r| format!("{} requests per {} s", r.requests, r.period_seconds),
    );
    let webhook = env.webhook_url.clone().map_or_else(
        || "None".to_string(),
        |u| format!("{u} ({})", env.webhook_signature.label()),
    );
    let health = env.health_check.as_ref().map_or_else(
        || "Not configured".to_string(),
        |h| {
            let assertion = match (&h.keyword, &h.pointer, &h.pointer_value) {
                (Some(k), _, _) => format!(", body contains \"{k}\""),
                (None, Some(p), Some(v)) => format!(", {p} = {v}"),
                _ => String::new(),
            };
            format!(
                "{} {} → {}{assertion}, every {} s, timeout {} ms",
                h.method.as_str(),
                h.path,
                h.expected_status,
                h.interval_seconds,
                h.timeout_ms
            )
        },
    );
    view! {
        <dl class="facts">
            <dt>"Kind"</dt>
            <dd>{env.kind.label()}</dd>
            <dt>"Base URL"</dt>
            <dd>
                <code>{env.base_url.clone()}</code>
            </dd>
            <dt>"Authentication"</dt>
            <dd>{env.auth_scheme.label()}</dd>
            <dt>"Timeout"</dt>
            <dd>{format!("{} ms", env.timeout_ms)}</dd>
            <dt>"Retries"</dt>
            <dd>{retries}</dd>
            <dt>"Rate limit"</dt>
            <dd>{rate}</dd>
            <dt>"Webhooks"</dt>
            <dd>{webhook}</dd>
            <dt>"Health check"</dt>
            <dd>{health}</dd>
        </dl>
    }
}

/// The environments of one integration.
#[component]
pub fn EnvironmentsPage() -> impl IntoView {
    let slug = slug_param();
    let create = ServerAction::<CreateEnvironment>::new();
    let update = ServerAction::<UpdateEnvironment>::new();
    let delete = ServerAction::<DeleteEnvironment>::new();
    let create_error = action_error(create);
    let update_error = action_error(update);
    let delete_error = action_error(delete);
    let page = Resource::new(move || slug.get(), get_environments);
    view! {
        <Shell page=move |user| {
            let can_edit = user.can(Action::Build);
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let page = match page.await {
                            Ok(p) => p,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        let i = page.integration.clone();
                        view! {
                            <crate::components::sections::SectionHead
                                slug=i.slug.clone()
                                name=i.name.clone()
                                current=crate::components::sections::Section::Environments
                                title="Environments"
                                overridden=i.gate_overridden
                            />
                            <FormError error=update_error every_message=true />
                            <FormError error=delete_error every_message=true />
                            {if page.environments.is_empty() {
                                view! {
                                    <p class="empty card">
                                        "No environments yet. Start with the sandbox: its base URL, how requests authenticate, and a health check."
                                    </p>
                                }
                                    .into_any()
                            } else {
                                page.environments
                                    .into_iter()
                                    .map(|env| {
                                        let id = env.id;
                                        let title_id = format!("environment-{id}-title");
                                        let name = env.name.clone();
                                        let edit_env = env.clone();
                                        let dsn = env.dsn.clone();
                                        view! {
                                            <section class="card" aria-labelledby=title_id.clone()>
                                                <h2 id=title_id.clone()>{name.clone()}</h2>
                                                <EnvironmentSummary env=env />
                                                {dsn
                                                    .map(|dsn| {
                                                        view! {
                                                            <crate::sentry::views::DsnPanel
                                                                id
                                                                dsn
                                                                environment=name.clone()
                                                            />
                                                        }
                                                    })}
                                                {can_edit
                                                    .then(|| {
                                                        view! {
                                                            <div class="row-actions">
                                                                <Confirm summary=format!("Edit {name}…")>
                                                                    <ActionForm action=update>
                                                                        <input
                                                                            type="hidden"
                                                                            name="environment_id"
                                                                            value=id.to_string()
                                                                        />
                                                                        <EnvironmentFields
                                                                            env=Some(edit_env.clone())
                                                                            error=update_error
                                                                            scope=format!("environment-{id}")
                                                                        />
                                                                        <button type="submit" class="primary">
                                                                            "Save environment"
                                                                        </button>
                                                                    </ActionForm>
                                                                </Confirm>
                                                                <Confirm summary=format!("Delete {name}…") danger=true>
                                                                    <ActionForm action=delete>
                                                                        <DeleteButton id what="environment" />
                                                                    </ActionForm>
                                                                </Confirm>
                                                            </div>
                                                        }
                                                    })}
                                            </section>
                                        }
                                    })
                                    .collect_view()
                                    .into_any()
                            }}
                            {can_edit
                                .then(|| {
                                    view! {
                                        <section
                                            class="card"
                                            aria-labelledby="new-environment-title"
                                        >
                                            <h2 id="new-environment-title">"Add an environment"</h2>
                                            <FormError error=create_error />
                                            <ActionForm action=create>
                                                <input
                                                    type="hidden"
                                                    name="integration_id"
                                                    value=i.id.to_string()
                                                />
                                                <EnvironmentFields
                                                    env=None
                                                    error=create_error
                                                    scope="new"
                                                />
                                                <div class="form-actions">
                                                    <button
                                                        type="submit"
                                                        class="primary"
                                                        disabled=move || create.pending().get()
                                                    >
                                                        "Add environment"
                                                    </button>
                                                </div>
                                            </ActionForm>
                                        </section>
                                    }
                                })}
                        }
                            .into_any()
                    })}
                </Suspense>
            }
        } />
    }
}
