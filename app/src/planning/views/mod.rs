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

use crate::integrations::model::IntegrationRef;

/// The planning sections: (path below `planning/`, tab label).
const TABS: &[(&str, &str)] = &[
    ("needs", "Needs"),
    ("objectives", "Objectives"),
    ("vendors", "Vendors"),
    ("plan", "Plan"),
    ("milestones", "Milestones"),
    ("meetings", "Meetings"),
];

/// The heading of a planning page with the tab bar; `current` is the active tab's path.
#[component]
pub fn PlanningHeader(integration: IntegrationRef, current: &'static str) -> impl IntoView {
    let base = format!("/integrations/{}", integration.slug);
    let title = TABS
        .iter()
        .find(|(p, _)| *p == current)
        .map_or("Planning", |(_, l)| l);
    view! {
        <crate::components::sections::SectionHead
            slug=integration.slug.clone()
            name=integration.name.clone()
            current=crate::components::sections::Section::Planning
            title=title
            overridden=integration.gate_overridden
        />
        <nav class="tabs" aria-label="Planning sections">
            <ul>
                {TABS
                    .iter()
                    .map(|(path, label)| {
                        let href = format!("{base}/planning/{path}");
                        let is_current = *path == current;
                        view! {
                            <li>
                                <a href=href aria-current=is_current.then_some("page")>
                                    {*label}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
