//! The previous / next links under a paginated list.

use leptos::prelude::*;

/// "← Previous · Page 2 of 7 · Next →", with `href(n)` the link to page `n`; a link shows only
/// where there is a page to go to.
#[component]
pub fn Pagination<F>(page: u64, pages: u64, href: F) -> impl IntoView
where
    F: Fn(u64) -> String + 'static,
{
    let prev = (page > 1).then(|| href(page - 1));
    let next = (page < pages).then(|| href(page + 1));
    view! {
        <nav class="pagination" aria-label="Pages">
            {prev
                .map(|h| {
                    view! {
                        <a href=h rel="prev">
                            "← Previous"
                        </a>
                    }
                })}
            <span>{format!("Page {page} of {pages}")}</span>
            {next
                .map(|h| {
                    view! {
                        <a href=h rel="next">
                            "Next →"
                        </a>
                    }
                })}
        </nav>
    }
}
