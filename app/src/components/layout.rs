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

/// "Notifications", with the unread count when there are any.
#[component]
fn NotificationsLink(unread: u64) -> impl IntoView {
    view! {
        <a href="/notifications">
            "Notifications"
            {(unread > 0)
                .then(|| {
                    view! {
                        " "
                        <span class="badge warn" aria-label=format!("{unread} unread")>
                            {unread}
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
fn Nav(user: CurrentUser, unread: u64) -> impl IntoView {
    let is_admin = user.can(Action::Administer);
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                "Tollgate"
            </a>
            <nav aria-label="Main">
                <ul>
                    <li>
                        <a href="/needs">"Needs me"</a>
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
                        <NotificationsLink unread />
                    </li>
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
                            view! {
                                <Nav user=user.clone() unread />
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
