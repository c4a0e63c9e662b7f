//! The testing page of an integration: the configuration matrix, the cases (with the
//! category's template one click away), the runs with their progress and sign-off, and the
//! defects. QA and admins edit; everyone signed in reads.

use super::defect_views::DefectTable;
use super::run_list::Runs;
use crate::auth::access::Action;
use leptos::prelude::*;

use super::api::{
    ApplyTestTemplate, CreateTestRun, DeleteTestCase, SaveTestCase, SaveTestPlan, UpdateDefect,
    get_testing,
};
use super::model::{
    Browser, CaseCategory, Device, TestCase, TestCaseForm, TestPlan, TestingOverview,
};
use crate::components::forms::{
    Checkboxes, Field, FormError, SelectField, TextArea, action_error, choices, field_error,
};
use crate::components::forms::{Confirm, DeleteButton};
use crate::components::layout::Shell;
use crate::components::route::slug_param;
use crate::error::{AppError, ErrorTemplate};
use crate::integrations::model::Priority;

fn names<T: Copy>(values: &[T], name: fn(T) -> &'static str) -> Vec<String> {
    values.iter().map(|v| name(*v).to_string()).collect()
}

fn labels<T: Copy>(values: &[T], label: fn(T) -> &'static str) -> String {
    values
        .iter()
        .map(|v| label(*v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The page's writes: the page reloads after any of them succeeds.
#[derive(Clone, Copy)]
struct Actions {
    save: ServerAction<SaveTestPlan>,
    template: ServerAction<ApplyTestTemplate>,
    create_case: ServerAction<SaveTestCase>,
    update_case: ServerAction<SaveTestCase>,
    delete_case: ServerAction<DeleteTestCase>,
    create_run: ServerAction<CreateTestRun>,
    update_defect: ServerAction<UpdateDefect>,
}

impl Actions {
    fn new() -> Self {
        Self {
            save: ServerAction::new(),
            template: ServerAction::new(),
            create_case: ServerAction::new(),
            update_case: ServerAction::new(),
            delete_case: ServerAction::new(),
            create_run: ServerAction::new(),
            update_defect: ServerAction::new(),
        }
    }
}

#[component]
fn Matrix(plan: TestPlan, integration_id: i32, can_edit: bool, actions: Actions) -> impl IntoView {
    let save = actions.save;
    let error = action_error(save);
    let e = move |f: &'static str| field_error(error, f);
    let configurations = plan.configurations().len();
    view! {
        <section class="card" aria-labelledby="matrix-title">
            <h2 id="matrix-title">"Configuration matrix"</h2>
            <p class="hint">
                {format!(
                    "Browsers: {}. Devices: {}. Each compatibility case runs in all {configurations} configuration(s). Categories the plan must cover: {}.",
                    labels(&plan.browsers, Browser::label),
                    labels(&plan.devices, Device::label),
                    labels(&plan.required_categories, CaseCategory::label),
                )}
            </p>
            {can_edit
                .then(|| {
                    view! {
                        <Confirm summary="Change the matrix…">
                            <FormError error />
                            <ActionForm action=save>
                                <input
                                    type="hidden"
                                    name="integration_id"
                                    value=integration_id.to_string()
                                />
                                <Checkboxes
                                    legend="Browsers"
                                    name="browsers"
                                    scope="plan"
                                    options=choices(Browser::ALL, Browser::as_str, Browser::label)
                                    checked=names(&plan.browsers, Browser::as_str)
                                    error=e("browsers")
                                />
                                <Checkboxes
                                    legend="Devices"
                                    name="devices"
                                    scope="plan"
                                    options=choices(Device::ALL, Device::as_str, Device::label)
                                    checked=names(&plan.devices, Device::as_str)
                                    error=e("devices")
                                />
                                <Checkboxes
                                    legend="Categories the plan must cover"
                                    name="required_categories"
                                    scope="plan"
                                    options=choices(
                                        CaseCategory::ALL,
                                        CaseCategory::as_str,
                                        CaseCategory::label,
                                    )
                                    checked=names(&plan.required_categories, CaseCategory::as_str)
                                    error=e("required_categories")
                                />
                                <button type="submit" class="primary">
                                    "Save the matrix"
                                </button>
                            </ActionForm>
                        </Confirm>
                    }
                })}
        </section>
    }
}

#[component]
fn CaseFields(
    form: TestCaseForm,
    objectives: Vec<(i32, String)>,
    operations: Vec<(i32, String)>,
    error: Signal<Option<AppError>>,
    #[prop(into)] scope: String,
) -> impl IntoView {
    let e = move |f: &'static str| field_error(error, f);
    let required_id = format!("{scope}-required");
    let linked: Vec<String> = form
        .objective_ids
        .split(',')
        .map(|s| s.trim().to_string())
        .collect();
    let options = |all: Vec<(i32, String)>| -> Vec<(String, String)> {
        all.into_iter().map(|(id, d)| (id.to_string(), d)).collect()
    };
    let objective_options = options(objectives);
    let operation_options = options(operations);
    let linked_operations: Vec<String> = form
        .operation_ids
        .split(',')
        .map(|s| s.trim().to_string())
        .collect();
    view! {
        <div class="field-row">
            <Field
                name="title"
                scope=scope.clone()
                label="Title"
                value=form.title.clone()
                required=true
                error=e("title")
            />
            <Field
                name="key"
                scope=scope.clone()
                label="Key"
                value=form.key.clone()
                hint="Stable, for automation: a JUnit test names it. Blank: made from the title."
                error=e("key")
            />
        </div>
        <div class="field-row">
            <SelectField
                name="category"
                scope=scope.clone()
                label="Category"
                options=choices(CaseCategory::ALL, CaseCategory::as_str, CaseCategory::label)
                selected=form.category.clone()
                required=true
                error=e("category")
            />
            <SelectField
                name="priority"
                scope=scope.clone()
                label="Priority"
                options=choices(Priority::ALL, Priority::as_str, Priority::label)
                selected=form.priority.clone()
                error=e("priority")
            />
        </div>
        <div class="field checkbox">
            <input
                type="checkbox"
                id=required_id.clone()
                name="required"
                value="on"
                checked=matches!(form.required.as_str(), "on" | "true")
            />
            <label for=required_id>"Required for go-live"</label>
        </div>
        <TextArea
            name="preconditions"
            scope=scope.clone()
            label="Preconditions"
            value=form.preconditions.clone()
            error=e("preconditions")
        />
        <TextArea
            name="steps"
            scope=scope.clone()
            label="Steps"
            value=form.steps.clone()
            error=e("steps")
        />
        <TextArea
            name="expected"
            scope=scope.clone()
            label="Expected result"
            value=form.expected.clone()
            error=e("expected")
        />
        {(!objective_options.is_empty())
            .then(|| {
                view! {
                    <Checkboxes
                        legend="Objectives it checks"
                        name="objective_ids"
                        scope=scope.clone()
                        options=objective_options
                        checked=linked
                        error=e("objective_ids")
                    />
                }
            })}
        {(!operation_options.is_empty())
            .then(|| {
                view! {
                    <Checkboxes
                        legend="Provider operations it exercises"
                        name="operation_ids"
                        scope=scope.clone()
                        options=operation_options
                        checked=linked_operations
                        error=e("operation_ids")
                    />
                }
            })}
    }
}

#[component]
fn Cases(overview: TestingOverview, can_edit: bool, actions: Actions) -> impl IntoView {
    let integration_id = overview.plan.integration.id;
    let template = actions.template;
    let create = actions.create_case;
    let update = actions.update_case;
    let delete = actions.delete_case;
    let template_error = action_error(template);
    let create_error = action_error(create);
    let update_error = action_error(update);
    let delete_error = action_error(delete);
    let objectives = overview.objectives.clone();
    let operations = overview.operations.clone();
    let cases = overview.plan.cases.clone();
    let missing = overview.plan.template_missing;
    view! {
        <section class="card" aria-labelledby="cases-title">
            <h2 id="cases-title">"Test cases"</h2>
            <FormError error=template_error />
            <FormError error=update_error every_message=true />
            <FormError error=delete_error every_message=true />
            {(can_edit && missing > 0)
                .then(|| {
                    view! {
                        <ActionForm action=template>
                            <input
                                type="hidden"
                                name="integration_id"
                                value=integration_id.to_string()
                            />
                            <p>
                                {format!(
                                    "The template for this category has {missing} case(s) not in the plan.",
                                )}
                            </p>
                            <button type="submit" class="primary">
                                "Apply the template"
                            </button>
                        </ActionForm>
                    }
                })}
            {if cases.is_empty() {
                view! { <p class="empty">"No cases yet. Apply the template or add your own."</p> }
                    .into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <caption class="visually-hidden">"Test cases"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Key"</th>
                                    <th scope="col">"Title"</th>
                                    <th scope="col">"Category"</th>
                                    <th scope="col">"Priority"</th>
                                    <th scope="col">"Required"</th>
                                    {can_edit.then(|| view! { <th scope="col">"Actions"</th> })}
                                </tr>
                            </thead>
                            <tbody>
                                {cases
                                    .into_iter()
                                    .map(|c: TestCase| {
                                        let form = c.form();
                                        let objectives = objectives.clone();
                                        let operations = operations.clone();
                                        let id = c.id;
                                        view! {
                                            <tr>
                                                <td>
                                                    <code>{c.key.clone()}</code>
                                                </td>
                                                <td>
                                                    {c.title.clone()}
                                                    {c
                                                        .retest_reason
                                                        .clone()
                                                        .map(|r| {
                                                            view! {
                                                                " "
                                                                <span class="badge danger" title=r.clone()>
                                                                    "Needs retest"
                                                                </span>
                                                                <br />
                                                                <small class="muted">{r}</small>
                                                            }
                                                        })}
                                                </td>
                                                <td>{c.category.label()}</td>
                                                <td>{c.priority.label()}</td>
                                                <td>{if c.required { "Yes" } else { "No" }}</td>
                                                {can_edit
                                                    .then(|| {
                                                        view! {
                                                            <td class="row-actions">
                                                                <Confirm summary="Edit…">
                                                                    <ActionForm action=update>
                                                                        <input
                                                                            type="hidden"
                                                                            name="integration_id"
                                                                            value=integration_id.to_string()
                                                                        />
                                                                        <input type="hidden" name="case_id" value=id.to_string() />
                                                                        <CaseFields
                                                                            form
                                                                            objectives
                                                                            operations
                                                                            error=update_error
                                                                            scope=format!("case-{id}")
                                                                        />
                                                                        <button type="submit" class="primary">
                                                                            "Save case"
                                                                        </button>
                                                                    </ActionForm>
                                                                </Confirm>
                                                                <Confirm summary="Delete…" danger=true>
                                                                    <p class="hint">"Its results in every run go with it."</p>
                                                                    <ActionForm action=delete>
                                                                        <DeleteButton id what="case" />
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
            {can_edit
                .then(|| {
                    view! {
                        <Confirm summary="Add a case…">
                            <FormError error=create_error />
                            <ActionForm action=create attr:aria-label="Add a case">
                                <input
                                    type="hidden"
                                    name="integration_id"
                                    value=integration_id.to_string()
                                />
                                <input type="hidden" name="case_id" value="" />
                                <CaseFields
                                    form=TestCaseForm {
                                        required: "on".into(),
                                        ..Default::default()
                                    }
                                    objectives=objectives.clone()
                                    operations=operations.clone()
                                    error=create_error
                                    scope="new-case"
                                />
                                <button type="submit" class="primary">
                                    "Add case"
                                </button>
                            </ActionForm>
                        </Confirm>
                    }
                })}
        </section>
    }
}

/// The testing page of one integration.
#[component]
pub fn TestingPage() -> impl IntoView {
    let slug = slug_param();
    let actions = Actions::new();
    let update_defect = actions.update_defect;
    let query = leptos_router::hooks::use_query_map();
    let page = Resource::new(
        move || {
            query.with(|q| {
                (
                    slug.get(),
                    q.get("runs").unwrap_or_default(),
                    q.get("defects").unwrap_or_default(),
                )
            })
        },
        |(s, runs, defects)| get_testing(s, runs, defects),
    );
    view! {
        <Shell page=move |user| {
            let can_edit = user.role.can(Action::WriteTests);
            let can_record = user.role.can(Action::RecordResults);
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let overview = match page.await {
                            Ok(p) => p,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        let i = overview.plan.integration.clone();
                        let defects = overview.defects.clone();
                        let defects_href = {
                            let slug = i.slug.clone();
                            move |n: u64| {
                                format!("/integrations/{slug}/testing?defects={n}#defects-title")
                            }
                        };
                        view! {
                            <crate::components::sections::SectionHead
                                slug=i.slug.clone()
                                name=i.name.clone()
                                current=crate::components::sections::Section::Testing
                                title="Testing"
                            />
                            <p class="hint">
                                "The gate to live opens when the latest run is signed off, every required case passed in every configuration, every required category is covered, no critical or major defect is open, and production is registered."
                            </p>
                            <Matrix
                                plan=overview.plan.plan.clone()
                                integration_id=i.id
                                can_edit
                                actions
                            />
                            <Cases overview=overview.clone() can_edit actions />
                            <Runs overview=overview.clone() can_edit create=actions.create_run />
                            <section class="card" aria-labelledby="defects-title">
                                <h2 id="defects-title">"Defects"</h2>
                                <FormError error=action_error(update_defect) />
                                {(defects.total > 0)
                                    .then(|| {
                                        view! {
                                            <p class="count" role="status">
                                                {crate::components::pagination::count(
                                                    defects.total,
                                                    "defect",
                                                    "defects",
                                                )}
                                            </p>
                                        }
                                    })}
                                <DefectTable
                                    defects=defects.items
                                    can_update=can_record
                                    update=update_defect
                                />
                                <crate::components::pagination::Pagination
                                    page=defects.page
                                    pages=defects.pages
                                    href=defects_href
                                />
                            </section>
                        }
                            .into_any()
                    })}
                </Suspense>
            }
        } />
    }
}
