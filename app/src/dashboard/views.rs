//! The portfolio dashboard page (`/`): what a stakeholder needs to see in ten seconds.

use leptos::prelude::*;

use super::api::get_dashboard;
use super::model::{
    ComingUp, Dashboard, Health, KeyFigures, PortfolioRow, RecentEntry, duration_hours,
};
use crate::components::badges::OverrideBadge;
use crate::components::charts::BarChart;
use crate::components::layout::Shell;
use crate::error::ErrorTemplate;
use crate::integrations::list_controls::{SortHeader, current_query};
use crate::integrations::model::{IntegrationQuery, Stage};
use crate::monitoring::model::percent;

/// Where the dashboard lives.
const HOME: &str = "/";

fn stage_href(stage: Stage) -> String {
    IntegrationQuery {
        stage: Some(stage.as_str().into()),
        ..Default::default()
    }
    .href(&[])
}

#[component]
fn Pipeline(dashboard: Dashboard) -> impl IntoView {
    let total: u64 = dashboard.pipeline.iter().map(|s| s.count).sum();
    let bars = dashboard
        .pipeline
        .iter()
        .map(|s| {
            (
                s.stage.label().to_string(),
                s.count,
                Some(stage_href(s.stage)),
            )
        })
        .collect();
    let description = dashboard
        .pipeline
        .iter()
        .map(|s| format!("{}: {}", s.stage.label(), s.count))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <section class="card" aria-labelledby="pipeline-heading">
            <h2 id="pipeline-heading">"Pipeline"</h2>
            <ul class="pipeline">
                {dashboard
                    .pipeline
                    .into_iter()
                    .map(|s| {
                        view! {
                            <li>
                                <a href=stage_href(s.stage)>
                                    <span class="pipeline-count">{s.count.to_string()}</span>
                                    " "
                                    <span class="pipeline-stage">{s.stage.label()}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <BarChart title=format!("Integrations by stage ({total} in all)") description bars />
        </section>
    }
}

#[component]
fn Figures(figures: KeyFigures) -> impl IntoView {
    let stage_times = figures
        .stage_times
        .iter()
        .map(|t| {
            let value = t.median_hours.map_or_else(
                || "No stay ended yet".to_string(),
                |h| format!("{} (over {} stays)", duration_hours(h), t.stays),
            );
            view! { <li>{t.stage.label()}": "{value}</li> }
        })
        .collect_view();
    let late = figures.past_go_live.total;
    view! {
        <section class="card" aria-labelledby="figures-heading">
            <h2 id="figures-heading">"Key figures"</h2>
            <dl class="figures">
                <div>
                    <dt>"Milestones on time"</dt>
                    <dd>{figures.milestones_on_time.describe("No milestone done yet")}</dd>
                </div>
                <div>
                    <dt>"QA pass rate of the latest runs"</dt>
                    <dd>{figures.qa_pass_rate.describe("No result recorded yet")}</dd>
                </div>
                <div>
                    <dt>"Mean time to resolve incidents"</dt>
                    <dd>
                        {figures
                            .mttr_minutes
                            .map_or_else(
                                || "No incident resolved yet".to_string(),
                                |m| format!("{m} min"),
                            )}
                    </dd>
                </div>
                <div>
                    <dt>"Past their planned go-live"</dt>
                    <dd>
                        {late.to_string()}
                        {(late > 0)
                            .then(|| {
                                view! {
                                    <ul class="late">
                                        {figures
                                            .past_go_live
                                            .items
                                            .iter()
                                            .cloned()
                                            .map(|l| {
                                                view! {
                                                    <li>
                                                        <a href=format!(
                                                            "/integrations/{}",
                                                            l.integration.slug,
                                                        )>{l.integration.name}</a>
                                                        " ("
                                                        {l.stage.label()}
                                                        ", planned "
                                                        <time datetime=l
                                                            .planned
                                                            .to_string()>{l.planned.to_string()}</time>
                                                        ")"
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                    {more(figures.past_go_live.more(), Some("/timeline"))}
                                }
                            })}
                    </dd>
                </div>
                <div class="wide">
                    <dt>"Median time in each stage"</dt>
                    <dd>
                        <ul class="stage-times">{stage_times}</ul>
                    </dd>
                </div>
            </dl>
        </section>
    }
}

/// An integration's health as a badge.
pub fn health_badge(health: Health) -> impl IntoView {
    view! { <span class=format!("badge health-{}", health.as_str())>{health.label()}</span> }
}

fn portfolio_row(r: PortfolioRow) -> impl IntoView {
    let href = format!("/integrations/{}", r.integration.slug);
    let gate = r.gate.map_or_else(
        || "No gate ahead".to_string(),
        |g| format!("{} of {} met", g.part, g.whole),
    );
    let next = r.next_milestone.map(|m| {
        view! {
            {m.title}
            " · "
            <time datetime=m.due_date.to_string()>{m.due_date.to_string()}</time>
        }
    });
    view! {
        <tr>
            <td>
                <a href=href>{r.integration.name}</a>
                <br />
                <span class="muted">{r.provider}</span>
            </td>
            <td>
                <span class=format!("badge stage-{}", r.stage.as_str())>{r.stage.label()}</span>
                {r
                    .integration
                    .gate_overridden
                    .then(|| {
                        view! {
                            " "
                            <OverrideBadge />
                        }
                    })}
            </td>
            <td>{gate}</td>
            <td>{health_badge(r.health)}</td>
            <td>{r.uptime_30d_bp.map_or_else(|| "No checks".to_string(), percent)}</td>
            <td>{r.open_incidents.to_string()}</td>
            <td>
                {next
                    .map_or_else(
                        || view! { <span class="muted">"None open"</span> }.into_any(),
                        IntoAny::into_any,
                    )}
                {r
                    .overdue
                    .then(|| {
                        view! {
                            " "
                            <span class="badge overdue">"Overdue"</span>
                        }
                    })}
            </td>
            <td>{r.owner}</td>
        </tr>
    }
}

#[component]
fn Table(dashboard: Dashboard) -> impl IntoView {
    let q = dashboard.query.clone();
    if dashboard.rows.is_empty() {
        return view! {
            <section class="card" aria-labelledby="table-heading">
                <h2 id="table-heading">"Integrations"</h2>
                {if dashboard.query == IntegrationQuery::default() {
                    view! {
                        <p class="empty" role="status">
                            "No integrations yet. "
                            <a href="/integrations/new">"Create the first one"</a>
                            "."
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <p class="empty" role="status">
                            "No integration matches these filters. "
                            <a href=HOME>"Show them all"</a>
                            "."
                        </p>
                    }
                        .into_any()
                }}
            </section>
        }
        .into_any();
    }
    let page_href = {
        let q = q.clone();
        move |n: u64| q.href_on(HOME, &[("page", Some(n.to_string()))])
    };
    view! {
        <section class="card" aria-labelledby="table-heading">
            <h2 id="table-heading">"Integrations"</h2>
            <p class="count" role="status">
                {format!(
                    "{} integration{}",
                    dashboard.total,
                    if dashboard.total == 1 { "" } else { "s" },
                )}
            </p>
            <div class="table-wrap">
                <table>
                    <caption class="visually-hidden">
                        "Every integration with its gate, health and next milestone"
                    </caption>
                    <thead>
                        <tr>
                            <SortHeader query=q.clone() key="name" label="Integration" base=HOME />
                            <SortHeader query=q.clone() key="stage" label="Stage" base=HOME />
                            <th scope="col">"Gate"</th>
                            <th scope="col">"Health"</th>
                            <th scope="col">"Uptime (30 days)"</th>
                            <th scope="col">"Open incidents"</th>
                            <th scope="col">"Next milestone"</th>
                            <th scope="col">"Owner"</th>
                        </tr>
                    </thead>
                    <tbody>{dashboard.rows.into_iter().map(portfolio_row).collect_view()}</tbody>
                </table>
            </div>
            <crate::components::pagination::Pagination
                page=dashboard.page
                pages=dashboard.pages
                href=page_href
            />
        </section>
    }
    .into_any()
}

/// "And 12 more", linked to where the whole list is when there is such a page.
fn more(n: u64, href: Option<&'static str>) -> impl IntoView {
    (n > 0).then(|| match href {
        Some(href) => view! {
            <p class="more">
                <a href=href>{format!("And {n} more")}</a>
            </p>
        }
        .into_any(),
        None => view! { <p class="more">{format!("And {n} more")}</p> }.into_any(),
    })
}

fn integration_link(i: crate::integrations::model::IntegrationRef, below: &str) -> impl IntoView {
    view! { <a href=format!("/integrations/{}/{below}", i.slug)>{i.name}</a> }
}

#[component]
fn Upcoming(coming: ComingUp) -> impl IntoView {
    let nothing = |what: &str| view! { <p class="muted">{what.to_string()}</p> };
    let (milestones_more, credentials_more, certificates_more, audits_more) = (
        coming.milestones.more(),
        coming.credentials.more(),
        coming.certificates.more(),
        coming.audits.more(),
    );
    view! {
        <section class="card" aria-labelledby="coming-heading">
            <h2 id="coming-heading">{format!("Coming up in {} days", coming.days)}</h2>
            <div class="columns">
                <div>
                    <h3>"Milestones due"</h3>
                    {if coming.milestones.is_empty() {
                        nothing("No milestone due.").into_any()
                    } else {
                        view! {
                            <ul>
                                {coming
                                    .milestones
                                    .items
                                    .into_iter()
                                    .map(|m| {
                                        view! {
                                            <li>
                                                <time datetime=m
                                                    .due_date
                                                    .to_string()>{m.due_date.to_string()}</time>
                                                " "
                                                {integration_link(m.integration, "planning/milestones")}
                                                ": "
                                                {m.title}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            {more(milestones_more, Some("/timeline"))}
                        }
                            .into_any()
                    }}
                </div>
                <div>
                    <h3>"Credential rotations and expiries"</h3>
                    {if coming.credentials.is_empty() {
                        nothing("No rotation due.").into_any()
                    } else {
                        view! {
                            <ul>
                                {coming
                                    .credentials
                                    .items
                                    .into_iter()
                                    .map(|c| {
                                        view! {
                                            <li>
                                                <time datetime=c.due.to_string()>{c.due.to_string()}</time>
                                                " "
                                                {integration_link(c.integration, "credentials")}
                                                ": "
                                                {c.name}
                                                " ("
                                                {c.environment}
                                                ") · "
                                                <strong>{c.status.label()}</strong>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            {more(credentials_more, None)}
                        }
                            .into_any()
                    }}
                </div>
                <div>
                    <h3>"Certificates expiring"</h3>
                    {if coming.certificates.is_empty() {
                        nothing("No certificate expiring.").into_any()
                    } else {
                        view! {
                            <ul>
                                {coming
                                    .certificates
                                    .items
                                    .into_iter()
                                    .map(|c| {
                                        view! {
                                            <li>
                                                {integration_link(c.integration, "health")}" "
                                                {c.environment}": " {format!("{} days left", c.days_left)}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            {more(certificates_more, None)}
                        }
                            .into_any()
                    }}
                </div>
                <div>
                    <h3>"Audits due"</h3>
                    {if coming.audits.is_empty() {
                        nothing("No audit due.").into_any()
                    } else {
                        view! {
                            <ul>
                                {coming
                                    .audits
                                    .items
                                    .into_iter()
                                    .map(|a| {
                                        view! {
                                            <li>
                                                <time datetime=a
                                                    .next_due
                                                    .to_string()>{a.next_due.to_string()}</time>
                                                " "
                                                {integration_link(a.integration, "audits")}
                                                ": "
                                                {a.title}
                                                {a
                                                    .overdue
                                                    .then(|| {
                                                        view! {
                                                            " "
                                                            <span class="badge danger">"Overdue"</span>
                                                        }
                                                    })}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            {more(audits_more, None)}
                        }
                            .into_any()
                    }}
                </div>
            </div>
        </section>
    }
}

#[component]
fn Recent(entries: Vec<RecentEntry>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="recent-heading">
            <h2 id="recent-heading">"Recent activity"</h2>
            {if entries.is_empty() {
                view! { <p class="muted">"Nothing has happened yet."</p> }.into_any()
            } else {
                view! {
                    <ol class="recent">
                        {entries
                            .into_iter()
                            .map(|r| {
                                let at = r.entry.at;
                                view! {
                                    <li>
                                        <time datetime=at
                                            .to_rfc3339()>
                                            {at.format("%Y-%m-%d %H:%M").to_string()}
                                        </time>
                                        " "
                                        {format!(
                                            "{} · {} {}",
                                            r.entry.actor.unwrap_or_else(|| "Tollgate".into()),
                                            r.entry.action,
                                            r.entry.kind,
                                        )}
                                        {r
                                            .integration
                                            .map(|i| {
                                                view! {
                                                    " · "
                                                    <a href=format!("/integrations/{}", i.slug)>{i.name}</a>
                                                }
                                            })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </section>
    }
}

/// The portfolio dashboard: the home page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = current_query();
    let dashboard = Resource::new(move || query.get(), get_dashboard);
    let views = crate::saved_views::views::Views::new("dashboard");
    view! {
        <Shell page=move |_user| {
            view! {
                <div class="page-head">
                    <h1>"Portfolio"</h1>
                    <div class="head-actions no-print">
                        <a href="/api/v1/reports/portfolio.csv" download>
                            "Download CSV"
                        </a>
                        <a href="/api/v1/reports/portfolio.md" download>
                            "Download Markdown"
                        </a>
                    </div>
                </div>
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading the portfolio…"</p> }
                }>
                    {move || Suspend::new(async move {
                        match dashboard.await {
                            Ok(d) => {
                                view! {
                                    <Pipeline dashboard=d.clone() />
                                    <Figures figures=d.figures.clone() />
                                    <Table dashboard=d.clone() />
                                    <crate::saved_views::views::SavedViews views />
                                    <Upcoming coming=d.coming_up.clone() />
                                    <Recent entries=d.recent />
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
