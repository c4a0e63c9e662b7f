//! The notifications page (the navigation bar's link and count are the layout's).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::forms::{Checkboxes, FormError, action_error, field_error};
use crate::components::layout::Shell;
use crate::components::pagination::{Pagination, count};
use crate::error::ErrorTemplate;
use crate::notifications::api::{
    MarkNotificationsRead, SaveNotificationPreferences, get_notification_preferences,
    get_notifications,
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

/// Which kinds of notification the signed-in user gets, per channel.
#[component]
fn PreferencesForm() -> impl IntoView {
    let save = ServerAction::<SaveNotificationPreferences>::new();
    let error = action_error(save);
    let prefs = Resource::new(|| (), |_| get_notification_preferences());
    let options: Vec<(String, String)> = Kind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), k.label().to_string()))
        .collect();
    view! {
        <section class="card" aria-labelledby="prefs-title">
            <h2 id="prefs-title">"What you are told"</h2>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || {
                    let options = options.clone();
                    Suspend::new(async move {
                        let prefs = match prefs.await {
                            Ok(p) => p,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        let daily: Vec<String> = prefs
                            .daily
                            .iter()
                            .map(|k| k.as_str().to_string())
                            .collect();
                        prefs
                            .channels
                            .into_iter()
                            .map(|(channel, on)| {
                                let checked: Vec<String> = on
                                    .iter()
                                    .map(|k| k.as_str().to_string())
                                    .collect();
                                let options = options.clone();
                                let digest = (channel == Channel::Email)
                                    .then(|| {
                                        view! {
                                            <Checkboxes
                                                legend="Of those, gather into one email a day (the 8:00 UTC digest)"
                                                name="daily"
                                                scope="email-daily"
                                                options=options.clone()
                                                checked=daily.clone()
                                                error=field_error(error, "daily")
                                            />
                                        }
                                    });
                                view! {
                                    <ActionForm action=save>
                                        <input
                                            type="hidden"
                                            name="channel"
                                            value=channel.as_str()
                                        />
                                        <FormError error />
                                        <Checkboxes
                                            legend=channel.label()
                                            name="kinds"
                                            scope=channel.as_str()
                                            options
                                            checked
                                            error=field_error(error, "kinds")
                                        />
                                        {digest}
                                        <div class="form-actions">
                                            <button type="submit">"Save choices"</button>
                                        </div>
                                    </ActionForm>
                                }
                            })
                            .collect_view()
                            .into_any()
                    })
                }}
            </Suspense>
        </section>
    }
}
