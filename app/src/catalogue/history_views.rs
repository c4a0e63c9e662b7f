//! An integration's whole history, paginated (`/integrations/{slug}/history?page=`); its page
//! shows only the newest entries.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::activity::api::list_history;
use crate::activity::views::HistoryList;
use crate::components::layout::Shell;
use crate::components::pagination::{Pagination, count};
use crate::components::route::slug_param;
use crate::components::sections::{Section, SectionHead};
use crate::error::ErrorTemplate;
use crate::integrations::api::get_integration;

/// One page of an integration's history, newest first.
#[component]
pub fn IntegrationHistoryPage() -> impl IntoView {
    let slug = slug_param();
    let query = use_query_map();
    let detail = Resource::new(move || slug.get(), get_integration);
    let page = Resource::new(
        move || {
            (
                slug.get(),
                query.with(|q| q.get("page").unwrap_or_default()),
            )
        },
        |(s, p)| list_history(s, p),
    );
    view! {
        <Shell page=move |_user| {
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading the history…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let (d, h) = match (detail.await, page.await) {
                            (Ok(d), Ok(h)) => (d, h),
                            (Err(error), _) | (_, Err(error)) => {
                                return view! { <ErrorTemplate error /> }.into_any();
                            }
                        };
                        let i = d.integration;
                        let href = {
                            let slug = i.slug.clone();
                            move |n: u64| format!("/integrations/{slug}/history?page={n}")
                        };
                        view! {
                            <SectionHead
                                slug=i.slug.clone()
                                name=i.name.clone()
                                current=Section::History
                                title="History"
                                overridden=i.gate_overridden
                            />
                            <p class="count" role="status">
                                {format!("{}, newest first", count(h.total, "entry", "entries"))}
                            </p>
                            <HistoryList entries=h.items />
                            <Pagination page=h.page pages=h.pages href />
                        }
                            .into_any()
                    })}
                </Suspense>
            }
        } />
    }
}
