//! The checklists page: error handling and logging, and security, each item open, done or not
//! applicable (with a reason); the category's template one click away.

use crate::auth::access::Action;
use leptos::prelude::*;

use super::api::{
    ApplyChecklistTemplate, CreateChecklistItem, DeleteChecklistItem, UpdateChecklistItem,
    get_checklists,
};
use super::checklist::{Checklist, ChecklistItem, ChecklistItemForm, ChecklistView, ItemStatus};
use crate::components::forms::{Confirm, DeleteButton};
use crate::components::forms::{Field, FormError, SelectField, action_error, choices, field_error};
use crate::components::layout::Shell;
use crate::components::route::slug_param;
use crate::error::{AppError, ErrorTemplate};

#[component]
fn ItemFields(
    form: ChecklistItemForm,
    page: ChecklistView,
    error: Signal<Option<AppError>>,
    #[prop(into)] scope: String,
    #[prop(optional)] with_status: bool,
) -> impl IntoView {
    let e = move |f: &'static str| field_error(error, f);
    let people: Vec<(String, String)> = page
        .people
        .iter()
        .map(|p| (p.id.to_string(), p.name.clone()))
        .collect();
    view! {
        <div class="field-row">
            <SelectField
                name="checklist"
                scope=scope.clone()
                label="Checklist"
                options=choices(Checklist::ALL, Checklist::as_str, Checklist::label)
                selected=form.checklist.clone()
                required=true
                error=e("checklist")
            />
            <Field
                name="title"
                scope=scope.clone()
                label="Item"
                value=form.title.clone()
                required=true
                error=e("title")
            />
        </div>
        <div class="field-row">
            {with_status
                .then(|| {
                    view! {
                        <SelectField
                            name="status"
                            scope=scope.clone()
                            label="Status"
                            options=choices(ItemStatus::ALL, ItemStatus::as_str, ItemStatus::label)
                            selected=form.status.clone()
                            error=e("status")
                        />
                    }
                })}
            <SelectField
                name="owner_id"
                scope=scope.clone()
                label="Owner"
                options=people
                selected=form.owner_id.clone()
                blank="No owner"
                error=e("owner_id")
            />
        </div>
        <Field
            name="evidence"
            scope=scope.clone()
            label="Evidence"
            value=form.evidence.clone()
            hint="A note or a link: the pull request, the dashboard, the test"
            error=e("evidence")
        />
        {with_status
            .then(|| {
                view! {
                    <Field
                        name="na_reason"
                        scope=scope.clone()
                        label="Why not applicable"
                        value=form.na_reason.clone()
                        hint="Only for Not applicable"
                        error=e("na_reason")
                    />
                }
            })}
    }
}

/// The hidden fields that carry an item's current values, so a one-button form changes only
/// its status.
#[component]
fn Keep(form: ChecklistItemForm) -> impl IntoView {
    view! {
        <input type="hidden" name="checklist" value=form.checklist />
        <input type="hidden" name="title" value=form.title />
        <input type="hidden" name="owner_id" value=form.owner_id />
        <input type="hidden" name="evidence" value=form.evidence />
        <input type="hidden" name="na_reason" value=form.na_reason />
    }
}

fn badge(status: ItemStatus) -> &'static str {
    match status {
        ItemStatus::Open => "badge warn",
        ItemStatus::Done => "badge ok",
        ItemStatus::NotApplicable => "badge",
    }
}

