//! A run's execution rows: the result buttons, the keyboard shortcuts (P pass, F fail,
//! B blocked, S skipped, J/K or the arrows to move), the result details and the defect filed
//! from a failed execution. Without JavaScript every row still has its buttons and forms.

use leptos::prelude::*;

use super::api::{FileDefect, RecordTestResult, record_test_result};
use super::model::{Defect, Execution, ExecutionStatus, Severity};
use super::report::{configuration_label, defects_of};
use crate::components::forms::Confirm;
use crate::components::forms::choices;
use crate::components::forms::{Field, SelectField, TextArea, action_error, field_error};
use crate::error::AppError;

/// The writes of the executions island.
#[derive(Clone, Copy)]
pub(super) struct Actions {
    pub(super) record: ServerAction<RecordTestResult>,
    pub(super) file_defect: ServerAction<FileDefect>,
}

/// Loads the page again, fresh from the server: after a write that changes more than a row.
pub(super) fn reload_page() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().reload();
    }
}

/// What every row shares.
#[derive(Clone, Copy)]
pub(super) struct RowContext {
    pub(super) rows: RwSignal<Vec<Execution>>,
    pub(super) actions: Actions,
    /// Whether a live sign-off is on the page: a changed result supersedes it, so the page
    /// reloads to show that.
    pub(super) live_signoff: bool,
    pub(super) can_record: bool,
    pub(super) can_file: bool,
    pub(super) integration_id: i32,
    /// The last keyboard result, announced to screen readers.
    pub(super) announce: RwSignal<String>,
    pub(super) key_error: RwSignal<Option<AppError>>,
}

impl RowContext {
    pub(super) fn current(self, id: i32) -> Option<Execution> {
        self.rows
            .with_untracked(|r| r.iter().find(|e| e.id == id).cloned())
    }

    pub(super) fn put(self, execution: Execution) {
        self.rows.update(|r| {
            if let Some(e) = r.iter_mut().find(|e| e.id == execution.id) {
                *e = execution;
            }
        });
    }

    /// Records `status` for execution `id` at once on the page and then on the server; the
    /// row goes back to what it was if the server refuses.
    pub(super) fn record(self, id: i32, status: ExecutionStatus) {
        let Some(before) = self.current(id) else {
            return;
        };
        let mut optimistic = before.clone();
        optimistic.status = status;
        self.put(optimistic);
        self.announce.set(format!(
            "{} {}: {}",
            before.case_key,
            configuration_label(&before.configuration),
            status.label()
        ));
        leptos::task::spawn_local(async move {
            let saved = record_test_result(
                id.to_string(),
                status.as_str().into(),
                before.actual.clone(),
                before.notes.clone(),
                before.evidence.clone(),
            )
            .await;
            match saved {
                Ok(e) => {
                    self.key_error.set(None);
                    self.put(e);
                    if self.live_signoff {
                        reload_page();
                    }
                }
                Err(error) => {
                    self.put(before);
                    self.key_error.set(Some(error));
                }
            }
        });
    }
}

pub(super) fn badge(status: ExecutionStatus) -> &'static str {
    match status {
        ExecutionStatus::Untested => "badge",
        ExecutionStatus::Passed => "badge ok",
        ExecutionStatus::Failed => "badge danger",
        ExecutionStatus::Blocked | ExecutionStatus::Skipped => "badge warn",
    }
}

/// The shortcut keys of a row: a status, or a move.
pub(super) fn shortcut(key: &str) -> Option<Result<ExecutionStatus, i8>> {
    Some(match key {
        "p" | "P" => Ok(ExecutionStatus::Passed),
        "f" | "F" => Ok(ExecutionStatus::Failed),
        "b" | "B" => Ok(ExecutionStatus::Blocked),
        "s" | "S" => Ok(ExecutionStatus::Skipped),
        "j" | "J" | "n" | "N" | "ArrowDown" => Err(1),
        "k" | "K" | "ArrowUp" => Err(-1),
        _ => return None,
    })
}

/// Handles a key pressed on a row (never in one of its fields): records a status and moves
/// the focus on, or just moves it.
pub(super) fn on_row_key(ev: &leptos::ev::KeyboardEvent, ctx: RowContext, id: i32) {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{Element, HtmlElement};
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return;
    }
    let on_row = ev
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|t| t.tag_name() == "TR");
    let Some(row) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
    else {
        return;
    };
    let Some(action) = shortcut(&ev.key()).filter(|_| on_row) else {
        return;
    };
    ev.prevent_default();
    let step = match action {
        Ok(_) => 1,
        Err(step) => step,
    };
    let sibling = if step > 0 {
        row.next_element_sibling()
    } else {
        row.previous_element_sibling()
    };
    if let Some(next) = sibling.and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
        let _ = next.focus();
    }
    if let Ok(status) = action
        && ctx.can_record
    {
        ctx.record(id, status);
    }
}

