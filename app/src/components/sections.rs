//! The row of an integration's sections, on its page and on every section's page: each a link,
//! the current one marked `aria-current="page"`. The row wraps, so every section shows at
//! every width; nothing is hidden behind a scroll.

use leptos::prelude::*;

/// One section of an integration: its path below `/integrations/{slug}` and its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overview,
    Planning,
    Environments,
    Credentials,
    Mapping,
    Checklists,
    Testing,
    Specs,
    Health,
    Errors,
    Provider,
    Audits,
    History,
}

impl Section {
    /// Every section, in the order the row shows them.
    pub const ALL: [Section; 13] = [
        Section::Overview,
        Section::Planning,
        Section::Environments,
        Section::Credentials,
        Section::Mapping,
        Section::Checklists,
        Section::Testing,
        Section::Specs,
        Section::Health,
        Section::Errors,
        Section::Provider,
        Section::Audits,
        Section::History,
    ];

    /// The path below `/integrations/{slug}`, with its leading slash ("" for the overview).
    pub fn path(self) -> &'static str {
        match self {
            Section::Overview => "",
            Section::Planning => "/planning/needs",
            Section::Environments => "/environments",
            Section::Credentials => "/credentials",
            Section::Mapping => "/mapping",
            Section::Checklists => "/checklists",
            Section::Testing => "/testing",
            Section::Specs => "/specs",
            Section::Health => "/health",
            Section::Errors => "/errors",
            Section::Provider => "/provider",
            Section::Audits => "/audits",
            Section::History => "/history",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Section::Overview => "Overview",
            Section::Planning => "Planning",
            Section::Environments => "Environments",
            Section::Credentials => "Credentials",
            Section::Mapping => "Data mapping",
            Section::Checklists => "Checklists",
            Section::Testing => "Testing",
            Section::Specs => "API specs",
            Section::Health => "Health",
            Section::Errors => "Errors",
            Section::Provider => "Provider and users",
            Section::Audits => "Audits",
            Section::History => "History",
        }
    }
}

/// The sections row of the integration `slug`, with `current` marked.
#[component]
pub fn IntegrationSections(slug: String, current: Section) -> impl IntoView {
    view! {
        <nav class="tabs sections" aria-label="Integration sections">
            <ul>
                {Section::ALL
                    .into_iter()
                    .map(|s| {
                        let href = format!("/integrations/{slug}{}", s.path());
                        view! {
                            <li>
                                <a href=href aria-current=(s == current).then_some("page")>
                                    {s.label()}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// The head of a section's page: the way back to the integrations and to this one (with the
/// override badge when its stage was entered past an unmet gate), the page's title, any
/// `children` as its actions, and the sections row.
#[component]
pub fn SectionHead(
    slug: String,
    name: String,
    current: Section,
    #[prop(into)] title: String,
    #[prop(optional)] overridden: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="page-head">
            <div>
                <p class="breadcrumb">
                    <a href="/integrations">"Integrations"</a>
                    " / "
                    <a href=format!("/integrations/{slug}")>{name}</a>
                    {overridden
                        .then(|| {
                            view! {
                                " "
                                <crate::components::badges::OverrideBadge />
                            }
                        })}
                </p>
                <h1>{title}</h1>
            </div>
            {children.map(|c| view! { <div class="head-actions">{c()}</div> })}
        </div>
        <IntegrationSections slug current />
    }
}
