//! The saved-views panel of a list page: the user's views as links, a form that saves the
//! current one, and a confirmed delete for each.

use leptos::prelude::*;

use super::api::{DeleteView, SaveView, get_saved_views};
use crate::components::forms::{Field, FormError, action_error, field_error};

/// The saved views of one page and the actions that change them. Made where the page's own
/// resources are made (outside any `Suspend`), so the list hydrates from what the server sent
/// whatever the order the page's parts resolved in.
#[derive(Clone, Copy)]
pub struct Views {
    page: &'static str,
    save: ServerAction<SaveView>,
    delete: ServerAction<DeleteView>,
    list: Resource<Result<Vec<super::model::SavedView>, crate::error::AppError>>,
}

impl Views {
    /// The views of `page` (`dashboard` or `integrations`).
    pub fn new(page: &'static str) -> Self {
        let save = ServerAction::<SaveView>::new();
        let delete = ServerAction::<DeleteView>::new();
        let list = Resource::new(|| (), move |_| get_saved_views(page.to_string()));
        Self {
            page,
            save,
            delete,
            list,
        }
    }
}

/// The saved views of a page, and the form that saves the current URL's query under a name.
#[component]
pub fn SavedViews(views: Views) -> impl IntoView {
    let Views {
        page,
        save,
        delete,
        list: views,
    } = views;
    let error = action_error(save);
    let query = leptos_router::hooks::use_location().search;
    view! {
        <section class="card saved-views no-print" aria-labelledby=format!("views-{page}")>
            <h2 id=format!("views-{page}")>"Saved views"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match views.await {
                        Ok(list) if list.is_empty() => {
                            view! {
                                <p class="muted">
                                    "No saved view yet. Filter or sort, then save the view to come back to it."
                                </p>
                            }
                                .into_any()
                        }
                        Ok(list) => {
                            view! {
                                <ul class="saved-view-list">
                                    {list
                                        .into_iter()
                                        .map(|v| {
                                            view! {
                                                <li>
                                                    <a href=v.href()>{v.name.clone()}</a>
                                                    <details class="confirm">
                                                        <summary>{format!("Delete “{}”…", v.name)}</summary>
                                                        <ActionForm action=delete>
                                                            <input type="hidden" name="id" value=v.id.to_string() />
                                                            <button type="submit" class="danger">
                                                                "Delete view"
                                                            </button>
                                                        </ActionForm>
                                                    </details>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(_) => {
                            view! { <p class="muted">"Saved views could not be loaded."</p> }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
            <FormError error />
            <ActionForm action=save attr:class="inline-form">
                <input type="hidden" name="page" value=page />
                <input type="hidden" name="query" value=move || query.get() />
                <Field name="name" label="Save this view as" error=field_error(error, "name") />
                <button type="submit">"Save view"</button>
            </ActionForm>
        </section>
    }
}
