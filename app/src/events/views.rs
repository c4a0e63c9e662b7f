//! The errors page (`/integrations/{slug}/errors`): the groups the platform's events form,
//! with a sparkline of their last 24 hours and their triage status.

use crate::auth::access::Action;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{SetErrorGroupStatus, get_error_groups};
use super::model::{ErrorGroup, EventLevel, GroupStatus};
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
                                                    .map(|g| view! { <GroupRow g can_edit set /> })
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
                <strong>{g.error_type.clone()}</strong>
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
