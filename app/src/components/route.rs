//! What a page reads from its URL.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The slug in the current URL.
pub fn slug_param() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()))
}
