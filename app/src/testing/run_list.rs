//! The runs of an integration's test plan, with their progress and latest sign-off, and the
//! form that starts a run: a panel of the testing page.

use leptos::prelude::*;

use super::api::CreateTestRun;
use super::model::{RunSummary, TestingOverview};
use crate::components::forms::{Field, FormError, SelectField, action_error, field_error};
use crate::components::pagination::{Pagination, count};

/// "Signed off", "Superseded" or "Not signed off", as a badge.
pub fn signoff_badge(s: Option<&super::model::Signoff>) -> impl IntoView + use<> {
    match s {
        Some(s) if s.is_live() => view! { <span class="badge ok">"Signed off"</span> }.into_any(),
        Some(_) => view! { <span class="badge warn">"Sign-off superseded"</span> }.into_any(),
        None => view! { <span class="badge">"Not signed off"</span> }.into_any(),
    }
}

#[component]
pub fn Runs(
    overview: TestingOverview,
    can_edit: bool,
    create: ServerAction<CreateTestRun>,
) -> impl IntoView {
    let error = action_error(create);
    let e = move |f: &'static str| field_error(error, f);
    let slug = overview.plan.integration.slug.clone();
    let environments: Vec<(String, String)> = overview
        .environments
        .iter()
        .map(|(id, n)| (id.to_string(), n.clone()))
        .collect();
    let runs = overview.runs.clone();
    let href = {
        let slug = slug.clone();
        move |n: u64| format!("/integrations/{slug}/testing?runs={n}#runs-title")
    };
    view! {
        <section class="card" aria-labelledby="runs-title">
            <h2 id="runs-title">"Runs"</h2>
            {if runs.total == 0 {
                view! { <p class="empty">"No runs yet."</p> }.into_any()
            } else {
                view! {
                    <p class="count" role="status">
                        {format!("{}, newest first", count(runs.total, "run", "runs"))}
                    </p>
                    <div class="table-wrap">
                        <table>
                            <caption class="visually-hidden">"Runs"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Run"</th>
                                    <th scope="col">"Build"</th>
                                    <th scope="col">"Environment"</th>
                                    <th scope="col">"Started"</th>
                                    <th scope="col">"Progress"</th>
                                    <th scope="col">"Pass rate"</th>
                                    <th scope="col">"Sign-off"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {runs
                                    .items
                                    .into_iter()
                                    .map(|r: RunSummary| {
                                        let href = format!(
                                            "/integrations/{slug}/runs/{}",
                                            r.run.id,
                                        );
                                        view! {
                                            <tr>
                                                <td>
                                                    <a href=href>{r.run.name.clone()}</a>
                                                </td>
                                                <td>{r.run.build.clone()}</td>
                                                <td>
                                                    {r.run.environment.clone().unwrap_or_else(|| "—".into())}
                                                </td>
                                                <td>
                                                    {format!(
                                                        "{} by {}",
                                                        r.run.started_at.format("%Y-%m-%d %H:%M"),
                                                        r.run.started_by.name,
                                                    )}
                                                </td>
                                                <td>
                                                    {format!(
                                                        "{} of {} recorded",
                                                        r.counts.recorded(),
                                                        r.counts.total,
                                                    )}
                                                </td>
                                                <td>
                                                    {r
                                                        .counts
                                                        .pass_rate()
                                                        .map_or_else(|| "—".to_string(), |p| format!("{p}%"))}
                                                </td>
                                                <td>{signoff_badge(r.latest_signoff.as_ref())}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <Pagination page=runs.page pages=runs.pages href />
                }
                    .into_any()
            }}
            {can_edit
                .then(|| {
                    view! {
                        <h3>"Start a run"</h3>
                        <FormError error />
                        <ActionForm action=create>
                            <input
                                type="hidden"
                                name="integration_id"
                                value=overview.plan.integration.id.to_string()
                            />
                            <div class="field-row">
                                <Field
                                    name="name"
                                    scope="run"
                                    label="Name"
                                    required=true
                                    hint="Such as Release 2.4 regression"
                                    error=e("name")
                                />
                                <Field
                                    name="build"
                                    scope="run"
                                    label="Build or version"
                                    error=e("build")
                                />
                                <SelectField
                                    name="environment_id"
                                    scope="run"
                                    label="Environment"
                                    options=environments
                                    blank="None"
                                    error=e("environment_id")
                                />
                            </div>
                            <button
                                type="submit"
                                class="primary"
                                disabled=move || create.pending().get()
                            >
                                "Start run"
                            </button>
                        </ActionForm>
                    }
                })}
        </section>
    }
}
