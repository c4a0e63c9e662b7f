//! The Content-Security-Policy. Every response carries [`BASE`]; a rendered page adds
//! [`page`], whose scripts run only with the nonce the page was rendered with (the hydration
//! script has it), from this site, and WebAssembly compiles without `unsafe-eval`. No inline
//! script, inline handler or `javascript:` URL runs, whatever a stored text smuggles in.
//! Styles may be inline (charts size their bars with `style`), which cannot run code.

/// What every response forbids: framing, other `<base>`s, plugins, forms sent elsewhere.
pub const BASE: &str =
    "frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'";

/// The policy of a page rendered with `nonce`.
pub fn page(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; {BASE}"
    )
}

/// Puts the policy naming this render's nonce on the response (server rendering only).
#[cfg(feature = "ssr")]
pub fn provide() {
    use leptos::prelude::use_context;
    let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(&page(&nonce.to_string())) {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_page_policy_allows_only_its_own_nonce_and_keeps_the_base() {
        let policy = super::page("abc123");
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        let scripts = policy
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap_or_default();
        assert!(!scripts.contains("unsafe-inline"), "{scripts}");
        assert!(policy.ends_with(super::BASE));
    }
}
