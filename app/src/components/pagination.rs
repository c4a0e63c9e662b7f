//! The previous / next links under a paginated list.

use leptos::prelude::*;

/// "← Previous · Page 2 of 7 · Next →", with `href(n)` the link to page `n`; a link shows only
/// where there is a page to go to, and a list on one page has none of it.
#[component]
pub fn Pagination<F>(page: u64, pages: u64, href: F) -> impl IntoView
where
    F: Fn(u64) -> String + 'static,
{
    let prev = (page > 1).then(|| href(page - 1));
    let next = (page < pages).then(|| href(page + 1));
    (pages > 1).then(|| {
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
    })
}

/// `n` and its noun, `one` or `many` as `n` asks: "1 run", "20 runs".
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
