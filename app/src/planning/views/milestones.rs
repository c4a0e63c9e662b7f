//! The milestones page of one integration (timeline, list, template) and the portfolio
//! timeline across all integrations.

use crate::auth::access::Action;
use leptos::prelude::*;

use super::{PlanningHeader, Timeline};
use crate::components::forms::{Confirm, DeleteButton};
use crate::components::forms::{
    Field, FormError, SelectField, TextArea, action_error, choices, field_error,
};
use crate::components::layout::Shell;
use crate::components::route::slug_param;
use crate::error::{AppError, ErrorTemplate};
use crate::integrations::model::Stage;
use crate::planning::api::{
    ApplyTemplate, CreateMilestone, DeleteMilestone, UpdateMilestone, get_milestones, get_timeline,
};
use crate::planning::model::{Milestone, MilestoneStatus};
use crate::users::model::UserRef;

/// The fields of the milestone form, filled from `m` when editing.
#[component]
fn MilestoneFields(
    m: Option<Milestone>,
    people: Vec<UserRef>,
    error: Signal<Option<AppError>>,
    #[prop(into)] scope: String,
) -> impl IntoView {
    let people = people
        .into_iter()
        .map(|p| (p.id.to_string(), p.name))
        .collect::<Vec<_>>();
    let get = |f: fn(&Milestone) -> String| m.as_ref().map(f).unwrap_or_default();
    view! {
        <Field
            name="title"
            scope=scope.clone()
            label="Title"
            value=get(|m| m.title.clone())
            required=true
            error=field_error(error, "title")
        />
        <TextArea
            name="description"
            scope=scope.clone()
            label="Description"
            value=get(|m| m.description.clone())
            error=field_error(error, "description")
        />
        <div class="field-row">
            <SelectField
                name="stage"
                scope=scope.clone()
                label="Stage"
                options=choices(Stage::ALL, Stage::as_str, Stage::label)
                selected=get(|m| m.stage.as_str().to_string())
                required=true
                error=field_error(error, "stage")
            />
            <SelectField
                name="owner_id"
                scope=scope.clone()
                label="Owner"
                options=people
                selected=get(|m| m.owner.as_ref().map(|o| o.id.to_string()).unwrap_or_default())
                blank="Nobody yet"
                error=field_error(error, "owner_id")
            />
        </div>
        <div class="field-row">
            <Field
                name="due_date"
                scope=scope.clone()
                label="Due date"
                kind="date"
                value=get(|m| m.due_date.to_string())
                required=true
                error=field_error(error, "due_date")
            />
            <SelectField
                name="status"
                scope=scope.clone()
                label="Status"
                options=choices(
                    MilestoneStatus::ALL,
                    MilestoneStatus::as_str,
                    MilestoneStatus::label,
                )
                selected=get(|m| m.status.as_str().to_string())
                error=field_error(error, "status")
            />
            <Field
                name="completed_on"
                scope=scope.clone()
                label="Completed on"
                kind="date"
                value=get(|m| m.completed_on.map(|d| d.to_string()).unwrap_or_default())
                hint="Blank means today when done."
                error=field_error(error, "completed_on")
            />
        </div>
    }
}

