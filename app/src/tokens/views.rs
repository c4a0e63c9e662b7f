//! The API tokens section of the account page.

use leptos::prelude::*;

use leptos_router::hooks::use_query_map;

use super::api::RevokeToken;
#[cfg(feature = "ssr")]
use super::model::NewToken;
use super::model::{ApiToken, TokenList, TokenScope};
use crate::components::forms::{Field, FormError, SelectField, action_error};
use crate::error::{AppError, ErrorTemplate};

/// A time to the minute, or `none`.
pub fn when(t: Option<chrono::DateTime<chrono::Utc>>, none: &'static str) -> String {
    t.map_or_else(
        || none.to_string(),
        |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

/// Lists, creates and revokes the signed-in user's tokens. The resource and actions belong to
/// the page, so they are created once.
#[component]
pub fn TokensSection(
    tokens: Resource<Result<TokenList, AppError>>,
    revoke: ServerAction<RevokeToken>,
) -> impl IntoView {
    // The form posts to a plain route whose answer is the page showing the new secret once
    // (see the server's `token_form`); a refusal comes back here in the query.
    let (refused, typed) = use_query_map().with_untracked(|q| {
        let typed = |key: &str| q.get(key).unwrap_or_default();
        (
            q.get("token_error"),
            [typed("name"), typed("scope"), typed("expires_in_days")],
        )
    });
    let [name, scope, expires] = typed;
    let scope = if scope.is_empty() {
        "read".to_string()
    } else {
        scope
    };
    let revoke_error = action_error(revoke);
    let scopes: Vec<(String, String)> = TokenScope::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), s.label().to_string()))
        .collect();
    view! {
        <section class="card" aria-labelledby="tokens-title">
            <h2 id="tokens-title">"API tokens"</h2>
            <p class="hint">
                "For scripts and CI pipelines: send as "<code>"Authorization: Bearer …"</code>
                ". A token acts with your role, narrowed by its scope. Every endpoint is in the "
                <a href="/api/docs/">"API reference"</a>"."
            </p>
            <FormError error=revoke_error every_message=true />
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(TokenList { tokens }) => {
                            view! { <TokenTable list=tokens revoke /> }.into_any()
                        }
                        Err(error) => view! { <ErrorTemplate error /> }.into_any(),
                    }
                })}
            </Suspense>
            <h3>"New token"</h3>
            {refused
                .map(|message| {
                    view! {
                        <p class="form-error" role="alert">
                            {format!("No token was created: {message}")}
                        </p>
                    }
                })}
            <form method="post" action="/account/tokens">
                <div class="field-row">
                    <Field
                        name="name"
                        scope="token"
                        label="Name"
                        value=name
                        required=true
                        hint="What will use it, e.g. checkout-service CI"
                    />
                    <SelectField
                        name="scope"
                        scope="token"
                        label="Scope"
                        options=scopes
                        selected=scope
                        required=true
                    />
                    <Field
                        name="expires_in_days"
                        scope="token"
                        label="Expires in (days)"
                        kind="number"
                        value=expires
                        hint="Blank for 90 days."
                    />
                </div>
                <Field
                    name="password"
                    scope="token"
                    label="Your password"
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    hint="Creating a token asks for it again."
                />
                <button type="submit" class="primary">
                    "Create token"
                </button>
            </form>
        </section>
    }
}

/// The page that answers the token form: the new token's secret, shown this once, and the
/// way back. Rendered whole by the server (not a route of the app), so the secret travels in
/// this one response only.
#[cfg(feature = "ssr")]
pub fn created_page(options: LeptosOptions, new: NewToken) -> String {
    use crate::components::shown_once::{ShownOnce, page};
    page(
        options,
        ShownOnce {
            title: "Your new API token".into(),
            name: new.token.name.clone(),
            lead: format!(
                "Token \"{}\" created. Copy it now: it is shown only this once.",
                new.token.name
            ),
            secret: new.secret,
            details: vec![format!(
                "Scope: {}. Expires: {}.",
                new.token.scope.label(),
                when(new.token.expires_at, "never"),
            )],
            back: ("/account".into(), "Back to your account".into()),
        },
    )
}

/// The tokens, each revocable after a confirmation.
#[component]
fn TokenTable(list: Vec<ApiToken>, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="empty">"No tokens yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">"Your API tokens"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Token"</th>
                        <th scope="col">"Scope"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col">"Expires"</th>
                        <th scope="col">"Last used"</th>
                        <th scope="col">"Status"</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|t| {
                            let id = t.id.to_string();
                            let name = t.name.clone();
                            view! {
                                <tr>
                                    <td>{t.name.clone()}</td>
                                    <td>
                                        <code>{format!("{}…", t.prefix)}</code>
                                    </td>
                                    <td>{t.scope.label()}</td>
                                    <td>{when(Some(t.created_at), "—")}</td>
                                    <td>{when(t.expires_at, "Never")}</td>
                                    <td>{when(t.last_used_at, "Never")}</td>
                                    <td>
                                        {if t.revoked_at.is_some() {
                                            view! { <span class="badge danger">"Revoked"</span> }
                                                .into_any()
                                        } else {
                                            view! {
                                                <details class="confirm danger">
                                                    <summary>{format!("Revoke {name}…")}</summary>
                                                    <ActionForm action=revoke>
                                                        <input type="hidden" name="id" value=id />
                                                        <button type="submit" class="danger">
                                                            "Revoke now"
                                                        </button>
                                                    </ActionForm>
                                                </details>
                                            }
                                                .into_any()
                                        }}
                                    </td>
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
