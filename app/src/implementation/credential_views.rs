//! The credentials page: where each secret lives, its owner and its computed rotation status,
//! with "Record rotation" one click away.

use crate::auth::access::Action;
use leptos::prelude::*;

use super::api::{
    CreateCredential, DeleteCredential, GrantAccess, RevokeAccess, RotateCredential,
    UpdateCredential, get_credentials,
};
use super::model::{CredentialKind, CredentialRef, CredentialStatus, CredentialsView, GranteeKind};
use crate::components::forms::{Confirm, DeleteButton};
use crate::components::forms::{Field, FormError, SelectField, action_error, field_error};
use crate::components::layout::Shell;
use crate::components::route::slug_param;
use crate::error::{AppError, ErrorTemplate};

/// The status as a badge; anything but OK stands out.
#[component]
pub fn CredentialBadge(status: CredentialStatus) -> impl IntoView {
    let class = match status {
        CredentialStatus::Ok => "badge ok",
        CredentialStatus::RotationDueSoon | CredentialStatus::ExpiringSoon => "badge warn",
        CredentialStatus::RotationOverdue | CredentialStatus::Expired => "badge danger",
    };
    view! { <span class=class>{status.label()}</span> }
}

#[component]
fn CredentialFields(
    c: Option<CredentialRef>,
    page: CredentialsView,
    error: Signal<Option<AppError>>,
    #[prop(into)] scope: String,
) -> impl IntoView {
    let form = c.as_ref().map(CredentialRef::form).unwrap_or_default();
    let e = move |f: &'static str| field_error(error, f);
    let environments: Vec<(String, String)> = page
        .environments
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    let kinds: Vec<(String, String)> = CredentialKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), k.label().to_string()))
        .collect();
    let people: Vec<(String, String)> = page
        .people
        .iter()
        .map(|p| (p.id.to_string(), p.name.clone()))
        .collect();
    view! {
        <div class="field-row">
            <SelectField
                name="environment_id"
                scope=scope.clone()
                label="Environment"
                options=environments
                selected=form.environment_id.clone()
                blank="Choose…"
                required=true
                error=e("environment_id")
            />
            <Field
                name="name"
                scope=scope.clone()
                label="Name"
                value=form.name.clone()
                required=true
                hint="For example: secret key"
                error=e("name")
            />
            <SelectField
                name="kind"
                scope=scope.clone()
                label="Kind"
                options=kinds
                selected=form.kind.clone()
                blank="Choose…"
                required=true
                error=e("kind")
            />
        </div>
        <Field
            name="reference"
            scope=scope.clone()
            label="Where it lives"
            value=form.reference.clone()
            required=true
            hint="vault://kv/payments/stripe#secret_key, env://STRIPE_SECRET_KEY, aws-sm://arn:…, or in words: 1Password: Payments / Stripe live. Never the secret itself."
            error=e("reference")
        />
        <div class="field-row">
            <SelectField
                name="owner_id"
                scope=scope.clone()
                label="Owner"
                options=people
                selected=form.owner_id.clone()
                blank="No owner yet"
                error=e("owner_id")
            />
            <Field
                name="scopes"
                scope=scope.clone()
                label="Scopes"
                value=form.scopes.clone()
                hint="Permissions it grants"
                error=e("scopes")
            />
        </div>
        <div class="field-row">
            <Field
                name="last_rotated"
                scope=scope.clone()
                label="Last rotated"
                kind="date"
                value=form.last_rotated.clone()
                hint="Blank: today"
                error=e("last_rotated")
            />
            <Field
                name="rotation_days"
                scope=scope.clone()
                label="Rotate every (days)"
                kind="number"
                value=form.rotation_days.clone()
                error=e("rotation_days")
            />
            <Field
                name="expires_on"
                scope=scope.clone()
                label="Expires on"
                kind="date"
                value=form.expires_on.clone()
                error=e("expires_on")
            />
        </div>
    }
}

