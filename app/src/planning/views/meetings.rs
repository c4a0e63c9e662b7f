//! The meetings page (meetings, their action items) and "My action items".

use crate::auth::access::Action;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::PlanningHeader;
use crate::components::badges::OverrideBadge;
use crate::components::forms::{Confirm, DeleteButton};
use crate::components::forms::{
    Field, FormError, SelectField, TextArea, action_error, field_error,
};
use crate::components::layout::Shell;
use crate::components::pagination::{Pagination, count};
use crate::components::route::slug_param;
use crate::error::{AppError, ErrorTemplate};
use crate::planning::api::{
    AddActionItem, CreateMeeting, DeleteMeeting, SetActionItemDone, UpdateMeeting, get_meetings,
    my_action_items,
};
use crate::planning::model::{ActionItem, Meeting};
use crate::users::model::UserRef;

/// A button that marks an action item done or open again.
#[component]
fn DoneToggle(item: ActionItem, action: ServerAction<SetActionItemDone>) -> impl IntoView {
    let (value, label) = if item.done {
        ("false", format!("Reopen \"{}\"", item.text))
    } else {
        ("true", format!("Mark \"{}\" done", item.text))
    };
    view! {
        <ActionForm action>
            <input type="hidden" name="id" value=item.id.to_string() />
            <input type="hidden" name="done" value=value />
            <button type="submit" class="link-button" aria-label=label>
                {if item.done { "Reopen" } else { "Mark done" }}
            </button>
        </ActionForm>
    }
}

fn item_line(item: &ActionItem) -> String {
    let mut line = item.text.clone();
    if let Some(a) = &item.assignee {
        line.push_str(&format!(" — {}", a.name));
    }
    if let Some(d) = item.due_date {
        line.push_str(&format!(", due {d}"));
    }
    line
}

/// The meeting form's fields, filled from `m` when editing.
#[component]
fn MeetingFields(
    m: Option<Meeting>,
    people: Vec<UserRef>,
    error: Signal<Option<AppError>>,
    #[prop(into)] scope: String,
) -> impl IntoView {
    let get = |f: fn(&Meeting) -> String| m.as_ref().map(f).unwrap_or_default();
    let attending: Vec<i32> = m
        .as_ref()
        .map(|m| m.attendees.iter().map(|a| a.id).collect())
        .unwrap_or_default();
    view! {
        <div class="field-row">
            <Field
                name="title"
                scope=scope.clone()
                label="Title"
                value=get(|m| m.title.clone())
                required=true
                error=field_error(error, "title")
            />
            <Field
                name="starts_at"
                scope=scope.clone()
                label="Date and time (UTC)"
                kind="datetime-local"
                value=get(|m| m.starts_at.format("%Y-%m-%dT%H:%M").to_string())
                required=true
                error=field_error(error, "starts_at")
            />
        </div>
        <fieldset>
            <legend>"Attendees"</legend>
            <div class="checkboxes">
                {people
                    .into_iter()
                    .map(|p| {
                        let cid = format!("{scope}-attendee-{}", p.id);
                        let checked = attending.contains(&p.id);
                        view! {
                            <span>
                                <input
                                    type="checkbox"
                                    id=cid.clone()
                                    name="attendee_ids[]"
                                    value=p.id.to_string()
                                    checked=checked
                                />
                                <label for=cid>{p.name}</label>
                            </span>
                        }
                    })
                    .collect_view()}
            </div>
            <p class="field-error" aria-live="polite">
                {move || field_error(error, "attendee_ids").get()}
            </p>
        </fieldset>
        <Field
            name="outside_attendees"
            scope=scope.clone()
            label="Outside attendees"
            value=get(|m| m.outside_attendees.clone())
            hint="Names and companies, e.g. Dana Lee (Stripe solutions engineer)"
            error=field_error(error, "outside_attendees")
        />
        <TextArea
            name="agenda"
            scope=scope.clone()
            label="Agenda"
            value=get(|m| m.agenda.clone())
            error=field_error(error, "agenda")
        />
        <TextArea
            name="notes"
            scope=scope.clone()
            label="Notes"
            value=get(|m| m.notes.clone())
            error=field_error(error, "notes")
        />
        <TextArea
            name="decisions"
            scope=scope.clone()
            label="Decisions"
            value=get(|m| m.decisions.clone())
            error=field_error(error, "decisions")
        />
    }
}

