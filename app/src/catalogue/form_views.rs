//! The create and edit forms of an integration, and the choices the forms and the list's
//! filters offer.

use crate::auth::access::Action;
use leptos::prelude::*;

use crate::components::forms::{
    Field, FormError, SelectField, TextArea, action_error, field_error,
};
use crate::components::layout::Shell;
use crate::components::route::slug_param;
use crate::error::{AppError, ErrorTemplate};
use crate::integrations::api::{CreateIntegration, UpdateIntegration, get_integration};
use crate::integrations::model::{Category, IntegrationForm, Priority, Stage};
use crate::users::api::user_choices;
use crate::users::model::UserRef;

fn options<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|v| (value(*v).to_string(), label(*v).to_string()))
        .collect()
}

pub(super) fn category_options() -> Vec<(String, String)> {
    options(Category::ALL, Category::as_str, Category::label)
}

pub(super) fn stage_options() -> Vec<(String, String)> {
    options(Stage::ALL, Stage::as_str, Stage::label)
}

fn priority_options() -> Vec<(String, String)> {
    options(Priority::ALL, Priority::as_str, Priority::label)
}

/// The create and edit form. `existing` fills it for editing.
#[component]
fn IntegrationFields(
    initial: IntegrationForm,
    owners: Vec<UserRef>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let owner_options = owners
        .into_iter()
        .map(|u| (u.id.to_string(), u.name))
        .collect();
    view! {
        <Field
            name="name"
            label="Name"
            value=initial.name
            required=true
            error=field_error(error, "name")
        />
        <Field
            name="slug"
            label="Slug"
            value=initial.slug
            hint="Used in links. Leave blank to derive it from the name."
            error=field_error(error, "slug")
        />
        <Field
            name="provider"
            label="Provider"
            value=initial.provider
            required=true
            error=field_error(error, "provider")
        />
        <SelectField
            name="category"
            label="Category"
            options=category_options()
            selected=initial.category
            blank="Choose…"
            required=true
            error=field_error(error, "category")
        />
        <SelectField
            name="owner_id"
            label="Owner"
            options=owner_options
            selected=initial.owner_id
            blank="Choose…"
            required=true
            error=field_error(error, "owner_id")
        />
        <TextArea
            name="business_objective"
            label="Business objective"
            value=initial.business_objective
            required=true
            hint="Why SayPro needs this integration."
            error=field_error(error, "business_objective")
        />
        <SelectField
            name="priority"
            label="Priority"
            options=priority_options()
            selected=initial.priority
            required=true
            error=field_error(error, "priority")
        />
        <Field
            name="tags"
            label="Tags"
            value=initial.tags
            hint="Comma-separated, for example: cards, checkout"
            error=field_error(error, "tags")
        />
    }
}

/// The create form. Coordinators and admins.
#[component]
pub fn NewIntegrationPage() -> impl IntoView {
    let create = ServerAction::<CreateIntegration>::new();
    let error = action_error(create);
    let owners = Resource::new(|| (), |_| user_choices());
    view! {
        <Shell page=move |user| {
            if !user.can(Action::EditIntegrations) {
                return view! { <ErrorTemplate error=AppError::Forbidden /> }.into_any();
            }
            let initial = IntegrationForm {
                owner_id: user.id.to_string(),
                priority: "medium".into(),
                ..Default::default()
            };
            view! {
                <h1>"New integration"</h1>
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || {
                        let initial = initial.clone();
                        Suspend::new(async move {
                            let owners = match owners.await {
                                Ok(o) => o,
                                Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                            };
                            view! {
                                <section class="card">
                                    <FormError error />
                                    <ActionForm action=create>
                                        <IntegrationFields initial owners error />
                                        <div class="form-actions">
                                            <button
                                                type="submit"
                                                class="primary"
                                                disabled=move || create.pending().get()
                                            >
                                                "Create integration"
                                            </button>
                                            <a href="/integrations">"Cancel"</a>
                                        </div>
                                    </ActionForm>
                                </section>
                            }
                                .into_any()
                        })
                    }}
                </Suspense>
            }
                .into_any()
        } />
    }
}

/// The edit form. Coordinators and admins.
#[component]
pub fn EditIntegrationPage() -> impl IntoView {
    let slug = slug_param();
    let detail = Resource::new(move || slug.get(), get_integration);
    let owners = Resource::new(|| (), |_| user_choices());
    let update = ServerAction::<UpdateIntegration>::new();
    let error = action_error(update);
    view! {
        <Shell page=move |user| {
            if !user.can(Action::EditIntegrations) {
                return view! { <ErrorTemplate error=AppError::Forbidden /> }.into_any();
            }
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        match (detail.await, owners.await) {
                            (Err(error), _) | (_, Err(error)) => {
                                view! { <ErrorTemplate error /> }.into_any()
                            }
                            (Ok(d), Ok(owners)) => {
                                let i = d.integration;
                                let back = format!("/integrations/{}", i.slug);
                                let initial = IntegrationForm {
                                    name: i.name.clone(),
                                    slug: i.slug.clone(),
                                    provider: i.provider,
                                    category: i.category.as_str().into(),
                                    owner_id: i.owner.id.to_string(),
                                    business_objective: i.business_objective,
                                    priority: i.priority.as_str().into(),
                                    tags: i.tags.join(", "),
                                };
                                view! {
                                    <h1>"Edit " {i.name}</h1>
                                    <section class="card">
                                        <FormError error />
                                        <ActionForm action=update>
                                            <input type="hidden" name="id" value=i.id.to_string() />
                                            <IntegrationFields initial owners error />
                                            <div class="form-actions">
                                                <button
                                                    type="submit"
                                                    class="primary"
                                                    disabled=move || update.pending().get()
                                                >
                                                    "Save changes"
                                                </button>
                                                <a href=back>"Cancel"</a>
                                            </div>
                                        </ActionForm>
                                    </section>
                                }
                                    .into_any()
                            }
                        }
                    })}
                </Suspense>
            }
                .into_any()
        } />
    }
}
