//! Sign-in, first-run set-up and the account page.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::api::{ChangePassword, EndOtherSessions, Setup, my_sessions};
use crate::auth::api::{Login, needs_setup};
use crate::components::forms::{Field, FormError, action_error, field_error};
use crate::components::layout::{Bare, Shell};
use crate::error::ErrorTemplate;
use crate::tokens::api::{RevokeToken, list_tokens};
use crate::tokens::views::{TokensSection, when};

/// The sign-in page. While no user exists it sends people to set-up instead.
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = action_error(login);
    let setup_needed = Resource::new(|| (), |_| needs_setup());
    view! {
        <Bare>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match setup_needed.await {
                        Ok(true) => view! { <Redirect path="/setup" /> }.into_any(),
                        Ok(false) => {
                            view! {
                                <section class="card auth-card" aria-labelledby="login-title">
                                    <h1 id="login-title">"Sign in"</h1>
                                    <FormError error />
                                    <ActionForm action=login>
                                        <Field
                                            name="email"
                                            label="Email"
                                            kind="email"
                                            autocomplete="username"
                                            required=true
                                        />
                                        <Field
                                            name="password"
                                            label="Password"
                                            kind="password"
                                            autocomplete="current-password"
                                            required=true
                                        />
                                        <button
                                            type="submit"
                                            class="primary"
                                            disabled=move || login.pending().get()
                                        >
                                            "Sign in"
                                        </button>
                                    </ActionForm>
                                </section>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorTemplate error /> }.into_any(),
                    }
                })}
            </Suspense>
        </Bare>
    }
}

/// First-run set-up: creates the first admin, guarded by the code from the server log.
#[component]
pub fn SetupPage() -> impl IntoView {
    let setup = ServerAction::<Setup>::new();
    let error = action_error(setup);
    let setup_needed = Resource::new(|| (), |_| needs_setup());
    view! {
        <Bare>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match setup_needed.await {
                        Ok(false) => view! { <Redirect path="/login" /> }.into_any(),
                        Ok(true) => {
                            view! {
                                <section class="card auth-card" aria-labelledby="setup-title">
                                    <h1 id="setup-title">"Set up Tollgate"</h1>
                                    <p>
                                        "Create the first admin account. The set-up code is printed in the server log; it proves you run this instance."
                                    </p>
                                    <FormError error />
                                    <ActionForm action=setup>
                                        <Field
                                            name="setup_code"
                                            label="Set-up code"
                                            autocomplete="off"
                                            required=true
                                            error=field_error(error, "setup_code")
                                        />
                                        <Field
                                            name="name"
                                            label="Your name"
                                            autocomplete="name"
                                            required=true
                                            error=field_error(error, "name")
                                        />
                                        <Field
                                            name="email"
                                            label="Email"
                                            kind="email"
                                            autocomplete="username"
                                            required=true
                                            error=field_error(error, "email")
                                        />
                                        <Field
                                            name="password"
                                            label="Password"
                                            kind="password"
                                            autocomplete="new-password"
                                            required=true
                                            hint="At least 12 characters."
                                            error=field_error(error, "password")
                                        />
                                        <button
                                            type="submit"
                                            class="primary"
                                            disabled=move || setup.pending().get()
                                        >
                                            "Create admin and sign in"
                                        </button>
                                    </ActionForm>
                                </section>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorTemplate error /> }.into_any(),
                    }
                })}
            </Suspense>
        </Bare>
    }
}

/// The signed-in user's account: change password.
/// Where the account is signed in, with "sign out the others".
#[component]
fn SessionsSection() -> impl IntoView {
    let sessions = Resource::new(|| (), |_| my_sessions());
    let end = ServerAction::<EndOtherSessions>::new();
    let error = action_error(end);
    let ended = use_query_map().with_untracked(|q| q.get("sessions_ended").is_some());
    view! {
        <section class="card" aria-labelledby="sessions-title">
            <h2 id="sessions-title">"Where you are signed in"</h2>
            <FormError error />
            {ended
                .then(|| {
                    view! {
                        <p class="notice" role="status">
                            "Every other session of your account has been signed out."
                        </p>
                    }
                })}
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(list) => {
                            let others = list.iter().filter(|s| !s.current).count();
                            view! {
                                <table aria-label="Your sessions">
                                    <thead>
                                        <tr>
                                            <th scope="col">"Device"</th>
                                            <th scope="col">"Address"</th>
                                            <th scope="col">"Signed in"</th>
                                            <th scope="col">"Last seen"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list
                                            .into_iter()
                                            .map(|s| {
                                                view! {
                                                    <tr>
                                                        <td>
                                                            {s.device}
                                                            {s
                                                                .current
                                                                .then(|| {
                                                                    view! {
                                                                        " "
                                                                        <span class="badge">"This session"</span>
                                                                    }
                                                                })}
                                                        </td>
                                                        <td>{s.address}</td>
                                                        <td>{when(s.signed_in, "—")}</td>
                                                        <td>{when(s.last_seen, "—")}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                                {if others == 0 {
                                    view! { <p class="hint">"You are signed in here only."</p> }
                                        .into_any()
                                } else {
                                    view! {
                                        <details class="confirm">
                                            <summary>
                                                {format!(
                                                    "Sign out the other {others} session{}…",
                                                    if others == 1 { "" } else { "s" },
                                                )}
                                            </summary>
                                            <ActionForm action=end>
                                                <p>
                                                    "Every session but this one ends at once; they will have to sign in again."
                                                </p>
                                                <button type="submit">"Sign out other sessions"</button>
                                            </ActionForm>
                                        </details>
                                    }
                                        .into_any()
                                }}
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorTemplate error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let error = action_error(change);
    let done = use_query_map().with_untracked(|q| q.get("password_changed").is_some());
    let revoke_token = ServerAction::<RevokeToken>::new();
    let tokens = Resource::new(|| (), |_| list_tokens());
    view! {
        <Shell page=move |user| {
            view! {
                <h1>"Your account"</h1>
                <p>{user.name.clone()}" · "{user.email.clone()}" · "{user.role.label()}</p>
                <section class="card" aria-labelledby="password-title">
                    <h2 id="password-title">"Change password"</h2>
                    <FormError error />
                    {done
                        .then(|| {
                            view! {
                                <p class="notice" role="status">
                                    "Your password has been changed. Every other session of your account has been signed out."
                                </p>
                            }
                        })}
                    <ActionForm action=change>
                        <Field
                            name="current_password"
                            label="Current password"
                            kind="password"
                            autocomplete="current-password"
                            required=true
                            error=field_error(error, "current_password")
                        />
                        <Field
                            name="new_password"
                            label="New password"
                            kind="password"
                            autocomplete="new-password"
                            required=true
                            hint="At least 12 characters."
                            error=field_error(error, "new_password")
                        />
                        <Field
                            name="confirm_password"
                            label="Repeat new password"
                            kind="password"
                            autocomplete="new-password"
                            required=true
                            error=field_error(error, "confirm_password")
                        />
                        <button
                            type="submit"
                            class="primary"
                            disabled=move || change.pending().get()
                        >
                            "Change password"
                        </button>
                    </ActionForm>
                </section>
                <SessionsSection />
                <TokensSection tokens revoke=revoke_token />
            }
        } />
    }
}