/// Who has access to one credential, the history of grants, and (for coordinators and admins)
/// the forms to grant and revoke.
#[component]
fn Access(
    c: CredentialRef,
    page: CredentialsView,
    can_grant: bool,
    grant: ServerAction<GrantAccess>,
    revoke: ServerAction<RevokeAccess>,
) -> impl IntoView {
    let live = c.grants.iter().filter(|g| g.revoked_at.is_none()).count();
    let error = action_error(grant);
    let e = move |f: &'static str| field_error(error, f);
    let scope = format!("grant-{}", c.id);
    let kinds: Vec<(String, String)> = GranteeKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), k.label().to_string()))
        .collect();
    let people: Vec<(String, String)> = page
        .people
        .iter()
        .map(|p| (p.id.to_string(), p.name.clone()))
        .collect();
    view! {
        <Confirm summary=format!(
            "Access ({live})…",
        )>
            {if c.grants.is_empty() {
                view! { <p class="empty">"No grants recorded."</p> }.into_any()
            } else {
                view! {
                    <ul class="grants">
                        {c
                            .grants
                            .clone()
                            .into_iter()
                            .map(|g| {
                                let revoked = g.revoked_at.is_some();
                                view! {
                                    <li class:revoked=revoked>
                                        <strong>{g.grantee.clone()}</strong>
                                        " ("
                                        {g.grantee_kind.label()}
                                        "), granted by "
                                        {g.granted_by.name.clone()}
                                        " on "
                                        {g.granted_at.format("%Y-%m-%d").to_string()}
                                        ": "
                                        {g.reason.clone()}
                                        {g
                                            .revoked_at
                                            .map(|at| {
                                                view! {
                                                    <span class="badge">
                                                        {format!(
                                                            "Revoked {} by {}: {}",
                                                            at.format("%Y-%m-%d"),
                                                            g
                                                                .revoked_by
                                                                .as_ref()
                                                                .map(|u| u.name.clone())
                                                                .unwrap_or_default(),
                                                            g.revoke_reason.clone().unwrap_or_default(),
                                                        )}
                                                    </span>
                                                }
                                            })}
                                        {(can_grant && !revoked)
                                            .then(|| {
                                                view! {
                                                    <ActionForm action=revoke>
                                                        <input
                                                            type="hidden"
                                                            name="grant_id"
                                                            value=g.id.to_string()
                                                        />
                                                        <Field
                                                            name="reason"
                                                            scope=format!("revoke-{}", g.id)
                                                            label=format!("Why revoke {}", g.grantee)
                                                            required=true
                                                        />
                                                        <button type="submit" class="danger">
                                                            {format!("Revoke access of {}", g.grantee)}
                                                        </button>
                                                    </ActionForm>
                                                }
                                            })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {can_grant
                .then(|| {
                    view! {
                        <ActionForm action=grant>
                            <input type="hidden" name="credential_id" value=c.id.to_string() />
                            <div class="field-row">
                                <SelectField
                                    name="grantee_kind"
                                    scope=scope.clone()
                                    label="Grant to"
                                    options=kinds
                                    selected="person"
                                    error=e("grantee_kind")
                                />
                                <SelectField
                                    name="user_id"
                                    scope=scope.clone()
                                    label="Person"
                                    options=people
                                    blank="—"
                                    error=e("user_id")
                                />
                                <Field
                                    name="grantee"
                                    scope=scope.clone()
                                    label="Team or service"
                                    hint="For a team or a service"
                                    error=e("grantee")
                                />
                            </div>
                            <Field
                                name="reason"
                                scope=scope.clone()
                                label="Why"
                                required=true
                                error=e("reason")
                            />
                            <button type="submit">"Grant access"</button>
                        </ActionForm>
                    }
                })}
        </Confirm>
    }
}

/// The credential references of one integration.
#[component]
pub fn CredentialsPage() -> impl IntoView {
    let slug = slug_param();
    let create = ServerAction::<CreateCredential>::new();
    let update = ServerAction::<UpdateCredential>::new();
    let rotate = ServerAction::<RotateCredential>::new();
    let delete = ServerAction::<DeleteCredential>::new();
    let grant = ServerAction::<GrantAccess>::new();
    let revoke = ServerAction::<RevokeAccess>::new();
    let revoke_error = action_error(revoke);
    let create_error = action_error(create);
    let update_error = action_error(update);
    let rotate_error = action_error(rotate);
    let delete_error = action_error(delete);
    let page = Resource::new(move || slug.get(), get_credentials);
    view! {
        <Shell page=move |user| {
            let can_edit = user.can(Action::Build);
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || {
                        let user = user.clone();
                        Suspend::new(async move {
                            let page = match page.await {
                                Ok(p) => p,
                                Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                            };
                            let i = page.integration.clone();
                            let base = format!("/integrations/{}", i.slug);
                            let environments_href = format!("{base}/environments");
                            view! {
                                <crate::components::sections::SectionHead
                                    slug=i.slug.clone()
                                    name=i.name.clone()
                                    current=crate::components::sections::Section::Credentials
                                    title="Credential references"
                                />
                                <p class="hint">
                                    "Tollgate records where each secret lives and when it was rotated, never the secret."
                                </p>
                                <FormError error=update_error every_message=true />
                                <FormError error=rotate_error every_message=true />
                                <FormError error=delete_error every_message=true />
                                <FormError error=revoke_error every_message=true />
                                <section class="card" aria-labelledby="credentials-title">
                                    <h2 id="credentials-title">"References"</h2>
                                    {if page.credentials.is_empty() {
                                        view! {
                                            <p class="empty">"No credential references yet."</p>
                                        }
                                            .into_any()
                                    } else {
                                        view! {
                                            <div class="table-wrap">
                                                <table>
                                                    <caption class="visually-hidden">
                                                        "Credential references"
                                                    </caption>
                                                    <thead>
                                                        <tr>
                                                            <th scope="col">"Name"</th>
                                                            <th scope="col">"Environment"</th>
                                                            <th scope="col">"Where it lives"</th>
                                                            <th scope="col">"Owner"</th>
                                                            <th scope="col">"Last rotated"</th>
                                                            <th scope="col">"Next rotation"</th>
                                                            <th scope="col">"Expires"</th>
                                                            <th scope="col">"Status"</th>
                                                            <th scope="col">"Access"</th>
                                                            {can_edit.then(|| view! { <th scope="col">"Actions"</th> })}
                                                        </tr>
                                                    </thead>
                                                    <tbody>
                                                        {page
                                                            .credentials
                                                            .clone()
                                                            .into_iter()
                                                            .map(|c| {
                                                                let id = c.id;
                                                                let edit = c.clone();
                                                                let page = page.clone();
                                                                let can_grant = c.can_grant(&user);
                                                                view! {
                                                                    <tr>
                                                                        <td>
                                                                            {c.name.clone()}" "
                                                                            <span class="muted">{format!("({})", c.kind.label())}</span>
                                                                        </td>
                                                                        <td>{c.environment.clone()}</td>
                                                                        <td>
                                                                            <code>{c.reference.clone()}</code>
                                                                        </td>
                                                                        <td>
                                                                            {c
                                                                                .owner
                                                                                .as_ref()
                                                                                .map_or_else(|| "—".to_string(), |o| o.name.clone())}
                                                                        </td>
                                                                        <td>{c.last_rotated.to_string()}</td>
                                                                        <td>
                                                                            {c
                                                                                .next_rotation
                                                                                .map_or_else(|| "—".to_string(), |d| d.to_string())}
                                                                        </td>
                                                                        <td>
                                                                            {c
                                                                                .expires_on
                                                                                .map_or_else(|| "—".to_string(), |d| d.to_string())}
                                                                        </td>
                                                                        <td>
                                                                            <CredentialBadge status=c.status />
                                                                        </td>
                                                                        <td>
                                                                            <Access
                                                                                c=c.clone()
                                                                                page=page.clone()
                                                                                can_grant
                                                                                grant
                                                                                revoke
                                                                            />
                                                                        </td>
                                                                        {can_edit
                                                                            .then(|| {
                                                                                view! {
                                                                                    <td class="row-actions">
                                                                                        <ActionForm action=rotate>
                                                                                            <input type="hidden" name="id" value=id.to_string() />
                                                                                            <button type="submit">
                                                                                                {format!("Record rotation of {}", c.name)}
                                                                                            </button>
                                                                                        </ActionForm>
                                                                                        <Confirm summary="Edit…">
                                                                                            <ActionForm action=update>
                                                                                                <input
                                                                                                    type="hidden"
                                                                                                    name="credential_id"
                                                                                                    value=id.to_string()
                                                                                                />
                                                                                                <CredentialFields
                                                                                                    c=Some(edit.clone())
                                                                                                    page=page.clone()
                                                                                                    error=update_error
                                                                                                    scope=format!("credential-{id}")
                                                                                                />
                                                                                                <button type="submit" class="primary">
                                                                                                    "Save reference"
                                                                                                </button>
                                                                                            </ActionForm>
                                                                                        </Confirm>
                                                                                        <Confirm summary="Delete…" danger=true>
                                                                                            <ActionForm action=delete>
                                                                                                <DeleteButton id what="reference" />
                                                                                            </ActionForm>
                                                                                        </Confirm>
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
                                    }}
                                </section>
                                {can_edit
                                    .then(|| {
                                        if page.environments.is_empty() {
                                            view! {
                                                <p class="empty card">
                                                    "Add an environment first: each reference belongs to one. "
                                                    <a href=environments_href.clone()>"Environments"</a>
                                                </p>
                                            }
                                                .into_any()
                                        } else {
                                            view! {
                                                <section
                                                    class="card"
                                                    aria-labelledby="new-credential-title"
                                                >
                                                    <h2 id="new-credential-title">
                                                        "Add a credential reference"
                                                    </h2>
                                                    <FormError error=create_error />
                                                    <ActionForm action=create>
                                                        <input
                                                            type="hidden"
                                                            name="integration_id"
                                                            value=i.id.to_string()
                                                        />
                                                        <CredentialFields
                                                            c=None
                                                            page=page.clone()
                                                            error=create_error
                                                            scope="new"
                                                        />
                                                        <div class="form-actions">
                                                            <button
                                                                type="submit"
                                                                class="primary"
                                                                disabled=move || create.pending().get()
                                                            >
                                                                "Add reference"
                                                            </button>
                                                        </div>
                                                    </ActionForm>
                                                </section>
                                            }
                                                .into_any()
                                        }
                                    })}
                            }
                                .into_any()
                        })
                    }}
                </Suspense>
            }
        } />
    }
}
