//! Every form that posts to a server function works without JavaScript: the server runs the
//! function and redirects back, carrying a refusal in the URL (see `ServerAction::new`). Once
//! the WebAssembly has loaded, [`install`] sends those posts with `fetch` instead, so a refusal
//! shows its messages in the form that was sent, beside its fields, and keeps what was typed;
//! a success loads the page again (or the page the function redirected to), fresh from the
//! server. Forms inside an island are the island's own and are left alone.

use crate::error::AppError;

/// What a refused submission shows: the banner at the top of the form, and the message of
/// each of `fields` (the names the form's error slots stand for, in order). A field message
/// with no slot in the form is added to the banner, so no message is ever dropped.
pub fn messages(error: &AppError, fields: &[String]) -> (String, Vec<Option<String>>) {
    let shown: Vec<Option<String>> = fields.iter().map(|f| error.field_message(f)).collect();
    let mut banner = error.form_message();
    if let AppError::Validation(errors) = error {
        let unplaced: Vec<&str> = errors
            .0
            .iter()
            .filter(|(field, _)| !fields.contains(field))
            .map(|(_, message)| message.as_str())
            .collect();
        if !unplaced.is_empty() {
            banner = if shown.iter().all(Option::is_none) {
                unplaced.join(" ")
            } else {
                format!("{banner} {}", unplaced.join(" "))
            };
        }
    }
    (banner, shown)
}

/// Whether a form posting to `action` is one this module sends: a server function's, unless
/// the form is marked `data-plain` (one with nothing to show beside its fields, such as
/// signing out, navigates as a browser would without JavaScript).
pub fn enhances(method: &str, action: &str, plain: bool) -> bool {
    !plain
        && method.eq_ignore_ascii_case("post")
        && action.starts_with("/api/")
        && !action.starts_with("/api/v1/")
}

/// `referer`'s path and query, with `notice` added to the query (and any earlier notice or
/// refusal taken out): where a server function sends the browser to say what it did.
pub fn back_to(referer: &str, notice: &str) -> String {
    let rest = referer.split_once("://").map_or(referer, |(_, r)| r);
    let path_and_query = if referer.contains("://") {
        rest.find('/').map_or("/", |i| &rest[i..])
    } else {
        rest
    };
    let path_and_query = path_and_query.split('#').next().unwrap_or("/");
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let mut kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            !pair.is_empty() && key != notice && key != "__path" && key != "__err"
        })
        .collect();
    let added = format!("{notice}=1");
    kept.push(&added);
    format!(
        "{}?{}",
        if path.is_empty() { "/" } else { path },
        kept.join("&")
    )
}

/// Sends the browser back to the page the form was posted from, with `notice` in its query
/// (see [`back_to`]); the page shows what the notice says.
#[cfg(feature = "ssr")]
pub fn back_with(notice: &str) {
    let referer = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.headers.get(http::header::REFERER).cloned())
        .and_then(|v| v.to_str().ok().map(str::to_string));
    if let Some(referer) = referer {
        leptos_axum::redirect(&back_to(&referer, notice));
    }
}

#[cfg(feature = "hydrate")]
pub use browser::install;

