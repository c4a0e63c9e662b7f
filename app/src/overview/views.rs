//! The overview on an integration's page (charts, then the report's tables with links to
//! where each part is kept) and the printable status report page.

use leptos::prelude::*;

use super::api::get_overview;
use super::model::{IntegrationOverview, burn_up};
use super::report::{Section, sections};
use crate::components::charts::{BurnUp, Sparkline, UptimeStrip};
use crate::components::layout::Shell;
use crate::components::route::slug_param;
use crate::error::ErrorTemplate;

/// The link text for a section's page.
fn page_label(page: &str) -> &'static str {
    match page {
        "planning/objectives" => "Objectives page",
        "planning/milestones" => "Milestones page",
        "testing" => "Testing page",
        "health" => "Health page",
        "credentials" => "Credentials page",
        "specs" => "API specs page",
        _ => "More",
    }
}

/// How many rows of each table the integration's page shows.
pub const ROWS_ON_PAGE: usize = 10;

/// One section of the report as a card: its summary lines, then its table or its empty
/// message, then (on the integration's page) a link to where its records are kept.
#[component]
pub fn SectionCard(
    section: Section,
    /// The integration's slug, to link to the section's page; `None` on the printable report.
    #[prop(optional)]
    slug: Option<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let id = format!("section-{}", section.key);
    let heading = id.clone();
    let mut section = section;
    // On the integration's page a table shows its first rows and says how many there are;
    // the section's own page lists them all.
    let rows = section.rows.len();
    let cut = (slug.is_some() && rows > ROWS_ON_PAGE).then(|| {
        section.rows.truncate(ROWS_ON_PAGE);
        view! { <p class="count">{format!("The first {ROWS_ON_PAGE} of {rows}.")}</p> }
    });
    let link = slug.filter(|_| !section.page.is_empty()).map(|s| {
        view! {
            <p class="no-print">
                <a href=format!("/integrations/{s}/{}", section.page)>{page_label(section.page)}</a>
            </p>
        }
    });
    let table_label = format!("{} table", section.title);
    let table = (!section.columns.is_empty()).then(|| {
        if section.rows.is_empty() {
            view! { <p class="muted">{section.empty}</p> }.into_any()
        } else {
            let head = section
                .columns
                .iter()
                .map(|c| view! { <th scope="col">{*c}</th> })
                .collect_view();
            let rows = section
                .rows
                .into_iter()
                .map(|r| {
                    let mut cells = r.into_iter();
                    let first = cells.next().unwrap_or_default();
                    view! {
                        <tr>
                            <th scope="row">{first}</th>
                            {cells.map(|c| view! { <td>{c}</td> }).collect_view()}
                        </tr>
                    }
                })
                .collect_view();
            view! {
                // Focusable, so a keyboard can scroll a table wider than a phone.
                <div class="table-wrap" tabindex="0" role="region" aria-label=table_label>
                    <table>
                        <thead>
                            <tr>{head}</tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }
    });
    view! {
        <section class="card report-section" aria-labelledby=heading>
            <h2 id=id>{section.title}</h2>
            {section.summary.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
            {children.map(|c| c())}
            {table}
            {cut}
            {link}
        </section>
    }
}

/// The charts of the overview: the milestone burn-up, and for each monitored environment its
/// latest checks and hourly p95 latency.
fn charts(o: &IntegrationOverview, key: &str) -> Option<AnyView> {
    match key {
        "milestones" if !o.milestones.is_empty() => {
            let points = burn_up(&o.milestones)
                .into_iter()
                .map(|p| (p.date, p.planned, p.done))
                .collect();
            Some(
                view! {
                    <BurnUp
                        title=format!("{} milestone burn-up", o.integration.name)
                        points
                        total=o.milestones.len()
                    />
                }
                .into_any(),
            )
        }
        "health" if !o.environments.is_empty() => Some(
            o.environments
                .iter()
                .map(|e| {
                    let checks = e
                        .recent
                        .iter()
                        .rev()
                        .map(|r| (r.scheduled_at, r.up))
                        .collect();
                    let p95: Vec<i64> = e.p95_by_hour.iter().map(|h| i64::from(h.p95_ms)).collect();
                    let label = format!("{}: p95 latency of the last {} hours", e.name, p95.len());
                    view! {
                        <div class="env-health">
                            <h3>{e.name.clone()}</h3>
                            <UptimeStrip title=format!("{}: latest checks", e.name) checks />
                            {(!p95.is_empty())
                                .then(|| {
                                    view! {
                                        <p>"p95 latency by hour "<Sparkline values=p95 label /></p>
                                    }
                                })}
                        </div>
                    }
                })
                .collect_view()
                .into_any(),
        ),
        _ => None,
    }
}

/// The state of the integration, first on its page: stage, health, open incidents, the gate
/// in front of the next stage with what it still needs, the next milestone and the owner.
#[component]
pub fn StateSummary(overview: IntegrationOverview) -> impl IntoView {
    let o = overview;
    let slug = o.integration.slug.clone();
    let since = o
        .in_stage_since()
        .map(|at| format!(" since {}", at.format("%Y-%m-%d")));
    let incidents = match o.open_incidents.first() {
        None => view! { "None" }.into_any(),
        Some(newest) => view! {
            {format!("{}; newest: ", o.open_incidents.len())}
            <a href=format!("/incidents/{}", newest.id)>{newest.title.clone()}</a>
        }
        .into_any(),
    };
    let gate = o.gate.as_ref().map(|g| {
        let label = format!("Gate to {}", g.to.label());
        let value = if g.open() {
            view! {
                <span class="badge ok">"Open"</span>
                " every criterion is met"
            }
            .into_any()
        } else {
            view! {
                <span class="badge danger">"Closed"</span>
                {format!(" still needs: {}", g.missing().join("; "))}
            }
            .into_any()
        };
        view! {
            <dt>{label}</dt>
            <dd>{value}</dd>
        }
    });
    let next = match o.next_milestone() {
        None => view! { "None planned" }.into_any(),
        Some(m) => view! {
            {m.title.clone()}
            " · due "
            <time datetime=m.due_date.to_string()>{m.due_date.to_string()}</time>
            {m
                .overdue
                .then(|| {
                    view! {
                        " "
                        <span class="badge danger">"Overdue"</span>
                    }
                })}
        }
        .into_any(),
    };
    view! {
        <section class="card state" aria-labelledby="state-title">
            <h2 id="state-title">"Now"</h2>
            <dl class="facts">
                <dt>"Stage"</dt>
                <dd>
                    <span class=format!("badge stage-{}", o.stage.as_str())>{o.stage.label()}</span>
                    {since}
                </dd>
                <dt>"Health"</dt>
                <dd>
                    {crate::dashboard::views::health_badge(o.health)}" "
                    <a href=format!("/integrations/{slug}/health")>"Health page"</a>
                </dd>
                <dt>"Open incidents"</dt>
                <dd>{incidents}</dd>
                {gate}
                <dt>"Next milestone"</dt>
                <dd>{next}</dd>
                <dt>"Owner"</dt>
                <dd>{o.owner.clone()}</dd>
            </dl>
        </section>
    }
}

/// The overview's sections, minus what the integration page shows above it (summary, gate
/// and timeline), each with its charts.
#[component]
pub fn OverviewSections(overview: IntegrationOverview) -> impl IntoView {
    let slug = overview.integration.slug.clone();
    let report = format!("/integrations/{slug}/report");
    let review = format!("/integrations/{slug}/review");
    let cards = sections(&overview)
        .into_iter()
        .filter(|s| !matches!(s.key, "summary" | "gate" | "timeline"))
        .map(|s| {
            let chart = charts(&overview, s.key);
            view! {
                <SectionCard section=s slug=slug.clone()>
                    {chart}
                </SectionCard>
            }
        })
        .collect_view();
    view! {
        <div class="page-head">
            <h2>"Overview"</h2>
            <div class="head-actions no-print">
                <a href=report>"Status report"</a>
                <a href=review>"Post-implementation review"</a>
            </div>
        </div>
        <div class="overview">{cards}</div>
    }
}

/// The printable status report of one integration, with its downloads.
#[component]
pub fn StatusReportPage() -> impl IntoView {
    let slug = slug_param();
    let overview = Resource::new(move || slug.get(), get_overview);
    view! {
        <Shell page=move |_user| {
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading the report…"</p> }
                }>
                    {move || Suspend::new(async move {
                        match overview.await {
                            Ok(o) => {
                                let slug = o.integration.slug.clone();
                                let base = format!("/api/v1/integrations/{slug}/report");
                                view! {
                                    <div class="page-head">
                                        <div>
                                            <p class="breadcrumb no-print">
                                                <a href=format!(
                                                    "/integrations/{slug}",
                                                )>{o.integration.name.clone()}</a>
                                            </p>
                                            <h1>{format!("Status report: {}", o.integration.name)}</h1>
                                            <p class="muted">
                                                {format!("As of {} UTC", o.at.format("%Y-%m-%d %H:%M"))}
                                            </p>
                                        </div>
                                        <div class="head-actions no-print">
                                            <a href=format!("{base}.csv") download>
                                                "Download CSV"
                                            </a>
                                            <a href=format!("{base}.md") download>
                                                "Download Markdown"
                                            </a>
                                        </div>
                                    </div>
                                    {sections(&o)
                                        .into_iter()
                                        .map(|s| view! { <SectionCard section=s /> })
                                        .collect_view()}
                                }
                                    .into_any()
                            }
                            Err(error) => view! { <ErrorTemplate error /> }.into_any(),
                        }
                    })}
                </Suspense>
            }
        } />
    }
}

