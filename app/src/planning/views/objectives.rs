//! The objectives page: each objective with its progress toward target.

use crate::auth::access::Action;
use leptos::prelude::*;

use super::PlanningHeader;
use crate::components::forms::{Confirm, DeleteButton};
use crate::components::forms::{Field, FormError, TextArea, action_error, field_error};
use crate::components::layout::Shell;
use crate::components::route::slug_param;
use crate::error::{AppError, ErrorTemplate};
use crate::planning::api::{CreateObjective, DeleteObjective, UpdateObjective, get_objectives};
use crate::planning::model::{Objective, number};

/// Progress toward target as a labelled meter.
#[component]
pub fn ProgressMeter(objective: Objective) -> impl IntoView {
    match objective.progress() {
        Some(p) => {
            let label = format!("{}% of the way to target", p.round());
            view! {
                <meter min="0" max="100" value=p.to_string() aria-label=label.clone()></meter>
                <span class="meter-label">{format!("{}%", p.round())}</span>
            }
            .into_any()
        }
        None => view! { <span class="muted">"No current value"</span> }.into_any(),
    }
}

/// The fields of the objective form, filled from `o` when editing.
#[component]
fn ObjectiveFields(
    o: Option<Objective>,
    error: Signal<Option<AppError>>,
    #[prop(into)] scope: String,
) -> impl IntoView {
    let value = |f: fn(&Objective) -> String| o.as_ref().map(f).unwrap_or_default();
    view! {
        <TextArea
            name="description"
            scope=scope.clone()
            label="Description"
            value=value(|o| o.description.clone())
            required=true
            error=field_error(error, "description")
        />
        <div class="field-row">
            <Field
                name="metric"
                scope=scope.clone()
                label="Metric"
                value=value(|o| o.metric.clone())
                required=true
                hint="For example: checkout completion rate"
                error=field_error(error, "metric")
            />
            <Field
                name="unit"
                scope=scope.clone()
                label="Unit"
                value=value(|o| o.unit.clone())
                required=true
                hint="%, ms, per day…"
                error=field_error(error, "unit")
            />
        </div>
        <div class="field-row">
            <Field
                name="baseline"
                scope=scope.clone()
                label="Baseline"
                kind="text"
                value=value(|o| number(o.baseline))
                required=true
                error=field_error(error, "baseline")
            />
            <Field
                name="target"
                scope=scope.clone()
                label="Target"
                value=value(|o| number(o.target))
                required=true
                error=field_error(error, "target")
            />
            <Field
                name="current"
                scope=scope.clone()
                label="Current"
                value=value(|o| o.current.map(number).unwrap_or_default())
                error=field_error(error, "current")
            />
        </div>
    }
}

/// The objectives of one integration.
#[component]
pub fn ObjectivesPage() -> impl IntoView {
    let slug = slug_param();
    let create = ServerAction::<CreateObjective>::new();
    let update = ServerAction::<UpdateObjective>::new();
    let delete = ServerAction::<DeleteObjective>::new();
    let create_error = action_error(create);
    let update_error = action_error(update);
    let delete_error = action_error(delete);
    let page = Resource::new(move || slug.get(), get_objectives);
    view! {
        <Shell page=move |user| {
            let can_edit = user.can(Action::EditIntegrations);
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let page = match page.await {
                            Ok(p) => p,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        let integration_id = page.integration.id.to_string();
                        view! {
                            <PlanningHeader integration=page.integration current="objectives" />
                            <section class="card" aria-labelledby="objectives-title">
                                <h2 id="objectives-title">"Objectives"</h2>
                                <FormError error=update_error every_message=true />
                                <FormError error=delete_error every_message=true />
                                {if page.objectives.is_empty() {
                                    view! {
                                        <p class="empty">
                                            "No objectives yet. Add one with a metric, a baseline and a target."
                                        </p>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <div class="table-wrap">
                                            <table>
                                                <caption class="visually-hidden">"Objectives"</caption>
                                                <thead>
                                                    <tr>
                                                        <th scope="col">"Objective"</th>
                                                        <th scope="col">"Metric"</th>
                                                        <th scope="col">"Baseline → target"</th>
                                                        <th scope="col">"Current"</th>
                                                        <th scope="col">"Progress"</th>
                                                        {can_edit.then(|| view! { <th scope="col">"Actions"</th> })}
                                                    </tr>
                                                </thead>
                                                <tbody>
                                                    {page
                                                        .objectives
                                                        .into_iter()
                                                        .map(|o| {
                                                            let id = o.id;
                                                            let range = format!(
                                                                "{} → {} {}",
                                                                number(o.baseline),
                                                                number(o.target),
                                                                o.unit,
                                                            );
                                                            let current = o
                                                                .current
                                                                .map(|c| format!("{} {}", number(c), o.unit))
                                                                .unwrap_or_else(|| "—".into());
                                                            view! {
                                                                <tr>
                                                                    <td>{o.description.clone()}</td>
                                                                    <td>{o.metric.clone()}</td>
                                                                    <td>{range}</td>
                                                                    <td>{current}</td>
                                                                    <td>
                                                                        <ProgressMeter objective=o.clone() />
                                                                    </td>
                                                                    {can_edit
                                                                        .then(|| {
                                                                            view! {
                                                                                <td class="row-actions">
                                                                                    <Confirm summary="Edit…">
                                                                                        <ActionForm action=update>
                                                                                            <input type="hidden" name="id" value=id.to_string() />
                                                                                            <ObjectiveFields
                                                                                                o=Some(o.clone())
                                                                                                error=update_error
                                                                                                scope=format!("objective-{id}")
                                                                                            />
                                                                                            <button type="submit" class="primary">
                                                                                                "Save objective"
                                                                                            </button>
                                                                                        </ActionForm>
                                                                                    </Confirm>
                                                                                    <Confirm summary="Delete…" danger=true>
                                                                                        <ActionForm action=delete>
                                                                                            <DeleteButton id what="objective" />
                                                                                        </ActionForm>
                                                                                    </Confirm>
                                                                                </td>
                                                                            }
                                                                        })}
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
                            {can_edit
                                .then(|| {
                                    view! {
                                        <section class="card" aria-labelledby="new-objective-title">
                                            <h2 id="new-objective-title">"Add an objective"</h2>
                                            <FormError error=create_error />
                                            <ActionForm action=create>
                                                <input
                                                    type="hidden"
                                                    name="integration_id"
                                                    value=integration_id
                                                />
                                                <ObjectiveFields o=None error=create_error scope="new" />
                                                <div class="form-actions">
                                                    <button
                                                        type="submit"
                                                        class="primary"
                                                        disabled=move || create.pending().get()
                                                    >
                                                        "Add objective"
                                                    </button>
                                                </div>
                                            </ActionForm>
                                        </section>
                                    }
                                })}
                        }
                            .into_any()
                    })}
                </Suspense>
            }
        } />
    }
}