#[component]
fn ChecklistTable(
    list: Checklist,
    page: ChecklistView,
    can_edit: bool,
    update: ServerAction<UpdateChecklistItem>,
    delete: ServerAction<DeleteChecklistItem>,
) -> impl IntoView {
    let items = page.of(list);
    let open = items
        .iter()
        .filter(|i| i.status == ItemStatus::Open)
        .count();
    let title_id = format!("{}-title", list.as_str());
    let labelled_by = title_id.clone();
    let update_error = action_error(update);
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h2 id=title_id>{list.label()}</h2>
            <p class="hint">{format!("{} item(s), {open} open.", items.len())}</p>
            {if items.is_empty() {
                view! { <p class="empty">"No items yet. Add the template items or your own."</p> }
                    .into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <caption class="visually-hidden">{list.label()}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Item"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col">"Owner"</th>
                                    <th scope="col">"Evidence"</th>
                                    {can_edit.then(|| view! { <th scope="col">"Actions"</th> })}
                                </tr>
                            </thead>
                            <tbody>
                                {items
                                    .into_iter()
                                    .map(|item: ChecklistItem| {
                                        let id = item.id;
                                        let form = item.form();
                                        let keep = form.clone();
                                        let page = page.clone();
                                        view! {
                                            <tr>
                                                <td>{item.title.clone()}</td>
                                                <td>
                                                    <span class=badge(item.status)>{item.status.label()}</span>
                                                    {(!item.na_reason.is_empty())
                                                        .then(|| {
                                                            view! {
                                                                <span class="muted">
                                                                    {format!(" ({})", item.na_reason)}
                                                                </span>
                                                            }
                                                        })}
                                                </td>
                                                <td>
                                                    {item
                                                        .owner
                                                        .as_ref()
                                                        .map_or_else(|| "—".to_string(), |o| o.name.clone())}
                                                </td>
                                                <td>{item.evidence.clone()}</td>
                                                {can_edit
                                                    .then(|| {
                                                        view! {
                                                            <td class="row-actions">
                                                                {(item.status == ItemStatus::Open)
                                                                    .then(|| {
                                                                        view! {
                                                                            <ActionForm action=update>
                                                                                <input type="hidden" name="item_id" value=id.to_string() />
                                                                                <input type="hidden" name="status" value="done" />
                                                                                <Keep form=keep />
                                                                                <button type="submit">
                                                                                    {format!("Mark done: {}", item.title)}
                                                                                </button>
                                                                            </ActionForm>
                                                                        }
                                                                    })} <Confirm summary="Edit…">
                                                                    <ActionForm action=update>
                                                                        <input type="hidden" name="item_id" value=id.to_string() />
                                                                        <ItemFields
                                                                            form=form
                                                                            page=page
                                                                            error=update_error
                                                                            scope=format!("item-{id}")
                                                                            with_status=true
                                                                        />
                                                                        <button type="submit" class="primary">
                                                                            "Save item"
                                                                        </button>
                                                                    </ActionForm>
                                                                </Confirm> <Confirm summary="Delete…" danger=true>
                                                                    <ActionForm action=delete>
                                                                        <DeleteButton id what="item" />
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
    }
}

/// The engineering checklists of one integration.
#[component]
pub fn ChecklistsPage() -> impl IntoView {
    let slug = slug_param();
    let create = ServerAction::<CreateChecklistItem>::new();
    let update = ServerAction::<UpdateChecklistItem>::new();
    let delete = ServerAction::<DeleteChecklistItem>::new();
    let template = ServerAction::<ApplyChecklistTemplate>::new();
    let create_error = action_error(create);
    let update_error = action_error(update);
    let delete_error = action_error(delete);
    let template_error = action_error(template);
    let page = Resource::new(move || slug.get(), get_checklists);
    view! {
        <Shell page=move |user| {
            let can_edit = user.can(Action::Build);
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let page = match page.await {
                            Ok(p) => p,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        let i = page.integration.clone();
                        view! {
                            <crate::components::sections::SectionHead
                                slug=i.slug.clone()
                                name=i.name.clone()
                                current=crate::components::sections::Section::Checklists
                                title="Engineering checklists"
                            />
                            <p class="hint">
                                "The gate to testing opens when neither checklist has an open item: each is done, or not applicable with a reason."
                            </p>
                            <FormError error=update_error every_message=true />
                            <FormError error=delete_error every_message=true />
                            <FormError error=template_error />
                            {(can_edit && page.template_missing > 0)
                                .then(|| {
                                    view! {
                                        <ActionForm action=template attr:class="card">
                                            <input
                                                type="hidden"
                                                name="integration_id"
                                                value=i.id.to_string()
                                            />
                                            <p>
                                                {format!(
                                                    "The {} template has {} item(s) not on these checklists.",
                                                    page.category.label(),
                                                    page.template_missing,
                                                )}
                                            </p>
                                            <button type="submit" class="primary">
                                                "Add the template items"
                                            </button>
                                        </ActionForm>
                                    }
                                })}
                            {Checklist::ALL
                                .iter()
                                .map(|list| {
                                    view! {
                                        <ChecklistTable
                                            list=*list
                                            page=page.clone()
                                            can_edit
                                            update
                                            delete
                                        />
                                    }
                                })
                                .collect_view()}
                            {can_edit
                                .then(|| {
                                    view! {
                                        <section class="card" aria-labelledby="new-item-title">
                                            <h2 id="new-item-title">"Add an item"</h2>
                                            <FormError error=create_error />
                                            <ActionForm action=create>
                                                <input
                                                    type="hidden"
                                                    name="integration_id"
                                                    value=i.id.to_string()
                                                />
                                                <ItemFields
                                                    form=ChecklistItemForm::default()
                                                    page=page.clone()
                                                    error=create_error
                                                    scope="new"
                                                />
                                                <div class="form-actions">
                                                    <button
                                                        type="submit"
                                                        class="primary"
                                                        disabled=move || create.pending().get()
                                                    >
                                                        "Add item"
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
