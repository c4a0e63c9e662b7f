//! The integrations list's query, read from the URL, and its sortable column headers: shared
//! by the integrations list and the dashboard's table.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::model::IntegrationQuery;

/// The list's query from the current URL.
pub fn current_query() -> Memo<IntegrationQuery> {
    let query = use_query_map();
    Memo::new(move |_| {
        query.with(|q| IntegrationQuery {
            q: q.get("q"),
            stage: q.get("stage"),
            category: q.get("category"),
            owner: q.get("owner"),
            sort: q.get("sort"),
            dir: q.get("dir"),
            page: q.get("page"),
        })
    })
}

/// A sortable column header: a link that toggles the direction, with `aria-sort`, on the
/// page at `base` (the list unless said).
#[component]
pub fn SortHeader(
    query: IntegrationQuery,
    key: &'static str,
    label: &'static str,
    #[prop(default = "/integrations")] base: &'static str,
) -> impl IntoView {
    let active = query.sort.as_deref() == Some(key) || (query.sort.is_none() && key == "updated");
    let descending = if query.sort.is_none() && query.dir.is_none() {
        true
    } else {
        query.descending()
    };
    let aria = if !active {
        "none"
    } else if descending {
        "descending"
    } else {
        "ascending"
    };
    let next_dir = if active && !descending { "desc" } else { "asc" };
    let href = query.href_on(
        base,
        &[
            ("sort", Some(key.to_string())),
            ("dir", Some(next_dir.to_string())),
            ("page", None),
        ],
    );
    let arrow = if !active {
        ""
    } else if descending {
        " ↓"
    } else {
        " ↑"
    };
    view! {
        <th scope="col" aria-sort=aria>
            <a href=href>{label}{arrow}</a>
        </th>
    }
}
