//! The change report between two versions of a spec
//! (`/integrations/{slug}/specs/{spec}/changes?base=&revision=`): counts by level, the changes
//! on operations this integration uses first, and JSON and Markdown downloads from the REST
//! API, which the browser session may read.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::get_spec_changes;
use super::model::{ChangeRow, Level, OperationRef, Reach, VersionSummary};
use super::views::{SpecCrumbs, spec_param};
use crate::components::forms::SelectField;
use crate::components::layout::Shell;
use crate::components::route::slug_param;
use crate::error::ErrorTemplate;

fn level_class(l: Level) -> &'static str {
    match l {
        Level::Err => "badge danger",
        Level::Warn => "badge warn",
        Level::Info => "badge",
    }
}

fn version_options(versions: &[VersionSummary]) -> Vec<(String, String)> {
    versions
        .iter()
        .map(|v| {
            (
                v.id.to_string(),
                format!("v{} ({})", v.number, v.info_version),
            )
        })
        .collect()
}

/// The changes between two versions.
#[component]
pub fn ChangesView() -> impl IntoView {
    let slug = slug_param();
    let spec = spec_param();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let (b, r) = query.with(|q| {
                (
                    q.get("base").and_then(|v| v.parse().ok()),
                    q.get("revision").and_then(|v| v.parse().ok()),
                )
            });
            (slug.get(), spec.get(), b, r)
        },
        |(s, id, b, r)| get_spec_changes(s, id, b, r),
    );
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
                        let count = |l: Level| page.changes.iter().filter(|c| c.level == l).count();
                        let (err, warn, info) = (
                            count(Level::Err),
                            count(Level::Warn),
                            count(Level::Info),
                        );
                        let used_breaking = page
                            .changes
                            .iter()
                            .filter(|c| c.used && c.level == Level::Err)
                            .count();
                        let download = format!(
                            "/api/v1/spec-versions/{}/changes?base={}",
                            page.revision.id,
                            page.base.id,
                        );
                        let options = version_options(&page.versions);
                        let (crumb_href, crumb_name) = (href.clone(), page.spec_name.clone());
                        view! {
                            <SpecCrumbs slug=i.slug.clone() name=i.name.clone()>
                                <a href=crumb_href>{crumb_name}</a>
                            </SpecCrumbs>
                            <div class="page-head">
                                <div>
                                    <h1>
                                        {format!(
                                            "{}: changes from v{} to v{}",
                                            page.spec_name,
                                            page.base.number,
                                            page.revision.number,
                                        )}
                                    </h1>
                                    <p>
                                        {format!(
                                            "{err} breaking, {warn} possibly breaking, {info} informational.",
                                        )}
                                    </p>
                                </div>
                                <div class="head-actions">
                                    <a
                                        class="button"
                                        href=format!("{download}&format=json")
                                        download=format!(
                                            "changes-v{}-v{}.json",
                                            page.base.number,
                                            page.revision.number,
                                        )
                                    >
                                        "Download JSON"
                                    </a>
                                    <a
                                        class="button"
                                        href=format!("{download}&format=markdown")
                                        download=format!(
                                            "changes-v{}-v{}.md",
                                            page.base.number,
                                            page.revision.number,
                                        )
                                    >
                                        "Download Markdown"
                                    </a>
                                </div>
                            </div>
                            {(used_breaking > 0)
                                .then(|| {
                                    view! {
                                        <p class="form-error" role="alert">
                                            {format!(
                                                "{used_breaking} breaking change(s) touch operations this integration uses.",
                                            )}
                                        </p>
                                    }
                                })}
                            <form
                                method="get"
                                action=format!("{href}/changes")
                                class="filters"
                                aria-label="Compare other versions"
                            >
                                <SelectField
                                    name="base"
                                    label="From"
                                    options=options.clone()
                                    selected=page.base.id.to_string()
                                />
                                <SelectField
                                    name="revision"
                                    label="To"
                                    options=options
                                    selected=page.revision.id.to_string()
                                />
                                <button type="submit">"Compare"</button>
                            </form>
                            {if page.changes.is_empty() {
                                view! { <p class="empty">"No changes between these versions."</p> }
                                    .into_any()
                            } else {
                                view! { <ChangeTable changes=page.changes /> }.into_any()
                            }}
                        }
                            .into_any()
                    })}
                </Suspense>
            }
        } />
    }
}

#[component]
fn ChangeTable(changes: Vec<ChangeRow>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="changes">
                <caption class="visually-hidden">"Changes"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Level"</th>
                        <th scope="col">"Operation"</th>
                        <th scope="col">"Change"</th>
                        <th scope="col">"Rule"</th>
                    </tr>
                </thead>
                <tbody>
                    {changes
                        .into_iter()
                        .map(|c| {
                            view! {
                                <tr class:used=c.used>
                                    <td>
                                        <span class=level_class(c.level) title=c.level.label()>
                                            {c.level.as_str()}
                                        </span>
                                    </td>
                                    <td>
                                        <Ways
                                            operation=c.operation.clone()
                                            reached_by=c.reached_by.clone()
                                        />
                                        {c
                                            .used
                                            .then(|| {
                                                view! {
                                                    " "
                                                    <span class="badge override">"Used"</span>
                                                }
                                            })}
                                    </td>
                                    <td>
                                        {c.message.clone()}
                                        {c
                                            .location
                                            .clone()
                                            .map(|l| {
                                                view! {
                                                    <br />
                                                    <small>"In " <code>{l}</code></small>
                                                }
                                            })}
                                    </td>
                                    <td>
                                        <code>{c.id.clone()}</code>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Where a change is: its operation, or the first request or response that reaches it with
/// the others behind a disclosure; "Whole API" for a document-wide change.
#[component]
fn Ways(operation: Option<OperationRef>, reached_by: Vec<Reach>) -> impl IntoView {
    let Some((first, rest)) = reached_by.split_first() else {
        return operation
            .map_or_else(
                || "Whole API".to_string(),
                |o| format!("{} {}", o.method, o.path),
            )
            .into_any();
    };
    let first = first.label();
    if rest.is_empty() {
        return first.into_any();
    }
    let more = format!("and {} more", rest.len());
    let rest: Vec<String> = rest.iter().map(Reach::label).collect();
    view! {
        {first}
        <details class="ways">
            <summary>{more}</summary>
            <ul>{rest.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
        </details>
    }
    .into_any()
}
