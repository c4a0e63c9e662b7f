//! Sign-in, first-run set-up and the account page.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::api::{ChangePassword, Login, Setup, needs_setup};
use crate::components::forms::{Field, FormError, action_error, field_error};
use crate::components::layout::{Bare, Shell};
use crate::error::ErrorTemplate;
use crate::tokens::api::{CreateToken, RevokeToken, list_tokens};
use crate::tokens::views::TokensSection;

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
                        Ok(true) => view! { <Redirect path="/setup"/> }.into_any(),
                        Ok(false) => view! {
                            <section class="card auth-card" aria-labelledby="login-title">
                                <h1 id="login-title">"Sign in"</h1>
                                <FormError error/>
                                <ActionForm action=login>
                                    <Field name="email" label="Email" kind="email" autocomplete="username" required=true/>
                                    <Field name="password" label="Password" kind="password" autocomplete="current-password" required=true/>
                                    <button type="submit" class="primary" disabled=move || login.pending().get()>"Sign in"</button>
                                </ActionForm>
                            </section>
                        }.into_any(),
                        Err(error) => view! { <ErrorTemplate error/> }.into_any(),
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
                        Ok(false) => view! { <Redirect path="/login"/> }.into_any(),
                        Ok(true) => view! {
                            <section class="card auth-card" aria-labelledby="setup-title">
                                <h1 id="setup-title">"Set up Tollgate"</h1>
                                <p>"Create the first admin account. The set-up code is printed in the server log; it proves you run this instance."</p>
                                <FormError error/>
                                <ActionForm action=setup>
                                    <Field name="setup_code" label="Set-up code" autocomplete="off" required=true error=field_error(error, "setup_code")/>
                                    <Field name="name" label="Your name" autocomplete="name" required=true error=field_error(error, "name")/>
                                    <Field name="email" label="Email" kind="email" autocomplete="username" required=true error=field_error(error, "email")/>
                                    <Field name="password" label="Password" kind="password" autocomplete="new-password" required=true hint="At least 12 characters." error=field_error(error, "password")/>
                                    <button type="submit" class="primary" disabled=move || setup.pending().get()>"Create admin and sign in"</button>
                                </ActionForm>
                            </section>
                        }.into_any(),
                        Err(error) => view! { <ErrorTemplate error/> }.into_any(),
                    }
                })}
            </Suspense>
        </Bare>
    }
}

/// The signed-in user's account: change password.
#[component]
pub fn AccountPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let error = action_error(change);
    let done = use_query_map().with_untracked(|q| q.get("password_changed").is_some());
    let create_token = ServerAction::<CreateToken>::new();
    let revoke_token = ServerAction::<RevokeToken>::new();
    let tokens = Resource::new(|| (), |_| list_tokens());
    view! {
        <Shell page=move |user| {
            view! {
                <h1>"Your account"</h1>
                <p>{user.name.clone()}" · "{user.email.clone()}" · "{user.role.label()}</p>
                <section class="card" aria-labelledby="password-title">
                    <h2 id="password-title">"Change password"</h2>
                    <FormError error/>
                    {done.then(|| view! { <p class="notice" role="status">"Your password has been changed. Every other session of your account has been signed out."</p> })}
                    <ActionForm action=change>
                        <Field name="current_password" label="Current password" kind="password" autocomplete="current-password" required=true error=field_error(error, "current_password")/>
                        <Field name="new_password" label="New password" kind="password" autocomplete="new-password" required=true hint="At least 12 characters." error=field_error(error, "new_password")/>
                        <Field name="confirm_password" label="Repeat new password" kind="password" autocomplete="new-password" required=true error=field_error(error, "confirm_password")/>
                        <button type="submit" class="primary" disabled=move || change.pending().get()>"Change password"</button>
                    </ActionForm>
                </section>
                <TokensSection tokens create=create_token revoke=revoke_token/>
            }
        }/>
    }
}