#[cfg(feature = "hydrate")]
mod browser {
    use wasm_bindgen::{JsCast, JsValue, closure::Closure};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        Element, FormData, HtmlButtonElement, HtmlElement, HtmlFormElement, HtmlInputElement,
        Request, RequestInit, Response, SubmitEvent, UrlSearchParams, Window,
    };

    use super::{enhances, messages};
    use crate::error::AppError;

    /// Takes over the submission of every enhanced form on the page, then sets the flag the
    /// browser tests wait for once the islands have hydrated.
    pub fn install() {
        let window = leptos::prelude::window();
        let on_submit = Closure::<dyn Fn(SubmitEvent)>::new(on_submit);
        let _ = window.document().map(|d| {
            d.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref())
        });
        on_submit.forget();
        // The islands hydrate in promise callbacks started after `hydrate` returns; a timer
        // runs after all of them.
        let ready = Closure::once_into_js(|| {
            let window: JsValue = leptos::prelude::window().into();
            let _ = js_sys::Reflect::set(&window, &"__tollgate_hydrated".into(), &true.into());
        });
        let _ = window.set_timeout_with_callback(ready.unchecked_ref());
    }

    fn on_submit(ev: SubmitEvent) {
        if ev.default_prevented() {
            return;
        }
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        let action = form.get_attribute("action").unwrap_or_default();
        // Attributes, not `form.method()`: a field named `method` (or `action`, `enctype`)
        // shadows the form's property of that name in the DOM.
        let method = form.get_attribute("method").unwrap_or_default();
        if !enhances(&method, &action, form.has_attribute("data-plain"))
            || form.closest("leptos-island").ok().flatten().is_some()
        {
            return;
        }
        ev.prevent_default();
        if form.get_attribute("aria-busy").as_deref() == Some("true") {
            return;
        }
        let Ok(data) = FormData::new_with_form(&form) else {
            return;
        };
        if let Some(submitter) = ev.submitter() {
            let (name, value) = submitter_pair(&submitter);
            if !name.is_empty() {
                let _ = data.append_with_str(&name, &value);
            }
        }
        let _ = form.set_attribute("aria-busy", "true");
        leptos::task::spawn_local(async move {
            let outcome = send(&form, &action, &data).await;
            let _ = form.remove_attribute("aria-busy");
            let window = leptos::prelude::window();
            match outcome {
                Ok(Some(location)) => {
                    let _ = window.location().assign(&location);
                }
                Ok(None) => {
                    let _ = window.location().reload();
                }
                Err(error) => show(&form, &error),
            }
        });
    }

    fn submitter_pair(submitter: &HtmlElement) -> (String, String) {
        if let Some(button) = submitter.dyn_ref::<HtmlButtonElement>() {
            (button.name(), button.value())
        } else if let Some(input) = submitter.dyn_ref::<HtmlInputElement>() {
            (input.name(), input.value())
        } else {
            (String::new(), String::new())
        }
    }

    /// Posts `data` as the form would, asking for the server function's own answer rather
    /// than a redirect: where to go next on success, the refusal otherwise.
    async fn send(
        form: &HtmlFormElement,
        action: &str,
        data: &FormData,
    ) -> Result<Option<String>, AppError> {
        let init = RequestInit::new();
        init.set_method("POST");
        let multipart = form
            .get_attribute("enctype")
            .is_some_and(|e| e.eq_ignore_ascii_case("multipart/form-data"));
        let request = if multipart {
            init.set_body(data);
            Request::new_with_str_and_init(action, &init)
        } else {
            let body = UrlSearchParams::new_with_str_sequence_sequence(data)
                .map_err(|_| AppError::Internal)?;
            init.set_body(&body);
            Request::new_with_str_and_init(action, &init)
        }
        .map_err(|_| AppError::Internal)?;
        let headers = request.headers();
        let _ = headers.set("Accept", "application/json");
        if !multipart {
            let _ = headers.set("Content-Type", "application/x-www-form-urlencoded");
        }
        let window: Window = leptos::prelude::window();
        let unreachable = || {
            AppError::BadRequest(
                "The server could not be reached. Nothing was saved; try again.".into(),
            )
        };
        let response: Response = JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(|_| unreachable())?
            .dyn_into()
            .map_err(|_| unreachable())?;
        if response.ok() {
            let location = response.headers().get("location").ok().flatten();
            return Ok(location.filter(|l| !l.is_empty()));
        }
        let text = match response.text() {
            Ok(promise) => JsFuture::from(promise)
                .await
                .ok()
                .and_then(|t| t.as_string()),
            Err(_) => None,
        };
        Err(text
            .and_then(|t| serde_json::from_str::<AppError>(&t).ok())
            .unwrap_or(AppError::Internal))
    }

    /// Shows `error` in `form`: each field's message in its slot, the rest in a banner at the
    /// top, and the focus on the first field in error (or on the banner).
    fn show(form: &HtmlFormElement, error: &AppError) {
        let slots = elements(form, "[data-field]");
        let fields: Vec<String> = slots
            .iter()
            .map(|s| s.get_attribute("data-field").unwrap_or_default())
            .collect();
        let (banner_text, shown) = messages(error, &fields);
        let mut first_invalid: Option<HtmlElement> = None;
        for (slot, message) in slots.iter().zip(shown) {
            slot.set_text_content(message.as_deref());
            let field = slot.closest(".field, fieldset").ok().flatten();
            if let Some(field) = &field {
                let _ = field
                    .class_list()
                    .toggle_with_force("has-error", message.is_some());
            }
            let control =
                field.and_then(|f| f.query_selector("input, select, textarea").ok().flatten());
            if let Some(control) = control {
                let _ = control.set_attribute(
                    "aria-invalid",
                    if message.is_some() { "true" } else { "false" },
                );
                if message.is_some() && first_invalid.is_none() {
                    first_invalid = control.dyn_into::<HtmlElement>().ok();
                }
            }
        }
        let Some(document) = form.owner_document() else {
            return;
        };
        let banner = match form
            .query_selector(":scope > p.form-error[data-enhanced]")
            .ok()
            .flatten()
        {
            Some(banner) => banner,
            None => {
                let Ok(banner) = document.create_element("p") else {
                    return;
                };
                let _ = banner.set_attribute("class", "form-error");
                let _ = banner.set_attribute("role", "alert");
                let _ = banner.set_attribute("tabindex", "-1");
                let _ = banner.set_attribute("data-enhanced", "");
                let _ = form.prepend_with_node_1(&banner);
                banner
            }
        };
        banner.set_text_content(Some(&banner_text));
        let focus = first_invalid.or_else(|| banner.dyn_into::<HtmlElement>().ok());
        if let Some(focus) = focus {
            let _ = focus.focus();
        }
    }

    fn elements(form: &HtmlFormElement, selector: &str) -> Vec<Element> {
        let Ok(list) = form.query_selector_all(selector) else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i).and_then(|n| n.dyn_into::<Element>().ok()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldErrors;

    fn fields(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_string()).collect()
    }

    #[test]
    fn a_field_message_goes_beside_its_field() {
        let error = AppError::field("provider", "Enter the provider.");
        let (banner, shown) = messages(&error, &fields(&["name", "provider"]));
        assert_eq!(banner, "Please correct the fields marked below.");
        assert_eq!(shown, vec![None, Some("Enter the provider.".to_string())]);
    }

    #[test]
    fn a_message_without_a_slot_joins_the_banner() {
        let mut errors = FieldErrors::default();
        errors.add("name", "Enter a name.");
        errors.add("slug", "That address is taken.");
        let error = AppError::Validation(errors);
        let (banner, shown) = messages(&error, &fields(&["name"]));
        assert_eq!(
            banner,
            "Please correct the fields marked below. That address is taken."
        );
        assert_eq!(shown, vec![Some("Enter a name.".to_string())]);
        let (banner, shown) = messages(&error, &[]);
        assert_eq!(banner, "Enter a name. That address is taken.");
        assert!(shown.is_empty());
    }

    #[test]
    fn other_refusals_are_the_banner_alone() {
        let error = AppError::Unauthorized("Email or password is incorrect.".into());
        let (banner, shown) = messages(&error, &fields(&["email", "password"]));
        assert_eq!(banner, "Email or password is incorrect.");
        assert_eq!(shown, vec![None, None]);
    }

    #[test]
    fn back_to_keeps_the_page_and_its_query_and_adds_the_notice_once() {
        assert_eq!(
            back_to("http://127.0.0.1:3000/account", "saved"),
            "/account?saved=1"
        );
        assert_eq!(
            back_to(
                "https://x.example/integrations/a/planning/needs?saved=1&tab=2#top",
                "saved"
            ),
            "/integrations/a/planning/needs?tab=2&saved=1"
        );
        assert_eq!(
            back_to("http://h/p?__path=/api/x&__err=e", "saved"),
            "/p?saved=1"
        );
        assert_eq!(back_to("http://h", "saved"), "/?saved=1");
    }

    #[test]
    fn only_server_function_posts_are_sent_with_fetch() {
        assert!(enhances("post", "/api/create_integration", false));
        assert!(enhances("POST", "/api/sign_in", false));
        assert!(!enhances("get", "/api/create_integration", false));
        assert!(!enhances("post", "/integrations/x/runs/1/junit", false));
        assert!(!enhances("post", "/api/v1/integrations", false));
        assert!(!enhances("post", "/api/logout", true));
    }
}
