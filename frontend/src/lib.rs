//! The browser entry point: hydrates the server-rendered page, and nothing else.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // A flag the browser tests wait for, so they know the page is interactive.
    let window: wasm_bindgen::JsValue = leptos::prelude::window().into();
    let _ = js_sys::Reflect::set(&window, &"__tollgate_hydrated".into(), &true.into());
}