/// The meetings of one integration.
#[component]
pub fn MeetingsPage() -> impl IntoView {
    let slug = slug_param();
    let create = ServerAction::<CreateMeeting>::new();
    let update = ServerAction::<UpdateMeeting>::new();
    let update_error = action_error(update);
    let delete = ServerAction::<DeleteMeeting>::new();
    let add_item = ServerAction::<AddActionItem>::new();
    let toggle = ServerAction::<SetActionItemDone>::new();
    let create_error = action_error(create);
    let delete_error = action_error(delete);
    let item_error = action_error(add_item);
    let toggle_error = action_error(toggle);
    let query = use_query_map();
    let page = Resource::new(
        move || {
            (
                slug.get(),
                query.with(|q| q.get("page").unwrap_or_default()),
                query.with(|q| q.get("meeting").unwrap_or_default()),
            )
        },
        |(slug, page, meeting)| get_meetings(slug, page, meeting),
    );
    view! {
        <Shell page=move |user| {
            let planner = user.can(Action::Plan);
            let me = user.id;
            let engineer = user.can(Action::WorkAssigned) && !planner;
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let page = match page.await {
                            Ok(p) => p,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        let integration_id = page.integration.id.to_string();
                        let base = format!(
                            "/integrations/{}/planning/meetings",
                            page.integration.slug,
                        );
                        let href = move |n: u64| format!("{base}?page={n}");
                        let (at, of, total) = (page.page, page.pages, page.total);
                        let people: Vec<(String, String)> = page
                            .people
                            .iter()
                            .map(|p| (p.id.to_string(), p.name.clone()))
                            .collect();
                        view! {
                            <PlanningHeader
                                integration=page.integration.clone()
                                current="meetings"
                            />
                            <FormError error=delete_error every_message=true />
                            <FormError error=toggle_error every_message=true />
                            <FormError error=update_error every_message=true />
                            {(total > 0)
                                .then(|| {
                                    view! {
                                        <p class="count" role="status">
                                            {format!(
                                                "{}, newest first",
                                                count(total, "meeting", "meetings"),
                                            )}
                                        </p>
                                    }
                                })}
                            {if page.meetings.is_empty() {
                                view! { <p class="empty card">"No meetings recorded yet."</p> }
                                    .into_any()
                            } else {
                                page.meetings
                                    .into_iter()
                                    .map(|m| {
                                        let id = m.id;
                                        let attendees = m
                                            .attendees
                                            .iter()
                                            .map(|a| a.name.clone())
                                            .chain(
                                                (!m.outside_attendees.is_empty())
                                                    .then(|| m.outside_attendees.clone()),
                                            )
                                            .collect::<Vec<_>>()
                                            .join(", ");
                                        let people = people.clone();
                                        let editing = m.clone();
                                        let everyone = page.people.clone();
                                        view! {
                                            <article
                                                class="card meeting"
                                                aria-labelledby=format!("meeting-{id}")
                                            >
                                                <h2 id=format!("meeting-{id}")>{m.title.clone()}</h2>
                                                <p class="muted">
                                                    <time datetime=m
                                                        .starts_at
                                                        .to_rfc3339()>
                                                        {m.starts_at.format("%Y-%m-%d %H:%M UTC").to_string()}
                                                    </time>
                                                </p>
                                                <dl class="facts">
                                                    <dt>"Attendees"</dt>
                                                    <dd>
                                                        {if attendees.is_empty() {
                                                            "—".to_string()
                                                        } else {
                                                            attendees
                                                        }}
                                                    </dd>
                                                    <dt>"Agenda"</dt>
                                                    <dd class="prose">{m.agenda.clone()}</dd>
                                                    <dt>"Notes"</dt>
                                                    <dd class="prose">{m.notes.clone()}</dd>
                                                    <dt>"Decisions"</dt>
                                                    <dd class="prose">{m.decisions.clone()}</dd>
                                                </dl>
                                                <h3>"Action items"</h3>
                                                {if m.action_items.is_empty() {
                                                    view! { <p class="muted">"None."</p> }.into_any()
                                                } else {
                                                    view! {
                                                        <ul class="action-items">
                                                            {m
                                                                .action_items
                                                                .into_iter()
                                                                .map(|item| {
                                                                    let mine = engineer
                                                                        && item.assignee.as_ref().map(|a| a.id) == Some(me);
                                                                    view! {
                                                                        <li class:done=item.done class:overdue=item.overdue>
                                                                            <span>
                                                                                {if item.done { "✓ " } else { "" }}{item_line(&item)}
                                                                            </span>
                                                                            {item
                                                                                .overdue
                                                                                .then(|| {
                                                                                    view! {
                                                                                        " "
                                                                                        <span class="badge danger">"Overdue"</span>
                                                                                    }
                                                                                })}
                                                                            {(planner || mine)
                                                                                .then(|| {
                                                                                    view! { <DoneToggle item=item.clone() action=toggle /> }
                                                                                })}
                                                                        </li>
                                                                    }
                                                                })
                                                                .collect_view()}
                                                        </ul>
                                                    }
                                                        .into_any()
                                                }}
                                                {planner
                                                    .then(|| {
                                                        view! {
                                                            <Confirm summary="Add an action item…">
                                                                <FormError error=item_error />
                                                                <ActionForm action=add_item>
                                                                    <input
                                                                        type="hidden"
                                                                        name="meeting_id"
                                                                        value=id.to_string()
                                                                    />
                                                                    <Field
                                                                        name="text"
                                                                        scope=format!("item-{id}")
                                                                        label="Action"
                                                                        required=true
                                                                        error=field_error(item_error, "text")
                                                                    />
                                                                    <div class="field-row">
                                                                        <SelectField
                                                                            name="assignee_id"
                                                                            scope=format!("item-{id}")
                                                                            label="Assignee"
                                                                            options=people
                                                                            blank="Nobody yet"
                                                                            error=field_error(item_error, "assignee_id")
                                                                        />
                                                                        <Field
                                                                            name="due_date"
                                                                            scope=format!("item-{id}")
                                                                            label="Due date"
                                                                            kind="date"
                                                                            error=field_error(item_error, "due_date")
                                                                        />
                                                                    </div>
                                                                    <button type="submit">"Add action item"</button>
                                                                </ActionForm>
                                                            </Confirm>
                                                            <Confirm summary="Edit this meeting…">
                                                                <ActionForm action=update>
                                                                    <input type="hidden" name="id" value=id.to_string() />
                                                                    <MeetingFields
                                                                        m=Some(editing)
                                                                        people=everyone
                                                                        error=update_error
                                                                        scope=format!("meeting-{id}")
                                                                    />
                                                                    <button type="submit" class="primary">
                                                                        "Save meeting"
                                                                    </button>
                                                                </ActionForm>
                                                            </Confirm>
                                                            <Confirm summary="Delete this meeting…" danger=true>
                                                                <p>"Its action items are deleted with it."</p>
                                                                <ActionForm action=delete>
                                                                    <DeleteButton id what="meeting" />
                                                                </ActionForm>
                                                            </Confirm>
                                                        }
                                                    })}
                                            </article>
                                        }
                                    })
                                    .collect_view()
                                    .into_any()
                            }}
                            <Pagination page=at pages=of href />
                            {planner
                                .then(|| {
                                    view! {
                                        <section class="card" aria-labelledby="new-meeting-title">
                                            <h2 id="new-meeting-title">"Record a meeting"</h2>
                                            <FormError error=create_error />
                                            <ActionForm action=create>
                                                <input
                                                    type="hidden"
                                                    name="integration_id"
                                                    value=integration_id
                                                />
                                                <MeetingFields
                                                    m=None
                                                    people=page.people.clone()
                                                    error=create_error
                                                    scope="meeting"
                                                />
                                                <div class="form-actions">
                                                    <button
                                                        type="submit"
                                                        class="primary"
                                                        disabled=move || create.pending().get()
                                                    >
                                                        "Record meeting"
                                                    </button>
                                                </div>
                                            </ActionForm>
                                        </section>
                                    }
                                })}
                        }
                            .into_any()
                    })}
                </Suspense>
            }
        } />
    }
}

