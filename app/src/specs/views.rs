//! The spec pages: an integration's specs with their versions, the operations it uses and its
//! maintenance items (`/integrations/{slug}/specs`), and a spec's searchable operation
//! catalogue where operations are marked as used (`/integrations/{slug}/specs/{spec}`).

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    CloseMaintenanceItem, ImportSpecUrl, MarkOperationUsed, UnmarkOperation, get_spec_catalogue,
    get_specs,
};
use super::model::Refetch;
use super::model::{CatalogueEntry, MaintenanceItem, SpecSummary, UsedOperation};
use crate::components::forms::Confirm;
use crate::components::forms::{Field, FormError, SelectField, action_error, choices, field_error};
use crate::components::layout::Shell;
use crate::components::query_value;
use crate::components::route::slug_param;
use crate::error::ErrorTemplate;

/// The `:spec` parameter.
pub fn spec_param() -> Memo<i32> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("spec").and_then(|v| v.parse().ok()).unwrap_or(0)))
}

/// "Integrations / name / API specs", then the rest.
#[component]
pub fn SpecCrumbs(
    slug: String,
    name: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let base = format!("/integrations/{slug}");
    view! {
        <p class="breadcrumb">
            <a href="/integrations">"Integrations"</a>
            " / "
            <a href=base.clone()>{name}</a>
            " / "
            <a href=format!("{base}/specs")>"API specs"</a>
            {children
                .map(|c| {
                    view! {
                        " / "
                        {c()}
                    }
                })}
        </p>
    }
}

/// What the last upload did, from the query it redirected to.
#[component]
fn ImportNotice() -> impl IntoView {
    let query = use_query_map();
    move || {
        query.with(|q| {
            if let Some(error) = q.get("spec_error") {
                return Some(view! {
                    <p class="form-error" role="alert">
                        {format!("The document was not imported: {error}")}
                    </p>
                }.into_any());
            }
            let number = q.get("imported")?;
            let created = q.get("created").as_deref() == Some("1");
            let operations = q.get("operations").unwrap_or_default();
            let breaking: usize = q.get("breaking").and_then(|b| b.parse().ok()).unwrap_or(0);
            let retest = q.get("retest").unwrap_or_default();
            Some(view! {
                <div class="notice" role="status">
                    <p>
                        {if created {
                            format!("Imported as version {number}, with {operations} operations.")
                        } else {
                            format!("This document is already version {number}; nothing was added.")
                        }}
                    </p>
                    {(breaking > 0)
                        .then(|| {
                            view! {
                                <p>
                                    <strong>
                                        {format!(
                                            "{breaking} breaking change(s) touch operations this integration uses; {retest} linked test case(s) need a retest. A maintenance item was opened.",
                                        )}
                                    </strong>
                                </p>
                            }
                        })}
                </div>
            }.into_any())
        })
    }
}

