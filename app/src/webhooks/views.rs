//! The webhook pages (admins and coordinators): the endpoints with the form to add one, and
//! an endpoint's page with its settings, a test event, its secret's rotation, its removal and
//! its delivery log.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    DeleteWebhook, RetryDelivery, SendTestWebhook, UpdateWebhook, get_webhook, get_webhooks,
};
use super::model::{Attempt, DeliveryState, Endpoint, EndpointFormat, subscribable};
use crate::components::forms::{
    Checkboxes, Field, FormError, SelectField, action_error, choices, field_error,
};
use crate::components::layout::Shell;
use crate::components::pagination::{Pagination, count};
use crate::error::ErrorTemplate;

/// A time to the second.
fn at(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// What an endpoint subscribes to, in a few words.
fn summary(e: &Endpoint) -> (String, String) {
    let events = if e.events.is_empty() {
        "Every event".to_string()
    } else {
        e.events
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let integrations = if e.integrations.is_empty() {
        "Every integration".to_string()
    } else {
        e.integrations.join(", ")
    };
    (events, integrations)
}

/// Whether an endpoint is sending: a badge.
#[component]
fn Status(e: Endpoint) -> impl IntoView {
    if !e.enabled {
        view! { <span class="badge danger">"Disabled"</span> }.into_any()
    } else if e.failing_since.is_some() {
        view! { <span class="badge warn">"Failing"</span> }.into_any()
    } else {
        view! { <span class="badge ok">"Enabled"</span> }.into_any()
    }
}

/// The endpoints, and the form that adds one.
#[component]
pub fn WebhooksPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| get_webhooks());
    // The form posts to a plain route whose answer is the page showing the new secret once
    // (the server's `webhook_forms`); a refusal comes back here in the query.
    let (refused, typed_url, typed_description, typed_format) =
        use_query_map().with_untracked(|q| {
            (
                q.get("webhook_error"),
                q.get("url").unwrap_or_default(),
                q.get("description").unwrap_or_default(),
                q.get("format").unwrap_or_default(),
            )
        });
    view! {
        <Shell page=move |_| {
            let (refused, typed_url, typed_description, typed_format) = (
                refused.clone(),
                typed_url.clone(),
                typed_description.clone(),
                typed_format.clone(),
            );
            view! {
                <h1>"Webhooks"</h1>
                <p class="hint">
                    "Tollgate POSTs each event to these endpoints, signed to the Standard Webhooks specification (headers webhook-id, webhook-timestamp and webhook-signature), and tries again on failure: after 5 s, 5 min, 30 min, 2 h, 5 h and 10 h. The README shows how to verify a signature."
                </p>
                <p class="hint">
                    "A Slack-compatible endpoint (Slack, Mattermost, Rocket.Chat, or a Discord webhook's address ending in /slack) gets a readable message instead: the integration, what happened, and a link back. Its address carries its token, so Tollgate keeps it as a credential and never shows it in full again."
                </p>
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || {
                        let (refused, typed_url, typed_description, typed_format) = (
                            refused.clone(),
                            typed_url.clone(),
                            typed_description.clone(),
                            typed_format.clone(),
                        );
                        Suspend::new(async move {
                            let list = match list.await {
                                Ok(l) => l,
                                Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                            };
                            let integrations = list.integrations.clone();
                            view! {
                                <section class="card" aria-labelledby="endpoints-title">
                                    <h2 id="endpoints-title">"Endpoints"</h2>
                                    <EndpointTable list=list.endpoints />
                                </section>
                                <section class="card" aria-labelledby="add-title">
                                    <h2 id="add-title">"Add an endpoint"</h2>
                                    {refused
                                        .map(|message| {
                                            view! {
                                                <p class="form-error" role="alert">
                                                    {format!("No endpoint was added: {message}")}
                                                </p>
                                            }
                                        })}
                                    <form method="post" action="/settings/webhooks">
                                        <SelectField
                                            name="format"
                                            scope="add"
                                            label="Format"
                                            options=choices(
                                                EndpointFormat::ALL,
                                                EndpointFormat::as_str,
                                                EndpointFormat::label,
                                            )
                                            selected=typed_format
                                        />
                                        <EndpointFields
                                            scope="add"
                                            saved=None
                                            url=typed_url
                                            description=typed_description
                                            events=Vec::new()
                                            chosen=Vec::new()
                                            integrations
                                            error=Signal::derive(|| None)
                                        />
                                        <button type="submit" class="primary">
                                            "Add endpoint"
                                        </button>
                                    </form>
                                </section>
                            }
                                .into_any()
                        })
                    }}
                </Suspense>
            }
        } />
    }
}

