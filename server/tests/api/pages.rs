use app::auth::model::Role;

use crate::helpers::{location, spawn_app, spawn_with};

#[tokio::test]
async fn signed_out_visitors_are_redirected_to_sign_in() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    let res = app
        .client
        .get(app.url("/integrations"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 302);
    assert_eq!(
        res.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/login")
    );
}

#[tokio::test]
async fn a_fresh_instance_sends_sign_in_to_setup() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(app.url("/login"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 302);
    assert_eq!(
        res.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/setup")
    );
}

#[tokio::test]
async fn the_login_page_renders_a_labelled_form_on_the_server() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    let res = app
        .client
        .get(app.url("/login"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["cache-control"],
        "no-store",
        "pages are never cached"
    );
    let html = res.text().await.unwrap_or_default();
    assert!(html.contains("action=\"/api/login\""), "{html}");
    assert!(html.contains("<label for=\"field-email\""));
}

#[tokio::test]
async fn an_unknown_page_answers_404_and_a_missing_integration_too() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    let res = app
        .client
        .get(app.url("/no/such/page"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 404);
    app.login_as(&app.client, "eng@example.com").await;
    let res = app
        .client
        .get(app.url("/integrations/does-not-exist"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn a_non_admin_opening_the_users_page_gets_403() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    app.login_as(&app.client, "eng@example.com").await;
    let res = app
        .client
        .get(app.url("/admin/users"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn a_plain_form_post_with_an_error_redirects_back_with_the_error_for_the_page() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    let res = app
        .post_from_page(
            &app.client,
            "/login",
            "login",
            &[
                ("email", "eng@example.com"),
                ("password", "wrong-password-1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 302);
    let location = location(&res);
    assert!(location.contains("__err="), "{location}");
    let page = app
        .client
        .get(&location)
        .send()
        .await
        .expect("request")
        .text()
        .await
        .unwrap_or_default();
    assert!(
        page.contains(app::auth::model::BAD_CREDENTIALS),
        "the page shows the error without JS"
    );
}

#[tokio::test]
async fn static_files_are_served_precompressed_with_cache_headers() {
    let site = crate::helpers::ScratchDir::new("tollgate-site");
    site.write("pkg/app.css", "body{}");
    site.write("pkg/app.css.gz", b"gzipped");
    site.write("pkg/app.css.br", b"brotli");
    let root = site.0.display().to_string();
    let app = spawn_with(|s| s.site_root = root).await;
    let res = app
        .client
        .get(app.url("/pkg/app.css"))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok()),
        Some("br")
    );
    assert!(res.headers().get("cache-control").is_some());
    let res = app
        .client
        .get(app.url("/pkg/app.css"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("request");
    assert_eq!(
        res.headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok()),
        Some("gzip")
    );
}