/// An integration's specs.
#[component]
pub fn SpecsPage() -> impl IntoView {
    let slug = slug_param();
    let unmark = ServerAction::<UnmarkOperation>::new();
    let close = ServerAction::<CloseMaintenanceItem>::new();
    let fetch = ServerAction::<ImportSpecUrl>::new();
    let page = Resource::new(move || slug.get(), get_specs);
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
                        let base = format!("/integrations/{}/specs", i.slug);
                        view! {
                            <p class="breadcrumb">
                                <a href="/integrations">"Integrations"</a>
                                " / "
                                <a href=format!("/integrations/{}", i.slug)>{i.name.clone()}</a>
                            </p>
                            <h1>{format!("API specs: {}", i.name)}</h1>
                            <ImportNotice />
                            {page
                                .can_edit
                                .then(|| {
                                    let names: Vec<String> = page
                                        .specs
                                        .iter()
                                        .map(|s| s.name.clone())
                                        .collect();
                                    view! {
                                        <UploadForm action=format!("{base}/upload") names />
                                        <UrlForm slug=i.slug.clone() action=fetch />
                                    }
                                })}
                            <section aria-labelledby="specs-title">
                                <h2 id="specs-title">"Specifications"</h2>
                                {if page.specs.is_empty() {
                                    view! {
                                        <p class="empty">
                                            "No specifications yet. Import the provider's OpenAPI document to see its operations and, with each new version, what changed."
                                        </p>
                                    }
                                        .into_any()
                                } else {
                                    page.specs
                                        .into_iter()
                                        .map(|s| view! { <SpecCard spec=s base=base.clone() /> })
                                        .collect_view()
                                        .into_any()
                                }}
                            </section>
                            <UsedTable used=page.used can_edit=page.can_edit action=unmark />
                            <MaintenanceList
                                items=page.maintenance
                                can_edit=page.can_edit
                                action=close
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
fn UploadForm(action: String, names: Vec<String>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="upload-title">
            <h2 id="upload-title">"Import a document"</h2>
            <p class="hint">
                "OpenAPI 2.0 (Swagger), 3.0 or 3.1, JSON or YAML, up to 20 MB. Importing under an existing name adds its next version and compares it with the previous one; an identical document adds nothing."
            </p>
            <form method="post" action=action enctype="multipart/form-data">
                <div class="field-row">
                    <div class="field">
                        <label for="spec-name">"API name"</label>
                        <input
                            id="spec-name"
                            name="name"
                            list="spec-names"
                            required
                            maxlength="120"
                            aria-describedby="spec-name-hint"
                        />
                        <p class="hint" id="spec-name-hint">
                            "Such as Stripe API. Choose an existing name for a new version."
                        </p>
                        <datalist id="spec-names">
                            {names.into_iter().map(|n| view! { <option value=n /> }).collect_view()}
                        </datalist>
                    </div>
                    <div class="field">
                        <label for="spec-file">"Document"</label>
                        <input
                            id="spec-file"
                            type="file"
                            name="file"
                            accept=".json,.yaml,.yml,application/json,application/yaml"
                            required
                        />
                    </div>
                </div>
                <button type="submit" class="primary">
                    "Import"
                </button>
            </form>
        </section>
    }
}

#[component]
fn UrlForm(slug: String, action: ServerAction<ImportSpecUrl>) -> impl IntoView {
    let error = action_error(action);
    let e = move |f: &'static str| field_error(error, f);
    view! {
        <section class="card" aria-labelledby="url-title">
            <h2 id="url-title">"Import from an address"</h2>
            <p class="hint">
                "Tollgate fetches the document itself (internal and private addresses are refused) and can fetch it again daily or weekly; each fetch that changed adds a version."
            </p>
            <FormError error />
            <ActionForm action>
                <input type="hidden" name="slug" value=slug />
                <div class="field-row">
                    <Field name="name" scope="url" label="API name" required=true error=e("name") />
                    <Field
                        name="url"
                        scope="url"
                        label="Document address"
                        kind="url"
                        required=true
                        hint="Such as https://raw.githubusercontent.com/stripe/openapi/master/openapi/spec3.yaml"
                        error=e("url")
                    />
                    <SelectField
                        name="refetch"
                        scope="url"
                        label="Fetch again"
                        options=choices(Refetch::ALL, Refetch::as_str, Refetch::label)
                        selected="never"
                        error=e("refetch")
                    />
                </div>
                <button type="submit" class="primary">
                    "Fetch and import"
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn SpecCard(spec: SpecSummary, base: String) -> impl IntoView {
    let href = format!("{base}/{}", spec.id);
    let compare = (spec.versions.len() > 1).then(|| format!("{href}/changes"));
    view! {
        <section class="card" aria-labelledby=format!("spec-{}", spec.id)>
            <h3 id=format!("spec-{}", spec.id)>{spec.name.clone()}</h3>
            {(!spec.source_url.is_empty())
                .then(|| {
                    view! {
                        <p>
                            "Fetched from "<code>{spec.source_url.clone()}</code>
                            {match spec.next_fetch_at {
                                Some(next) => {
                                    format!(
                                        "; fetched again {} (next {}).",
                                        spec.refetch.label().to_lowercase(),
                                        next.format("%Y-%m-%d %H:%M UTC"),
                                    )
                                }
                                None => "; not fetched again.".to_string(),
                            }}
                            {spec
                                .last_fetched_at
                                .map(|t| {
                                    format!(" Last fetched {}.", t.format("%Y-%m-%d %H:%M UTC"))
                                })}
                        </p>
                        {(!spec.last_fetch_error.is_empty())
                            .then(|| {
                                view! {
                                    <p class="form-error" role="alert">
                                        {format!(
                                            "The last fetch failed: {}",
                                            spec.last_fetch_error,
                                        )}
                                    </p>
                                }
                            })}
                    }
                })}
            <p>
                {format!(
                    "{} version(s); this integration uses {} of its operations. ",
                    spec.versions.len(),
                    spec.used,
                )} <a href=href.clone()>"Operations"</a>
                {compare
                    .map(|c| {
                        view! {
                            " · "
                            <a href=c>"Changes in the latest version"</a>
                        }
                    })}
            </p>
            <div class="table-wrap">
                <table>
                    <caption class="visually-hidden">
                        {format!("Versions of {}", spec.name)}
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">"Version"</th>
                            <th scope="col">"Declared version"</th>
                            <th scope="col">"Format"</th>
                            <th scope="col">"Operations"</th>
                            <th scope="col">"Size"</th>
                            <th scope="col">"Imported"</th>
                            <th scope="col">"SHA-256"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {spec
                            .versions
                            .into_iter()
                            .map(|v| {
                                view! {
                                    <tr>
                                        <td>
                                            <a href=format!(
                                                "{href}?version={}",
                                                v.id,
                                            )>{format!("v{}", v.number)}</a>
                                        </td>
                                        <td>{v.info_version.clone()}</td>
                                        <td>{v.dialect.clone()}</td>
                                        <td>{v.operation_count}</td>
                                        <td>{format!("{:.1} KB", v.bytes as f64 / 1024.0)}</td>
                                        <td>
                                            {format!(
                                                "{} by {}",
                                                v.imported_at.format("%Y-%m-%d %H:%M UTC"),
                                                v.imported_by.name,
                                            )}
                                        </td>
                                        <td>
                                            <code title=v
                                                .sha256
                                                .clone()>
                                                {v.sha256.chars().take(12).collect::<String>()}
                                            </code>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn UsedTable(
    used: Vec<UsedOperation>,
    can_edit: bool,
    action: ServerAction<UnmarkOperation>,
) -> impl IntoView {
    let error = action_error(action);
    view! {
        <section aria-labelledby="used-title">
            <h2 id="used-title">"Operations this integration uses"</h2>
            <FormError error />
            {if used.is_empty() {
                view! {
                    <p class="empty">
                        "None marked yet. Mark them in a spec's operation list; a breaking change on a used operation flags its linked test cases for retest."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <caption class="visually-hidden">"Used operations"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Operation"</th>
                                    <th scope="col">"Spec"</th>
                                    <th scope="col">"Note"</th>
                                    <th scope="col">"Linked test cases"</th>
                                    {can_edit.then(|| view! { <th scope="col">"Actions"</th> })}
                                </tr>
                            </thead>
                            <tbody>
                                {used
                                    .into_iter()
                                    .map(|u| {
                                        view! {
                                            <tr>
                                                <td>
                                                    <code>{format!("{} {}", u.method, u.path)}</code>
                                                </td>
                                                <td>{u.spec_name.clone()}</td>
                                                <td>{u.note.clone()}</td>
                                                <td>
                                                    {if u.linked_cases.is_empty() {
                                                        "None".to_string()
                                                    } else {
                                                        u.linked_cases.join(", ")
                                                    }}
                                                </td>
                                                {can_edit
                                                    .then(|| {
                                                        view! {
                                                            <td>
                                                                <Confirm summary="Unmark…" danger=true>
                                                                    <p class="hint">"Test cases linked to it lose the link."</p>
                                                                    <ActionForm action>
                                                                        <input type="hidden" name="id" value=u.id.to_string() />
                                                                        <button type="submit" class="danger">
                                                                            "Unmark as used"
                                                                        </button>
                                                                    </ActionForm>
                                                                </Confirm>
                                                            </td>
                                                        }
                                                    })}
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn MaintenanceList(
    items: Vec<MaintenanceItem>,
    can_edit: bool,
    action: ServerAction<CloseMaintenanceItem>,
) -> impl IntoView {
    let error = action_error(action);
    view! {
        <section aria-labelledby="maintenance-title">
            <h2 id="maintenance-title">"Maintenance"</h2>
            <FormError error />
            {if items.is_empty() {
                view! {
                    <p class="empty">
                        "Nothing to do. Tollgate opens an item here when a provider's new version breaks an operation this integration uses."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="maintenance">
                        {items
                            .into_iter()
                            .map(|m| {
                                let open = m.status == "open";
                                view! {
                                    <li class:closed=!open>
                                        <p>
                                            <strong>{m.title.clone()}</strong>
                                            " "
                                            <span class=if open {
                                                "badge warn"
                                            } else {
                                                "badge ok"
                                            }>{if open { "Open" } else { "Closed" }}</span>
                                        </p>
                                        <p class="muted">
                                            {format!(
                                                "Opened {}",
                                                m.opened_at.format("%Y-%m-%d %H:%M UTC"),
                                            )}
                                            {m
                                                .closed_at
                                                .map(|c| {
                                                    format!("; closed {}", c.format("%Y-%m-%d %H:%M UTC"))
                                                })}
                                        </p>
                                        <pre class="detail">{m.detail.clone()}</pre>
                                        {(!m.link.is_empty())
                                            .then(|| {
                                                view! {
                                                    <p>
                                                        <a href=m.link.clone()>"See the change report"</a>
                                                    </p>
                                                }
                                            })}
                                        {(open && can_edit)
                                            .then(|| {
                                                view! {
                                                    <Confirm summary="Close…">
                                                        <ActionForm action>
                                                            <input type="hidden" name="id" value=m.id.to_string() />
                                                            <button type="submit">"Close this item: it is done"</button>
                                                        </ActionForm>
                                                    </Confirm>
                                                }
                                            })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

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
                        let link = |n: usize| {
                            let mut h = format!("{href}?version={}&page={n}", page.version.id);
                            if !q.is_empty() {
                                h.push_str(&format!("&q={}", query_value(&q)));
                            }
                            if used {
                                h.push_str("&used=1");
                            }
                            h
                        };
                        let prev = (page.page > 1).then(|| link(page.page - 1));
                        let next = (page.page < pages).then(|| link(page.page + 1));
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
                            <nav class="pagination" aria-label="Pages">
                                {prev
                                    .map(|h| {
                                        view! {
                                            <a href=h rel="prev">
                                                "← Previous"
                                            </a>
                                        }
                                    })}
                                <span>{format!("Page {} of {pages}", page.page)}</span>
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
                            .into_any()
                    })}
                </Suspense>
            }
        } />
    }
}

#[component]
fn OperationRow(
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
