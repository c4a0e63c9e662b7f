//! An environment's DSN as its page shows it to those who build: the DSN in a read-only field
//! to select and copy, and how to give it to the Python, Node and Rust SDKs.

use leptos::prelude::*;

/// The set-up of one SDK: its name, and the code that starts it with `dsn` for
/// `environment`.
fn snippets(dsn: &str, environment: &str) -> [(&'static str, String); 3] {
    [
        (
            "Python (sentry-sdk)",
            format!(
                "import sentry_sdk\n\nsentry_sdk.init(\n    dsn=\"{dsn}\",\n    environment=\"{environment}\",\n)"
            ),
        ),
        (
            "Node (@sentry/node)",
            format!(
                "const Sentry = require(\"@sentry/node\");\n\nSentry.init({{\n  dsn: \"{dsn}\",\n  environment: \"{environment}\",\n}});"
            ),
        ),
        (
            "Rust (sentry)",
            format!(
                "let _guard = sentry::init((\n    \"{dsn}\",\n    sentry::ClientOptions {{\n        environment: Some(\"{environment}\".into()),\n        ..Default::default()\n    }},\n));"
            ),
        ),
    ]
}

/// The DSN of environment `id` (named `environment`), with set-up snippets.
#[component]
pub fn DsnPanel(id: i32, dsn: String, environment: String) -> impl IntoView {
    let field = format!("environment-{id}-dsn");
    let heading = format!("environment-{id}-errors");
    let labelled = heading.clone();
    view! {
        <section class="dsn" aria-labelledby=labelled>
            <h3 id=heading>"Error reporting"</h3>
            <p class="hint">
                "Give this DSN to the Sentry SDK in the code that calls the provider: its errors join this integration's error groups."
            </p>
            <label for=field.clone()>"DSN"</label>
            <input id=field type="text" readonly value=dsn.clone() class="mono" />
            {snippets(&dsn, &environment)
                .into_iter()
                .map(|(sdk, code)| {
                    view! {
                        <details class="snippet">
                            <summary>{sdk}</summary>
                            <pre>
                                <code>{code.clone()}</code>
                            </pre>
                        </details>
                    }
                })
                .collect_view()}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_snippet_carries_the_dsn_and_the_environment() {
        for (sdk, code) in snippets("http://k@h/4", "production") {
            assert!(code.contains("\"http://k@h/4\""), "{sdk}: {code}");
            assert!(code.contains("\"production\""), "{sdk}: {code}");
        }
    }
}
