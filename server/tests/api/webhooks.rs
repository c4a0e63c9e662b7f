//! Webhooks over REST with the delivery worker running: endpoints managed by coordinators
//! (never engineers), validation naming the field, the secret shown once, a test event and a
//! real change delivered signed to a local receiver, the attempt in the log (paged), a resend
//! by hand, a rotation signing with both secrets, and the catalogue in the document.

use std::sync::{Arc, Mutex};

use app::auth::model::Role;
use serde_json::{Value, json};

use crate::api_v1::Client;
use crate::helpers::spawn_with;

/// A delivery as the receiver got it.
#[derive(Debug, Clone)]
struct Got {
    id: String,
    timestamp: i64,
    signature: String,
    body: Value,
    raw: String,
}

/// A local receiver answering 204 to every POST, keeping what it got.
async fn receiver() -> (String, Arc<Mutex<Vec<Got>>>) {
    let got: Arc<Mutex<Vec<Got>>> = Arc::default();
    let kept = got.clone();
    let app = axum::Router::new().route(
        "/in",
        axum::routing::post(move |headers: axum::http::HeaderMap, raw: String| {
            let kept = kept.clone();
            async move {
                let h = |n: &str| {
                    headers
                        .get(n)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string()
                };
                kept.lock().expect("lock").push(Got {
                    id: h("webhook-id"),
                    timestamp: h("webhook-timestamp").parse().unwrap_or_default(),
                    signature: h("webhook-signature"),
                    body: serde_json::from_str(&raw).unwrap_or(Value::Null),
                    raw,
                });
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!(
        "http://127.0.0.1:{}/in",
        listener.local_addr().expect("addr").port()
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, got)
}

/// Waits (at most 10 s) until the receiver holds `n` deliveries; returns them.
async fn until_got(got: &Arc<Mutex<Vec<Got>>>, n: usize) -> Vec<Got> {
    for _ in 0..200 {
        let now = got.lock().expect("lock").clone();
        if now.len() >= n {
            return now;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "the receiver got {} deliveries, not {n}",
        got.lock().expect("lock").len()
    );
}

fn verified(g: &Got, secret: &str) -> bool {
    let expected =
        app::webhooks::signature::header(&[secret], &g.id, g.timestamp, g.raw.as_bytes());
    g.signature.split(' ').any(|s| s == expected)
}

#[tokio::test]
async fn endpoints_are_managed_over_rest_and_events_arrive_signed_logged_and_resendable() {
    let app = spawn_with(|s| {
        s.webhooks = true;
        s.outbound_allow = vec!["127.0.0.1".into()];
        s.webhook_retries = vec![chrono::Duration::milliseconds(100)];
    })
    .await;
    let coord = Client::new(&app, "coord@example.com", Role::Coordinator, "read-write").await;
    let eng = Client::new(&app, "eng@example.com", Role::Engineer, "read-write").await;
    let (url, got) = receiver().await;

    eng.post("/api/v1/webhooks", json!({"url": url}))
        .await
        .problem(403);
    eng.get("/api/v1/webhooks").await.problem(403);
    assert_eq!(
        coord
            .post("/api/v1/webhooks", json!({"url": "http://10.1.2.3/in"}))
            .await
            .fields(),
        ["url"],
        "a private address is refused"
    );
    assert_eq!(
        coord
            .post("/api/v1/webhooks", json!({"url": url, "events": ["nope"]}))
            .await
            .fields(),
        ["events"]
    );
    assert_eq!(
        coord
            .post("/api/v1/webhooks", json!({"url": url, "colour": "red"}))
            .await
            .fields(),
        ["colour"]
    );

    let made = Client::ok(
        &coord
            .post(
                "/api/v1/webhooks",
                json!({"url": url, "description": "On-call", "events": ["incident.opened"]}),
            )
            .await,
        201,
    );
    let id = made["id"].as_i64().expect("id");
    let secret = made["secret"].as_str().expect("secret").to_string();
    assert!(secret.starts_with("whsec_"));
    assert_eq!(made["enabled"], true);
    let one = coord.get(&format!("/api/v1/webhooks/{id}")).await;
    let read = Client::ok(&one, 200);
    assert!(
        read.get("secret").is_none(),
        "the secret is shown once: {read}"
    );
    assert!(!one.body.to_string().contains("whsec_"));
    let list = Client::ok(&coord.get("/api/v1/webhooks").await, 200);
    assert_eq!(list.as_array().map(Vec::len), Some(1));

    // A test event, signed with the secret.
    let queued = Client::ok(
        &coord
            .post(&format!("/api/v1/webhooks/{id}/test"), json!({}))
            .await,
        202,
    );
    assert_eq!(queued["queued"], true);
    let first = until_got(&got, 1).await;
    assert!(verified(&first[0], &secret), "{:?}", first[0]);
    assert_eq!(first[0].body["type"], "test");
    assert_eq!(first[0].body["id"], first[0].id.as_str());

    // A real change: an incident opened on an integration.
    let admin = app
        .user("admin@example.com", Role::Admin)
        .await
        .as_current();
    let stripe = app.stripe(&admin).await;
    app::monitoring::incidents::create(
        &app.db,
        &admin,
        stripe.id,
        &app::monitoring::model::IncidentForm {
            title: "Payouts delayed".into(),
            severity: "major".into(),
            environment_id: String::new(),
            note: "Seen by support.".into(),
        },
    )
    .await
    .expect("incident");
    let two = until_got(&got, 2).await;
    assert!(verified(&two[1], &secret));
    assert_eq!(two[1].body["type"], "incident.opened");
    assert_eq!(two[1].body["integration"]["slug"], "stripe");
    assert!(
        two[1].body["link"]
            .as_str()
            .unwrap_or_default()
            .starts_with(&app.address),
        "{}",
        two[1].body
    );

    // The log: newest first, paged.
    let mut log = Value::Null;
    for _ in 0..100 {
        let reply = coord
            .get(&format!("/api/v1/webhooks/{id}/deliveries"))
            .await;
        log = Client::ok(&reply, 200);
        if log.as_array().map(Vec::len) == Some(2) {
            assert_eq!(reply.headers["x-total-count"], "2");
            assert!(reply.headers.contains_key("link"));
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(log[0]["event_type"], "incident.opened", "{log}");
    assert_eq!(log[0]["status_code"], 204);
    assert_eq!(log[1]["event_type"], "test");
    assert_eq!(log[0]["delivery_state"], "delivered");

    // Sent again by hand: the same webhook-id.
    let delivery = log[0]["delivery_id"].as_i64().expect("delivery id");
    eng.post(&format!("/api/v1/deliveries/{delivery}/retry"), json!({}))
        .await
        .problem(403);
    Client::ok(
        &coord
            .post(&format!("/api/v1/deliveries/{delivery}/retry"), json!({}))
            .await,
        202,
    );
    let three = until_got(&got, 3).await;
    assert_eq!(three[2].id, three[1].id);
    coord
        .post("/api/v1/deliveries/999999/retry", json!({}))
        .await
        .problem(404);

    // A rotation: both secrets sign until the overlap ends.
    let rotated = Client::ok(
        &coord
            .post(
                &format!("/api/v1/webhooks/{id}/rotate-secret"),
                json!({"overlap_hours": "2"}),
            )
            .await,
        200,
    );
    let new_secret = rotated["secret"].as_str().expect("secret").to_string();
    assert_ne!(new_secret, secret);
    Client::ok(
        &coord
            .post(&format!("/api/v1/webhooks/{id}/test"), json!({}))
            .await,
        202,
    );
    let four = until_got(&got, 4).await;
    assert_eq!(four[3].signature.split(' ').count(), 2);
    assert!(verified(&four[3], &new_secret) && verified(&four[3], &secret));

    // Changed with If-Match, then removed.
    let current = coord.get(&format!("/api/v1/webhooks/{id}")).await;
    coord
        .patch(
            &format!("/api/v1/webhooks/{id}"),
            json!({"enabled": false}),
            Some("\"stale\""),
        )
        .await
        .problem(412);
    let patched = Client::ok(
        &coord
            .patch(
                &format!("/api/v1/webhooks/{id}"),
                json!({"enabled": false, "description": "Paused"}),
                Some(&current.etag()),
            )
            .await,
        200,
    );
    assert_eq!(patched["enabled"], false);
    assert_eq!(patched["events"], json!(["incident.opened"]));
    let current = coord.get(&format!("/api/v1/webhooks/{id}")).await;
    let gone = coord
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/webhooks/{id}"),
            None,
            Some(&current.etag()),
        )
        .await;
    assert_eq!(gone.status, 204);
    coord
        .get(&format!("/api/v1/webhooks/{id}"))
        .await
        .problem(404);
}

#[tokio::test]
async fn the_document_lists_every_event_type_under_webhooks() {
    let doc = serde_json::to_value(server::rest::document()).expect("doc");
    let hooks = doc["webhooks"].as_object().expect("webhooks");
    for t in app::outbox::EventType::ALL {
        let op = &hooks[t.as_str()]["post"];
        let schema = &op["requestBody"]["content"]["application/json"]["schema"];
        assert_eq!(schema["properties"]["type"]["enum"], json!([t.as_str()]));
        let data = &schema["properties"]["data"]["properties"];
        for f in t.fields() {
            assert!(data.get(f.name).is_some(), "{}: {}", t.as_str(), f.name);
        }
    }
    assert_eq!(hooks.len(), app::outbox::EventType::ALL.len());
}
