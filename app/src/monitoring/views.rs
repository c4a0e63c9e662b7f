//! The health page (`/integrations/{slug}/health`): each monitored environment's state,
//! latest checks, uptime against its objective and hourly latency; maintenance windows; and
//! the integration's incidents. The incident page (`/incidents/{id}`): its timeline and the
//! form that moves it on.

use super::display::{TIME, severity_class, status_class, when};
use super::env_card::EnvCard;
use crate::auth::access::Action;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::{
    CancelMaintenance, CreateIncident, ScheduleMaintenance, SetSlo, UpdateIncident, get_health,
    get_incident,
};
use super::model::{
    HealthView, Incident, IncidentSeverity, IncidentStatus, MaintenanceWindow, Outage, WindowState,
};
use crate::components::forms::Confirm;
use crate::components::forms::{
    Field, FormError, SelectField, TextArea, action_error, choices, field_error,
};
use crate::components::layout::Shell;
use crate::components::pagination::{Pagination, count};
use crate::components::route::slug_param;
use crate::error::ErrorTemplate;

/// A card a room above this one adds to the health page, made from the integration's slug
/// and whether the reader builds (the heartbeats', the observed operations').
pub type HealthCard = fn(String, bool) -> AnyView;

/// An integration's health, with the cards `more` after its outages.
#[component]
pub fn HealthPage(#[prop(optional)] more: &'static [HealthCard]) -> impl IntoView {
    let slug = slug_param();
    let slo = ServerAction::<SetSlo>::new();
    let schedule = ServerAction::<ScheduleMaintenance>::new();
    let cancel = ServerAction::<CancelMaintenance>::new();
    let report = ServerAction::<CreateIncident>::new();
    let query = leptos_router::hooks::use_query_map();
    let health = Resource::new(
        move || {
            (
                slug.get(),
                query.with(|q| q.get("page").unwrap_or_default()),
            )
        },
        |(s, page)| get_health(s, page),
    );
    view! {
        <Shell page=move |user| {
            let can_edit = user.can(Action::Build);
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let h = match health.await {
                            Ok(h) => h,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        view! {
                            <HealthBody
                                h
                                slug=slug.get_untracked()
                                can_edit
                                slo
                                schedule
                                cancel
                                report
                                more
                            />
                        }
                            .into_any()
                    })}
                </Suspense>
            }
        } />
    }
}

#[component]
fn HealthBody(
    h: HealthView,
    slug: String,
    can_edit: bool,
    slo: ServerAction<SetSlo>,
    schedule: ServerAction<ScheduleMaintenance>,
    cancel: ServerAction<CancelMaintenance>,
    report: ServerAction<CreateIncident>,
    more: &'static [HealthCard],
) -> impl IntoView {
    let envs_href = format!("/integrations/{slug}/environments");
    let integration_id = h.integration_id.to_string();
    let env_choices: Vec<(String, String)> = h
        .environments
        .iter()
        .map(|e| (e.environment_id.to_string(), e.name.clone()))
        .collect();
    let slo_error = action_error(slo);
    view! {
        <crate::components::sections::SectionHead
            slug=slug.clone()
            name=slug.clone()
            current=crate::components::sections::Section::Health
            title="Health"
        />
        <section class="card" aria-labelledby="monitors-title">
            <h2 id="monitors-title">"Environments"</h2>
            <FormError error=slo_error />
            {if h.environments.is_empty() {
                view! {
                    <p class="empty">
                        "No environment has a health check yet. Add one on the "
                        <a href=envs_href>"environments page"</a>
                        "; it is checked at its interval from then on."
                    </p>
                }
                    .into_any()
            } else {
                h.environments
                    .into_iter()
                    .map(|e| view! { <EnvCard e can_edit slo /> })
                    .collect_view()
                    .into_any()
            }}
        </section>
        <OutageTimeline outages=h.outages />
        {more.iter().map(|card| card(slug.clone(), can_edit)).collect_view()}
        <Maintenance
            windows=h.windows
            env_choices=env_choices.clone()
            integration_id=integration_id.clone()
            can_edit
            schedule
            cancel
        />
        <section class="card" aria-labelledby="incidents-title">
            <h2 id="incidents-title">"Incidents"</h2>
            <p>
                {match h.mttr_minutes {
                    Some(m) => format!("Mean time to resolve: {m} min."),
                    None => "Mean time to resolve: no resolved incident yet.".into(),
                }}
            </p>
            {if h.incidents.total == 0 {
                view! {
                    <p class="empty">
                        "No incidents. One opens by itself when a monitored environment goes down."
                    </p>
                }
                    .into_any()
            } else {
                let href = {
                    let slug = slug.clone();
                    move |n: u64| format!("/integrations/{slug}/health?page={n}#incidents-title")
                };
                view! {
                    <p class="count" role="status">
                        {format!(
                            "{}, newest first",
                            count(h.incidents.total, "incident", "incidents"),
                        )}
                    </p>
                    <ul class="incidents" aria-label="Incidents">
                        {h
                            .incidents
                            .items
                            .into_iter()
                            .map(|i| view! { <IncidentItem i /> })
                            .collect_view()}
                    </ul>
                    <Pagination page=h.incidents.page pages=h.incidents.pages href />
                }
                    .into_any()
            }}
            {can_edit.then(|| view! { <ReportIncident integration_id env_choices report /> })}
        </section>
    }
}

