//! A button that copies text to the clipboard (once the WebAssembly has loaded; until then
//! the text beside it can be selected and copied by hand). It says "Copied" when it has.

use leptos::prelude::*;

/// Copies `text`; its label is `label` until it has copied.
#[component]
pub fn CopyButton(text: String, label: &'static str) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        if write(&text) {
            copied.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &text;
    };
    view! {
        <button type="button" class="secondary copy" on:click=copy aria-live="polite">
            {move || if copied.get() { "Copied" } else { label }}
        </button>
    }
}

/// `navigator.clipboard.writeText(text)`, through `js_sys` (no unstable web-sys API):
/// whether the browser took it.
#[cfg(feature = "hydrate")]
fn write(text: &str) -> bool {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return false;
    };
    let get = |target: &wasm_bindgen::JsValue, name: &str| {
        js_sys::Reflect::get(target, &wasm_bindgen::JsValue::from_str(name)).ok()
    };
    let Some(clipboard) = get(&window.into(), "navigator").and_then(|n| get(&n, "clipboard"))
    else {
        return false;
    };
    let Some(write_text) =
        get(&clipboard, "writeText").and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return false;
    };
    write_text
        .call1(&clipboard, &wasm_bindgen::JsValue::from_str(text))
        .is_ok()
}
