//! The admin's users page: list, create, change role, deactivate and reactivate.

use leptos::prelude::*;

use super::api::{ChangeRole, CreateUser, EndUserSessions, SetUserActive, list_users};
use super::model::User;
use crate::auth::model::Role;
use crate::components::forms::{
    Field, FormError, SelectField, action_error, field_error, first_error,
};
use crate::components::layout::Shell;
use crate::error::ErrorTemplate;

fn role_options() -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), r.label().to_string()))
        .collect()
}

/// One row of the users table with its role and activation forms.
#[component]
fn UserRow(
    user: User,
    me: i32,
    change_role: ServerAction<ChangeRole>,
    set_active: ServerAction<SetUserActive>,
    end_sessions: ServerAction<EndUserSessions>,
) -> impl IntoView {
    let is_me = user.id == me;
    let id = user.id.to_string();
    let id2 = id.clone();
    let id3 = id.clone();
    let name = user.name.clone();
    let role_label = format!("Role for {}", user.name);
    let select_id = format!("role-{}", user.id);
    let status = if user.active { "Active" } else { "Deactivated" };
    view! {
        <tr class:inactive=!user.active>
            <td>{user.name.clone()}</td>
            <td>{user.email.clone()}</td>
            <td>
                {if is_me {
                    view! { <span>{user.role.label()}" (you)"</span> }.into_any()
                } else {
                    view! {
                        <ActionForm action=change_role attr:class="inline-form">
                            <input type="hidden" name="user_id" value=id.clone() />
                            <label class="visually-hidden" for=select_id.clone()>
                                {role_label}
                            </label>
                            <select id=select_id name="role">
                                {role_options()
                                    .into_iter()
                                    .map(|(v, l)| {
                                        let selected = v == user.role.as_str();
                                        view! {
                                            <option value=v selected=selected>
                                                {l}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                            <button type="submit">"Save role"</button>
                        </ActionForm>
                    }
                        .into_any()
                }}
            </td>
            <td>{status}</td>
            <td>
                {(!is_me)
                    .then(|| {
                        if user.active {
                            // Deactivating ends the user's sessions at once, so it asks first.
                            view! {
                                <details class="confirm">
                                    <summary>"Sign out everywhere…"</summary>
                                    <ActionForm action=end_sessions>
                                        <input type="hidden" name="user_id" value=id3.clone() />
                                        <p>
                                            "This ends every session of " {name.clone()}
                                            "; the account stays active."
                                        </p>
                                        <button type="submit">
                                            "Sign " {name.clone()} " out everywhere"
                                        </button>
                                    </ActionForm>
                                </details>
                                <details class="confirm danger">
                                    <summary>"Deactivate…"</summary>
                                    <ActionForm action=set_active>
                                        <input type="hidden" name="user_id" value=id2.clone() />
                                        <input type="hidden" name="active" value="false" />
                                        <p>
                                            "This signs " {user.name.clone()} " out everywhere at once."
                                        </p>
                                        <button type="submit" class="danger">
                                            "Deactivate "
                                            {user.name.clone()}
                                        </button>
                                    </ActionForm>
                                </details>
                            }
                                .into_any()
                        } else {
                            view! {
                                <ActionForm action=set_active>
                                    <input type="hidden" name="user_id" value=id2.clone() />
                                    <input type="hidden" name="active" value="true" />
                                    <button type="submit">"Reactivate " {user.name.clone()}</button>
                                </ActionForm>
                            }
                                .into_any()
                        }
                    })}
            </td>
        </tr>
    }
}

/// The users page. Admins only; the server refuses everyone else.
#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <Shell page=move |me| {
            let create = ServerAction::<CreateUser>::new();
            let change_role = ServerAction::<ChangeRole>::new();
            let set_active = ServerAction::<SetUserActive>::new();
            let end_sessions = ServerAction::<EndUserSessions>::new();
            let create_error = action_error(create);
            let row_error = first_error([
                action_error(change_role),
                action_error(set_active),
                action_error(end_sessions),
            ]);
            let users = Resource::new(|| (), |_| list_users());
            view! {
                <h1>"Users"</h1>
                <FormError error=row_error every_message=true />
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading users…"</p> }
                }>
                    {move || Suspend::new(async move {
                        match users.await {
                            Ok(list) if list.is_empty() => {
                                view! { <p class="empty">"No users yet."</p> }.into_any()
                            }
                            Ok(list) => {
                                view! {
                                    <div class="table-wrap">
                                        <table>
                                            <caption class="visually-hidden">"All users"</caption>
                                            <thead>
                                                <tr>
                                                    <th scope="col">"Name"</th>
                                                    <th scope="col">"Email"</th>
                                                    <th scope="col">"Role"</th>
                                                    <th scope="col">"Status"</th>
                                                    <th scope="col">"Actions"</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {list
                                                    .into_iter()
                                                    .map(|user| {
                                                        view! {
                                                            <UserRow
                                                                user
                                                                me=me.id
                                                                change_role
                                                                set_active
                                                                end_sessions
                                                            />
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
                <section class="card" aria-labelledby="new-user-title">
                    <h2 id="new-user-title">"Add a user"</h2>
                    <FormError error=create_error />
                    <ActionForm action=create>
                        <Field
                            name="name"
                            label="Name"
                            required=true
                            error=field_error(create_error, "name")
                        />
                        <Field
                            name="email"
                            label="Email"
                            kind="email"
                            required=true
                            error=field_error(create_error, "email")
                        />
                        <SelectField
                            name="role"
                            label="Role"
                            options=role_options()
                            selected="engineer"
                            required=true
                            error=field_error(create_error, "role")
                        />
                        <Field
                            name="password"
                            label="Initial password"
                            kind="password"
                            autocomplete="new-password"
                            required=true
                            hint="At least 12 characters. Share it privately; they can change it under Account."
                            error=field_error(create_error, "password")
                        />
                        <button
                            type="submit"
                            class="primary"
                            disabled=move || create.pending().get()
                        >
                            "Add user"
                        </button>
                    </ActionForm>
                </section>
            }
        } />
    }
}