/// An integration's post-implementation review: the saved one (or the draft from the records
/// until someone saves it), editable by coordinators and admins.
#[component]
pub fn ReviewPageView() -> impl IntoView {
    use super::api::{SaveReview, get_review};
    use crate::components::forms::{FormError, TextArea, action_error, field_error};
    let slug = slug_param();
    let save = ServerAction::<SaveReview>::new();
    let error = action_error(save);
    let review = Resource::new(move || slug.get(), get_review);
    view! {
        <Shell page=move |_user| {
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading the review…"</p> }
                }>
                    {move || Suspend::new(async move {
                        match review.await {
                            Ok(r) => {
                                let back = format!("/integrations/{}", r.integration.slug);
                                let status = match &r.saved {
                                    Some(s) => {
                                        format!(
                                            "Last saved by {} on {} UTC.",
                                            s.updated_by,
                                            s.updated_at.format("%Y-%m-%d %H:%M"),
                                        )
                                    }
                                    None => {
                                        "Not saved yet: below is the draft Tollgate wrote from the records."
                                            .to_string()
                                    }
                                };
                                let body = r
                                    .saved
                                    .as_ref()
                                    .map_or_else(|| r.draft.clone(), |s| s.body.clone());
                                let editor = if r.can_edit {
                                    view! {
                                        <FormError error />
                                        <ActionForm action=save>
                                            <input
                                                type="hidden"
                                                name="integration_id"
                                                value=r.integration.id.to_string()
                                            />
                                            <TextArea
                                                name="body"
                                                label="Review (Markdown)"
                                                value=body
                                                required=true
                                                error=field_error(error, "body")
                                            />
                                            <div class="form-actions">
                                                <button type="submit" class="primary">
                                                    "Save review"
                                                </button>
                                            </div>
                                        </ActionForm>
                                    }
                                        .into_any()
                                } else {
                                    view! { <pre class="prose review">{body}</pre> }.into_any()
                                };
                                view! {
                                    <div class="page-head">
                                        <div>
                                            <p class="breadcrumb">
                                                <a href=back>{r.integration.name.clone()}</a>
                                            </p>
                                            <h1>
                                                {format!(
                                                    "Post-implementation review: {}",
                                                    r.integration.name,
                                                )}
                                            </h1>
                                            <p class="muted" role="status">
                                                {status}
                                            </p>
                                        </div>
                                    </div>
                                    <section class="card review-editor" aria-label="Review">
                                        {editor}
                                    </section>
                                    {r
                                        .saved
                                        .is_some()
                                        .then(|| {
                                            view! {
                                                <section class="card" aria-labelledby="draft-heading">
                                                    <h2 id="draft-heading">"The draft from today's records"</h2>
                                                    <details>
                                                        <summary>"Show the draft"</summary>
                                                        <pre class="prose review">{r.draft.clone()}</pre>
                                                    </details>
                                                </section>
                                            }
                                        })}
                                }
                                    .into_any()
                            }
                            Err(error) => view! { <ErrorTemplate error /> }.into_any(),
                        }
                    })}
                </Suspense>
            }
        } />
    }
}
