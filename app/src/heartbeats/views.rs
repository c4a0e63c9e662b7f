//! The heartbeats card of the health page: each scheduled job's state, schedule, last report
//! and next expected run; for those who build, its ping URL and the forms that add and delete
//! monitors.

use leptos::prelude::*;

use super::api::{CreateHeartbeat, DeleteHeartbeat, get_heartbeats};
use super::model::{Heartbeat, HeartbeatState};
use crate::components::forms::{Confirm, Field, FormError, SelectField, action_error, field_error};
use crate::error::ErrorTemplate;

const TIME: &str = "%Y-%m-%d %H:%M UTC";

fn state_class(s: HeartbeatState) -> &'static str {
    match s {
        HeartbeatState::Up => "badge ok",
        HeartbeatState::Down => "badge danger",
        HeartbeatState::Running => "badge",
        HeartbeatState::New => "badge",
    }
}

/// The card on the health page (`monitoring::views::HealthCard`).
pub fn card(slug: String, can_edit: bool) -> AnyView {
    view! { <HeartbeatsCard slug can_edit /> }.into_any()
}

/// Integration `slug`'s heartbeats.
#[component]
pub fn HeartbeatsCard(slug: String, can_edit: bool) -> impl IntoView {
    let create = ServerAction::<CreateHeartbeat>::new();
    let delete = ServerAction::<DeleteHeartbeat>::new();
    let list = Resource::new(
        move || (slug.clone(), create.version().get(), delete.version().get()),
        |(s, _, _)| get_heartbeats(s),
    );
    view! {
        <section class="card" aria-labelledby="heartbeats-title">
            <h2 id="heartbeats-title">"Heartbeats"</h2>
            <p class="hint">
                "A scheduled job (a nightly sync, a token refresh) reports each run with a Sentry cron check-in or a ping to its URL; a run that is missed or fails opens an incident."
            </p>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || {
                    Suspend::new(async move {
                        let v = match list.await {
                            Ok(v) => v,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        let integration_id = v.integration.id.to_string();
                        let env_choices: Vec<(String, String)> = v
                            .environments
                            .iter()
                            .map(|e| (e.id.to_string(), e.name.clone()))
                            .collect();
                        let add = (can_edit && !env_choices.is_empty())
                            .then(|| view! { <AddHeartbeat integration_id env_choices create /> });
                        let listed = if v.heartbeats.is_empty() {
                            view! {
                                <p class="empty">
                                    "No heartbeat yet. Add one below, or send a Sentry check-in with a monitor_config: it creates its own."
                                </p>
                            }
                                .into_any()
                        } else {
                            view! {
                                <table class="heartbeats">
                                    <caption>"Heartbeat monitors"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Job"</th>
                                            <th scope="col">"Environment"</th>
                                            <th scope="col">"State"</th>
                                            <th scope="col">"Schedule"</th>
                                            <th scope="col">"Last report"</th>
                                            <th scope="col">"Next expected"</th>
                                            {can_edit.then(|| view! { <th scope="col">"Actions"</th> })}
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {v
                                            .heartbeats
                                            .into_iter()
                                            .map(|h| view! { <Row h can_edit delete /> })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            }
                                .into_any()
                        };
                        view! {
                            {listed}
                            {add}
                        }
                            .into_any()
                    })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn Row(h: Heartbeat, can_edit: bool, delete: ServerAction<DeleteHeartbeat>) -> impl IntoView {
    let last = match (h.last_ping, h.last_ping_at) {
        (Some(p), Some(at)) => format!("{} {}", p.label(), at.format(TIME)),
        _ => "none yet".into(),
    };
    let ping_label = format!("Ping URL of {}", h.name);
    view! {
        <tr>
            <th scope="row">
                {h.name.clone()} <span class="hint mono">{format!(" {}", h.slug)}</span>
                {h
                    .ping_url
                    .clone()
                    .map(|url| {
                        view! {
                            <input
                                type="text"
                                readonly
                                class="mono ping-url"
                                aria-label=ping_label
                                value=url
                            />
                        }
                    })}
            </th>
            <td>{h.environment.clone()}</td>
            <td>
                <span class=state_class(h.state)>{h.state.label()}</span>
            </td>
            <td>{format!("{}, grace {} min", h.schedule, h.grace_minutes)}</td>
            <td>{last}</td>
            <td>
                <time datetime=h
                    .next_expected_at
                    .to_rfc3339()>{h.next_expected_at.format(TIME).to_string()}</time>
            </td>
            {can_edit
                .then(|| {
                    view! {
                        <td>
                            <Confirm summary="Delete…" danger=true>
                                <ActionForm action=delete>
                                    <input type="hidden" name="id" value=h.id.to_string() />
                                    <button type="submit" class="danger">
                                        {format!("Delete {}", h.name)}
                                    </button>
                                </ActionForm>
                            </Confirm>
                        </td>
                    }
                })}
        </tr>
    }
}

#[component]
fn AddHeartbeat(
    integration_id: String,
    env_choices: Vec<(String, String)>,
    create: ServerAction<CreateHeartbeat>,
) -> impl IntoView {
    let error = action_error(create);
    view! {
        <h3>"Add a heartbeat"</h3>
        <ActionForm action=create>
            <input type="hidden" name="integration_id" value=integration_id />
            <FormError error />
            <Field
                name="name"
                scope="hb"
                label="Job"
                required=true
                error=field_error(error, "name")
            />
            <Field
                name="slug"
                scope="hb"
                label="Slug"
                hint="A Sentry check-in's monitor_slug; blank makes one from the name."
                error=field_error(error, "slug")
            />
            <SelectField
                name="environment_id"
                scope="hb"
                label="Environment"
                options=env_choices
                required=true
                error=field_error(error, "environment_id")
            />
            <Field
                name="interval_minutes"
                scope="hb"
                label="Every (minutes)"
                kind="number"
                hint="Or leave blank and give a cron expression."
                error=field_error(error, "interval_minutes")
            />
            <Field
                name="cron"
                scope="hb"
                label="Cron expression (UTC)"
                hint="Five fields, such as 0 3 * * * for 03:00 every day."
                error=field_error(error, "cron")
            />
            <Field
                name="grace_minutes"
                scope="hb"
                label="Grace (minutes)"
                kind="number"
                hint="Blank is 5."
                error=field_error(error, "grace_minutes")
            />
            <Field
                name="max_runtime_minutes"
                scope="hb"
                label="Longest run (minutes)"
                kind="number"
                hint="Blank is 30."
                error=field_error(error, "max_runtime_minutes")
            />
            <div class="form-actions">
                <button type="submit" class="primary">
                    "Add heartbeat"
                </button>
            </div>
        </ActionForm>
    }
}
