//! A run's page, built for recording hundreds of results: a row per execution that takes
//! keyboard shortcuts (P pass, F fail, B blocked, S skipped, J/K or the arrows to move), the
//! progress and the counts per category and configuration recomputed as results land (no page
//! reload, so the focus stays where the tester is), filters by status, category and
//! configuration, defects filed from failed executions, JUnit upload and the sign-off.
//! Without JavaScript every row still has its buttons and every form posts.

use crate::auth::access::Action;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{SignOffTestRun, UpdateDefect, get_test_run};
use super::defect_views::DefectTable;
use super::execution_row::{Actions, ExecutionRow, RowContext, reload_page};
use super::model::{CaseCategory, Counts, Defect, Execution, ExecutionStatus};
use super::report::{Tally, by_category, by_configuration, configuration_label};
use super::run_list::signoff_badge;
use crate::components::forms::choices;
use crate::components::forms::{FormError, SelectField, TextArea, action_error, field_error};
use crate::components::layout::Shell;
use crate::components::route::slug_param;
use crate::error::ErrorTemplate;

/// The run id in the current URL.
pub fn run_param() -> Memo<i32> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0)))
}

/// A table of counts per group.
#[component]
pub fn TallyTable(#[prop(into)] caption: String, tallies: Vec<Tally>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="tally">
                <caption>{caption.clone()}</caption>
                <thead>
                    <tr>
                        <th scope="col">{caption}</th>
                        <th scope="col">"Total"</th>
                        <th scope="col">"Passed"</th>
                        <th scope="col">"Failed"</th>
                        <th scope="col">"Blocked"</th>
                        <th scope="col">"Skipped"</th>
                        <th scope="col">"Untested"</th>
                        <th scope="col">"Pass rate"</th>
                    </tr>
                </thead>
                <tbody>
                    {tallies
                        .into_iter()
                        .map(|t| {
                            view! {
                                <tr>
                                    <th scope="row">{t.label}</th>
                                    <td>{t.counts.total}</td>
                                    <td>{t.counts.passed}</td>
                                    <td>{t.counts.failed}</td>
                                    <td>{t.counts.blocked}</td>
                                    <td>{t.counts.skipped}</td>
                                    <td>{t.counts.untested}</td>
                                    <td>
                                        {t
                                            .counts
                                            .pass_rate()
                                            .map_or_else(|| "—".to_string(), |p| format!("{p}%"))}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The progress bar and status counts of `counts`.
#[component]
pub fn Progress(#[prop(into)] counts: Signal<Counts>) -> impl IntoView {
    view! {
        <div class="progress">
            <progress
                aria-label="Executions recorded"
                max=move || counts.get().total.max(1)
                value=move || counts.get().recorded()
            ></progress>
            <p aria-live="polite">
                {move || {
                    let c = counts.get();
                    format!(
                        "{} of {} recorded ({}%): {} passed, {} failed, {} blocked, {} skipped.",
                        c.recorded(),
                        c.total,
                        c.progress(),
                        c.passed,
                        c.failed,
                        c.blocked,
                        c.skipped,
                    )
                }}
            </p>
        </div>
    }
}

/// The filter bar: a GET form, so a filtered view is a link.
#[component]
fn Filters(configurations: Vec<String>, href: String, filter: RunFilter) -> impl IntoView {
    let configuration_options: Vec<(String, String)> = configurations
        .into_iter()
        .map(|c| {
            let label = configuration_label(&c);
            (if c.is_empty() { "none".into() } else { c }, label)
        })
        .collect();
    let clear = href.clone();
    view! {
        <form method="get" action=href class="filters" role="search" aria-label="Filter executions">
            <SelectField
                name="status"
                label="Status"
                options=choices(
                    ExecutionStatus::ALL,
                    ExecutionStatus::as_str,
                    ExecutionStatus::label,
                )
                selected=filter.status.clone()
                blank="Any status"
            />
            <SelectField
                name="category"
                label="Category"
                options=choices(CaseCategory::ALL, CaseCategory::as_str, CaseCategory::label)
                selected=filter.category.clone()
                blank="Any category"
            />
            <SelectField
                name="configuration"
                label="Configuration"
                options=configuration_options
                selected=filter.configuration.clone()
                blank="Any configuration"
            />
            <button type="submit">"Filter"</button>
            <a href=clear>"Clear filters"</a>
        </form>
    }
}

/// The filters in the query: empty is any.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RunFilter {
    status: String,
    category: String,
    configuration: String,
}

impl RunFilter {
    /// Whether execution `e` passes the filters.
    fn shows(&self, e: &Execution) -> bool {
        (self.status.is_empty() || e.status.as_str() == self.status)
            && (self.category.is_empty() || e.category.as_str() == self.category)
            && (self.configuration.is_empty()
                || e.configuration == self.configuration
                || (self.configuration == "none" && e.configuration.is_empty()))
    }
}

/// What the last JUnit upload did, from the query the upload redirected to.
#[component]
fn ImportNotice() -> impl IntoView {
    let query = use_query_map();
    move || {
        query.with(|q| {
            if let Some(error) = q.get("junit_error") {
                return Some(
                    view! {
                        <p class="form-error" role="alert">
                            {format!("The JUnit file was not imported: {error}")}
                        </p>
                    }
                    .into_any(),
                );
            }
            let recorded = q.get("recorded")?;
            let cases = q.get("test_cases").unwrap_or_default();
            let unmatched = q.get_all("unmatched").unwrap_or_default();
            let more = q.get("unmatched_more").unwrap_or_default();
            Some(view! {
                <div class="notice" role="status">
                    <p>
                        {format!("Imported {cases} test case(s); {recorded} result(s) recorded.")}
                    </p>
                    {(!unmatched.is_empty())
                        .then(|| {
                            view! {
                                <p>
                                    {format!(
                                        "{} test case(s) matched no case of the plan:",
                                        unmatched.len(),
                                    )}
                                </p>
                                <ul>
                                    {unmatched
                                        .into_iter()
                                        .map(|u| {
                                            view! {
                                                <li>
                                                    <code>{u}</code>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                                {(!more.is_empty())
                                    .then(|| view! { <p>{format!("…and {more} more.")}</p> })}
                            }
                        })}
                </div>
            }.into_any())
        })
    }
}

/// What the executions island shows and may do.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct RunView {
    executions: Vec<Execution>,
    defects: Vec<Defect>,
    live_signoff: bool,
    can_record: bool,
    can_file: bool,
    integration_id: i32,
    href: String,
    filter: RunFilter,
}

/// The progress, the counts and the executions of a run: an island, so results recorded from
/// the keyboard land in place (the focus stays on the tester's row) and the counts follow.
#[island]
fn RunExecutions(run: RunView) -> impl IntoView {
    let RunView {
        executions,
        defects,
        live_signoff,
        can_record,
        can_file,
        integration_id,
        href,
        filter,
    } = run;
    let actions = Actions {
        record: ServerAction::new(),
        file_defect: ServerAction::new(),
    };
    let rows = RwSignal::new(executions.clone());
    let ctx = RowContext {
        rows,
        actions,
        live_signoff,
        can_record,
        can_file,
        integration_id,
        announce: RwSignal::new(String::new()),
        key_error: RwSignal::new(None),
    };
    // A result saved through a row's form (a click, or the details form).
    Effect::new(move |_| {
        if let Some(Ok(e)) = actions.record.value().get() {
            ctx.put(e);
            if ctx.live_signoff {
                reload_page();
            }
        }
    });
    // A filed defect shows in the defects table, outside the island.
    Effect::new(move |_| {
        if matches!(actions.file_defect.value().get(), Some(Ok(_))) {
            reload_page();
        }
    });
    let counts = Signal::derive(move || rows.with(|r| Counts::of(r.iter().map(|e| e.status))));
    let mut configurations: Vec<String> = Vec::new();
    for e in &executions {
        if !configurations.contains(&e.configuration) {
            configurations.push(e.configuration.clone());
        }
    }
    let shown = filter.clone();
    let visible = Memo::new(move |_| {
        rows.with(|r| {
            r.iter()
                .filter(|e| shown.shows(e))
                .map(|e| e.id)
                .collect::<Vec<_>>()
        })
    });
    let defect_error = action_error(actions.file_defect);
    let record_error = action_error(actions.record);
    view! {
        <Progress counts />
        <details class="card">
            <summary>"Counts per category and configuration"</summary>
            {move || {
                rows.with(|r| {
                    view! {
                        <TallyTable caption="Category" tallies=by_category(r) />
                        <TallyTable caption="Configuration" tallies=by_configuration(r) />
                    }
                })
            }}
        </details>
        <section class="card" aria-labelledby="executions-title">
            <h2 id="executions-title">"Executions"</h2>
            {can_record
                .then(|| {
                    view! {
                        <p class="hint" id="keys-help">
                            "Keyboard: Tab to a row, then P pass, F fail, B blocked, S skipped (each moves to the next row), J or ↓ next, K or ↑ previous."
                        </p>
                    }
                })}
            <Filters configurations href filter />
            <FormError error=record_error />
            <FormError error=Signal::derive(move || ctx.key_error.get()) />
            <FormError error=defect_error />
            <p class="visually-hidden" aria-live="polite">
                {move || ctx.announce.get()}
            </p>
            <div class="table-wrap">
                <table aria-describedby="keys-help">
                    <caption class="visually-hidden">"Executions"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Case"</th>
                            <th scope="col">"Category"</th>
                            <th scope="col">"Configuration"</th>
                            <th scope="col">"Result"</th>
                            <th scope="col">"Recorded"</th>
                            <th scope="col">"Record"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || visible.get() key=|id| *id let:id>
                            <ExecutionRow id ctx defects=defects.clone() />
                        </For>
                    </tbody>
                </table>
            </div>
            {move || {
                visible
                    .with(Vec::is_empty)
                    .then(|| view! { <p class="empty">"No execution matches these filters."</p> })
            }}
        </section>
    }
}

/// One run of an integration's plan.
#[component]
pub fn TestRunPage() -> impl IntoView {
    let slug = slug_param();
    let run_id = run_param();
    let query = use_query_map();
    let sign_off = ServerAction::<SignOffTestRun>::new();
    let update_defect = ServerAction::<UpdateDefect>::new();
    let page = Resource::new(
        move || (slug.get(), run_id.get()),
        |(s, id)| get_test_run(s, id),
    );
    view! {
        <Shell page=move |user| {
            let can_sign = user.role.can(Action::WriteTests);
            let can_record = user.role.can(Action::RecordResults);
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
                        let filter = query
                            .with_untracked(|q| RunFilter {
                                status: q.get("status").unwrap_or_default(),
                                category: q.get("category").unwrap_or_default(),
                                configuration: q.get("configuration").unwrap_or_default(),
                            });
                        let executions = RunView {
                            executions: page.executions.clone(),
                            defects: page.defects.clone(),
                            live_signoff: page.signoffs.iter().any(super::model::Signoff::is_live),
                            can_record,
                            can_file: can_sign,
                            integration_id: run.integration.id,
                            href: href.clone(),
                            filter,
                        };
                        let latest = page.signoffs.first().cloned();
                        let defects = page.defects.clone();
                        let sign_error = action_error(sign_off);
                        let update_error = action_error(update_defect);
                        let csv = format!("/api/v1/test-runs/{}/results.csv", run.id);
                        let upload = format!("{href}/junit");
                        view! {
                            <div class="page-head">
                                <div>
                                    <p class="breadcrumb">
                                        <a href="/integrations">"Integrations"</a>
                                        " / "
                                        <a href=base.clone()>{run.integration.name.clone()}</a>
                                        " / "
                                        <a href=format!("{base}/testing")>"Testing"</a>
                                    </p>
                                    <h1>{run.name.clone()}</h1>
                                    <p class="muted">
                                        {format!(
                                            "Build {}; environment {}; started {} by {}.",
                                            if run.build.is_empty() { "—" } else { &run.build },
                                            run.environment.clone().unwrap_or_else(|| "—".into()),
                                            run.started_at.format("%Y-%m-%d %H:%M UTC"),
                                            run.started_by.name,
                                        )}" "{signoff_badge(latest.as_ref())}
                                    </p>
                                </div>
                                <div class="head-actions">
                                    <a class="button" href=format!("{href}/report")>
                                        "Summary report"
                                    </a>
                                    <a class="button" href=csv download="">
                                        "Download CSV"
                                    </a>
                                </div>
                            </div>
                            <ImportNotice />
                            <RunExecutions run=executions />
                            <section class="card" aria-labelledby="run-defects-title">
                                <h2 id="run-defects-title">"Defects from this run"</h2>
                                <FormError error=update_error />
                                <DefectTable
                                    defects
                                    can_update=can_record
                                    update=update_defect
                                    run_href=href.clone()
                                />
                            </section>
                            {can_record
                                .then(|| {
                                    view! {
                                        <section class="card" aria-labelledby="junit-title">
                                            <h2 id="junit-title">"Import JUnit results"</h2>
                                            <p class="hint">
                                                "A JUnit XML file from cargo-nextest, pytest, Playwright or Maven Surefire, up to 5 MB. A test matches a case by its key: the test's name, a tollgate.case property, or [key] at the end of its name. The whole file is recorded or none of it."
                                            </p>
                                            <form
                                                method="post"
                                                action=upload
                                                enctype="multipart/form-data"
                                            >
                                                <div class="field">
                                                    <label for="junit-file">"JUnit XML file"</label>
                                                    <input
                                                        id="junit-file"
                                                        type="file"
                                                        name="file"
                                                        accept=".xml,application/xml,text/xml"
                                                        required
                                                    />
                                                </div>
                                                <button type="submit" class="primary">
                                                    "Import results"
                                                </button>
                                            </form>
                                        </section>
                                    }
                                })}
                            <section class="card" aria-labelledby="signoff-title">
                                <h2 id="signoff-title">"Sign-off"</h2>
                                {if page.signoffs.is_empty() {
                                    view! { <p class="empty">"Not signed off yet."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="signoffs">
                                            {page
                                                .signoffs
                                                .iter()
                                                .map(|s| {
                                                    view! {
                                                        <li>
                                                            {signoff_badge(Some(s))}" "
                                                            <strong>
                                                                {format!(
                                                                    "{} on {}",
                                                                    s.signer.name,
                                                                    s.signed_at.format("%Y-%m-%d %H:%M UTC"),
                                                                )}
                                                            </strong> <blockquote>{s.statement.clone()}</blockquote>
                                                            <p class="muted">
                                                                "SHA-256 of the results: "
                                                                <code class="hash">{s.sha256.clone()}</code>
                                                            </p>
                                                            {s
                                                                .superseded_reason
                                                                .clone()
                                                                .map(|why| {
                                                                    view! { <p class="warn">{format!("Superseded: {why}")}</p> }
                                                                })}
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
                                {can_sign
                                    .then(|| {
                                        view! {
                                            <FormError error=sign_error />
                                            <ActionForm action=sign_off>
                                                <input
                                                    type="hidden"
                                                    name="run_id"
                                                    value=run.id.to_string()
                                                />
                                                <TextArea
                                                    name="statement"
                                                    label="Sign-off statement"
                                                    hint="What you checked and what you vouch for. A later change to any result supersedes it."
                                                    required=true
                                                    error=field_error(sign_error, "statement")
                                                />
                                                <button type="submit" class="primary">
                                                    "Sign off this run"
                                                </button>
                                            </ActionForm>
                                        }
                                    })}
                            </section>
                        }
                            .into_any()
                    })}
                </Suspense>
            }
        } />
    }
}
