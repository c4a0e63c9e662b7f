//! A burst of sign-ins against the password-hashing gate, in a process of its own: filling
//! the gate would make other tests' sign-ins answer 503 if they shared the process.

#![allow(clippy::expect_used, clippy::unwrap_used, dead_code)]

#[path = "api/helpers.rs"]
mod helpers;

use app::auth::model::Role;

use crate::helpers::{PASSWORD, client, spawn_with};

#[tokio::test]
async fn a_burst_of_sign_ins_beyond_the_hashing_queue_answers_503_with_retry_after() {
    let app =
        spawn_with(|s| s.trusted_proxies = vec!["127.0.0.1/32".parse().expect("range")]).await;
    app.user("eng@example.com", Role::Engineer).await;
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let burst = cores * (app::auth::service::QUEUE_PER_CORE + 1) * 4;
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..burst {
        // Each from its own address, so throttling stays out of the way.
        let (c, url, origin) = (client(), app.url("/api/login"), app.address.clone());
        calls.spawn(async move {
            let res = c
                .post(url)
                .header("origin", origin)
                .header(
                    "x-forwarded-for",
                    format!("10.9.{}.{}", i / 250, i % 250 + 1),
                )
                .form(&[
                    ("email", "eng@example.com"),
                    ("password", "wrong-password-1"),
                ])
                .send()
                .await
                .expect("request");
            let retry = res
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            (res.status().as_u16(), retry)
        });
    }
    let answers = calls.join_all().await;
    let busy: Vec<_> = answers.iter().filter(|(s, _)| *s == 503).collect();
    assert!(
        answers.iter().all(|(s, _)| *s == 401 || *s == 503),
        "{answers:?}"
    );
    assert!(!busy.is_empty(), "no sign-in was turned away: {answers:?}");
    assert!(busy.iter().all(|(_, retry)| retry.as_deref() == Some("1")));
    // A turned-away attempt is not a failure against the account: it signs in afterwards.
    let res = client()
        .post(app.url("/api/login"))
        .header("origin", &app.address)
        .header("x-forwarded-for", "10.9.0.1")
        .form(&[("email", "eng@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    assert!(
        app.count("login_failures").await <= (burst - busy.len()) as i64,
        "busy attempts were counted as failures"
    );
}
