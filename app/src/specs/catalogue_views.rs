//! A spec's catalogue: its operations a page at a time, searchable, with the ones the
//! integration uses marked (and marked or unmarked from here).

use super::views::{SpecCrumbs, spec_param};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{MarkOperationUsed, UnmarkOperation, get_spec_catalogue};
use super::model::CatalogueEntry;
use crate::components::forms::Confirm;
use crate::components::forms::{FormError, action_error};
use crate::components::layout::Shell;
use crate::components::query_value;
use crate::components::route::slug_param;
use crate::error::ErrorTemplate;

/// A spec's operations, a page at a time, searchable, with the used ones marked.
#[component]
pub fn CatalogueView() -> impl IntoView {
    let slug = slug_param();
    let spec = spec_param();
    let query = use_query_map();
    let mark = ServerAction::<MarkOperationUsed>::new();
    let unmark = ServerAction::<UnmarkOperation>::new();
    let page = Resource::new(
        move || {
            let (version, q, used, n) = query.with(|q| {
                (
                    q.get("version").and_then(|v| v.parse().ok()),
                    q.get("q").unwrap_or_default(),
                    q.get("used").is_some_and(|u| !u.is_empty()),
                    q.get("page").and_then(|v| v.parse().ok()).unwrap_or(1),
                )
            });
            (slug.get(), spec.get(), version, q, used, n)
        },
        |(s, id, version, q, used, n)| get_spec_catalogue(s, id, version, q, used, n),
    );
    let mark_error = action_error(mark);
    let unmark_error = action_error(unmark);
    view! {
        <Shell page=move |_| {
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
                        let href = format!("/integrations/{}/specs/{}", i.slug, page.spec_id);
                        let (q, used) = query
                            .with_untracked(|q| (
                                q.get("q").unwrap_or_default(),
                                q.get("used").is_some_and(|u| !u.is_empty()),
                            ));
                        let pages = page.total.div_ceil(page.per_page).max(1);
                        let version = page.version.id;
                        let link = {
                            let (href, q) = (href.clone(), q.clone());
                            move |n: u64| {
                                let mut h = format!("{href}?version={version}&page={n}");
                                if !q.is_empty() {
                                    h.push_str(&format!("&q={}", query_value(&q)));
                                }
                                if used {
                                    h.push_str("&used=1");
                                }
                                h
                            }
                        };
                        let spec_id = page.spec_id;
                        let can_edit = page.can_edit;
                        view! {
                            <SpecCrumbs slug=i.slug.clone() name=i.name.clone() />
                            <h1>
                                {format!(
                                    "{}: operations of version {}",
                                    page.spec_name,
                                    page.version.number,
                                )}
                            </h1>
                            <p>
                                {format!(
                                    "Declared version {}; {} operations in all.",
                                    page.version.info_version,
                                    page.version.operation_count,
                                )}
                            </p>
                            <form
                                method="get"
                                action=href.clone()
                                class="filters"
                                role="search"
                                aria-label="Search operations"
                            >
                                <input
                                    type="hidden"
                                    name="version"
                                    value=page.version.id.to_string()
                                />
                                <div class="field">
                                    <label for="op-q">"Search"</label>
                                    <input
                                        id="op-q"
                                        type="search"
                                        name="q"
                                        value=q.clone()
                                        placeholder="Method, path, operationId, summary or tag"
                                    />
                                </div>
                                <div class="field checkbox">
                                    <input
                                        id="op-used"
                                        type="checkbox"
                                        name="used"
                                        value="1"
                                        checked=used
                                    />
                                    <label for="op-used">"Used only"</label>
                                </div>
                                <button type="submit">"Search"</button>
                                <a href=format!("{href}?version={}", page.version.id)>"Clear"</a>
                            </form>
                            <FormError error=mark_error every_message=true />
                            <FormError error=unmark_error every_message=true />
                            <p role="status">{format!("{} matching operation(s).", page.total)}</p>
                            {if page.entries.is_empty() {
                                view! { <p class="empty">"No operation matches."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap">
                                        <table class="catalogue">
                                            <caption class="visually-hidden">"Operations"</caption>
                                            <thead>
                                                <tr>
                                                    <th scope="col">"Operation"</th>
                                                    <th scope="col">"Summary"</th>
                                                    <th scope="col">"Tags"</th>
                                                    <th scope="col">"Used"</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {page
                                                    .entries
                                                    .into_iter()
                                                    .map(|e| {
                                                        view! { <OperationRow e spec_id can_edit mark unmark /> }
                                                    })
                                                    .collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }
                                    .into_any()
                            }}
                            <crate::components::pagination::Pagination
                                page=page.page as u64
                                pages=pages as u64
                                href=link
                            />
                        }
                            .into_any()
                    })}
                </Suspense>
            }
        } />
    }
}

#[component]
pub(super) fn OperationRow(
    e: CatalogueEntry,
    spec_id: i32,
    can_edit: bool,
    mark: ServerAction<MarkOperationUsed>,
    unmark: ServerAction<UnmarkOperation>,
) -> impl IntoView {
    let label = format!("{} {}", e.method, e.path);
    let note_id = format!("note-{}-{}", e.method, e.path.replace(['/', '{', '}'], "-"));
    let is_used = e.used.is_some();
    let note = e.used.as_ref().map(|u| u.note.clone()).unwrap_or_default();
    let use_id = e.used.as_ref().map(|u| u.id);
    let shown = e.used.clone().map(|u| {
        view! {
            <p>
                <span class="badge ok">"Used"</span>
                " "
                {u.note}
            </p>
            {(!u.linked_cases.is_empty())
                .then(|| {
                    view! {
                        <p class="muted">{format!("Test cases: {}", u.linked_cases.join(", "))}</p>
                    }
                })}
        }
    });
    view! {
        <tr class:used=is_used>
            <td>
                <code>{label.clone()}</code>
                {e
                    .deprecated
                    .then(|| {
                        view! {
                            " "
                            <span class="badge warn">"Deprecated"</span>
                        }
                    })}
                {e
                    .operation_id
                    .clone()
                    .map(|o| {
                        view! {
                            <br />
                            <small class="muted">{o}</small>
                        }
                    })}
            </td>
            <td>{e.summary.clone()}</td>
            <td>{e.tags.join(", ")}</td>
            <td>
                {shown}
                {can_edit
                    .then(|| {
                        view! {
                            <Confirm summary=if is_used { "Edit note…" } else { "Mark used…" }>
                                <ActionForm action=mark>
                                    <input type="hidden" name="spec_id" value=spec_id.to_string() />
                                    <input type="hidden" name="method" value=e.method.clone() />
                                    <input type="hidden" name="path" value=e.path.clone() />
                                    <div class="field">
                                        <label for=note_id
                                            .clone()>{format!("Why {label} is used")}</label>
                                        <input
                                            id=note_id
                                            type="text"
                                            name="note"
                                            maxlength="500"
                                            value=note
                                        />
                                    </div>
                                    <button type="submit" class="primary">
                                        {if is_used { "Save note" } else { "Mark as used" }}
                                    </button>
                                </ActionForm>
                            </Confirm>
                            {use_id
                                .map(|id| {
                                    view! {
                                        <Confirm summary="Unmark…" danger=true>
                                            <p class="hint">"Test cases linked to it lose the link."</p>
                                            <ActionForm action=unmark>
                                                <input type="hidden" name="id" value=id.to_string() />
                                                <button type="submit" class="danger">
                                                    "Unmark as used"
                                                </button>
                                            </ActionForm>
                                        </Confirm>
                                    }
                                })}
                        }
                    })}
            </td>
        </tr>
    }
}
