//! API tokens over HTTP: GET /api/v1/me with a bearer token or the session, and the CLI.

use app::auth::model::Role;

use sea_orm::ConnectionTrait;

use crate::helpers::{spawn_app, tollgate};

#[tokio::test]
async fn me_answers_for_a_bearer_token_and_refuses_bad_ones_with_401() {
    let app = spawn_app().await;
    let eng = app
        .user("eng@example.com", Role::Engineer)
        .await
        .as_current();
    let token = app::tokens::service::create(&app.db, &eng, "ci", "read", "", 365)
        .await
        .expect("token");
    let plain = crate::helpers::plain_client();
    let res = plain
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token.secret)
        .send()
        .await
        .expect("me");
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["email"], "eng@example.com");
    assert_eq!(
        (body["auth"].as_str(), body["scope"].as_str()),
        (Some("token"), Some("read"))
    );

    app::tokens::service::revoke(&app.db, &eng, token.token.id)
        .await
        .expect("revoke");
    let res = plain
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token.secret)
        .send()
        .await
        .expect("me");
    assert_eq!(
        res.status(),
        401,
        "revocation takes effect on the next request"
    );
    assert!(res.headers().contains_key("www-authenticate"));
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(
        (body["status"].as_u64(), body["title"].as_str()),
        (Some(401), Some("Unauthorized"))
    );

    let res = plain.get(app.url("/api/v1/me")).send().await.expect("me");
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn me_answers_for_the_browser_session() {
    let app = spawn_app().await;
    app.user("qa@example.com", Role::Qa).await;
    app.login_as(&app.client, "qa@example.com").await;
    let body: serde_json::Value = app
        .client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    assert_eq!(
        (body["role"].as_str(), body["auth"].as_str()),
        (Some("qa"), Some("session"))
    );
}

