//! Keyboard shortcuts for every page, once the WebAssembly has loaded: `/` focuses the
//! header's search box, unless the key is typed into a field. Without the WebAssembly the box
//! is the first stop after the navigation in tab order.

/// Whether a key press of `key` on an element named `tag` (`editable` for content a person
/// edits) is the search shortcut: `/` with no modifier, outside any field.
pub fn is_search_key(key: &str, tag: &str, editable: bool, modified: bool) -> bool {
    key == "/"
        && !modified
        && !editable
        && !matches!(
            tag.to_ascii_uppercase().as_str(),
            "INPUT" | "TEXTAREA" | "SELECT"
        )
}

#[cfg(feature = "hydrate")]
pub use browser::install;

#[cfg(feature = "hydrate")]
mod browser {
    use wasm_bindgen::{JsCast, closure::Closure};
    use web_sys::{HtmlElement, HtmlInputElement, KeyboardEvent};

    /// Listens for the shortcuts on the whole document.
    pub fn install() {
        let on_key = Closure::<dyn Fn(KeyboardEvent)>::new(on_key);
        let _ = leptos::prelude::document()
            .add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
        on_key.forget();
    }

    fn on_key(ev: KeyboardEvent) {
        let target = ev.target().and_then(|t| t.dyn_into::<HtmlElement>().ok());
        let (tag, editable) = target.as_ref().map_or((String::new(), false), |t| {
            (t.tag_name(), t.is_content_editable())
        });
        let modified = ev.ctrl_key() || ev.meta_key() || ev.alt_key();
        if !super::is_search_key(&ev.key(), &tag, editable, modified) {
            return;
        }
        let input = leptos::prelude::document()
            .get_element_by_id("site-search")
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok());
        if let Some(input) = input {
            ev.prevent_default();
            let _ = input.focus();
            input.select();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_search_key;

    #[test]
    fn slash_outside_a_field_is_the_search_key() {
        assert!(is_search_key("/", "BODY", false, false));
        assert!(is_search_key("/", "a", false, false));
        assert!(!is_search_key("/", "INPUT", false, false));
        assert!(!is_search_key("/", "textarea", false, false));
        assert!(!is_search_key("/", "DIV", true, false));
        assert!(!is_search_key("/", "BODY", false, true));
        assert!(!is_search_key("?", "BODY", false, false));
    }
}
