//! The browser entry point: hydrates the server-rendered page, and nothing else. Pages are lazy
//! routes (see `app::routes`), which `hydrate_lazy` supports and `hydrate_body` does not; each
//! route's view sets the flag the browser tests wait for.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