/// Incidents and maintenance windows in one list, newest first: what happened when.
#[component]
fn OutageTimeline(outages: Vec<Outage>) -> impl IntoView {
    (!outages.is_empty()).then(|| {
        view! {
            <section class="card" aria-labelledby="outages-title">
                <h2 id="outages-title">"Timeline"</h2>
                <p class="muted">
                    {format!(
                        "The newest {} events; every incident is listed under Incidents.",
                        outages.len(),
                    )}
                </p>
                <ol class="timeline" aria-label="Incidents and maintenance, newest first">
                    {outages
                        .into_iter()
                        .map(|o| {
                            view! {
                                <li>
                                    <time>{o.at.format(TIME).to_string()}</time>
                                    " "
                                    {o.what}
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </section>
        }
    })
}

#[component]
fn Maintenance(
    windows: Vec<MaintenanceWindow>,
    env_choices: Vec<(String, String)>,
    integration_id: String,
    can_edit: bool,
    schedule: ServerAction<ScheduleMaintenance>,
    cancel: ServerAction<CancelMaintenance>,
) -> impl IntoView {
    let error = action_error(schedule);
    view! {
        <section class="card" aria-labelledby="maintenance-title">
            <h2 id="maintenance-title">"Maintenance windows"</h2>
            <p class="hint">
                "While a window is open, the monitor opens no incident for its environment; its checks still run and count."
            </p>
            {if windows.is_empty() {
                view! { <p class="empty">"No maintenance scheduled."</p> }.into_any()
            } else {
                view! {
                    <ul aria-label="Maintenance windows">
                        {windows
                            .into_iter()
                            .map(|w| {
                                let state = w.state.label();
                                view! {
                                    <li>
                                        <strong>{w.environment.clone()}</strong>
                                        {format!(
                                            ": {} to {} ({state}), by {}: {}",
                                            w.starts_at.format(TIME),
                                            w.ends_at.format(TIME),
                                            w.by,
                                            w.reason,
                                        )}
                                        {(can_edit && w.state != WindowState::Ended)
                                            .then(|| {
                                                view! {
                                                    <Confirm summary="Cancel…">
                                                        <ActionForm action=cancel>
                                                            <input type="hidden" name="id" value=w.id.to_string() />
                                                            <button type="submit" class="danger">
                                                                "Cancel this window"
                                                            </button>
                                                        </ActionForm>
                                                    </Confirm>
                                                }
                                            })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {(can_edit && !env_choices.is_empty())
                .then(|| {
                    view! {
                        <h3>"Schedule maintenance"</h3>
                        <ActionForm action=schedule>
                            <input type="hidden" name="integration_id" value=integration_id />
                            <FormError error />
                            <SelectField
                                name="environment_id"
                                scope="mw"
                                label="Environment"
                                options=env_choices
                                required=true
                                error=field_error(error, "environment_id")
                            />
                            <Field
                                name="starts_at"
                                scope="mw"
                                label="Starts (UTC)"
                                kind="datetime-local"
                                required=true
                                error=field_error(error, "starts_at")
                            />
                            <Field
                                name="ends_at"
                                scope="mw"
                                label="Ends (UTC)"
                                kind="datetime-local"
                                required=true
                                error=field_error(error, "ends_at")
                            />
                            <Field
                                name="reason"
                                scope="mw"
                                label="Reason"
                                required=true
                                error=field_error(error, "reason")
                            />
                            <div class="form-actions">
                                <button type="submit" class="primary">
                                    "Schedule"
                                </button>
                            </div>
                        </ActionForm>
                    }
                })}
        </section>
    }
}

#[component]
fn ReportIncident(
    integration_id: String,
    env_choices: Vec<(String, String)>,
    report: ServerAction<CreateIncident>,
) -> impl IntoView {
    let error = action_error(report);
    view! {
        <h3>"Report an incident"</h3>
        <ActionForm action=report>
            <input type="hidden" name="integration_id" value=integration_id />
            <FormError error />
            <Field
                name="title"
                scope="inc"
                label="Title"
                required=true
                error=field_error(error, "title")
            />
            <SelectField
                name="severity"
                scope="inc"
                label="Severity"
                options=choices(
                    IncidentSeverity::ALL,
                    IncidentSeverity::as_str,
                    IncidentSeverity::label,
                )
                selected="major"
                required=true
                error=field_error(error, "severity")
            />
            <SelectField
                name="environment_id"
                scope="inc"
                label="Environment"
                options=env_choices
                blank="None in particular"
                error=field_error(error, "environment_id")
            />
            <TextArea
                name="note"
                scope="inc"
                label="What is happening"
                error=field_error(error, "note")
            />
            <div class="form-actions">
                <button type="submit" class="primary">
                    "Open incident"
                </button>
            </div>
        </ActionForm>
    }
}

#[component]
fn IncidentItem(i: Incident) -> impl IntoView {
    let span = match i.minutes_to_resolve() {
        Some(m) => format!(
            "opened {}, resolved after {m} min",
            i.opened_at.format(TIME)
        ),
        None => format!("opened {}", i.opened_at.format(TIME)),
    };
    view! {
        <li class="card incident">
            <h3>
                <a href=format!("/incidents/{}", i.id)>{i.title.clone()}</a>
                " "
                <span class=severity_class(i.severity)>{i.severity.label()}</span>
                " "
                <span class=status_class(i.status)>{i.status.label()}</span>
            </h3>
            <p class="hint">{span}{i.automatic.then_some(", by the monitor")}</p>
            <Timeline i />
        </li>
    }
}

#[component]
fn Timeline(i: Incident) -> impl IntoView {
    view! {
        <ol class="timeline" aria-label=format!("Timeline of {}", i.title)>
            {i
                .timeline
                .into_iter()
                .map(|u| {
                    view! {
                        <li>
                            <time>{u.at.format("%Y-%m-%d %H:%M:%S UTC").to_string()}</time>
                            " "
                            <strong>{u.status.label()}</strong>
                            " — "
                            {u.note}
                            " "
                            <span class="hint">{u.author.unwrap_or_else(|| "monitor".into())}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// One incident: its facts, timeline and the form that moves it on.
#[component]
pub fn IncidentPage() -> impl IntoView {
    let params = use_params_map();
    let id =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0)));
    let update = ServerAction::<UpdateIncident>::new();
    let error = action_error(update);
    let incident = Resource::new(move || id.get(), get_incident);
    view! {
        <Shell page=move |user| {
            let can_edit = user.can(Action::Build);
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let i = match incident.await {
                            Ok(i) => i,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        let slug = i.integration.slug.clone();
                        let duration = i.minutes_to_resolve().map(|m| format!("{m} min"));
                        view! {
                            <p class="breadcrumb">
                                <a href="/integrations">"Integrations"</a>
                                " / "
                                <a href=format!(
                                    "/integrations/{slug}",
                                )>{i.integration.name.clone()}</a>
                                " / "
                                <a href=format!("/integrations/{slug}/health")>"Health"</a>
                            </p>
                            <h1>
                                {i.title.clone()}" "
                                <span class=severity_class(i.severity)>{i.severity.label()}</span>
                                " "<span class=status_class(i.status)>{i.status.label()}</span>
                            </h1>
                            <dl class="facts">
                                <dt>"Opened"</dt>
                                <dd>
                                    {format!(
                                        "{}{}",
                                        i.opened_at.format(TIME),
                                        if i.automatic { ", by the monitor" } else { "" },
                                    )}
                                </dd>
                                <dt>"Environment"</dt>
                                <dd>{i.environment.clone().unwrap_or_else(|| "—".into())}</dd>
                                <dt>"Resolved"</dt>
                                <dd>
                                    {when(i.resolved_at)}{duration.map(|d| format!(", after {d}"))}
                                </dd>
                                <dt>"Provider ticket"</dt>
                                <dd>{i.ticket_ref.clone().unwrap_or_else(|| "—".into())}</dd>
                                <dt>"Root cause"</dt>
                                <dd>{i.root_cause.clone().unwrap_or_else(|| "—".into())}</dd>
                                <dt>"Post-mortem"</dt>
                                <dd class="prewrap">
                                    {i.postmortem.clone().unwrap_or_else(|| "—".into())}
                                </dd>
                            </dl>
                            <section class="card" aria-labelledby="timeline-title">
                                <h2 id="timeline-title">"Timeline"</h2>
                                <Timeline i=i.clone() />
                            </section>
                            {can_edit
                                .then(|| {
                                    view! {
                                        <section class="card" aria-labelledby="update-title">
                                            <h2 id="update-title">"Update"</h2>
                                            <ActionForm action=update>
                                                <input
                                                    type="hidden"
                                                    name="incident_id"
                                                    value=i.id.to_string()
                                                />
                                                <FormError error />
                                                <SelectField
                                                    name="status"
                                                    label="Status"
                                                    options=choices(
                                                        IncidentStatus::ALL,
                                                        IncidentStatus::as_str,
                                                        IncidentStatus::label,
                                                    )
                                                    selected=i.status.as_str()
                                                    required=true
                                                    error=field_error(error, "status")
                                                />
                                                <TextArea
                                                    name="note"
                                                    label="Note for the timeline"
                                                    error=field_error(error, "note")
                                                />
                                                <Field
                                                    name="ticket_ref"
                                                    label="Provider ticket (id or link)"
                                                    value=i.ticket_ref.clone().unwrap_or_default()
                                                    error=field_error(error, "ticket_ref")
                                                />
                                                <TextArea
                                                    name="root_cause"
                                                    label="Root cause"
                                                    value=i.root_cause.clone().unwrap_or_default()
                                                    error=field_error(error, "root_cause")
                                                />
                                                <TextArea
                                                    name="postmortem"
                                                    label="Post-mortem"
                                                    value=i.postmortem.clone().unwrap_or_default()
                                                    error=field_error(error, "postmortem")
                                                />
                                                <div class="form-actions">
                                                    <button type="submit" class="primary">
                                                        "Save update"
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
