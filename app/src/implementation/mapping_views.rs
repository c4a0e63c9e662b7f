//! The data mapping page: the rows, the review marker, and a preview of a sample payload that
//! updates as the engineer types (and renders on the server when the form is sent without
//! JavaScript).

use crate::auth::access::Action;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{
    CreateMappingRow, DeleteMappingRow, ReviewMapping, UpdateMappingRow, get_mapping,
};
use super::mapping::{MappingRow, Preview, Transform, preview};
use crate::components::forms::{Confirm, DeleteButton};
use crate::components::forms::{Field, FormError, SelectField, action_error, field_error};
use crate::components::layout::Shell;
use crate::components::route::slug_param;
use crate::error::{AppError, ErrorTemplate};
use crate::specs::api::get_response_pointers;

#[component]
fn RowFields(
    row: Option<MappingRow>,
    error: Signal<Option<AppError>>,
    #[prop(into)] scope: String,
) -> impl IntoView {
    let form = row.as_ref().map(MappingRow::form).unwrap_or_default();
    let e = move |f: &'static str| field_error(error, f);
    let transforms: Vec<(String, String)> = Transform::ALL
        .iter()
        .map(|t| (t.as_str().to_string(), t.label().to_string()))
        .collect();
    let required_id = format!("{scope}-required");
    view! {
        <div class="field-row">
            <Field
                name="source_pointer"
                scope=scope.clone()
                label="Provider field (JSON pointer)"
                value=form.source_pointer.clone()
                required=true
                hint="Such as /data/object/amount; the fields of the used operations' responses are offered"
                list="provider-pointers"
                error=e("source_pointer")
            />
            <Field
                name="target_field"
                scope=scope.clone()
                label="Platform field"
                value=form.target_field.clone()
                required=true
                hint="Such as payment.amount"
                error=e("target_field")
            />
        </div>
        <div class="field-row">
            <SelectField
                name="transform"
                scope=scope.clone()
                label="Transform"
                options=transforms
                selected=if form.transform.is_empty() {
                    "none".to_string()
                } else {
                    form.transform.clone()
                }
                error=e("transform")
            />
            <Field
                name="transform_arg"
                scope=scope.clone()
                label="Map or default"
                value=form.transform_arg.clone()
                hint="For Map values: succeeded=paid, failed=failed. For Default: the value."
                error=e("transform_arg")
            />
            {row
                .is_some()
                .then(|| {
                    view! {
                        <Field
                            name="position"
                            scope=scope.clone()
                            label="Position"
                            kind="number"
                            value=form.position.clone()
                            error=e("position")
                        />
                    }
                })}
        </div>
        <div class="field checkbox">
            <input
                type="checkbox"
                id=required_id.clone()
                name="required"
                value="on"
                checked=form.is_required()
            />
            <label for=required_id>"Required: the preview reports a payload without it"</label>
        </div>
        <Field name="notes" scope=scope label="Notes" value=form.notes.clone() error=e("notes") />
    }
}