#[component]
pub(super) fn ResultButtons(
    id: i32,
    ctx: RowContext,
    execution: Memo<Option<Execution>>,
) -> impl IntoView {
    let value = move |f: fn(&Execution) -> String| {
        move || execution.get().map(|e| f(&e)).unwrap_or_default()
    };
    view! {
        <ActionForm action=ctx.actions.record attr:class="result-buttons">
            <input type="hidden" name="execution_id" value=id.to_string() />
            <input type="hidden" name="actual" prop:value=value(|e| e.actual.clone()) />
            <input type="hidden" name="notes" prop:value=value(|e| e.notes.clone()) />
            <input type="hidden" name="evidence" prop:value=value(|e| e.evidence.clone()) />
            <button type="submit" name="status" value="passed" tabindex="-1">
                "Pass"
            </button>
            <button type="submit" name="status" value="failed" tabindex="-1">
                "Fail"
            </button>
            <button type="submit" name="status" value="blocked" tabindex="-1">
                "Block"
            </button>
            <button type="submit" name="status" value="skipped" tabindex="-1">
                "Skip"
            </button>
        </ActionForm>
    }
}

#[component]
pub(super) fn ResultDetails(id: i32, ctx: RowContext, first: Execution) -> impl IntoView {
    let record_error = action_error(ctx.actions.record);
    let e = move |f: &'static str| field_error(record_error, f);
    let scope = format!("execution-{id}");
    view! {
        <ActionForm action=ctx.actions.record>
            <input type="hidden" name="execution_id" value=id.to_string() />
            <SelectField
                name="status"
                scope=scope.clone()
                label="Result"
                options=choices(
                    ExecutionStatus::ALL,
                    ExecutionStatus::as_str,
                    ExecutionStatus::label,
                )
                selected=first.status.as_str()
                error=e("status")
            />
            <TextArea
                name="actual"
                scope=scope.clone()
                label="Actual result"
                value=first.actual.clone()
                error=e("actual")
            />
            <TextArea
                name="notes"
                scope=scope.clone()
                label="Notes"
                value=first.notes.clone()
                error=e("notes")
            />
            <Field
                name="evidence"
                scope=scope.clone()
                label="Evidence link"
                value=first.evidence.clone()
                error=e("evidence")
            />
            <button type="submit" class="primary">
                "Save result"
            </button>
        </ActionForm>
    }
}

#[component]
pub(super) fn DefectFiling(id: i32, ctx: RowContext, title: String) -> impl IntoView {
    let error = action_error(ctx.actions.file_defect);
    let e = move |f: &'static str| field_error(error, f);
    let scope = format!("new-defect-{id}");
    view! {
        <ActionForm action=ctx.actions.file_defect>
            <input type="hidden" name="integration_id" value=ctx.integration_id.to_string() />
            <input type="hidden" name="execution_id" value=id.to_string() />
            <Field
                name="title"
                scope=scope.clone()
                label="Defect title"
                value=title
                required=true
                error=e("title")
            />
            <SelectField
                name="severity"
                scope=scope.clone()
                label="Severity"
                options=choices(Severity::ALL, Severity::as_str, Severity::label)
                selected="major"
                error=e("severity")
            />
            <Field
                name="tracker_url"
                scope=scope.clone()
                label="Tracker link"
                kind="url"
                hint="The issue in Jira, GitHub or the like"
                error=e("tracker_url")
            />
            <button type="submit" class="primary">
                "File defect"
            </button>
        </ActionForm>
    }
}

#[component]
pub(super) fn ExecutionRow(id: i32, ctx: RowContext, defects: Vec<Defect>) -> impl IntoView {
    let execution = Memo::new(move |_| ctx.rows.with(|r| r.iter().find(|e| e.id == id).cloned()));
    let Some(first) = ctx.current(id) else {
        return ().into_any();
    };
    let status = move || {
        execution
            .get()
            .map_or(ExecutionStatus::Untested, |e| e.status)
    };
    let who = move || {
        execution
            .get()
            .and_then(|e| e.tester.map(|t| t.name).zip(e.recorded_at))
            .map(|(name, at)| format!("{name}, {}", at.format("%Y-%m-%d %H:%M")))
            .unwrap_or_default()
    };
    let defects: Vec<String> = defects_of(&defects, id)
        .iter()
        .map(|d| format!("#{} {} ({})", d.id, d.title, d.status.label()))
        .collect();
    let label = format!(
        "{} {}",
        first.case_key,
        configuration_label(&first.configuration)
    );
    let defect_title = format!("{} fails", first.case_title);
    view! {
        <tr
            id=format!("execution-{id}")
            tabindex="0"
            aria-label=label
            on:keydown=move |ev| on_row_key(&ev, ctx, id)
        >
            <td>
                <code>{first.case_key.clone()}</code>
                " "
                {first.case_title.clone()}
                {first
                    .required
                    .then(|| {
                        view! {
                            " "
                            <span class="badge">"Required"</span>
                        }
                    })}
                {defects
                    .into_iter()
                    .map(|d| {
                        view! {
                            <br />
                            <span class="muted">{d}</span>
                        }
                    })
                    .collect_view()}
            </td>
            <td>{first.category.label()}</td>
            <td>{configuration_label(&first.configuration)}</td>
            <td>
                <span class=move || badge(status())>{move || status().label()}</span>
            </td>
            <td>{who}</td>
            <td class="row-actions">
                {ctx
                    .can_record
                    .then(|| {
                        view! {
                            <ResultButtons id ctx execution />
                            <Confirm summary="Details…">
                                <ResultDetails id ctx first=first.clone() />
                            </Confirm>
                        }
                    })}
                {move || {
                    let title = defect_title.clone();
                    (ctx.can_file && status() == ExecutionStatus::Failed)
                        .then(move || {
                            view! {
                                <Confirm summary="File a defect…">
                                    <DefectFiling id ctx title />
                                </Confirm>
                            }
                        })
                }}
            </td>
        </tr>
    }
    .into_any()
}
