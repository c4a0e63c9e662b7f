//! Same-origin writes and security headers, over real HTTP.

use app::auth::model::Role;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_server_function_write_from_another_site_or_from_nowhere_is_refused_and_changes_nothing()
{
    let app = spawn_app().await;
    app.user("admin@example.com", Role::Admin).await;
    app.login_as(&app.client, "admin@example.com").await;
    let fields = [
        ("name", "Mallory"),
        ("email", "mallory@example.com"),
        ("role", "admin"),
        ("password", crate::helpers::PASSWORD),
    ];
    let forged = |origin: Option<&'static str>, fetch_site: Option<&'static str>| {
        let mut req = app.client.post(app.url("/api/create_user")).form(&fields);
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        if let Some(s) = fetch_site {
            req = req.header("sec-fetch-site", s);
        }
        req.send()
    };
    for (origin, site) in [
        (Some("https://evil.example"), Some("cross-site")),
        (Some("null"), None),
        (None, None),
    ] {
        let res = forged(origin, site).await.expect("request");
        assert_eq!(res.status(), 403, "{origin:?} {site:?}");
        let body = res.text().await.expect("body");
        assert!(
            body.contains("did not come from Tollgate's own pages"),
            "{body}"
        );
    }
    assert_eq!(app.count("users").await, 1, "no account was made");
    // The same form from this site's page (fetch metadata alone will do).
    let res = forged(None, Some("same-origin")).await.expect("request");
    assert_eq!(res.status(), 200);
    assert_eq!(app.count("users").await, 2);
}

#[tokio::test]
async fn every_response_forbids_framing_and_sniffing_and_keeps_the_referrer_home() {
    let app = spawn_app().await;
    for path in [
        "/login",
        "/api/v1/openapi.json",
        "/healthz",
        "/no-such-page",
    ] {
        let res = app.client.get(app.url(path)).send().await.expect("request");
        let h = res.headers();
        let get = |name: &str| {
            h.get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(get("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(get("x-frame-options"), "DENY", "{path}");
        assert_eq!(get("referrer-policy"), "same-origin", "{path}");
        assert!(
            get("content-security-policy").contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert_eq!(
            get("strict-transport-security"),
            "",
            "no HSTS over plain HTTP"
        );
    }
    // A page's scripts run only with the nonce it was rendered with: no inline script does.
    let res = app
        .client
        .get(app.url("/login"))
        .send()
        .await
        .expect("request");
    let policy = res
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let html = res.text().await.unwrap_or_default();
    let nonce = html
        .split_once("nonce=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(n, _)| n.to_string())
        .unwrap_or_default();
    assert!(nonce.len() >= 16, "{html}");
    assert!(
        policy.contains(&format!(
            "script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"
        )),
        "{policy}"
    );
    let tls = crate::helpers::spawn_with(|s| s.secure_cookies = true).await;
    let res = tls
        .client
        .get(tls.url("/login"))
        .send()
        .await
        .expect("request");
    assert!(
        res.headers()
            .get("strict-transport-security")
            .is_some_and(|v| v.to_str().unwrap_or_default().starts_with("max-age=")),
        "HSTS when cookies are Secure"
    );
    // The Secure session cookie carries the __Host- prefix, for this host and path / only.
    tls.user("eng@example.com", app::auth::model::Role::Engineer)
        .await;
    let res = tls
        .call(
            "login",
            &[
                ("email", "eng@example.com"),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(server::SECURE_SESSION_COOKIE))
        .expect("__Host- session cookie")
        .to_lowercase();
    assert!(
        cookie.contains("; secure") && cookie.contains("path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("domain="), "{cookie}");
}
