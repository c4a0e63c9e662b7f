//! The "Needs me" page (`/needs`): what waits on the signed-in person, group by group.

use leptos::prelude::*;

use crate::components::layout::Shell;
use crate::components::pagination::count;
use crate::error::ErrorTemplate;
use crate::needs::api::get_needs_me;
use crate::needs::model::{Group, SHOWN};

fn group_card(g: Group) -> impl IntoView {
    let id = format!("needs-{}", g.key);
    let heading = id.clone();
    let body = if g.items.is_empty() {
        view! { <p class="empty">{g.empty}</p> }.into_any()
    } else {
        view! {
            <ul class="needs" aria-labelledby=heading.clone()>
                {g
                    .items
                    .into_iter()
                    .map(|w| {
                        view! {
                            <li>
                                <a href=w.href>{w.title}</a>
                                " · "
                                <a href=format!(
                                    "/integrations/{}",
                                    w.integration.slug,
                                )>{w.integration.name}</a>
                                <p class="muted">{w.detail}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let more = (g.total > SHOWN as u64)
        .then(|| view! { <p class="count">{format!("The first {SHOWN} of {}.", g.total)}</p> });
    view! {
        <section class="card" aria-labelledby=heading>
            <h2 id=id>{g.title}" "<span class="badge">{g.total}</span></h2>
            {body}
            {more}
        </section>
    }
}

/// What waits on the signed-in person.
#[component]
pub fn NeedsMePage() -> impl IntoView {
    let needs = Resource::new(|| (), |_| get_needs_me());
    view! {
        <Shell page=move |_user| {
            view! {
                <h1>"Needs me"</h1>
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        match needs.await {
                            Ok(n) => {
                                view! {
                                    <p class="count" role="status">
                                        {format!(
                                            "{} waiting on you.",
                                            count(n.total(), "thing", "things"),
                                        )}
                                    </p>
                                    {n.groups.into_iter().map(group_card).collect_view()}
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
