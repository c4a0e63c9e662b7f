//! A run's summary report: pass rate per category and configuration, and the failures with
//! the defects filed from them. It prints cleanly (the print stylesheet drops the navigation
//! and the buttons) and downloads as CSV.

use leptos::prelude::*;

use super::api::get_test_run;
use super::report::{by_category, by_configuration, configuration_label, failures};
use super::run_list::signoff_badge;
use super::run_views::{Progress, TallyTable, run_param};
use crate::components::layout::Shell;
use crate::components::route::slug_param;
use crate::error::ErrorTemplate;

/// The summary report of one run.
#[component]
pub fn RunReportPage() -> impl IntoView {
    let slug = slug_param();
    let run_id = run_param();
    let page = Resource::new(
        move || (slug.get(), run_id.get()),
        |(s, id)| get_test_run(s, id),
    );
    view! {
        <Shell page=move |_| {
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let page = match page.await {
                            Ok(p) => p,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        let run = page.run.clone();
                        let base = format!("/integrations/{}", run.integration.slug);
                        let href = format!("{base}/runs/{}", run.id);
                        let counts = page.counts.clone();
                        let failed = failures(&page)
                            .into_iter()
                            .map(|(e, d)| (e.clone(), d.into_iter().cloned().collect::<Vec<_>>()))
                            .collect::<Vec<_>>();
                        view! {
                            <div class="page-head">
                                <div>
                                    <p class="breadcrumb no-print">
                                        <a href="/integrations">"Integrations"</a>
                                        " / "
                                        <a href=base.clone()>{run.integration.name.clone()}</a>
                                        " / "
                                        <a href=format!("{base}/testing")>"Testing"</a>
                                        " / "
                                        <a href=href.clone()>{run.name.clone()}</a>
                                    </p>
                                    <h1>{format!("Test run summary: {}", run.name)}</h1>
                                    <p>
                                        {format!(
                                            "{}. Build {}; environment {}; started {} by {}.",
                                            run.integration.name,
                                            if run.build.is_empty() { "—" } else { &run.build },
                                            run.environment.clone().unwrap_or_else(|| "—".into()),
                                            run.started_at.format("%Y-%m-%d %H:%M UTC"),
                                            run.started_by.name,
                                        )}" "{signoff_badge(page.signoffs.first())}
                                    </p>
                                </div>
                                <div class="head-actions no-print">
                                    <a
                                        class="button"
                                        href=format!("/api/v1/test-runs/{}/results.csv", run.id)
                                        download=""
                                    >
                                        "Download CSV"
                                    </a>
                                </div>
                            </div>
                            <Progress counts=Signal::stored(counts.clone()) />
                            <p>
                                {format!(
                                    "Pass rate: {} (skipped executions left out).",
                                    counts
                                        .pass_rate()
                                        .map_or_else(|| "—".to_string(), |p| format!("{p}%")),
                                )}
                            </p>
                            <section aria-labelledby="by-category">
                                <h2 id="by-category">"Per category"</h2>
                                <TallyTable
                                    caption="Category"
                                    tallies=by_category(&page.executions)
                                />
                            </section>
                            <section aria-labelledby="by-configuration">
                                <h2 id="by-configuration">"Per configuration"</h2>
                                <TallyTable
                                    caption="Configuration"
                                    tallies=by_configuration(&page.executions)
                                />
                            </section>
                            <section aria-labelledby="failures">
                                <h2 id="failures">"Failures and blocks"</h2>
                                {if failed.is_empty() {
                                    view! {
                                        <p class="empty">"None: nothing failed or was blocked."</p>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <div class="table-wrap">
                                            <table>
                                                <caption class="visually-hidden">
                                                    "Failures and blocks"
                                                </caption>
                                                <thead>
                                                    <tr>
                                                        <th scope="col">"Case"</th>
                                                        <th scope="col">"Configuration"</th>
                                                        <th scope="col">"Result"</th>
                                                        <th scope="col">"Actual result"</th>
                                                        <th scope="col">"Defects"</th>
                                                    </tr>
                                                </thead>
                                                <tbody>
                                                    {failed
                                                        .into_iter()
                                                        .map(|(e, defects)| {
                                                            view! {
                                                                <tr>
                                                                    <td>
                                                                        <code>{e.case_key.clone()}</code>
                                                                        " "
                                                                        {e.case_title.clone()}
                                                                    </td>
                                                                    <td>{configuration_label(&e.configuration)}</td>
                                                                    <td>{e.status.label()}</td>
                                                                    <td>{e.actual.clone()}</td>
                                                                    <td>
                                                                        {if defects.is_empty() {
                                                                            "None filed".to_string()
                                                                        } else {
                                                                            defects
                                                                                .iter()
                                                                                .map(|d| {
                                                                                    format!(
                                                                                        "#{} {} ({}, {})",
                                                                                        d.id,
                                                                                        d.title,
                                                                                        d.severity.label(),
                                                                                        d.status.label(),
                                                                                    )
                                                                                })
                                                                                .collect::<Vec<_>>()
                                                                                .join("; ")
                                                                        }}
                                                                    </td>
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
                            </section>
                        }
                            .into_any()
                    })}
                </Suspense>
            }
        } />
    }
}
