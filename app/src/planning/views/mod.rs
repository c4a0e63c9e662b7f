//! Planning pages, one per record kind, under `/integrations/:slug/planning/...`, with a tab
//! bar between them; plus the portfolio timeline and "My action items".

mod meetings;
mod milestones;
mod needs;
mod objectives;
mod plan;
mod timeline;
mod vendors;

pub use meetings::{MeetingsPage, MyActionItemsPage};
pub use milestones::{MilestonesPage, PortfolioTimelinePage};
pub use needs::NeedsPage;
pub use objectives::ObjectivesPage;
pub use plan::{PlanComparePage, PlanPage};
pub use timeline::Timeline;
pub use vendors::VendorsPage;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::model::IntegrationRef;
use crate::lifecycle::views::OverrideBadge;

/// The planning sections: (path below `planning/`, tab label).
const TABS: &[(&str, &str)] = &[
    ("needs", "Needs"),
    ("objectives", "Objectives"),
    ("vendors", "Vendors"),
    ("plan", "Plan"),
    ("milestones", "Milestones"),
    ("meetings", "Meetings"),
];

/// The slug in the current URL.
pub fn slug_param() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()))
}

/// The heading of a planning page with the tab bar; `current` is the active tab's path.
#[component]
pub fn PlanningHeader(integration: IntegrationRef, current: &'static str) -> impl IntoView {
    let base = format!("/integrations/{}", integration.slug);
    let title = TABS
        .iter()
        .find(|(p, _)| *p == current)
        .map_or("Planning", |(_, l)| l);
    view! {
        <div class="page-head">
            <div>
                <p class="breadcrumb">
                    <a href="/integrations">"Integrations"</a>" / "
                    <a href=base.clone()>{integration.name.clone()}</a>" / Planning"
                    {integration.gate_overridden.then(|| view! { " " <OverrideBadge/> })}
                </p>
                <h1>{title}</h1>
            </div>
        </div>
        <nav class="tabs" aria-label="Planning sections">
            <ul>
                {TABS
                    .iter()
                    .map(|(path, label)| {
                        let href = format!("{base}/planning/{path}");
                        let is_current = *path == current;
                        view! {
                            <li>
                                <a href=href aria-current=is_current.then_some("page")>{*label}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// A form behind a disclosure: edits stay out of the way, and deleting (`danger`) takes a
/// deliberate second step. The children are the form itself.
#[component]
pub fn Confirm(
    #[prop(into)] summary: String,
    #[prop(optional)] danger: bool,
    children: Children,
) -> impl IntoView {
    view! {
        <details class="confirm" class:danger=danger>
            <summary>{summary}</summary>
            {children()}
        </details>
    }
}

/// The hidden id field and the final button of a delete form.
#[component]
pub fn DeleteButton(id: i32, #[prop(into)] what: String) -> impl IntoView {
    view! {
        <input type="hidden" name="id" value=id.to_string()/>
        <button type="submit" class="danger">{format!("Delete {what} permanently")}</button>
    }
}
