//! Integration pages: the list, the detail page with history, and the create and edit forms.

use crate::auth::access::Action;
use leptos::prelude::*;

use crate::activity::views::HistoryList;
use crate::components::badges::OverrideBadge;
use crate::components::forms::{Field, FormError, SelectField, action_error};
use crate::components::layout::Shell;
use crate::components::pagination::{Pagination, count};
use crate::components::route::slug_param;
use crate::components::sections::{IntegrationSections, Section};
use crate::error::ErrorTemplate;
use crate::integrations::api::{DeleteIntegration, get_integration, list_integrations};
use crate::integrations::list_controls::{SortHeader, current_query};
use crate::integrations::model::{Integration, IntegrationQuery, SORT_KEYS};
use crate::lifecycle::api::{MoveStage, get_lifecycle};
use crate::lifecycle::views::{StagePanel, StageTimeline};
use crate::overview::views::{OverviewSections, StateSummary};
use crate::users::model::UserRef;
use crate::weekly::views::FollowButton;

use super::form_views::{category_options, stage_options};

fn integration_row(i: Integration) -> impl IntoView {
    let href = format!("/integrations/{}", i.slug);
    let updated = i.updated_at.format("%Y-%m-%d").to_string();
    let stage_class = format!("badge stage-{}", i.stage.as_str());
    view! {
        <tr>
            <td>
                <a href=href>{i.name}</a>
            </td>
            <td>{i.provider}</td>
            <td>{i.category.label()}</td>
            <td>{i.priority.label()}</td>
            <td>
                <span class=stage_class>{i.stage.label()}</span>
                {i
                    .gate_overridden
                    .then(|| {
                        view! {
                            " "
                            <OverrideBadge />
                        }
                    })}
            </td>
            <td>{i.owner.name}</td>
            <td>
                <time datetime=i.updated_at.to_rfc3339()>{updated}</time>
            </td>
        </tr>
    }
}

/// The filter bar: a plain GET form, so it works with or without WebAssembly. It renders in
/// the same suspense as the list (one resource), which keeps hydration in step with the server.
#[component]
fn Filters(query: IntegrationQuery, owners: Vec<UserRef>) -> impl IntoView {
    let q = query.q.clone().unwrap_or_default();
    let owner_options = owners
        .into_iter()
        .map(|u| (u.id.to_string(), u.name))
        .collect();
    view! {
        <form
            method="get"
            action="/integrations"
            class="filters"
            role="search"
            aria-label="Filter integrations"
        >
            <Field
                name="q"
                label="Search"
                kind="search"
                value=q
                hint="Name, provider, slug, tag or objective"
            />
            <SelectField
                name="stage"
                label="Stage"
                options=stage_options()
                selected=query.stage.clone().unwrap_or_default()
                blank="Any stage"
            />
            <SelectField
                name="category"
                label="Category"
                options=category_options()
                selected=query.category.clone().unwrap_or_default()
                blank="Any category"
            />
            <SelectField
                name="owner"
                label="Owner"
                options=owner_options
                selected=query.owner.clone().unwrap_or_default()
                blank="Anyone"
            />
            {query.sort.clone().map(|s| view! { <input type="hidden" name="sort" value=s /> })}
            {query.dir.clone().map(|d| view! { <input type="hidden" name="dir" value=d /> })}
            <div class="filter-actions">
                <button type="submit" class="primary">
                    "Apply"
                </button>
                <a href="/integrations">"Clear"</a>
            </div>
        </form>
    }
}

/// The registry list with search, filters, sorting and pagination.
#[component]
pub fn IntegrationListPage() -> impl IntoView {
    let query = current_query();
    let page = Resource::new(
        move || query.get(),
        |q| list_integrations(q.q, q.stage, q.category, q.owner, q.sort, q.dir, q.page),
    );
    let views = crate::saved_views::views::Views::new("integrations");
    view! {
        <Shell page=move |user| {
            view! {
                <div class="page-head">
                    <h1>"Integrations"</h1>
                    {user
                        .can(Action::EditIntegrations)
                        .then(|| {
                            view! {
                                <a class="button primary" href="/integrations/new">
                                    "New integration"
                                </a>
                            }
                        })}
                </div>
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading integrations…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let q = query.get_untracked();
                        match page.await {
                            Ok(result) if result.items.is_empty() => {
                                view! {
                                    <Filters query=q.clone() owners=result.owners />
                                    <p class="empty" role="status">
                                        {if q == IntegrationQuery::default() {
                                            "No integrations yet."
                                        } else {
                                            "No integrations match these filters."
                                        }}
                                    </p>
                                }
                                    .into_any()
                            }
                            Ok(result) => {
                                let href = {
                                    let q = q.clone();
                                    move |n: u64| q.href(&[("page", Some(n.to_string()))])
                                };
                                view! {
                                    <Filters query=q.clone() owners=result.owners />
                                    <p class="count" role="status">
                                        {count(result.total, "integration", "integrations")}
                                    </p>
                                    <div class="table-wrap">
                                        <table>
                                            <caption class="visually-hidden">"Integrations"</caption>
                                            <thead>
                                                <tr>
                                                    {SORT_KEYS
                                                        .iter()
                                                        .take(5)
                                                        .map(|(k, l)| {
                                                            view! { <SortHeader query=q.clone() key=k label=l /> }
                                                        })
                                                        .collect_view()} <th scope="col">"Owner"</th>
                                                    <SortHeader query=q.clone() key="updated" label="Updated" />
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {result
                                                    .items
                                                    .into_iter()
                                                    .map(integration_row)
                                                    .collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    <Pagination page=result.page pages=result.pages href />
                                }
                                    .into_any()
                            }
                            Err(error) => view! { <ErrorTemplate error /> }.into_any(),
                        }
                    })}
                </Suspense>
                <crate::saved_views::views::SavedViews views />
            }
        } />
    }
}