/// The preview of the sample through the rows.
#[component]
fn PreviewResult(result: Preview) -> impl IntoView {
    if let Some(message) = result.sample_error {
        return view! {
            <p class="form-error" role="alert">
                {message}
            </p>
        }
        .into_any();
    }
    let errors = result.errors();
    let output = result
        .output
        .as_ref()
        .and_then(|o| serde_json::to_string_pretty(o).ok())
        .unwrap_or_default();
    view! {
        <p class=if errors == 0 {
            "badge ok"
        } else {
            "badge danger"
        }>
            {if errors == 0 {
                "Every row mapped".to_string()
            } else {
                format!("{errors} row(s) with errors")
            }}
        </p>
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">"Preview by row"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Platform field"</th>
                        <th scope="col">"Value"</th>
                        <th scope="col">"Problem"</th>
                    </tr>
                </thead>
                <tbody>
                    {result
                        .rows
                        .into_iter()
                        .map(|r| {
                            let failed = r.error.is_some();
                            view! {
                                <tr class:row-error=failed>
                                    <td>
                                        <code>{r.target_field}</code>
                                    </td>
                                    <td>
                                        {r
                                            .value
                                            .map_or_else(
                                                || view! { <span class="muted">"—"</span> }.into_any(),
                                                |v| view! { <code>{v.to_string()}</code> }.into_any(),
                                            )}
                                    </td>
                                    <td>{r.error.unwrap_or_default()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <h3>"Platform object"</h3>
        <pre class="json" aria-label="Mapped platform object">
            {output}
        </pre>
    }
    .into_any()
}

/// The preview of a sample payload through `rows`, following the typing (an island: the one
/// part of the page that runs in the browser). Without JavaScript its form sends the sample
/// and the server renders the same preview.
#[island]
fn MappingPreview(rows: Vec<MappingRow>, sample: String) -> impl IntoView {
    let sample = RwSignal::new(sample);
    view! {
        <section class="card" aria-labelledby="preview-title">
            <h2 id="preview-title">"Preview"</h2>
            <form method="get">
                <div class="field">
                    <label for="sample">"Sample payload from the provider (JSON)"</label>
                    <p class="hint" id="sample-hint">
                        "The preview follows as you type. Nothing here is saved; use made-up data, never a real customer's."
                    </p>
                    <textarea
                        id="sample"
                        name="sample"
                        rows="10"
                        class="code"
                        aria-describedby="sample-hint"
                        prop:value=move || sample.get()
                        on:input=move |ev| sample.set(event_target_value(&ev))
                    >
                        {sample.get_untracked()}
                    </textarea>
                </div>
                <div class="form-actions">
                    <button type="submit">"Preview"</button>
                </div>
            </form>
            <div id="preview-result" role="status" aria-label="Preview">
                {move || {
                    let text = sample.get();
                    if text.trim().is_empty() {
                        view! {
                            <p class="empty">
                                "Paste a sample payload to see the platform object and each row's problems."
                            </p>
                        }
                            .into_any()
                    } else {
                        view! { <PreviewResult result=preview(&rows, &text) /> }.into_any()
                    }
                }}
            </div>
        </section>
    }
}

/// The data mapping of one integration.
#[component]
pub fn DataMappingPage() -> impl IntoView {
    let slug = slug_param();
    let query = use_query_map();
    let sample = StoredValue::new(query.with_untracked(|q| q.get("sample").unwrap_or_default()));
    let create = ServerAction::<CreateMappingRow>::new();
    let update = ServerAction::<UpdateMappingRow>::new();
    let delete = ServerAction::<DeleteMappingRow>::new();
    let review = ServerAction::<ReviewMapping>::new();
    let create_error = action_error(create);
    let update_error = action_error(update);
    let delete_error = action_error(delete);
    let review_error = action_error(review);
    let pointers = Resource::new(move || slug.get(), get_response_pointers);
    let page = Resource::new(move || slug.get(), get_mapping);
    view! {
        <Shell page=move |user| {
            let can_edit = user.can(Action::Build);
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
                        let rows = page.rows.clone();
                        let has_rows = !rows.is_empty();
                        view! {
                            <crate::components::sections::SectionHead
                                slug=i.slug.clone()
                                name=i.name.clone()
                                current=crate::components::sections::Section::Mapping
                                title="Data mapping"
                            />
                            <p class="hint">
                                "How each field of the provider's payload becomes a field of SayPro's platform object."
                            </p>
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    let list = pointers.await.unwrap_or_default();
                                    view! {
                                        <datalist id="provider-pointers">
                                            {list
                                                .into_iter()
                                                .map(|p| {
                                                    view! { <option value=p.pointer>{p.operation}</option> }
                                                })
                                                .collect_view()}
                                        </datalist>
                                    }
                                })}
                            </Suspense>
                            <section class="card" aria-labelledby="review-title">
                                <h2 id="review-title">"Review"</h2>
                                <FormError error=review_error />
                                {match page.review.clone() {
                                    Some(r) => {
                                        view! {
                                            <p>
                                                <span class="badge ok">"Reviewed"</span>
                                                " by "
                                                {r.by.name}
                                                " on "
                                                {r.at.format("%Y-%m-%d %H:%M UTC").to_string()}
                                                ". Changing any row clears the review."
                                            </p>
                                        }
                                            .into_any()
                                    }
                                    None => {
                                        view! {
                                            <p>
                                                <span class="badge warn">"Not reviewed"</span>
                                                " since the last change. The gate to testing needs a reviewed mapping."
                                            </p>
                                        }
                                            .into_any()
                                    }
                                }}
                                {(can_edit && has_rows && page.review.is_none())
                                    .then(|| {
                                        view! {
                                            <ActionForm action=review>
                                                <input
                                                    type="hidden"
                                                    name="integration_id"
                                                    value=i.id.to_string()
                                                />
                                                <button type="submit" class="primary">
                                                    "Mark the mapping reviewed"
                                                </button>
                                            </ActionForm>
                                        }
                                    })}
                            </section>
                            <FormError error=update_error every_message=true />
                            <FormError error=delete_error every_message=true />
                            <section class="card" aria-labelledby="rows-title">
                                <h2 id="rows-title">"Rows"</h2>
                                {if rows.is_empty() {
                                    view! {
                                        <p class="empty">
                                            "No rows yet. Add the first below: which provider field feeds which platform field."
                                        </p>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <div class="table-wrap">
                                            <table>
                                                <caption class="visually-hidden">"Mapping rows"</caption>
                                                <thead>
                                                    <tr>
                                                        <th scope="col">"#"</th>
                                                        <th scope="col">"Provider field"</th>
                                                        <th scope="col">"Platform field"</th>
                                                        <th scope="col">"Transform"</th>
                                                        <th scope="col">"Required"</th>
                                                        <th scope="col">"Notes"</th>
                                                        {can_edit.then(|| view! { <th scope="col">"Actions"</th> })}
                                                    </tr>
                                                </thead>
                                                <tbody>
                                                    {rows
                                                        .clone()
                                                        .into_iter()
                                                        .map(|r| {
                                                            let id = r.id;
                                                            let edit = r.clone();
                                                            view! {
                                                                <tr>
                                                                    <td>{r.position}</td>
                                                                    <td>
                                                                        <code>{r.source_pointer.clone()}</code>
                                                                    </td>
                                                                    <td>
                                                                        <code>{r.target_field.clone()}</code>
                                                                    </td>
                                                                    <td>
                                                                        {r.transform.label()}
                                                                        {(!r.transform_arg.is_empty())
                                                                            .then(|| {
                                                                                view! {
                                                                                    ": "
                                                                                    <code>{r.transform_arg.clone()}</code>
                                                                                }
                                                                            })}
                                                                    </td>
                                                                    <td>{if r.required { "Yes" } else { "No" }}</td>
                                                                    <td>{r.notes.clone()}</td>
                                                                    {can_edit
                                                                        .then(|| {
                                                                            view! {
                                                                                <td class="row-actions">
                                                                                    <Confirm summary=format!("Edit {}…", r.target_field)>
                                                                                        <ActionForm action=update>
                                                                                            <input type="hidden" name="row_id" value=id.to_string() />
                                                                                            <RowFields
                                                                                                row=Some(edit.clone())
                                                                                                error=update_error
                                                                                                scope=format!("row-{id}")
                                                                                            />
                                                                                            <button type="submit" class="primary">
                                                                                                "Save row"
                                                                                            </button>
                                                                                        </ActionForm>
                                                                                    </Confirm>
                                                                                    <Confirm summary="Delete…" danger=true>
                                                                                        <ActionForm action=delete>
                                                                                            <DeleteButton id what="row" />
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
                            {can_edit
                                .then(|| {
                                    view! {
                                        <section class="card" aria-labelledby="new-row-title">
                                            <h2 id="new-row-title">"Add a row"</h2>
                                            <FormError error=create_error />
                                            <ActionForm action=create>
                                                <input
                                                    type="hidden"
                                                    name="integration_id"
                                                    value=i.id.to_string()
                                                />
                                                <RowFields row=None error=create_error scope="new" />
                                                <div class="form-actions">
                                                    <button
                                                        type="submit"
                                                        class="primary"
                                                        disabled=move || create.pending().get()
                                                    >
                                                        "Add row"
                                                    </button>
                                                </div>
                                            </ActionForm>
                                        </section>
                                    }
                                })}
                            <MappingPreview rows sample=sample.get_value() />
                        }
                            .into_any()
                    })}
                </Suspense>
            }
        } />
    }
}
