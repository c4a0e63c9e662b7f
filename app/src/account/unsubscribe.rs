//! (ssr) The page of an email's unsubscribe link: it asks before turning anything off (a
//! mail scanner following the link changes nothing), says what was turned off, or says the
//! link is no longer good. The one-click POST of RFC 8058 needs no page.

use leptos::prelude::*;

use crate::components::shown_once::standalone;
use crate::notifications::service::Stops;

/// Where the unsubscribe link stands.
pub enum Unsubscribe {
    /// Asks to stop `what`, posting to `action`.
    Ask { what: Stops, action: String },
    /// `what` is stopped.
    Done { what: Stops },
    /// The token is unknown or forgotten.
    Unknown,
}

/// The whole page, as HTML.
pub fn page(options: LeptosOptions, state: Unsubscribe) -> String {
    let title = match &state {
        Unsubscribe::Ask { .. } => "Stop these emails?",
        Unsubscribe::Done { .. } => "You will get no more of these emails",
        Unsubscribe::Unknown => "This link no longer works",
    };
    standalone(options, title, move || {
        match state {
        Unsubscribe::Ask { what, action } => view! {
            <section class="card" aria-labelledby="what-title">
                <h2 id="what-title">{what.label()}</h2>
                <p>
                    "Tollgate will stop emailing you when this happens. You will still see it in Tollgate, and you can turn the email back on from the Notifications page."
                </p>
                <form method="post" action=action>
                    <button type="submit" class="primary">
                        "Stop these emails"
                    </button>
                </form>
            </section>
        }
        .into_any(),
        Unsubscribe::Done { what } => view! {
            <section class="card" aria-labelledby="what-title">
                <h2 id="what-title">{what.label()}</h2>
                <p class="notice" role="status">
                    "Done: Tollgate will no longer email you about this."
                </p>
                <p>
                    <a href="/notifications">"Change what you are told"</a>
                </p>
            </section>
        }
        .into_any(),
        Unsubscribe::Unknown => view! {
            <p>
                "The link is not one Tollgate sent, or its email is older than 90 days. Sign in and choose what you are emailed on the Notifications page."
            </p>
            <p>
                <a href="/notifications">"Go to your notifications"</a>
            </p>
        }
        .into_any(),
    }
    })
}
