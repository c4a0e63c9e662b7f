//! Badges that more than one room shows.

use leptos::prelude::*;

/// A visible marker that the current stage was entered past an unmet gate.
#[component]
pub fn OverrideBadge() -> impl IntoView {
    view! {
        <span class="badge override" title="An admin moved this integration past an unmet gate">
            "Gate overridden"
        </span>
    }
}
