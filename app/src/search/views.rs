//! The search page (`/search?q=`): a plain GET form, so it works before (and without) the
//! WebAssembly, and the records found, grouped by kind, each with its integration, its title
//! and a snippet with the matching words marked.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::search_records;
use super::model::{BEST, CAP, Group, Hit, Piece, Results, page_href};
use crate::components::forms::Field;
use crate::components::layout::Shell;
use crate::components::pagination::{Pagination, count};
use crate::error::ErrorTemplate;
use crate::limits::thousands;

/// Text in pieces, the matching words in `<mark>`.
fn marked(pieces: Vec<Piece>) -> impl IntoView {
    pieces
        .into_iter()
        .map(|p| {
            if p.hit {
                view! { <mark>{p.text}</mark> }.into_any()
            } else {
                p.text.into_any()
            }
        })
        .collect_view()
}

fn hit_item(h: Hit) -> impl IntoView {
    let snippet =
        (!h.snippet.is_empty()).then(|| view! { <p class="snippet">{marked(h.snippet)}</p> });
    view! {
        <li>
            <a href=h.href>{marked(h.title)}</a>
            " · "
            <a class="muted" href=format!("/integrations/{}", h.integration.slug)>
                {h.integration.name}
            </a>
            {snippet}
        </li>
    }
}

fn group_card(g: Group, q: &str, one_kind: bool) -> impl IntoView {
    let id = format!("found-{}", g.kind.as_str());
    let heading = id.clone();
    let shown = g.hits.len() as u64;
    let total = if g.more {
        format!("{}+", g.total)
    } else {
        g.total.to_string()
    };
    let more = (!one_kind && (g.more || g.total > shown)).then(|| {
        let text = if g.more {
            format!("More {}", g.label.to_lowercase())
        } else {
            format!("All {} {}", g.total, g.label.to_lowercase())
        };
        view! {
            <p class="count">
                <a href=page_href(q, Some(g.kind), None)>{text}</a>
            </p>
        }
    });
    view! {
        <section class="card" aria-labelledby=heading>
            <h2 id=id>{g.label}" "<span class="badge">{total}</span></h2>
            <ul class="found">{g.hits.into_iter().map(hit_item).collect_view()}</ul>
            {more}
        </section>
    }
}

fn results_view(r: Results) -> impl IntoView {
    if r.q.is_empty() {
        return view! {
            <p class="empty">
                "Type words to find integrations, meetings, milestones, defects, incidents, operations and more."
            </p>
        }
        .into_any();
    }
    if r.total == 0 {
        return view! {
            <p class="empty" role="status">
                {format!("Nothing matches “{}”.", r.q)}
            </p>
        }
        .into_any();
    }
    let one_kind = r.kind.is_some();
    let cap = thousands(CAP);
    let summary = match r.kind {
        Some(k) if r.more => format!(
            "More than {cap} match in {}: the newest {cap}, best first. Add a word to narrow them.",
            k.label()
        ),
        Some(k) => format!("{} in {}.", count(r.total, "match", "matches"), k.label()),
        None if r.more => format!(
            "More than {cap} match “{}”: the best of the newest {cap} are shown. Add a word to narrow them.",
            r.q
        ),
        None => format!(
            "{} for “{}”{}.",
            count(r.total, "match", "matches"),
            r.q,
            if r.total > BEST {
                ", the best shown"
            } else {
                ""
            }
        ),
    };
    let back = r.kind.map(|_| {
        view! {
            <p>
                <a href=page_href(&r.q, None, None)>"← Every kind"</a>
            </p>
        }
    });
    let (q, kind) = (r.q.clone(), r.kind);
    let href = move |n: u64| page_href(&q, kind, Some(n));
    view! {
        <p class="count" role="status">
            {summary}
        </p>
        {back}
        {r.groups.into_iter().map(|g| group_card(g, &r.q, one_kind)).collect_view()}
        <Pagination page=r.page pages=r.pages href />
    }
    .into_any()
}

/// The search form, `q` in its box, and what it found.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let found = Resource::new(
        move || {
            query.with(|q| {
                (
                    q.get("q").unwrap_or_default(),
                    q.get("kind").unwrap_or_default(),
                    q.get("page").unwrap_or_default(),
                )
            })
        },
        |(q, kind, page)| search_records(q, kind, page),
    );
    let q = move || query.with(|q| q.get("q").unwrap_or_default());
    let kind = move || query.with(|q| q.get("kind").unwrap_or_default());
    view! {
        <Shell page=move |_user| {
            view! {
                <h1>"Search"</h1>
                <form
                    method="get"
                    action="/search"
                    class="filters"
                    role="search"
                    aria-label="Search every record"
                >
                    <Field
                        name="q"
                        label="Search for"
                        kind="search"
                        value=q()
                        hint="Words in a title, notes or a description; “onf” finds Onfido."
                    />
                    {(!kind().is_empty())
                        .then(|| view! { <input type="hidden" name="kind" value=kind() /> })}
                    <button type="submit">"Search"</button>
                </form>
                <Suspense fallback=|| {
                    view! { <p class="loading">"Searching…"</p> }
                }>
                    {move || Suspend::new(async move {
                        match found.await {
                            Ok(r) => results_view(r).into_any(),
                            Err(error) => view! { <ErrorTemplate error /> }.into_any(),
                        }
                    })}
                </Suspense>
            }
        } />
    }
}
