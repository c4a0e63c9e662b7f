//! The browser entry point. Pages render on the server only (islands mode, see `app::routes`):
//! this hydrates the islands, sends the other forms' posts with `fetch` (`app::components::
//! enhance`), and then sets the flag the browser tests wait for.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    app::components::enhance::install();
    app::components::shortcuts::install();
}
