//! Tollgate's application: pages, components, server functions and domain services.
//! Built twice: with `ssr` for the server binary and with `hydrate` for the browser.
#![recursion_limit = "256"]

pub mod account;
pub mod activity;
pub mod audits;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod calendar;
pub mod catalogue;
#[cfg(feature = "ssr")]
pub mod changes;
pub mod choices;
pub mod components;
pub mod csp;
pub mod csv;
pub mod dashboard;
#[cfg(feature = "ssr")]
pub mod entities;
pub mod error;
pub mod events;
#[cfg(feature = "ssr")]
pub mod gate;
pub mod heartbeats;
pub mod implementation;
pub mod integrations;
#[cfg(feature = "ssr")]
pub mod kept;
#[cfg(feature = "ssr")]
pub mod leak_guard;
#[cfg(feature = "ssr")]
pub mod leases;
pub mod lifecycle;
pub mod limits;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod markdown;
pub mod monitoring;
pub mod monitors;
pub mod needs;
pub mod notifications;
pub mod observed;
#[cfg(feature = "ssr")]
pub mod outbound;
pub mod outbox;
pub mod overview;
pub mod paging;
pub mod percent;
pub mod planning;
pub mod provider;
#[cfg(feature = "ssr")]
pub mod records;
pub mod routes;
pub mod saved_views;
pub mod search;
pub mod sentry;
#[cfg(feature = "ssr")]
pub mod shared_pages;
pub mod specs;
#[cfg(feature = "ssr")]
pub mod state;
pub mod testing;
pub mod tokens;
pub mod users;
pub mod validate;
pub mod webhooks;
pub mod weekly;

use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};

/// The HTML document the server renders around the application.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use leptos_meta::{HashedStylesheet, MetaTags};
    csp::provide();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: metadata, the skip link and the routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Tollgate" />
        <a class="skip-link" href="#main">
            "Skip to content"
        </a>
        <routes::AppRoutes />
    }
}