/// The signed-in user's open action items across all integrations, overdue first.
#[component]
pub fn MyActionItemsPage() -> impl IntoView {
    let toggle = ServerAction::<SetActionItemDone>::new();
    let toggle_error = action_error(toggle);
    let items = Resource::new(|| (), |_| my_action_items());
    view! {
        <Shell page=move |user| {
            let can_toggle = user.can(Action::WorkAssigned);
            view! {
                <div class="page-head">
                    <h1>"My action items"</h1>
                </div>
                <FormError error=toggle_error />
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        match items.await {
                            Ok(items) if items.is_empty() => {
                                view! { <p class="empty card">"Nothing open. Nice."</p> }.into_any()
                            }
                            Ok(items) => {
                                view! {
                                    <div class="table-wrap card">
                                        <table>
                                            <caption class="visually-hidden">
                                                "Open action items, overdue first"
                                            </caption>
                                            <thead>
                                                <tr>
                                                    <th scope="col">"Action"</th>
                                                    <th scope="col">"Integration"</th>
                                                    <th scope="col">"Due"</th>
                                                    {can_toggle.then(|| view! { <th scope="col">"Done?"</th> })}
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {items
                                                    .into_iter()
                                                    .map(|item| {
                                                        view! {
                                                            <tr class:overdue=item.overdue>
                                                                <td>{item.text.clone()}</td>
                                                                <td>
                                                                    <a href=format!(
                                                                        "/integrations/{}/planning/meetings",
                                                                        item.integration.slug,
                                                                    )>{item.integration.name.clone()}</a>
                                                                    {item
                                                                        .integration
                                                                        .gate_overridden
                                                                        .then(|| {
                                                                            view! {
                                                                                " "
                                                                                <OverrideBadge />
                                                                            }
                                                                        })}
                                                                </td>
                                                                <td>
                                                                    {item
                                                                        .due_date
                                                                        .map(|d| d.to_string())
                                                                        .unwrap_or_else(|| "—".into())}
                                                                    {item
                                                                        .overdue
                                                                        .then(|| {
                                                                            view! {
                                                                                " "
                                                                                <span class="badge danger">"Overdue"</span>
                                                                            }
                                                                        })}
                                                                </td>
                                                                {can_toggle
                                                                    .then(|| {
                                                                        view! {
                                                                            <td>
                                                                                <DoneToggle item=item.clone() action=toggle />
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
                            Err(error) => view! { <ErrorTemplate error /> }.into_any(),
                        }
                    })}
                </Suspense>
            }
        } />
    }
}