#[tokio::test]
async fn the_account_page_functions_create_list_and_revoke_own_tokens() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    app.login_as(&app.client, "eng@example.com").await;
    let res = app
        .call(
            "create_token",
            &[
                ("name", "deploy"),
                ("scope", "read-write"),
                ("expires_in_days", "30"),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let created: serde_json::Value = res.json().await.expect("json");
    let secret = created["secret"].as_str().expect("secret").to_string();
    let listed: serde_json::Value = app
        .call("list_tokens", &[])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listed["tokens"][0]["name"], "deploy");
    assert!(
        !listed.to_string().contains(&secret),
        "the list never carries a secret"
    );
    let id = listed["tokens"][0]["id"].to_string();
    assert_eq!(app.call("revoke_token", &[("id", &id)]).await.status(), 200);
    let res = crate::helpers::plain_client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("me");
    assert_eq!(res.status(), 401);
    let bad = app
        .call(
            "create_token",
            &[
                ("name", ""),
                ("scope", "read"),
                ("expires_in_days", ""),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
}

#[tokio::test]
async fn the_token_form_answers_with_the_secret_once_and_keeps_it_nowhere() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    app.login_as(&app.client, "eng@example.com").await;
    let post = |password: &'static str| {
        app.client
            .post(app.url("/account/tokens"))
            .header("accept", "text/html")
            .header("origin", &app.address)
            .form(&[
                ("name", "nightly"),
                ("scope", "read"),
                ("expires_in_days", ""),
                ("password", password),
            ])
            .send()
    };
    // A wrong password goes back to the account page saying why, and makes nothing.
    let refused = post("not-my-password").await.expect("post");
    assert_eq!(refused.status(), 303);
    let back = crate::helpers::location(&refused);
    assert!(
        back.starts_with("/account?") && back.contains("token_error="),
        "{back}"
    );
    assert!(
        !back.contains("not-my-password"),
        "the password is not in the URL"
    );
    assert_eq!(app.count("api_tokens").await, 0);
    let (_, html) = app.page(&app.client, &back).await;
    assert!(html.contains("That is not your password"), "{html}");

    // The right one answers with the page that shows the secret: this response only.
    let res = post(crate::helpers::PASSWORD).await.expect("post");
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let html = res.text().await.expect("html");
    assert!(html.contains("shown only this once"), "{html}");
    let start = html.find("tg_").expect("the secret is on the page");
    let secret = format!("tg_{}", &html[start + 3..start + 43]);
    assert!(secret.len() == 43 && !secret.contains('<'), "{secret}");
    let me = crate::helpers::plain_client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("me");
    assert_eq!(me.status(), 200, "the shown secret works");
    let (_, account) = app.page(&app.client, "/account").await;
    assert!(account.contains("nightly") && !account.contains(&secret));
    let stored = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT data FROM sessions",
        ))
        .await
        .expect("sessions");
    for row in stored {
        let data: String = row.try_get("", "data").expect("data");
        assert!(
            !data.contains(&secret),
            "the session does not keep the secret"
        );
    }

    // A token cannot make tokens, and nobody signed out can.
    let with_token = crate::helpers::plain_client()
        .post(app.url("/account/tokens"))
        .bearer_auth(&secret)
        .form(&[
            ("name", "x"),
            ("scope", "read"),
            ("password", crate::helpers::PASSWORD),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(with_token.status(), 403);
    let anonymous = crate::helpers::client()
        .post(app.url("/account/tokens"))
        .header("origin", &app.address)
        .form(&[
            ("name", "x"),
            ("scope", "read"),
            ("password", crate::helpers::PASSWORD),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(anonymous.status(), 401);
    assert_eq!(app.count("api_tokens").await, 1);
}

#[tokio::test]
async fn the_cli_prints_a_token_that_works() {
    let app = spawn_app().await;
    app.user("ci@example.com", Role::Engineer).await;
    let out = tollgate(
        &app.database_url,
        &[
            "token",
            "create",
            "--email",
            "ci@example.com",
            "--name",
            "pipeline",
            "--scope",
            "read",
            "--expires-in-days",
            "90",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let secret = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let res = crate::helpers::plain_client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("me");
    assert_eq!(res.status(), 200);
    let out = tollgate(
        &app.database_url,
        &[
            "token",
            "create",
            "--email",
            "nobody@example.com",
            "--name",
            "x",
            "--scope",
            "read",
        ],
    );
    assert!(!out.status.success());
}

#[tokio::test]
async fn creating_a_token_asks_for_the_password_again_and_it_expires_in_90_days_by_default() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    app.login_as(&app.client, "eng@example.com").await;
    let form = |password: &'static str| {
        [
            ("name", "nightly"),
            ("scope", "read"),
            ("expires_in_days", ""),
            ("password", password),
        ]
    };
    for wrong in ["", "not-my-password"] {
        let res = app.call("create_token", &form(wrong)).await;
        assert_eq!(res.status(), 422, "{wrong:?}");
        let body = res.text().await.expect("body");
        assert!(body.contains("That is not your password"), "{body}");
    }
    assert_eq!(
        app.count("api_tokens").await,
        0,
        "a session alone makes no token"
    );
    let res = app
        .call("create_token", &form(crate::helpers::PASSWORD))
        .await;
    assert_eq!(res.status(), 200);
    let created: serde_json::Value = res.json().await.expect("json");
    let expires = created["token"]["expires_at"]
        .as_str()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .expect("an expiry");
    let days = (expires.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_days();
    assert!((89..=90).contains(&days), "{days} days");
}

#[tokio::test]
async fn a_token_lives_at_most_the_configured_days() {
    let app = crate::helpers::spawn_with(|s| s.token_max_days = 30).await;
    app.user("eng@example.com", Role::Engineer).await;
    app.login_as(&app.client, "eng@example.com").await;
    let app = &app;
    let create = |days: &'static str| async move {
        app.call(
            "create_token",
            &[
                ("name", "ci"),
                ("scope", "read"),
                ("expires_in_days", days),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await
    };
    let refused = create("31").await;
    assert_eq!(refused.status(), 422);
    let body = refused.text().await.unwrap_or_default();
    assert!(
        body.contains("expires_in_days") && body.contains("from 1 to 30"),
        "{body}"
    );
    assert_eq!(app.count("api_tokens").await, 0);
    // Blank is the usual 90 days, cut to the server's longest.
    let made: serde_json::Value = create("").await.json().await.expect("json");
    let expires = made["token"]["expires_at"]
        .as_str()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .expect("expires_at");
    let days = (expires.to_utc() - chrono::Utc::now()).num_days();
    assert!((29..=30).contains(&days), "{days}");
}