/// One integration: first its state (stage, health, incidents, gate, next milestone, owner),
/// then the gate's criteria and the move action, the overview panels, its details and stage
/// timeline, and its newest history with a link to the rest.
#[component]
pub fn IntegrationDetailPage() -> impl IntoView {
    let slug = slug_param();
    let move_stage = ServerAction::<MoveStage>::new();
    let detail = Resource::new(move || slug.get(), get_integration);
    let life = Resource::new(move || slug.get(), get_lifecycle);
    let overview = Resource::new(move || slug.get(), crate::overview::api::get_overview);
    let delete = ServerAction::<DeleteIntegration>::new();
    let delete_error = action_error(delete);
    view! {
        <Shell page=move |user| {
            let can_edit = user.can(Action::EditIntegrations);
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || {
                        let user = user.clone();
                        Suspend::new(async move {
                            match (detail.await, life.await, overview.await) {
                                (Err(error), _, _) | (_, Err(error), _) | (_, _, Err(error)) => {
                                    view! { <ErrorTemplate error /> }.into_any()
                                }
                                (Ok(d), Ok(life), Ok(o)) => {
                                    let i = d.integration;
                                    let timeline = life.timeline.clone();
                                    let edit_href = format!("/integrations/{}/edit", i.slug);
                                    let history_href = format!("/integrations/{}/history", i.slug);
                                    let tags = if i.tags.is_empty() {
                                        "—".to_string()
                                    } else {
                                        i.tags.join(", ")
                                    };
                                    let id = i.id.to_string();
                                    let shown = d.history.len();
                                    let total = d.history_total;
                                    view! {
                                        <div class="page-head">
                                            <div>
                                                <p class="breadcrumb">
                                                    <a href="/integrations">"Integrations"</a>
                                                </p>
                                                <h1>
                                                    {i.name.clone()}
                                                    {i
                                                        .gate_overridden
                                                        .then(|| {
                                                            view! {
                                                                " "
                                                                <OverrideBadge />
                                                            }
                                                        })}
                                                </h1>
                                            </div>
                                            <div class="head-actions">
                                                <FollowButton slug=i.slug.clone() />
                                                {can_edit
                                                    .then(|| {
                                                        view! {
                                                            <a class="button" href=edit_href>
                                                                "Edit"
                                                            </a>
                                                        }
                                                    })}
                                            </div>
                                        </div>
                                        <IntegrationSections
                                            slug=i.slug.clone()
                                            current=Section::Overview
                                        />
                                        <StateSummary overview=o.clone() />
                                        <StagePanel life user=user.clone() action=move_stage />
                                        <OverviewSections overview=o />
                                        <section class="card" aria-labelledby="facts-title">
                                            <h2 id="facts-title">"Details"</h2>
                                            <dl class="facts">
                                                <dt>"Provider"</dt>
                                                <dd>{i.provider}</dd>
                                                <dt>"Category"</dt>
                                                <dd>{i.category.label()}</dd>
                                                <dt>"Priority"</dt>
                                                <dd>{i.priority.label()}</dd>
                                                <dt>"Slug"</dt>
                                                <dd>
                                                    <code>{i.slug}</code>
                                                </dd>
                                                <dt>"Tags"</dt>
                                                <dd>{tags}</dd>
                                                <dt>"Business objective"</dt>
                                                <dd class="prose">{i.business_objective}</dd>
                                                <dt>"Created"</dt>
                                                <dd>
                                                    {i.created_at.format("%Y-%m-%d %H:%M UTC").to_string()}
                                                </dd>
                                                <dt>"Updated"</dt>
                                                <dd>
                                                    {i.updated_at.format("%Y-%m-%d %H:%M UTC").to_string()}
                                                </dd>
                                            </dl>
                                        </section>
                                        <section class="card" aria-labelledby="stages-title">
                                            <h2 id="stages-title">"Stage timeline"</h2>
                                            <StageTimeline entries=timeline />
                                        </section>
                                        <section class="card" aria-labelledby="history-title">
                                            <h2 id="history-title">"History"</h2>
                                            <HistoryList entries=d.history />
                                            {(total > 0)
                                                .then(|| {
                                                    view! {
                                                        <p>
                                                            {format!("The newest {shown} of {total} entries. ")}
                                                            <a href=history_href>"The whole history"</a>
                                                        </p>
                                                    }
                                                })}
                                        </section>
                                        {can_edit
                                            .then(|| {
                                                view! {
                                                    <section
                                                        class="card danger-zone"
                                                        aria-labelledby="delete-title"
                                                    >
                                                        <h2 id="delete-title">"Delete"</h2>
                                                        <FormError error=delete_error />
                                                        <details class="confirm danger">
                                                            <summary>"Delete this integration…"</summary>
                                                            <p>
                                                                "This removes the integration from the registry. Its history stays in the activity trail."
                                                            </p>
                                                            <ActionForm action=delete>
                                                                <input type="hidden" name="id" value=id />
                                                                <button type="submit" class="danger">
                                                                    "Delete permanently"
                                                                </button>
                                                            </ActionForm>
                                                        </details>
                                                    </section>
                                                }
                                            })}
                                    }
                                        .into_any()
                                }
                            }
                        })
                    }}
                </Suspense>
            }
        } />
    }
}
