//! Heartbeat monitors over HTTP: REST (listed by everyone, added, changed and deleted by
//! those who build, errors naming the field, the ping URL only for builders), pings at their
//! token's URL without any other credential (`/start`, `/fail`, 404 for an unknown token, 429
//! past the allowance), and the card on the server-rendered health page. The real SDKs'
//! check-ins are scripts/sentry.sh's.

use app::auth::model::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::api_v1::Client;
use crate::helpers::spawn_app;

#[tokio::test]
async fn heartbeats_are_kept_over_rest_and_take_pings_at_their_url() {
    let app = spawn_app().await;
    let coord = app
        .user("coord@example.com", Role::Coordinator)
        .await
        .as_current();
    app.stripe(&coord).await;
    let eng = Client::new(&app, "eng@example.com", Role::Engineer, "read-write").await;
    let stake = Client::new(&app, "stake@example.com", Role::Stakeholder, "read-write").await;
    let env = crate::sentry::production(&eng).await;
    let list = "/api/v1/integrations/stripe/heartbeats";
    let empty = Client::ok(&stake.get(list).await, 200);
    assert_eq!(empty["heartbeats"], json!([]));
    assert_eq!(empty["environments"][0]["name"], "production");

    // Bad input names its field; a stakeholder may not add one.
    let bad = eng
        .post(list, json!({"name": "Nightly sync", "environment_id": env.to_string(), "interval_minutes": "60", "cron": "0 3 * * *"}))
        .await;
    bad.problem(422);
    assert_eq!(bad.fields(), ["cron"]);
    let bad = eng
        .post(list, json!({"name": "Nightly sync", "environment_id": env.to_string(), "cron": "99 3 * * *"}))
        .await;
    assert_eq!(bad.fields(), ["cron"]);
    stake
        .post(list, json!({"name": "Nightly sync", "environment_id": env.to_string(), "interval_minutes": "60"}))
        .await
        .problem(403);

    let made = Client::ok(
        &eng.post(list, json!({"name": "Nightly sync", "environment_id": env.to_string(), "cron": "0 3 * * *", "grace_minutes": "15"}))
            .await,
        201,
    );
    assert_eq!(made["slug"], "nightly-sync");
    assert_eq!(made["state"], "new");
    assert_eq!(made["schedule"], "cron 0 3 * * * (UTC)");
    let ping_url = made["ping_url"]
        .as_str()
        .expect("a builder sees the ping URL")
        .to_string();
    assert!(
        ping_url.starts_with(&format!("{}/api/v1/heartbeats/", app.address)),
        "{ping_url}"
    );
    let item = format!("/api/v1/heartbeat-monitors/{}", made["id"]);
    assert_eq!(
        Client::ok(&stake.get(&item).await, 200)["ping_url"],
        Value::Null
    );

    // Pings need nothing but the URL.
    let http = reqwest::Client::new();
    let ping = |suffix: &str, method: Method| {
        let req = http.request(method, format!("{ping_url}{suffix}"));
        async move {
            let res = req.send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    assert_eq!(ping("/start", Method::POST).await, (200, "OK".into()));
    assert_eq!(Client::ok(&stake.get(&item).await, 200)["state"], "running");
    assert_eq!(ping("/fail", Method::POST).await, (200, "OK".into()));
    let down = Client::ok(&stake.get(&item).await, 200);
    assert_eq!(
        (down["state"].clone(), down["last_ping"].clone()),
        (json!("down"), json!("fail"))
    );
    assert_eq!(ping("", Method::GET).await, (200, "OK".into()));
    assert_eq!(Client::ok(&stake.get(&item).await, 200)["state"], "up");
    assert_eq!(ping("/later", Method::POST).await.0, 404);
    let unknown = http
        .post(format!(
            "{}/api/v1/heartbeats/{}",
            app.address,
            "0".repeat(32)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status().as_u16(), 404);

    // Changed with If-Match; a stakeholder may not.
    let current = eng.get(&item).await;
    let etag = current.etag();
    stake
        .patch(
            &item,
            json!({"interval_minutes": "30", "cron": ""}),
            Some(&etag),
        )
        .await
        .problem(403);
    let changed = Client::ok(
        &eng.patch(
            &item,
            json!({"interval_minutes": "30", "cron": ""}),
            Some(&etag),
        )
        .await,
        200,
    );
    assert_eq!(changed["schedule"], "every 30 minutes");
    assert_eq!(changed["grace_minutes"], 15, "kept");
    let listed = Client::ok(&stake.get(list).await, 200);
    assert_eq!(listed["heartbeats"][0]["name"], "Nightly sync");

    // The health page shows the card; its forms only to those who build.
    for (email, role, builds) in [
        ("eng-page@example.com", Role::Engineer, true),
        ("stake-page@example.com", Role::Stakeholder, false),
    ] {
        app.user(email, role).await;
        let browser = crate::helpers::client();
        app.login_as(&browser, email).await;
        let (status, html) = app.page(&browser, "/integrations/stripe/health").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("Heartbeats") && html.contains("Nightly sync"),
            "{email}"
        );
        assert!(html.contains("every 30 minutes"));
        assert_eq!(html.contains("Add a heartbeat"), builds, "{email}");
        assert_eq!(html.contains(&ping_url), builds, "{email}");
    }

    let deleted = eng
        .send(
            Method::DELETE,
            &item,
            None,
            Some(&eng.get(&item).await.etag()),
        )
        .await;
    assert_eq!(deleted.status.as_u16(), 204);
    assert_eq!(
        ping("", Method::POST).await.0,
        404,
        "its URL is gone with it"
    );
}

#[tokio::test]
async fn a_token_pinging_too_often_is_held_back() {
    let app = spawn_app().await;
    let url = format!("{}/api/v1/heartbeats/{}", app.address, "f".repeat(32));
    let http = reqwest::Client::new();
    let mut statuses = Vec::new();
    for _ in 0..=server::heartbeat_pings::PINGS_PER_MINUTE {
        statuses.push(http.post(&url).send().await.unwrap());
    }
    let last = statuses.pop().unwrap();
    assert!(statuses.iter().all(|r| r.status().as_u16() == 404));
    assert_eq!(last.status().as_u16(), 429);
    assert!(last.headers().contains_key("retry-after"));
}
