use app::auth::model::{BAD_CREDENTIALS, Role};

use crate::helpers::{PASSWORD, client, spawn_app};

#[tokio::test]
async fn login_with_the_right_password_starts_a_session_with_a_strict_http_only_cookie() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    let res = app
        .call(
            "login",
            &[("email", "eng@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert!(res.status().is_redirection() || res.status().is_success());
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(server::SESSION_COOKIE))
        .expect("session cookie")
        .to_lowercase();
    assert!(cookie.contains("httponly"));
    assert!(cookie.contains("samesite=strict"));
    let me: serde_json::Value = app
        .call("current_user", &[])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["role"], "engineer");
}

#[tokio::test]
async fn login_with_wrong_password_or_unknown_email_shows_one_generic_error() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    let wrong = app
        .call(
            "login",
            &[
                ("email", "eng@example.com"),
                ("password", "not-the-password"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 401);
    let wrong = wrong.text().await.unwrap_or_default();
    let unknown = app
        .call(
            "login",
            &[("email", "nobody@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(unknown.status(), 401);
    assert_eq!(wrong, unknown.text().await.unwrap_or_default());
    assert!(wrong.contains(BAD_CREDENTIALS));
    let me: serde_json::Value = app
        .call("current_user", &[])
        .await
        .json()
        .await
        .expect("json");
    assert!(me.is_null());
}

#[tokio::test]
async fn five_failures_lock_the_account_with_a_retry_time_even_for_the_right_password() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    for _ in 0..5 {
        let res = app
            .call(
                "login",
                &[
                    ("email", "eng@example.com"),
                    ("password", "wrong-password-1"),
                ],
            )
            .await;
        assert_eq!(res.status(), 401);
    }
    let locked = app
        .call(
            "login",
            &[("email", "eng@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(locked.status(), 429);
    assert!(
        locked
            .text()
            .await
            .unwrap_or_default()
            .contains("Try again after")
    );
}

#[tokio::test]
async fn failures_across_accounts_from_one_address_lock_that_address() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    for i in 0..5 {
        let email = format!("guess{i}@example.com");
        app.call(
            "login",
            &[("email", &email), ("password", "wrong-password-1")],
        )
        .await;
    }
    let res = app
        .call(
            "login",
            &[("email", "eng@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), 429);
}

#[tokio::test]
async fn logout_ends_the_session_in_the_store() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    app.login_as(&app.client, "eng@example.com").await;
    assert_eq!(app.count("sessions").await, 1);
    app.call("logout", &[]).await;
    assert_eq!(app.count("sessions").await, 0);
    let me: serde_json::Value = app
        .call("current_user", &[])
        .await
        .json()
        .await
        .expect("json");
    assert!(me.is_null());
}

#[tokio::test]
async fn login_issues_a_new_session_id_rather_than_keeping_a_planted_one() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    let c = client();
    // Any request creating a session before login would be reused by a fixation attack.
    let res = app
        .call_as(
            &c,
            "login",
            &[
                ("email", "eng@example.com"),
                ("password", "wrong-password-1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 401);
    let res = app
        .call_as(
            &c,
            "login",
            &[("email", "eng@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert!(
        res.headers().get("set-cookie").is_some(),
        "login sets a fresh cookie"
    );
}
