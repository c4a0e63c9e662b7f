//! The spec pages: an integration's specs with their versions, the operations it uses and its
//! maintenance items (`/integrations/{slug}/specs`), and a spec's searchable operation
//! catalogue where operations are marked as used (`/integrations/{slug}/specs/{spec}`).

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{CloseMaintenanceItem, ImportSpecUrl, UnmarkOperation, get_specs};
use super::model::Refetch;
use super::model::{MaintenanceItem, SpecSummary, UsedOperation};
use crate::components::forms::Confirm;
use crate::components::forms::{Field, FormError, SelectField, action_error, choices, field_error};
use crate::components::layout::Shell;
use crate::components::route::slug_param;
use crate::error::ErrorTemplate;

/// How many of a spec's versions, newest first, its card lists.
const VERSIONS_SHOWN: usize = 10;

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
                            <crate::components::sections::SectionHead
                                slug=i.slug.clone()
                                name=i.name.clone()
                                current=crate::components::sections::Section::Specs
                                title=format!("API specs: {}", i.name)
                            />
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
            {(spec.versions.len() > VERSIONS_SHOWN)
                .then(|| {
                    view! {
                        <p class="count">
                            {format!(
                                "The newest {VERSIONS_SHOWN} of {} versions; compare any two from the changes page.",
                                spec.versions.len(),
                            )}
                        </p>
                    }
                })}
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
                            .take(VERSIONS_SHOWN)
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
