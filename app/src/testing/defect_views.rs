//! Defects as the testing and run pages show them: a table, each row editable (status,
//! severity, title, tracker link) by those who record results.

use leptos::prelude::*;

use super::api::UpdateDefect;
use super::model::{Defect, DefectStatus};
use crate::components::forms::Confirm;
use crate::components::forms::{Field, SelectField, action_error, choices, field_error};

/// The defect's edit form: status, severity, title and tracker link.
#[component]
pub fn DefectEdit(defect: Defect, update: ServerAction<UpdateDefect>) -> impl IntoView {
    let id = defect.id;
    let form = defect.form();
    let error = action_error(update);
    let e = move |f: &'static str| field_error(error, f);
    let scope = format!("defect-{id}");
    view! {
        <ActionForm action=update>
            <input type="hidden" name="defect_id" value=id.to_string() />
            <input type="hidden" name="execution_id" value=form.execution_id.clone() />
            <div class="field-row">
                <SelectField
                    name="status"
                    scope=scope.clone()
                    label="Status"
                    options=choices(DefectStatus::ALL, DefectStatus::as_str, DefectStatus::label)
                    selected=form.status.clone()
                    error=e("status")
                />
                <SelectField
                    name="severity"
                    scope=scope.clone()
                    label="Severity"
                    options=choices(
                        super::model::Severity::ALL,
                        super::model::Severity::as_str,
                        super::model::Severity::label,
                    )
                    selected=form.severity.clone()
                    error=e("severity")
                />
            </div>
            <Field
                name="title"
                scope=scope.clone()
                label="Title"
                value=form.title.clone()
                required=true
                error=e("title")
            />
            <Field
                name="tracker_url"
                scope=scope.clone()
                label="Tracker link"
                kind="url"
                value=form.tracker_url.clone()
                error=e("tracker_url")
            />
            <button type="submit" class="primary">
                {format!("Save defect #{id}")}
            </button>
        </ActionForm>
    }
}

/// A table of defects, each editable by those who record results.
#[component]
pub fn DefectTable(
    defects: Vec<Defect>,
    can_update: bool,
    update: ServerAction<UpdateDefect>,
    #[prop(optional)] run_href: Option<String>,
) -> impl IntoView {
    if defects.is_empty() {
        return view! { <p class="empty">"No defects."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">"Defects"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Defect"</th>
                        <th scope="col">"Severity"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Tracker"</th>
                        <th scope="col">"Filed"</th>
                        {can_update.then(|| view! { <th scope="col">"Actions"</th> })}
                    </tr>
                </thead>
                <tbody>
                    {defects
                        .into_iter()
                        .map(|d| {
                            let tracker = d.tracker_url.clone();
                            let execution = d
                                .execution_id
                                .zip(run_href.clone())
                                .map(|(e, href)| format!("{href}#execution-{e}"));
                            view! {
                                <tr>
                                    <td>
                                        {format!("#{} {}", d.id, d.title)}
                                        {execution
                                            .map(|href| {
                                                view! {
                                                    " "
                                                    <a href=href>"(execution)"</a>
                                                }
                                            })}
                                    </td>
                                    <td>
                                        <span class=if matches!(
                                            d.severity,
                                            super::model::Severity::Critical
                                            | super::model::Severity::Major
                                        ) {
                                            "badge danger"
                                        } else {
                                            "badge"
                                        }>{d.severity.label()}</span>
                                    </td>
                                    <td>{d.status.label()}</td>
                                    <td>
                                        {(!tracker.is_empty())
                                            .then(|| {
                                                view! {
                                                    <a href=tracker.clone() rel="noopener noreferrer">
                                                        {tracker.clone()}
                                                    </a>
                                                }
                                            })}
                                    </td>
                                    <td>
                                        {format!(
                                            "{} by {}",
                                            d.created_at.format("%Y-%m-%d"),
                                            d.created_by.name,
                                        )}
                                    </td>
                                    {can_update
                                        .then(|| {
                                            view! {
                                                <td class="row-actions">
                                                    <Confirm summary="Update…">
                                                        <DefectEdit defect=d.clone() update />
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
}
