//! The application shell: skip link, navigation, the signed-in user and the main landmark.
//! Pages that need a signed-in user render inside [`Shell`], which loads the user once per
//! page and sends anyone signed out to the sign-in page.

use crate::auth::access::Action;
use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::auth::api::get_current_user;
use crate::auth::model::CurrentUser;
use crate::error::ErrorTemplate;
use crate::notifications::api::unread_notifications;

/// How the shell reads how many things wait on the reader, for the count beside "Needs me":
/// given by the application (`routes`), as what counts them is above the shell.
#[derive(Clone, Copy)]
pub struct NeedsCounter(pub fn() -> std::pin::Pin<Box<dyn Future<Output = u64> + Send>>);

/// A navigation link to `href` reading `text`, with `count` beside it when there is any (its
/// label says what it counts: "3 unread").
#[component]
fn CountedLink(
    href: &'static str,
    text: &'static str,
    count: u64,
    what: &'static str,
    badge: &'static str,
) -> impl IntoView {
    view! {
        <a href=href>
            {text}
            {(count > 0)
                .then(|| {
                    view! {
                        " "
                        <span class=badge aria-label=format!("{count} {what}")>
                            {count}
                        </span>
                    }
                })}
        </a>
    }
}

/// The header's search box: a GET form to the search page, so it works without the
/// WebAssembly; `/` focuses it once that has loaded (`components::shortcuts`).
#[component]
fn SearchBox() -> impl IntoView {
    view! {
        <form
            method="get"
            action="/search"
            class="site-search"
            role="search"
            aria-label="Site search"
        >
            <label for="site-search" class="visually-hidden">
                "Search every record"
            </label>
            <input
                id="site-search"
                name="q"
                type="search"
                placeholder="Search (press /)"
                aria-keyshortcuts="/"
                autocomplete="off"
            />
        </form>
    }
}

/// The navigation bar for `user`.
#[component]
fn Nav(user: CurrentUser, unread: u64, waiting: u64) -> impl IntoView {
    let is_admin = user.can(Action::Administer);
    let hooks = user.can(Action::ManageWebhooks);
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                "Tollgate"
            </a>
            <nav aria-label="Main">
                <ul>
                    <li>
                        <CountedLink
                            href="/needs"
                            text="Needs me"
                            count=waiting
                            what="waiting"
                            badge="badge"
                        />
                    </li>
                    <li>
                        <a href="/">"Dashboard"</a>
                    </li>
                    <li>
                        <a href="/integrations">"Integrations"</a>
                    </li>
                    <li>
                        <a href="/timeline">"Timeline"</a>
                    </li>
                    <li>
                        <a href="/my/actions">"My action items"</a>
                    </li>
                    <li>
                        <CountedLink
                            href="/notifications"
                            text="Notifications"
                            count=unread
                            what="unread"
                            badge="badge warn"
                        />
                    </li>
                    {hooks
                        .then(|| {
                            view! {
                                <li>
                                    <a href="/settings/webhooks">"Webhooks"</a>
                                </li>
                            }
                        })}
                    {is_admin
                        .then(|| {
                            view! {
                                <li>
                                    <a href="/admin/users">"Users"</a>
                                </li>
                            }
                        })}
                    <li>
                        <a href="/account">"Account"</a>
                    </li>
                </ul>
            </nav>
            <SearchBox />
            <div class="whoami">
                <span>{user.name.clone()}" · "{user.role.label()}</span>
                // A plain form, never sent with `fetch` (see `enhance`): signing out navigates
                // to the sign-in page at once, so no state outlives the session.
                <form method="post" action="/api/logout" data-plain="">
                    <button type="submit" class="link-button">
                        "Sign out"
                    </button>
                </form>
            </div>
        </header>
    }
}

/// Renders `page` for the signed-in user, or redirects to the sign-in page.
#[component]
pub fn Shell<F, V>(page: F) -> impl IntoView
where
    F: Fn(CurrentUser) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let user = Resource::new(|| (), |_| get_current_user());
    // Made here, not inside the Suspend below: a resource made while a Suspend runs has no
    // owner on the server, so it cannot reach the request's context.
    let unread = Resource::new(|| (), |_| unread_notifications());
    let counter = use_context::<NeedsCounter>();
    let waiting = Resource::new(
        || (),
        move |_| async move {
            match counter {
                Some(NeedsCounter(count)) => count().await,
                None => 0,
            }
        },
    );
    view! {
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || {
                let page = page.clone();
                Suspend::new(async move {
                    match user.await {
                        Ok(Some(user)) => {
                            let unread = unread.await.unwrap_or(0);
                            let waiting = waiting.await;
                            view! {
                                <Nav user=user.clone() unread waiting />
                                <main id="main" tabindex="-1">
                                    {page(user)}
                                </main>
                            }
                                .into_any()
                        }
                        Ok(None) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(error) => {
                            view! {
                                <main id="main">
                                    <ErrorTemplate error />
                                </main>
                            }
                                .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

/// A page for people who are not signed in (sign-in, set-up): just the brand and the content.
#[component]
pub fn Bare(children: Children) -> impl IntoView {
    view! {
        <header class="topbar">
            <span class="brand">"Tollgate"</span>
        </header>
        <main id="main" class="narrow">
            {children()}
        </main>
    }
}
