use app::auth::model::{BAD_CREDENTIALS, Role};

use app::auth::service::{ADDRESS_FREE_FAILURES, PAIR_FREE_FAILURES};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use crate::helpers::{PASSWORD, TestApp, client, spawn_app, spawn_with};

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
    assert_eq!(res.status(), 200);
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

/// A sign-in through the trusted proxy (127.0.0.1 here) for a client at `from`.
async fn login_from(app: &TestApp, from: &str, email: &str, password: &str) -> reqwest::Response {
    client()
        .post(app.url("/api/login"))
        .header("origin", &app.address)
        .header("x-forwarded-for", format!("192.0.2.1, {from}"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .expect("request")
}

async fn behind_a_proxy() -> TestApp {
    spawn_with(|s| s.trusted_proxies = vec!["127.0.0.1/32".parse().expect("range")]).await
}

#[tokio::test]
async fn failures_from_one_address_make_it_wait_but_never_lock_the_owner_out() {
    let app = behind_a_proxy().await;
    app.user("admin@example.com", Role::Admin).await;
    for _ in 0..PAIR_FREE_FAILURES {
        let res = login_from(
            &app,
            "198.51.100.7",
            "admin@example.com",
            "wrong-password-1",
        )
        .await;
        assert_eq!(res.status(), 401);
    }
    // The guesser's address waits, even with the right password...
    let waiting = login_from(&app, "198.51.100.7", "admin@example.com", PASSWORD).await;
    assert_eq!(waiting.status(), 429);
    let retry: u64 = waiting
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=30).contains(&retry), "{retry}");
    assert!(
        waiting
            .text()
            .await
            .unwrap_or_default()
            .contains("Try again after")
    );
    // ...while the admin, somewhere else, signs in.
    let owner = login_from(&app, "203.0.113.5", "admin@example.com", PASSWORD).await;
    assert_eq!(owner.status(), 200);
}

#[tokio::test]
async fn forwarded_for_from_a_peer_that_is_not_a_trusted_proxy_is_ignored() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    for i in 0..PAIR_FREE_FAILURES {
        // A new made-up address each time does not reset the count: the peer is the client.
        let res = login_from(
            &app,
            &format!("198.51.100.{i}"),
            "eng@example.com",
            "wrong-password-1",
        )
        .await;
        assert_eq!(res.status(), 401);
    }
    let res = login_from(&app, "198.51.100.99", "eng@example.com", PASSWORD).await;
    assert_eq!(res.status(), 429);
}

#[tokio::test]
async fn failures_across_accounts_from_one_address_make_that_address_wait() {
    let app = behind_a_proxy().await;
    app.user("eng@example.com", Role::Engineer).await;
    for i in 0..ADDRESS_FREE_FAILURES {
        let email = format!("guess{i}@example.com");
        let res = login_from(&app, "198.51.100.7", &email, "wrong-password-1").await;
        assert_eq!(res.status(), 401);
    }
    let res = login_from(&app, "198.51.100.7", "eng@example.com", PASSWORD).await;
    assert_eq!(res.status(), 429);
    let elsewhere = login_from(&app, "203.0.113.5", "eng@example.com", PASSWORD).await;
    assert_eq!(elsewhere.status(), 200);
}

#[tokio::test]
async fn concurrent_guesses_cannot_slip_past_the_count_and_old_failures_are_forgotten() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    // A failure from two hours ago, which no longer counts.
    app::entities::login_failures::ActiveModel {
        email: Set("old@example.com".into()),
        client_ip: Set("198.51.100.200".into()),
        at: Set(chrono::Utc::now() - chrono::Duration::hours(2)),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("old failure");
    let mut guesses = tokio::task::JoinSet::new();
    for _ in 0..12 {
        let (c, url, origin) = (client(), app.url("/api/login"), app.address.clone());
        guesses.spawn(async move {
            c.post(url)
                .header("origin", origin)
                .form(&[
                    ("email", "eng@example.com"),
                    ("password", "wrong-password-1"),
                ])
                .send()
                .await
                .map(|res| res.status().as_u16())
                .unwrap_or(0)
        });
    }
    let statuses = guesses.join_all().await;
    let compared = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(compared + refused, 12, "{statuses:?}");
    assert!(compared <= PAIR_FREE_FAILURES as usize, "{statuses:?}");
    // The old failure waits for the server's sweep (off the sign-in path), which keeps the
    // ones still counting.
    assert_eq!(app.count("login_failures").await, compared as i64 + 1);
    let forgotten = app::auth::service::forget_old_failures(&app.db, chrono::Utc::now())
        .await
        .expect("sweep");
    assert_eq!(forgotten, 1);
    assert_eq!(app.count("login_failures").await, compared as i64);
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

#[tokio::test]
async fn the_account_lists_its_sessions_and_signs_out_the_others_keeping_this_one() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    let with_agent = |agent: &str| {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(agent)
            .build()
            .expect("client")
    };
    let laptop =
        with_agent("Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0");
    let script = with_agent("curl/8.5.0");
    app.login_as(&laptop, "eng@example.com").await;
    app.login_as(&script, "eng@example.com").await;
    let sessions: serde_json::Value = app
        .call_as(&laptop, "my_sessions", &[])
        .await
        .json()
        .await
        .expect("json");
    let list = sessions.as_array().expect("list");
    assert_eq!(list.len(), 2, "{sessions}");
    assert_eq!(list[0]["current"], true);
    assert_eq!(list[0]["device"], "Firefox on Linux");
    assert_eq!(list[0]["address"], "127.0.0.1");
    assert!(list[0]["last_seen"].is_string());
    assert_eq!(list[1]["device"], "curl");
    // The session ids (the cookies' secret) are not in the answer.
    let ids = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT id FROM sessions",
        ))
        .await
        .expect("ids");
    for row in ids {
        let id: String = row.try_get("", "id").expect("id");
        assert!(!sessions.to_string().contains(&id));
    }

    let res = app.call_as(&laptop, "end_other_sessions", &[]).await;
    assert_eq!(res.status(), 200);
    let me: serde_json::Value = app
        .call_as(&script, "current_user", &[])
        .await
        .json()
        .await
        .expect("json");
    assert!(me.is_null(), "the other session has ended");
    let me: serde_json::Value = app
        .call_as(&laptop, "current_user", &[])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["email"], "eng@example.com", "this session stays");
    assert_eq!(app.count("sessions").await, 1);
}

#[tokio::test]
async fn signing_in_lands_each_role_where_its_day_starts() {
    let app = spawn_app().await;
    for (email, role, landing) in [
        ("cora@example.com", Role::Coordinator, "/needs"),
        ("eli@example.com", Role::Engineer, "/needs"),
        ("quinn@example.com", Role::Qa, "/needs"),
        ("sam@example.com", Role::Stakeholder, "/"),
        ("ada@example.com", Role::Admin, "/integrations"),
    ] {
        app.user(email, role).await;
        let c = client();
        let res = app
            .post_from_page(
                &c,
                "/login",
                "login",
                &[("email", email), ("password", PASSWORD)],
            )
            .await;
        assert!(res.status().is_redirection(), "{email}: {}", res.status());
        assert_eq!(crate::helpers::location(&res), landing, "{email}");
    }
}