/// The milestones of one integration.
#[component]
pub fn MilestonesPage() -> impl IntoView {
    let slug = slug_param();
    let create = ServerAction::<CreateMilestone>::new();
    let update = ServerAction::<UpdateMilestone>::new();
    let delete = ServerAction::<DeleteMilestone>::new();
    let template = ServerAction::<ApplyTemplate>::new();
    let create_error = action_error(create);
    let update_error = action_error(update);
    let delete_error = action_error(delete);
    let template_error = action_error(template);
    let page = Resource::new(move || slug.get(), get_milestones);
    view! {
        <Shell page=move |user| {
            let planner = user.can(Action::Plan);
            let me = user.id;
            let engineer = user.can(Action::WorkAssigned) && !planner;
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let page = match page.await {
                            Ok(p) => p,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        let Some(integration) = page.integration.clone() else {
                            return view! { <ErrorTemplate error=AppError::NotFound /> }.into_any();
                        };
                        let integration_id = integration.id.to_string();
                        let id_template = integration_id.clone();
                        let today = page.today;
                        view! {
                            <PlanningHeader integration=integration.clone() current="milestones" />
                            <section class="card" aria-labelledby="timeline-title">
                                <h2 id="timeline-title">"Timeline"</h2>
                                <Timeline
                                    milestones=page.milestones.clone()
                                    today
                                    title=format!("{} milestones", integration.name)
                                />
                            </section>
                            <section class="card" aria-labelledby="milestones-title">
                                <h2 id="milestones-title">"Milestones"</h2>
                                <FormError error=update_error every_message=true />
                                <FormError error=delete_error every_message=true />
                                {if page.milestones.is_empty() {
                                    view! {
                                        <p class="empty">
                                            "No milestones yet. Add one, or apply the three-month template."
                                        </p>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <ul class="milestones" aria-label="Milestone list">
                                            {page
                                                .milestones
                                                .into_iter()
                                                .map(|m| {
                                                    let id = m.id;
                                                    let may_edit = planner
                                                        || (engineer && m.owner.as_ref().map(|o| o.id) == Some(me));
                                                    let people = page.people.clone();
                                                    let overdue = m.overdue;
                                                    let edit_summary = format!("Edit {}…", m.title);
                                                    let delete_summary = format!("Delete {}…", m.title);
                                                    let editing = m.clone();
                                                    view! {
                                                        <li class:overdue=overdue>
                                                            <strong>{m.title.clone()}</strong>
                                                            {format!(
                                                                " — {} · due {} · {}",
                                                                m.stage.label(),
                                                                m.due_date,
                                                                m.status.label(),
                                                            )}
                                                            {m.owner.clone().map(|o| format!(" · {}", o.name))}
                                                            {m
                                                                .overdue
                                                                .then(|| {
                                                                    view! {
                                                                        " "
                                                                        <span class="badge danger">"Overdue"</span>
                                                                    }
                                                                })}
                                                            {may_edit
                                                                .then(|| {
                                                                    view! {
                                                                        <Confirm summary=edit_summary>
                                                                            <ActionForm action=update>
                                                                                <input type="hidden" name="id" value=id.to_string() />
                                                                                <MilestoneFields
                                                                                    m=Some(editing)
                                                                                    people
                                                                                    error=update_error
                                                                                    scope=format!("milestone-{id}")
                                                                                />
                                                                                <button type="submit" class="primary">
                                                                                    "Save milestone"
                                                                                </button>
                                                                            </ActionForm>
                                                                        </Confirm>
                                                                    }
                                                                })}
                                                            {planner
                                                                .then(|| {
                                                                    view! {
                                                                        <Confirm summary=delete_summary danger=true>
                                                                            <ActionForm action=delete>
                                                                                <DeleteButton id what="milestone" />
                                                                            </ActionForm>
                                                                        </Confirm>
                                                                    }
                                                                })}
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
                            </section>
                            {planner
                                .then(move || {
                                    view! {
                                        <section class="card" aria-labelledby="template-title">
                                            <h2 id="template-title">
                                                "Apply the three-month template"
                                            </h2>
                                            <p class="hint">
                                                "Month 1: define goals, select APIs, share the plan. Month 2: implement, first functional and performance tests, fix what they find. Month 3: complete testing, security and cross-browser/device testing, monitoring and final adjustments. Dates stay editable."
                                            </p>
                                            <FormError error=template_error />
                                            <ActionForm action=template>
                                                <input
                                                    type="hidden"
                                                    name="integration_id"
                                                    value=id_template
                                                />
                                                <Field
                                                    name="start"
                                                    scope="template"
                                                    label="Start date"
                                                    kind="date"
                                                    value=today.to_string()
                                                    required=true
                                                    error=field_error(template_error, "start")
                                                />
                                                <button type="submit">"Apply template"</button>
                                            </ActionForm>
                                        </section>
                                        <section class="card" aria-labelledby="new-milestone-title">
                                            <h2 id="new-milestone-title">"Add a milestone"</h2>
                                            <FormError error=create_error />
                                            <ActionForm action=create>
                                                <input
                                                    type="hidden"
                                                    name="integration_id"
                                                    value=integration_id.clone()
                                                />
                                                <MilestoneFields
                                                    m=None
                                                    people=page.people.clone()
                                                    error=create_error
                                                    scope="new"
                                                />
                                                <div class="form-actions">
                                                    <button
                                                        type="submit"
                                                        class="primary"
                                                        disabled=move || create.pending().get()
                                                    >
                                                        "Add milestone"
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

/// Every integration's milestones on one timeline.
#[component]
pub fn PortfolioTimelinePage() -> impl IntoView {
    let page = Resource::new(|| (), |_| get_timeline());
    view! {
        <Shell page=move |_user| {
            view! {
                <div class="page-head">
                    <h1>"Timeline"</h1>
                </div>
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        match page.await {
                            Ok(p) => {
                                view! {
                                    <section class="card">
                                        <Timeline
                                            milestones=p.milestones
                                            today=p.today
                                            title="All integrations' milestones"
                                            grouped=true
                                        />
                                    </section>
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
