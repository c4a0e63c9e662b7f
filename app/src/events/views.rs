//! The errors page (`/integrations/{slug}/errors`): the groups the platform's events form,
//! with a sparkline of their last 24 hours and their triage status.

use crate::auth::access::Action;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{SetErrorGroupStatus, get_error_group, get_error_groups};
use super::model::{ErrorGroup, EventLevel, GroupDetail, GroupStatus, LatestEvent};
use crate::components::charts::Sparkline;
use crate::components::forms::{FormError, InlineSelect, SelectField, action_error, choices};
use crate::components::layout::Shell;
use crate::components::pagination::{Pagination, count};
use crate::components::query_value;
use crate::components::route::slug_param;
use crate::error::ErrorTemplate;

fn level_class(l: EventLevel) -> &'static str {
    match l {
        EventLevel::Error => "badge danger",
        EventLevel::Warning => "badge warn",
        EventLevel::Info => "badge",
    }
}

/// An integration's error groups.
#[component]
pub fn ErrorsPage() -> impl IntoView {
    let slug = slug_param();
    let query = use_query_map();
    let set = ServerAction::<SetErrorGroupStatus>::new();
    let error = action_error(set);
    let groups = Resource::new(
        move || {
            (
                slug.get(),
                query.with(|q| q.get("status").unwrap_or_default()),
                query.with(|q| q.get("page").unwrap_or_default()),
            )
        },
        |(s, status, page)| get_error_groups(s, status, page),
    );
    view! {
        <Shell page=move |user| {
            let can_edit = user.can(Action::Build);
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let groups = match groups.await {
                            Ok(g) => g,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        let s = slug.get_untracked();
                        let status = query.with_untracked(|q| q.get("status").unwrap_or_default());
                        view! {
                            <crate::components::sections::SectionHead
                                slug=s.clone()
                                name=s.clone()
                                current=crate::components::sections::Section::Errors
                                title="Errors from the platform"
                            />
                            <p class="hint">
                                "Events the platform reports (POST /api/v1/integrations/{slug}/events), grouped by error type, operation and message with numbers and ids set aside. A resolved group that comes back is marked as a regression."
                            </p>
                            <form
                                method="get"
                                class="filters"
                                role="search"
                                aria-label="Filter groups"
                            >
                                <SelectField
                                    name="status"
                                    label="Status"
                                    options=choices(
                                        GroupStatus::ALL,
                                        GroupStatus::as_str,
                                        GroupStatus::label,
                                    )
                                    selected=status.clone()
                                    blank="Any status"
                                />
                                <button type="submit">"Filter"</button>
                            </form>
                            <FormError error />
                            {if groups.total == 0 {
                                view! {
                                    <p class="empty">
                                        "No errors reported. When the platform sends events, they are grouped here."
                                    </p>
                                }
                                    .into_any()
                            } else {
                                let href = {
                                    let (s, status) = (s.clone(), status.clone());
                                    move |n: u64| {
                                        let mut h = format!("/integrations/{s}/errors?page={n}");
                                        if !status.is_empty() {
                                            h.push_str(&format!("&status={}", query_value(&status)));
                                        }
                                        h
                                    }
                                };
                                view! {
                                    <p class="count" role="status">
                                        {format!(
                                            "{}, most recently seen first",
                                            count(groups.total, "group", "groups"),
                                        )}
                                    </p>
                                    <div class="table-wrap">
                                        <table>
                                            <caption class="visually-hidden">"Error groups"</caption>
                                            <thead>
                                                <tr>
                                                    <th scope="col">"Error"</th>
                                                    <th scope="col">"Events"</th>
                                                    <th scope="col">"Last 24 hours"</th>
                                                    <th scope="col">"Seen"</th>
                                                    <th scope="col">"Status"</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {groups
                                                    .items
                                                    .into_iter()
                                                    .map(|g| {
                                                        view! { <GroupRow slug=s.clone() g can_edit set /> }
                                                    })
                                                    .collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    <Pagination page=groups.page pages=groups.pages href />
                                }
                                    .into_any()
                            }}
                        }
                            .into_any()
                    })}
                </Suspense>
            }
        } />
    }
}

#[component]
fn GroupRow(
    slug: String,
    g: ErrorGroup,
    can_edit: bool,
    set: ServerAction<SetErrorGroupStatus>,
) -> impl IntoView {
    let label = format!("{} {}", g.error_type, g.operation);
    let select_id = format!("status-{}", g.id);
    view! {
        <tr>
            <td>
                <span class=level_class(g.level)>{g.level.label()}</span>
                " "
                <a href=format!("/integrations/{}/errors/{}", slug, g.id)>
                    <strong>
                        {if g.error_type.is_empty() {
                            "(message)".to_string()
                        } else {
                            g.error_type.clone()
                        }}
                    </strong>
                </a>
                " "
                <code>{g.operation.clone()}</code>
                {g
                    .regressed
                    .then(|| {
                        view! {
                            " "
                            <span class="badge override">"Regression"</span>
                        }
                    })}
                <br />
                <span>{g.message.clone()}</span>
            </td>
            <td>{g.count}</td>
            <td>
                <Sparkline
                    values=g.last_24h.clone()
                    label=format!(
                        "{label}: {} in the last 24 hours",
                        g.last_24h.iter().sum::<i64>(),
                    )
                />
            </td>
            <td>
                {format!(
                    "first {}, last {}",
                    g.first_seen.format("%Y-%m-%d %H:%M"),
                    g.last_seen.format("%Y-%m-%d %H:%M UTC"),
                )}
            </td>
            <td>
                {g.status.label()}
                {can_edit
                    .then(|| {
                        view! {
                            <ActionForm action=set>
                                <input type="hidden" name="id" value=g.id.to_string() />
                                <InlineSelect
                                    id=select_id.clone()
                                    name="status"
                                    label=format!("Status of {label}")
                                    options=choices(
                                        GroupStatus::ALL,
                                        GroupStatus::as_str,
                                        GroupStatus::label,
                                    )
                                    selected=g.status.as_str()
                                />
                            </ActionForm>
                        }
                    })}
            </td>
        </tr>
    }
}

