//! The notifications page (the navigation bar's link and count are the layout's).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::account::api::SaveNotificationPreferences;
use crate::components::forms::{FormError, action_error};
use crate::components::layout::Shell;
use crate::components::pagination::{Pagination, count};
use crate::error::ErrorTemplate;
use crate::notifications::api::{
    MarkNotificationsRead, get_notification_preferences, get_notifications,
};
use crate::notifications::model::{Channel, Kind};

/// The signed-in user's notifications, newest first.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let query = use_query_map();
    let inbox = Resource::new(
        move || query.with(|q| q.get("page").unwrap_or_default()),
        get_notifications,
    );
    view! {
        <Shell page=move |_| {
            view! {
                <h1>"Notifications"</h1>
                <p>
                    <a href="/digest">"Preview your weekly digest"</a>
                    " of the integrations you follow."
                </p>
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let inbox = match inbox.await {
                            Ok(i) => i,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        if inbox.list.total == 0 {
                            return view! {
                                <p class="empty">
                                    "Nothing yet. Tollgate tells you here when an environment goes down or comes back, an incident opens or is resolved, a resolved error returns, or a provider's change breaks an operation your integrations use."
                                </p>
                            }
                                .into_any();
                        }
                        view! {
                            <p class="count" role="status">
                                {format!(
                                    "{}, {} unread.",
                                    count(inbox.list.total, "notification", "notifications"),
                                    inbox.unread,
                                )}
                            </p>
                            {(inbox.unread > 0)
                                .then(|| {
                                    view! {
                                        <ActionForm action=mark>
                                            <button type="submit">"Mark all read"</button>
                                        </ActionForm>
                                    }
                                })}
                            <FormError error=Signal::derive(move || {
                                mark.value().get().and_then(Result::err)
                            }) />
                            <ul class="notifications">
                                {inbox
                                    .list
                                    .items
                                    .into_iter()
                                    .map(|n| {
                                        view! {
                                            <li class=if n.read { "read" } else { "unread" }>
                                                <p>
                                                    <strong>
                                                        {if n.read { "" } else { "New: " }}
                                                        <a href=n.link.clone()>{n.title.clone()}</a>
                                                    </strong>
                                                </p>
                                                <p class="notification-body">{n.body.clone()}</p>
                                                <p class="muted">
                                                    {n.created_at.format("%Y-%m-%d %H:%M UTC").to_string()}
                                                </p>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            <Pagination
                                page=inbox.list.page
                                pages=inbox.list.pages
                                href=|n| format!("/notifications?page={n}")
                            />
                        }
                            .into_any()
                    })}
                </Suspense>
                <PreferencesForm />
            }
        } />
    }
}

/// One row of the preferences table: a kind, and a box for each column shown.
fn kind_row(
    kind: Kind,
    columns: &[(&'static str, &'static str, Vec<Kind>)],
) -> impl IntoView + use<> {
    let cells = columns
        .iter()
        .map(|(name, heading, on)| {
            view! {
                <td>
                    <input
                        type="checkbox"
                        name=format!("{name}[]")
                        value=kind.as_str()
                        checked=on.contains(&kind)
                        aria-label=format!("{}: {}", heading, kind.label())
                    />
                </td>
            }
        })
        .collect_view();
    view! {
        <tr>
            <th scope="row">{kind.label()}</th>
            {cells}
        </tr>
    }
}

/// What the signed-in user is told of, per kind: in Tollgate, by email (while this instance
/// sends email), and of the emails, those gathered into the daily one. One form, one save.
#[component]
fn PreferencesForm() -> impl IntoView {
    let save = ServerAction::<SaveNotificationPreferences>::new();
    let error = action_error(save);
    let just_saved = use_query_map().with_untracked(|q| q.get("saved").is_some());
    let prefs = Resource::new(|| (), |_| get_notification_preferences());
    view! {
        <section class="card" aria-labelledby="prefs-title">
            <h2 id="prefs-title">"What you are told"</h2>
            <p class="muted">
                "Outages and incidents reach everyone; progress, testing and maintenance reach an integration's owner and the people who follow it. The weekly digest covers the integrations you follow."
            </p>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    let prefs = match prefs.await {
                        Ok(p) => p,
                        Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                    };
                    let mut columns: Vec<(&'static str, &'static str, Vec<Kind>)> = prefs
                        .channels
                        .into_iter()
                        .map(|(c, on)| (c.as_str(), c.label(), on))
                        .collect();
                    if columns.iter().any(|(c, _, _)| *c == Channel::Email.as_str()) {
                        columns.push(("daily", "In the daily email", prefs.daily));
                    }
                    let headings = columns
                        .iter()
                        .map(|(_, heading, _)| view! { <th scope="col">{*heading}</th> })
                        .collect_view();
                    let markers = columns
                        .iter()
                        .filter(|(c, _, _)| *c != "daily")
                        .map(|(c, _, _)| {
                            view! { <input type="hidden" name="channels[]" value=*c /> }
                        })
                        .collect_view();
                    let span = (columns.len() + 1).to_string();
                    let mut groups: Vec<&'static str> = Kind::ALL
                        .iter()
                        .map(|k| k.group())
                        .collect();
                    groups.dedup();
                    let body = groups
                        .into_iter()
                        .map(|group| {
                            let rows = Kind::ALL
                                .iter()
                                .filter(|k| k.group() == group)
                                .map(|k| kind_row(*k, &columns))
                                .collect_view();
                            view! {
                                <tbody>
                                    <tr class="group">
                                        <th scope="colgroup" colspan=span.clone()>
                                            {group}
                                        </th>
                                    </tr>
                                    {rows}
                                </tbody>
                            }
                        })
                        .collect_view();
                    view! {
                        <ActionForm action=save>
                            {markers} <FormError error every_message=true />
                            <div class="table-wrap">
                                <table class="preferences">
                                    <caption class="visually-hidden">
                                        "Where you are told of each kind of event"
                                    </caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"What happened"</th>
                                            {headings}
                                        </tr>
                                    </thead>
                                    {body}
                                </table>
                            </div> <div class="form-actions">
                                <button type="submit">"Save choices"</button>
                                {just_saved.then(|| view! { <span role="status">"Saved."</span> })}
                            </div>
                        </ActionForm>
                    }
                        .into_any()
                })}
            </Suspense>
        </section>
    }
}
