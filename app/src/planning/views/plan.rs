//! The integration plan page (latest version, review, history) and the version comparison.

use crate::auth::access::Action;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::PlanningHeader;
use crate::components::forms::{FormError, TextArea, action_error, field_error};
use crate::components::layout::Shell;
use crate::components::route::slug_param;
use crate::error::ErrorTemplate;
use crate::planning::api::{ReviewPlan, SavePlan, SubmitPlan, compare_plan, get_plan};
use crate::planning::model::{DiffKind, PlanState, number};

fn state_badge(state: PlanState) -> impl IntoView {
    view! { <span class=format!("badge plan-{}", state.as_str())>{state.label()}</span> }
}

/// The plan of one integration.
#[component]
pub fn PlanPage() -> impl IntoView {
    let slug = slug_param();
    let save = ServerAction::<SavePlan>::new();
    let submit = ServerAction::<SubmitPlan>::new();
    let review = ServerAction::<ReviewPlan>::new();
    let save_error = action_error(save);
    let submit_error = action_error(submit);
    let review_error = action_error(review);
    let plan = Resource::new(move || slug.get(), get_plan);
    view! {
        <Shell page=move |user| {
            let can_edit = user.can(Action::EditIntegrations);
            let can_review = user.can(Action::ReviewPlan);
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let page = match plan.await {
                            Ok(p) => p,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        let integration_id = page.integration.id.to_string();
                        let base = format!("/integrations/{}/planning", page.integration.slug);
                        let state = page.latest.as_ref().map(|v| v.state);
                        let editable = can_edit && state != Some(PlanState::InReview);
                        let text = |field: &str| {
                            page.latest
                                .as_ref()
                                .and_then(|v| v.sections.iter().find(|s| s.field == field))
                                .map(|s| s.markdown.clone())
                                .unwrap_or_default()
                        };
                        let edit_note = match state {
                            Some(PlanState::Approved) | Some(PlanState::ChangesRequested) => {
                                "Saving starts a new draft version; the approved version stays as it was reviewed."
                            }
                            _ => {
                                "Markdown is supported. Saving keeps this version a draft until you submit it."
                            }
                        };
                        let fields = (
                            text("technical_requirements"),
                            text("expected_outcomes"),
                            text("risks"),
                            text("dependencies"),
                        );
                        view! {
                            <PlanningHeader integration=page.integration.clone() current="plan" />
                            <section class="card" aria-labelledby="plan-title">
                                {match page.latest.clone() {
                                    None => {
                                        view! {
                                            <h2 id="plan-title">"Integration plan"</h2>
                                            <p class="empty">"No plan yet."</p>
                                        }
                                            .into_any()
                                    }
                                    Some(v) => {
                                        view! {
                                            <h2 id="plan-title">
                                                {format!("Integration plan, version {} ", v.version)}
                                                {state_badge(v.state)}
                                            </h2>
                                            <p class="muted">
                                                {format!(
                                                    "Last edited {}",
                                                    v.updated_at.format("%Y-%m-%d %H:%M UTC"),
                                                )} {v.author.map(|a| format!(" by {a}"))}
                                                {v
                                                    .submitted_at
                                                    .map(|t| format!("; submitted {}", t.format("%Y-%m-%d")))}
                                            </p>
                                            {v
                                                .reviewed_at
                                                .map(|t| {
                                                    view! {
                                                        <p class="review-note">
                                                            {format!(
                                                                "{} by {} on {}",
                                                                v.state.label(),
                                                                v.reviewer.clone().unwrap_or_default(),
                                                                t.format("%Y-%m-%d"),
                                                            )} {v.review_comment.clone().map(|c| format!(": {c}"))}
                                                        </p>
                                                    }
                                                })}
                                            {v
                                                .sections
                                                .into_iter()
                                                .map(|s| {
                                                    view! {
                                                        <h3>{s.heading}</h3>
                                                        {if s.markdown.trim().is_empty() {
                                                            view! { <p class="muted">"Not written."</p> }.into_any()
                                                        } else {
                                                            // Rendered and sanitised on the server; see planning::service::markdown.
                                                            view! { <div class="prose" inner_html=s.html></div> }
                                                                .into_any()
                                                        }}
                                                    }
                                                })
                                                .collect_view()}
                                        }
                                            .into_any()
                                    }
                                }}
                                <h3>"Objectives"</h3>
                                {if page.objectives.is_empty() {
                                    view! {
                                        <p class="muted">
                                            <a href=format!(
                                                "{base}/objectives",
                                            )>"No objectives yet."</a>
                                        </p>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <ul>
                                            {page
                                                .objectives
                                                .iter()
                                                .map(|o| {
                                                    view! {
                                                        <li>
                                                            {format!(
                                                                "{}: {} {} → {} {}",
                                                                o.metric,
                                                                number(o.baseline),
                                                                o.unit,
                                                                number(o.target),
                                                                o.unit,
                                                            )}
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
                                <h3>"Milestones"</h3>
                                {if page.milestones.is_empty() {
                                    view! {
                                        <p class="muted">
                                            <a href=format!(
                                                "{base}/milestones",
                                            )>"No milestones yet."</a>
                                        </p>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <ul>
                                            {page
                                                .milestones
                                                .iter()
                                                .map(|m| {
                                                    view! {
                                                        <li>
                                                            {format!(
                                                                "{} — due {} ({})",
                                                                m.title,
                                                                m.due_date,
                                                                m.status.label(),
                                                            )}
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
                            </section>
                            {(can_edit && state == Some(PlanState::Draft))
                                .then(|| {
                                    let integration_id = integration_id.clone();
                                    view! {
                                        <section class="card" aria-labelledby="submit-title">
                                            <h2 id="submit-title">"Submit for review"</h2>
                                            <p>
                                                "Stakeholders and admins will approve it or request changes."
                                            </p>
                                            <FormError error=submit_error />
                                            <ActionForm action=submit>
                                                <input
                                                    type="hidden"
                                                    name="integration_id"
                                                    value=integration_id.clone()
                                                />
                                                <button type="submit" class="primary">
                                                    "Submit plan for review"
                                                </button>
                                            </ActionForm>
                                        </section>
                                    }
                                })}
                            {(can_review && state == Some(PlanState::InReview))
                                .then(|| {
                                    let integration_id = integration_id.clone();
                                    view! {
                                        <section class="card" aria-labelledby="review-title">
                                            <h2 id="review-title">"Review"</h2>
                                            <FormError error=review_error />
                                            <ActionForm action=review>
                                                <input
                                                    type="hidden"
                                                    name="integration_id"
                                                    value=integration_id.clone()
                                                />
                                                <fieldset>
                                                    <legend>"Decision"</legend>
                                                    <label>
                                                        <input
                                                            type="radio"
                                                            name="decision"
                                                            value="approved"
                                                            checked=true
                                                        />
                                                        " Approve"
                                                    </label>
                                                    <label>
                                                        <input
                                                            type="radio"
                                                            name="decision"
                                                            value="changes_requested"
                                                        />
                                                        " Request changes"
                                                    </label>
                                                    <p class="field-error" aria-live="polite">
                                                        {move || field_error(review_error, "decision").get()}
                                                    </p>
                                                </fieldset>
                                                <TextArea
                                                    name="comment"
                                                    label="Comment"
                                                    hint="Required when requesting changes."
                                                    error=field_error(review_error, "comment")
                                                />
                                                <button type="submit" class="primary">
                                                    "Record decision"
                                                </button>
                                            </ActionForm>
                                        </section>
                                    }
                                })}
                            {editable
                                .then(|| {
                                    view! {
                                        <section class="card" aria-labelledby="edit-plan-title">
                                            <h2 id="edit-plan-title">
                                                {if page.latest.is_some() {
                                                    "Edit the plan"
                                                } else {
                                                    "Write the plan"
                                                }}
                                            </h2>
                                            <p class="hint">{edit_note}</p>
                                            <FormError error=save_error />
                                            <ActionForm action=save>
                                                <input
                                                    type="hidden"
                                                    name="integration_id"
                                                    value=integration_id.clone()
                                                />
                                                <TextArea
                                                    name="technical_requirements"
                                                    label="Technical requirements"
                                                    value=fields.0
                                                    required=true
                                                    error=field_error(save_error, "technical_requirements")
                                                />
                                                <TextArea
                                                    name="expected_outcomes"
                                                    label="Expected outcomes"
                                                    value=fields.1
                                                    error=field_error(save_error, "expected_outcomes")
                                                />
                                                <TextArea
                                                    name="risks"
                                                    label="Risks and mitigations"
                                                    value=fields.2
                                                    error=field_error(save_error, "risks")
                                                />
                                                <TextArea
                                                    name="dependencies"
                                                    label="Dependencies"
                                                    value=fields.3
                                                    error=field_error(save_error, "dependencies")
                                                />
                                                <div class="form-actions">
                                                    <button
                                                        type="submit"
                                                        class="primary"
                                                        disabled=move || save.pending().get()
                                                    >
                                                        "Save plan"
                                                    </button>
                                                </div>
                                            </ActionForm>
                                        </section>
                                    }
                                })}
                            <section class="card" aria-labelledby="versions-title">
                                <h2 id="versions-title">"Versions"</h2>
                                {if page.versions.len() < 2 {
                                    view! {
                                        <p class="muted">
                                            "Comparisons appear once there are two versions."
                                        </p>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <p>
                                            <a href=format!(
                                                "{base}/plan/compare",
                                            )>"Compare versions"</a>
                                        </p>
                                    }
                                        .into_any()
                                }}
                                <ol reversed>
                                    {page
                                        .versions
                                        .into_iter()
                                        .map(|v| {
                                            view! {
                                                <li>
                                                    {format!("Version {} ", v.version)}{state_badge(v.state)}
                                                    {v
                                                        .submitted_at
                                                        .map(|t| format!(" submitted {}", t.format("%Y-%m-%d")))}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            </section>
                        }
                            .into_any()
                    })}
                </Suspense>
            }
        } />
    }
}

/// Two plan versions side by side, changes marked.
#[component]
pub fn PlanComparePage() -> impl IntoView {
    let slug = slug_param();
    let query = use_query_map();
    let comparison = Resource::new(
        move || (slug.get(), query.with(|q| (q.get("left"), q.get("right")))),
        |(s, (l, r))| compare_plan(s, l, r),
    );
    view! {
        <Shell page=move |_user| {
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let c = match comparison.await {
                            Ok(c) => c,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        let action = format!(
                            "/integrations/{}/planning/plan/compare",
                            c.integration.slug,
                        );
                        let options = |selected: i32| {
                            c.versions
                                .iter()
                                .map(|v| {
                                    view! {
                                        <option value=v.to_string() selected=*v == selected>
                                            {format!("Version {v}")}
                                        </option>
                                    }
                                })
                                .collect_view()
                        };
                        view! {
                            <PlanningHeader integration=c.integration.clone() current="plan" />
                            <form
                                method="get"
                                action=action
                                class="filters"
                                aria-label="Choose versions"
                            >
                                <div class="field">
                                    <label for="left">"Left"</label>
                                    <select id="left" name="left">
                                        {options(c.left)}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="right">"Right"</label>
                                    <select id="right" name="right">
                                        {options(c.right)}
                                    </select>
                                </div>
                                <div class="filter-actions">
                                    <button type="submit">"Compare"</button>
                                </div>
                            </form>
                            {c
                                .sections
                                .into_iter()
                                .map(|(heading, rows)| {
                                    view! {
                                        <section class="card">
                                            <h2>{heading.clone()}</h2>
                                            <table class="diff">
                                                <caption class="visually-hidden">
                                                    {format!(
                                                        "{heading}: version {} against version {}",
                                                        c.left,
                                                        c.right,
                                                    )}
                                                </caption>
                                                <thead>
                                                    <tr>
                                                        <th scope="col">{format!("Version {}", c.left)}</th>
                                                        <th scope="col">{format!("Version {}", c.right)}</th>
                                                    </tr>
                                                </thead>
                                                <tbody>
                                                    {rows
                                                        .into_iter()
                                                        .map(|r| {
                                                            let class = format!("diff-{}", r.kind.as_str());
                                                            let (left_mark, right_mark) = match r.kind {
                                                                DiffKind::Removed => ("Removed: ", ""),
                                                                DiffKind::Added => ("", "Added: "),
                                                                DiffKind::Same => ("", ""),
                                                            };
                                                            view! {
                                                                <tr class=class>
                                                                    <td>
                                                                        {r
                                                                            .left
                                                                            .map(|l| {
                                                                                view! {
                                                                                    <span class="visually-hidden">{left_mark}</span>
                                                                                    {l}
                                                                                }
                                                                            })}
                                                                    </td>
                                                                    <td>
                                                                        {r
                                                                            .right
                                                                            .map(|l| {
                                                                                view! {
                                                                                    <span class="visually-hidden">{right_mark}</span>
                                                                                    {l}
                                                                                }
                                                                            })}
                                                                    </td>
                                                                </tr>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </tbody>
                                            </table>
                                        </section>
                                    }
                                })
                                .collect_view()}
                        }
                            .into_any()
                    })}
                </Suspense>
            }
        } />
    }
}
