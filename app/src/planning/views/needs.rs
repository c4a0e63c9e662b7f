//! The needs assessment page.

use crate::auth::access::Action;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::PlanningHeader;
use crate::components::forms::{FormError, TextArea, action_error, field_error};
use crate::components::layout::Shell;
use crate::components::route::slug_param;
use crate::error::ErrorTemplate;
use crate::planning::api::{SaveNeeds, get_needs};

/// The problem, who is affected, scope in and out, and the platform areas touched.
#[component]
pub fn NeedsPage() -> impl IntoView {
    let slug = slug_param();
    let just_saved = use_query_map().with_untracked(|q| q.get("saved").is_some());
    let save = ServerAction::<SaveNeeds>::new();
    let error = action_error(save);
    let needs = Resource::new(move || slug.get(), get_needs);
    view! {
        <Shell page=move |user| {
            let can_edit = user.can(Action::EditIntegrations);
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let head = match needs.await {
                            Ok(v) => v,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        let needs = head.needs;
                        let updated = needs
                            .updated_at
                            .map(|at| {
                                format!(
                                    "Last saved {} by {}.",
                                    at.format("%Y-%m-%d %H:%M UTC"),
                                    needs.updated_by.clone().unwrap_or_else(|| "someone".into()),
                                )
                            });
                        let integration_id = head.integration.id.to_string();
                        view! {
                            <PlanningHeader integration=head.integration current="needs" />
                            <section class="card" aria-labelledby="needs-title">
                                <h2 id="needs-title">"Needs assessment"</h2>
                                <p class="hint">
                                    {updated.unwrap_or_else(|| "Not written yet.".into())}
                                </p>
                                {if can_edit {
                                    view! {
                                        <FormError error />
                                        <ActionForm action=save>
                                            <input
                                                type="hidden"
                                                name="integration_id"
                                                value=integration_id
                                            />
                                            <TextArea
                                                name="problem"
                                                label="Problem"
                                                value=needs.problem
                                                required=true
                                                hint="What is wrong or missing today."
                                                error=field_error(error, "problem")
                                            />
                                            <TextArea
                                                name="affected"
                                                label="Who is affected"
                                                value=needs.affected
                                                required=true
                                                error=field_error(error, "affected")
                                            />
                                            <TextArea
                                                name="scope_in"
                                                label="In scope"
                                                value=needs.scope_in
                                                error=field_error(error, "scope_in")
                                            />
                                            <TextArea
                                                name="scope_out"
                                                label="Out of scope"
                                                value=needs.scope_out
                                                error=field_error(error, "scope_out")
                                            />
                                            <TextArea
                                                name="platform_areas"
                                                label="Platform areas touched"
                                                value=needs.platform_areas
                                                hint="For example: checkout, listings, seller onboarding."
                                                error=field_error(error, "platform_areas")
                                            />
                                            <div class="form-actions">
                                                <button
                                                    type="submit"
                                                    class="primary"
                                                    disabled=move || save.pending().get()
                                                >
                                                    "Save needs assessment"
                                                </button>
                                                {just_saved
                                                    .then(|| view! { <span role="status">"Saved."</span> })}
                                            </div>
                                        </ActionForm>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <dl class="facts">
                                            <dt>"Problem"</dt>
                                            <dd class="prose">{needs.problem}</dd>
                                            <dt>"Who is affected"</dt>
                                            <dd class="prose">{needs.affected}</dd>
                                            <dt>"In scope"</dt>
                                            <dd class="prose">{needs.scope_in}</dd>
                                            <dt>"Out of scope"</dt>
                                            <dd class="prose">{needs.scope_out}</dd>
                                            <dt>"Platform areas"</dt>
                                            <dd>{needs.platform_areas}</dd>
                                        </dl>
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
