//! Form fields with labels, hints and error messages tied to the input for screen readers.

use leptos::prelude::*;

use crate::error::AppError;

/// The latest error of a server action, as a signal.
pub fn action_error<T, S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Output = T, Error = AppError> + Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// The first error of several actions, as one signal: for a page-level banner over forms
/// repeated per row, whose refusal a browser without JavaScript is sent back with and which the
/// page cannot place in the row that was sent.
pub fn first_error<const N: usize>(
    errors: [Signal<Option<AppError>>; N],
) -> Signal<Option<AppError>> {
    Signal::derive(move || errors.iter().find_map(|e| e.get()))
}

/// The message for one field of a validation error.
pub fn field_error(error: Signal<Option<AppError>>, field: &str) -> Signal<Option<String>> {
    let field = field.to_string();
    Signal::derive(move || error.get().and_then(|e| e.field_message(&field)))
}

/// A banner above a form: the form-level message, announced to screen readers. With
/// `every_message`, each field's message too, for a banner that stands for forms whose fields
/// it cannot mark.
#[component]
pub fn FormError(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] every_message: bool,
) -> impl IntoView {
    move || {
        error.get().map(|e| {
            let text = if every_message {
                crate::components::enhance::messages(&e, &[]).0
            } else {
                e.form_message()
            };
            view! {
                <p class="form-error" role="alert">
                    {text}
                </p>
            }
        })
    }
}

/// The element ids of a field: (input, error, hint). `scope` tells apart several forms with
/// the same field names on one page (an edit form per row, say).
fn ids(scope: Option<&str>, name: &str) -> (String, String, String) {
    let key = match scope {
        Some(scope) => format!("{scope}-{name}"),
        None => name.to_string(),
    };
    (
        format!("field-{key}"),
        format!("{key}-error"),
        format!("{key}-hint"),
    )
}

fn described_by(error_id: &str, hint_id: &str, has_hint: bool) -> String {
    if has_hint {
        format!("{error_id} {hint_id}")
    } else {
        error_id.to_string()
    }
}

/// A labelled text input.
#[component]
pub fn Field(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into, optional)] value: String,
    #[prop(into, optional)] kind: Option<String>,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(into, optional)] autocomplete: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(into, optional)] scope: Option<String>,
    /// The id of a `<datalist>` of suggestions.
    #[prop(into, optional)]
    list: Option<String>,
) -> impl IntoView {
    let (id, error_id, hint_id) = ids(scope.as_deref(), &name);
    let slot = name.clone();
    let describedby = described_by(&error_id, &hint_id, hint.is_some());
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{label}{required.then_some(" *")}</label>
            {hint
                .map(|h| {
                    view! {
                        <p class="hint" id=hint_id>
                            {h}
                        </p>
                    }
                })}
            <input
                id=id
                name=name
                type=kind.unwrap_or_else(|| "text".to_string())
                value=value
                required=required
                autocomplete=autocomplete
                list=list
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=describedby
            />
            <p class="field-error" id=error_id data-field=slot aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
}

/// A labelled multi-line text input.
#[component]
pub fn TextArea(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into, optional)] value: String,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(into, optional)] scope: Option<String>,
) -> impl IntoView {
    let (id, error_id, hint_id) = ids(scope.as_deref(), &name);
    let slot = name.clone();
    let describedby = described_by(&error_id, &hint_id, hint.is_some());
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{label}{required.then_some(" *")}</label>
            {hint
                .map(|h| {
                    view! {
                        <p class="hint" id=hint_id>
                            {h}
                        </p>
                    }
                })}
            <textarea
                id=id
                name=name
                rows="4"
                required=required
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=describedby
            >
                {value}
            </textarea>
            <p class="field-error" id=error_id data-field=slot aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
}

/// A labelled select. `options` are (value, label) pairs; `blank` adds a first empty option.
#[component]
pub fn SelectField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    options: Vec<(String, String)>,
    #[prop(into, optional)] selected: String,
    #[prop(into, optional)] blank: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(into, optional)] scope: Option<String>,
) -> impl IntoView {
    let (id, error_id, hint_id) = ids(scope.as_deref(), &name);
    let slot = name.clone();
    let describedby = described_by(&error_id, &hint_id, false);
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{label}{required.then_some(" *")}</label>
            <select
                id=id
                name=name
                required=required
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=describedby
            >
                {blank.map(|b| view! { <option value="">{b}</option> })}
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = value == selected;
                        view! {
                            <option value=value selected=is_selected>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" id=error_id data-field=slot aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
}

/// (value, label) pairs of a choice enum, for a select.
pub fn choices<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|v| (name(*v).to_string(), label(*v).to_string()))
        .collect()
}

/// A group of checkboxes posted as `name[]`.
#[component]
pub fn Checkboxes(
    #[prop(into)] legend: String,
    #[prop(into)] name: String,
    options: Vec<(String, String)>,
    checked: Vec<String>,
    #[prop(into)] scope: String,
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <fieldset>
            <legend>{legend}</legend>
            <div class="checkboxes">
                {options
                    .into_iter()
                    .map(|(value, label)| {
                        let id = format!("{scope}-{name}-{value}");
                        let on = checked.contains(&value);
                        view! {
                            <span>
                                <input
                                    type="checkbox"
                                    id=id.clone()
                                    name=format!("{name}[]")
                                    value=value
                                    checked=on
                                />
                                <label for=id>{label}</label>
                            </span>
                        }
                    })
                    .collect_view()}
            </div>
            <p class="field-error" data-field=name.clone() aria-live="polite">
                {move || error.get()}
            </p>
        </fieldset>
    }
}

/// A select with a visually hidden label and a "Set" button, for changing one value of a
/// row in place (put it inside the row's form).
#[component]
pub fn InlineSelect(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    options: Vec<(String, String)>,
    #[prop(into)] selected: String,
) -> impl IntoView {
    view! {
        <label class="visually-hidden" for=id.clone()>
            {label}
        </label>
        <select id=id name=name>
            {options
                .into_iter()
                .map(|(value, text)| {
                    let on = value == selected;
                    view! {
                        <option value=value selected=on>
                            {text}
                        </option>
                    }
                })
                .collect_view()}
        </select>
        <button type="submit">"Set"</button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_error_is_the_error_of_the_first_action_refused() {
        let owner = Owner::new();
        owner.set();
        let (a, b) = (RwSignal::new(None), RwSignal::new(None));
        let first = first_error([a.into(), b.into()]);
        assert!(first.get_untracked().is_none());
        b.set(Some(AppError::field("notes", "Too long.")));
        assert_eq!(
            first.get_untracked().and_then(|e| e.field_message("notes")),
            Some("Too long.".to_string())
        );
        a.set(Some(AppError::Forbidden));
        assert!(matches!(first.get_untracked(), Some(AppError::Forbidden)));
    }
}

/// A form behind a disclosure: edits stay out of the way, and deleting (`danger`) takes a
/// deliberate second step. The children are the form itself.
#[component]
pub fn Confirm(
    #[prop(into)] summary: String,
    #[prop(optional)] danger: bool,
    children: Children,
) -> impl IntoView {
    view! {
        <details class="confirm" class:danger=danger>
            <summary>{summary}</summary>
            {children()}
        </details>
    }
}

/// The hidden id field and the final button of a delete form.
#[component]
pub fn DeleteButton(id: i32, #[prop(into)] what: String) -> impl IntoView {
    view! {
        <input type="hidden" name="id" value=id.to_string() />
        <button type="submit" class="danger">
            {format!("Delete {what} permanently")}
        </button>
    }
}