/// The endpoints, each linking to its page.
#[component]
fn EndpointTable(list: Vec<Endpoint>) -> impl IntoView {
    if list.is_empty() {
        return view! {
            <p class="empty">
                "No endpoints yet. Add one below to have incidents, stage changes, sign-offs and the rest sent to your systems."
            </p>
        }
            .into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">"Webhook endpoints"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Endpoint"</th>
                        <th scope="col">"Events"</th>
                        <th scope="col">"Integrations"</th>
                        <th scope="col">"Status"</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|e| {
                            let (events, integrations) = summary(&e);
                            let label = if e.description.is_empty() {
                                e.url.clone()
                            } else {
                                format!("{} ({})", e.description, e.url)
                            };
                            view! {
                                <tr>
                                    <td>
                                        <a href=format!("/settings/webhooks/{}", e.id)>{label}</a>
                                    </td>
                                    <td>{events}</td>
                                    <td>{integrations}</td>
                                    <td>
                                        <Status e />
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The fields an endpoint is saved with.
#[component]
fn EndpointFields(
    #[prop(into)] scope: String,
    /// The saved endpoint's format when editing one: a Slack-compatible endpoint's address is
    /// not shown, and a blank one keeps it.
    saved: Option<EndpointFormat>,
    url: String,
    description: String,
    /// The event types ticked.
    events: Vec<String>,
    /// The integration slugs ticked.
    chosen: Vec<String>,
    integrations: Vec<(String, String)>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let (url, required, hint) = match saved {
        Some(EndpointFormat::Slack) => (
            String::new(),
            false,
            format!(
                "The saved incoming-webhook address ({url}) is kept unless you enter a new one."
            ),
        ),
        _ => (
            url,
            true,
            "Where events are POSTed, such as https://ops.example.com/hooks/tollgate; for Slack-compatible, the incoming-webhook address the chat service gave you.".to_string(),
        ),
    };
    view! {
        <Field
            name="url"
            scope=scope.clone()
            label="URL"
            kind="url"
            value=url
            required
            hint
            error=field_error(error, "url")
        />
        <Field
            name="description"
            scope=scope.clone()
            label="Description"
            value=description
            hint="Who or what receives them, such as the on-call pager bridge."
            error=field_error(error, "description")
        />
        <Checkboxes
            legend="Events (none ticked: every event)"
            name="events"
            scope=scope.clone()
            options=subscribable()
            checked=events
            error=field_error(error, "events")
        />
        <Checkboxes
            legend="Integrations (none ticked: every integration)"
            name="integrations"
            scope
            options=integrations
            checked=chosen
            error=field_error(error, "integrations")
        />
    }
}

/// One endpoint: its settings, a test event, its secret's rotation, its removal, its log.
#[component]
pub fn WebhookPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let update = ServerAction::<UpdateWebhook>::new();
    let test = ServerAction::<SendTestWebhook>::new();
    let remove = ServerAction::<DeleteWebhook>::new();
    let retry = ServerAction::<RetryDelivery>::new();
    let page = Resource::new(
        move || {
            (
                params.with(|p| {
                    p.get("id")
                        .and_then(|id| id.parse::<i32>().ok())
                        .unwrap_or(0)
                }),
                query.with(|q| q.get("page").unwrap_or_default()),
                update.version().get(),
            )
        },
        |(id, page, _)| get_webhook(id, page),
    );
    let (rotate_refused, test_sent, resent, added) = query.with_untracked(|q| {
        (
            q.get("rotate_error"),
            q.get("test_sent").is_some(),
            q.get("resent").is_some(),
            q.get("added").is_some(),
        )
    });
    view! {
        <Shell page=move |_| {
            let rotate_refused = rotate_refused.clone();
            view! {
                <p>
                    <a href="/settings/webhooks">"← Webhooks"</a>
                </p>
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || {
                        let rotate_refused = rotate_refused.clone();
                        Suspend::new(async move {
                            let view = match page.await {
                                Ok(v) => v,
                                Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                            };
                            let e = view.endpoint.clone();
                            let id = e.id;
                            let update_error = action_error(update);
                            let (events, integrations) = summary(&e);
                            view! {
                                <h1>{e.url.clone()}</h1>
                                {added
                                    .then(|| {
                                        view! {
                                            <p class="notice" role="status">
                                                "Endpoint added. Send a test event to see a message arrive."
                                            </p>
                                        }
                                    })}
                                <p>
                                    <Status e=e.clone() />
                                    " "
                                    {e.format.label()}
                                    ". "
                                    {e.description.clone()}
                                </p>
                                {e
                                    .disabled_reason
                                    .clone()
                                    .map(|why| {
                                        view! {
                                            <p class="form-error" role="alert">
                                                {why}
                                            </p>
                                        }
                                    })}
                                <p>{format!("Events: {events}. Integrations: {integrations}.")}</p>
                                {e
                                    .previous_secret_until
                                    .map(|until| {
                                        view! {
                                            <p class="hint">
                                                {format!(
                                                    "The secret before the last rotation keeps signing until {}.",
                                                    at(until),
                                                )}
                                            </p>
                                        }
                                    })}
                                <section class="card" aria-labelledby="actions-title">
                                    <h2 id="actions-title">"Check it"</h2>
                                    <ActionForm action=test>
                                        <input type="hidden" name="id" value=id />
                                        <button type="submit">"Send a test event"</button>
                                    </ActionForm>
                                    <FormError error=action_error(test) every_message=true />
                                    {test_sent
                                        .then(|| {
                                            view! {
                                                <p class="notice" role="status">
                                                    "A test event is on its way; its attempt appears in the log below."
                                                </p>
                                            }
                                        })}
                                </section>
                                <section class="card" aria-labelledby="log-title">
                                    <h2 id="log-title">"Delivery log"</h2>
                                    <FormError error=action_error(retry) every_message=true />
                                    {resent
                                        .then(|| {
                                            view! {
                                                <p class="notice" role="status">
                                                    "The delivery will be sent again in a moment."
                                                </p>
                                            }
                                        })}
                                    <AttemptTable list=view.attempts.items.clone() retry />
                                    <Pagination
                                        page=view.attempts.page
                                        pages=view.attempts.pages
                                        href=move |n| format!("/settings/webhooks/{id}?page={n}")
                                    />
                                </section>
                                <section class="card" aria-labelledby="edit-title">
                                    <h2 id="edit-title">"Settings"</h2>
                                    <ActionForm action=update>
                                        <input type="hidden" name="id" value=id />
                                        <FormError error=update_error />
                                        <EndpointFields
                                            scope="edit"
                                            saved=Some(e.format)
                                            url=e.url.clone()
                                            description=e.description.clone()
                                            events=e
                                                .events
                                                .iter()
                                                .map(|t| t.as_str().to_string())
                                                .collect()
                                            chosen=e.integrations.clone()
                                            integrations=view.integrations.clone()
                                            error=update_error
                                        />
                                        <div class="field">
                                            <input
                                                type="checkbox"
                                                id="edit-enabled"
                                                name="enabled"
                                                value="on"
                                                checked=e.enabled
                                            />
                                            <label for="edit-enabled">
                                                "Enabled: events are sent to it"
                                            </label>
                                        </div>
                                        <button type="submit" class="primary">
                                            "Save"
                                        </button>
                                    </ActionForm>
                                </section>
                                {(e.format == EndpointFormat::Standard)
                                    .then(|| {
                                        view! {
                                            <section class="card" aria-labelledby="rotate-title">
                                                <h2 id="rotate-title">"Signing secret"</h2>
                                                <p class="hint">
                                                    "A new secret is shown once. The old one keeps signing beside it for the overlap, so your receiver can switch without missing a delivery."
                                                </p>
                                                {rotate_refused
                                                    .map(|message| {
                                                        view! {
                                                            <p class="form-error" role="alert">
                                                                {format!("The secret was not rotated: {message}")}
                                                            </p>
                                                        }
                                                    })}
                                                <form
                                                    method="post"
                                                    action=format!("/settings/webhooks/{id}/rotate")
                                                >
                                                    <Field
                                                        name="overlap_hours"
                                                        scope="rotate"
                                                        label="Overlap (hours)"
                                                        kind="number"
                                                        hint="Blank for 24; 0 stops the old secret at once; at most 168."
                                                    />
                                                    <button type="submit">"Rotate the secret"</button>
                                                </form>
                                            </section>
                                        }
                                    })}
                                <section class="card" aria-labelledby="remove-title">
                                    <h2 id="remove-title">"Remove"</h2>
                                    <FormError error=action_error(remove) every_message=true />
                                    <details class="confirm danger">
                                        <summary>"Remove this endpoint…"</summary>
                                        <p>
                                            "Its deliveries and their log go with it. Events are no longer sent to it."
                                        </p>
                                        <ActionForm action=remove>
                                            <input type="hidden" name="id" value=id />
                                            <button type="submit" class="danger">
                                                "Remove now"
                                            </button>
                                        </ActionForm>
                                    </details>
                                </section>
                            }
                                .into_any()
                        })
                    }}
                </Suspense>
            }
        } />
    }
}

/// The attempts, newest first, each delivery resendable.
#[component]
fn AttemptTable(list: Vec<Attempt>, retry: ServerAction<RetryDelivery>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="empty">"No attempts yet. Send a test event to see one here."</p> }
        .into_any();
    }
    view! {
        <p class="count">{count(list.len() as u64, "attempt", "attempts")}" on this page."</p>
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">"Delivery attempts, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"When"</th>
                        <th scope="col">"Event"</th>
                        <th scope="col">"Answer"</th>
                        <th scope="col">"Time"</th>
                        <th scope="col">"Response"</th>
                        <th scope="col">"Delivery"</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|a| {
                            let answer = match a.status_code {
                                Some(code) => code.to_string(),
                                None => "No answer".to_string(),
                            };
                            let response = a
                                .error
                                .clone()
                                .unwrap_or_else(|| a.response_body.clone());
                            let state = match a.delivery_state {
                                DeliveryState::Delivered => "badge ok",
                                DeliveryState::Pending => "badge warn",
                                DeliveryState::Failed => "badge danger",
                            };
                            view! {
                                <tr>
                                    <td>
                                        {at(a.attempted_at)} {a.by_hand.then_some(" (by hand)")}
                                    </td>
                                    <td>
                                        {a.event_type.as_str()} <br />
                                        <code>{a.event_id.clone()}</code>
                                    </td>
                                    <td>{answer}</td>
                                    <td>{format!("{} ms", a.latency_ms)}</td>
                                    <td>
                                        <code class="excerpt">{response}</code>
                                    </td>
                                    <td>
                                        <span class=state>{a.delivery_state.label()}</span>
                                        <ActionForm action=retry>
                                            <input type="hidden" name="id" value=a.delivery_id />
                                            <button type="submit">"Send again"</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
