//! (ssr) The page that shows a secret once: a new API token, a webhook endpoint's signing
//! secret. Rendered whole by the server as the answer to the plain form that made the secret
//! (not a route of the app), so the secret travels in that one response and is kept nowhere.
//! Such whole pages share [`standalone`].

use leptos::prelude::*;

/// What the page says around the secret.
pub struct ShownOnce {
    /// The page's title and heading.
    pub title: String,
    /// The card's heading: what the secret belongs to.
    pub name: String,
    /// The line above the secret.
    pub lead: String,
    pub secret: String,
    /// Lines below it.
    pub details: Vec<String>,
    /// (href, text) of the way back.
    pub back: (String, String),
}

/// The whole page, as HTML.
pub fn page(options: LeptosOptions, s: ShownOnce) -> String {
    standalone(options, &s.title.clone(), move || {
        view! {
            <section class="card" aria-labelledby="created-title">
                <h2 id="created-title">{s.name}</h2>
                <div class="notice" role="status">
                    <p>{s.lead}</p>
                    <p>
                        <code class="secret">{s.secret}</code>
                    </p>
                </div>
                {s.details.into_iter().map(|d| view! { <p>{d}</p> }).collect_view()}
                <p>
                    <a href=s.back.0>{s.back.1}</a>
                </p>
            </section>
        }
        .into_any()
    })
}

/// A page of its own (no navigation, no WebAssembly), titled and headed `title`, holding
/// `content`: for answers the server renders whole, to people who may not be signed in.
pub fn standalone(
    options: LeptosOptions,
    title: &str,
    content: impl FnOnce() -> AnyView,
) -> String {
    use leptos_meta::HashedStylesheet;
    let owner = Owner::new();
    let title = title.to_string();
    let html = owner.with(|| {
        view! {
            <html lang="en">
                <head>
                    <meta charset="utf-8" />
                    <meta name="viewport" content="width=device-width, initial-scale=1" />
                    <title>{format!("{title} · Tollgate")}</title>
                    <HashedStylesheet options id="leptos" />
                </head>
                <body>
                    <main id="main" class="page">
                        <h1>{title.clone()}</h1>
                        {content()}
                    </main>
                </body>
            </html>
        }
        .to_html()
    });
    format!("<!DOCTYPE html>{html}")
}