/// One error group: what it is, where and in which releases it was seen, and its latest
/// event's stack trace, breadcrumbs and tags.
#[component]
pub fn ErrorGroupPage() -> impl IntoView {
    let params = use_params_map();
    let detail = Resource::new(
        move || params.with(|p| p.get("id").unwrap_or_default()),
        get_error_group,
    );
    view! {
        <Shell page=move |_| {
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        match detail.await {
                            Ok(d) => view! { <GroupDetailView d /> }.into_any(),
                            Err(error) => view! { <ErrorTemplate error /> }.into_any(),
                        }
                    })}
                </Suspense>
            }
        } />
    }
}

#[component]
fn GroupDetailView(d: GroupDetail) -> impl IntoView {
    let g = d.group;
    let i = d.integration;
    let title = if g.error_type.is_empty() {
        g.message.clone()
    } else {
        format!("{}: {}", g.error_type, g.message)
    };
    let releases = match (&d.first_release, &d.last_release) {
        (None, None) => "None reported".to_string(),
        (Some(a), Some(b)) if a == b => a.clone(),
        (a, b) => {
            format!(
                "first {}, latest {}",
                a.as_deref().unwrap_or("none"),
                b.as_deref().unwrap_or("none"),
            )
        }
    };
    let environments = if d.environments.is_empty() {
        "None named".to_string()
    } else {
        d.environments.join(", ")
    };
    view! {
        <crate::components::sections::SectionHead
            slug=i.slug.clone()
            name=i.name.clone()
            current=crate::components::sections::Section::Errors
            title="Error group"
            overridden=i.gate_overridden
        />
        <p>
            <a href=format!("/integrations/{}/errors", i.slug)>"← All error groups"</a>
        </p>
        <section class="card" aria-labelledby="group-title">
            <h2 id="group-title">
                <span class=level_class(g.level)>{g.level.label()}</span>
                " "
                {title}
            </h2>
            <dl class="facts">
                <dt>"Operation"</dt>
                <dd>
                    <code>{g.operation.clone()}</code>
                </dd>
                <dt>"Status"</dt>
                <dd>{g.status.label()} {g.regressed.then_some(" (a regression)")}</dd>
                <dt>"Events"</dt>
                <dd>{g.count}</dd>
                <dt>"Seen"</dt>
                <dd>
                    {format!(
                        "first {}, last {}",
                        g.first_seen.format("%Y-%m-%d %H:%M"),
                        g.last_seen.format("%Y-%m-%d %H:%M UTC"),
                    )}
                </dd>
                <dt>"Environments"</dt>
                <dd>{environments}</dd>
                <dt>"Releases"</dt>
                <dd>{releases}</dd>
            </dl>
        </section>
        {match d.latest {
            Some(e) => view! { <LatestEventView e /> }.into_any(),
            None => view! { <p class="empty">"No event is kept for this group."</p> }.into_any(),
        }}
    }
}

#[component]
fn LatestEventView(e: LatestEvent) -> impl IntoView {
    let when = format!(
        "{} in {}",
        e.occurred_at.format("%Y-%m-%d %H:%M:%S UTC"),
        if e.environment.is_empty() {
            "no named environment"
        } else {
            &e.environment
        },
    );
    view! {
        <section class="card" aria-labelledby="latest-title">
            <h2 id="latest-title">"Latest event"</h2>
            <p>{when}</p>
            <p>{e.message.clone()}</p>
            <h3>"Stack trace"</h3>
            {if e.frames.is_empty() {
                view! { <p class="empty">"No stack trace was sent."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <caption class="visually-hidden">
                                "Stack trace, innermost frame first"
                            </caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Function"</th>
                                    <th scope="col">"Where"</th>
                                    <th scope="col">"Code"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {e
                                    .frames
                                    .into_iter()
                                    .map(|f| {
                                        let at = match f.line {
                                            Some(n) => format!("{}:{n}", f.file),
                                            None => f.file.clone(),
                                        };
                                        view! {
                                            <tr>
                                                <td>
                                                    <code>{f.function}</code>
                                                </td>
                                                <td>
                                                    <code>{at}</code>
                                                </td>
                                                <td>{if f.in_app { "application" } else { "library" }}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
            <h3>"Breadcrumbs"</h3>
            {if e.breadcrumbs.is_empty() {
                view! { <p class="empty">"No breadcrumbs were sent."</p> }.into_any()
            } else {
                view! {
                    <ol class="breadcrumbs">
                        {e
                            .breadcrumbs
                            .into_iter()
                            .map(|b| {
                                view! {
                                    <li>
                                        <span class="badge">{b.category}</span>
                                        " "
                                        {b.message}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
            <h3>"Tags"</h3>
            {if e.tags.is_empty() {
                view! { <p class="empty">"No tags were sent."</p> }.into_any()
            } else {
                view! {
                    <dl class="facts">
                        {e
                            .tags
                            .into_iter()
                            .map(|(k, v)| {
                                view! {
                                    <dt>{k}</dt>
                                    <dd>{v}</dd>
                                }
                            })
                            .collect_view()}
                    </dl>
                }
                    .into_any()
            }}
            {e
                .context
                .map(|c| {
                    view! {
                        <h3>"Context"</h3>
                        <pre class="json">{c}</pre>
                    }
                })}
        </section>
    }
}
