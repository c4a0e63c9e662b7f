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
        // The count and the page are two reads: wait until both have seen the second
        // delivery (under load one may be read between them).
        if log.as_array().map(Vec::len) == Some(2) && reply.headers["x-total-count"] == "2" {
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

#[tokio::test]
async fn the_pages_add_rotate_test_edit_and_remove_an_endpoint_without_webassembly() {
    let app = spawn_with(|s| {
        s.webhooks = true;
        s.outbound_allow = vec!["127.0.0.1".into()];
    })
    .await;
    let coord = app
        .user("coord@example.com", Role::Coordinator)
        .await
        .as_current();
    app.user("eng@example.com", Role::Engineer).await;
    app.login_as(&app.client, "coord@example.com").await;
    let (url, got) = receiver().await;

    let (status, html) = app.page(&app.client, "/settings/webhooks").await;
    assert_eq!(status, 200);
    assert!(html.contains("No endpoints yet"), "the empty state");
    assert!(
        html.contains(r#"href="/settings/webhooks""#),
        "in the navigation"
    );

    // A refusal goes back to the page with the message and what was typed.
    let refused = app
        .client
        .post(app.url("/settings/webhooks"))
        .header("origin", &app.address)
        .form(&[("url", "ftp://nowhere"), ("description", "Pager")])
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), 303);
    let back = refused.headers()["location"].to_str().expect("location");
    assert!(back.starts_with("/settings/webhooks?url=ftp"), "{back}");
    assert!(back.contains("webhook_error="), "{back}");

    // Added: the answer is the page with the secret, once.
    let body = format!(
        "url={}&description=Pager&events%5B%5D=incident.opened&events%5B%5D=stage.changed",
        app::components::query_value(&url)
    );
    let added = app
        .client
        .post(app.url("/settings/webhooks"))
        .header("origin", &app.address)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("post");
    assert_eq!(added.status(), 200);
    let html = added.text().await.expect("html");
    let secret = html
        .split("whsec_")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .map(|s| format!("whsec_{s}"))
        .expect("the secret on the page");
    let list = app::webhooks::service::list(&app.db, &coord)
        .await
        .expect("list");
    let e = list.endpoints[0].clone();
    assert_eq!(e.events.len(), 2);
    let (_, page) = app
        .page(&app.client, &format!("/settings/webhooks/{}", e.id))
        .await;
    assert!(!page.contains("whsec_"), "never shown again");
    assert!(page.contains("No attempts yet"));

    // A test event by the page's server function, then its attempt in the log.
    let res = app
        .call("send_test_webhook", &[("id", &e.id.to_string())])
        .await;
    assert_eq!(res.status(), 200);
    let first = until_got(&got, 1).await;
    assert!(verified(&first[0], &secret));
    let mut page = String::new();
    for _ in 0..100 {
        page = app
            .page(&app.client, &format!("/settings/webhooks/{}", e.id))
            .await
            .1;
        if page.contains("Send again") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        page.contains("204") && page.contains(&first[0].id),
        "the attempt is logged"
    );

    // Rotated by the plain form: a new secret on the answer page.
    let rotated = app
        .client
        .post(app.url(&format!("/settings/webhooks/{}/rotate", e.id)))
        .header("origin", &app.address)
        .form(&[("overlap_hours", "abc")])
        .send()
        .await
        .expect("post");
    assert_eq!(rotated.status(), 303, "a bad overlap goes back");
    let rotated = app
        .client
        .post(app.url(&format!("/settings/webhooks/{}/rotate", e.id)))
        .header("origin", &app.address)
        .form(&[("overlap_hours", "")])
        .send()
        .await
        .expect("post");
    let html = rotated.text().await.expect("html");
    assert!(html.contains("whsec_") && !html.contains(&secret));

    // Edited: unticked `enabled` disables it; a bad URL is named.
    let id = e.id.to_string();
    let res = app
        .call(
            "update_webhook",
            &[("id", &id), ("url", "not a url"), ("description", "x")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .call(
            "update_webhook",
            &[("id", &id), ("url", &url), ("description", "Paused pager")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let (_, page) = app
        .page(&app.client, &format!("/settings/webhooks/{id}"))
        .await;
    assert!(page.contains("Disabled") && page.contains("Paused pager"));

    // Engineers neither see nor use it.
    let eng = crate::helpers::client();
    app.login_as(&eng, "eng@example.com").await;
    let (_, html) = app.page(&eng, "/settings/webhooks").await;
    assert!(!html.contains("Add an endpoint"));
    assert!(!html.contains(r#"href="/settings/webhooks""#));
    let res = app.call_as(&eng, "delete_webhook", &[("id", &id)]).await;
    assert_eq!(res.status(), 403);

    // Removed after the confirmation, by the page's server function.
    let res = app.call("delete_webhook", &[("id", &id)]).await;
    assert!(res.status().is_success() || res.status().is_redirection());
    let (_, html) = app.page(&app.client, "/settings/webhooks").await;
    assert!(html.contains("No endpoints yet"));
}

#[test]
fn docs_events_md_is_the_catalogue() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/events.md");
    let made = app::outbox::catalogue::markdown();
    if std::env::var_os("UPDATE_EVENTS").is_some() {
        std::fs::write(path, &made).expect("write docs/events.md");
    }
    let kept = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        kept == made,
        "docs/events.md is out of date: regenerate it with UPDATE_EVENTS=1 cargo test -p tollgate --test api -- docs_events_md"
    );
}

#[tokio::test]
async fn a_slack_compatible_endpoint_is_added_without_a_secret_and_its_address_never_shown() {
    let app = spawn_with(|s| {
        s.webhooks = true;
        s.outbound_allow = vec!["127.0.0.1".into()];
    })
    .await;
    let coord = Client::new(&app, "coord@example.com", Role::Coordinator, "read-write").await;
    let token = "abcdefghijklmnopqrstuvwx";
    let (url, _) = receiver().await;
    let chat = format!("{url}/services/T0AAAAAAA/B0BBBBBBB/{token}");

    // Over REST: no secret, the address shown only by its host and last characters.
    let made = Client::ok(
        &coord
            .post(
                "/api/v1/webhooks",
                json!({"url": chat, "format": "slack", "description": "Ops channel"}),
            )
            .await,
        201,
    );
    assert_eq!(made["secret"], Value::Null, "{made}");
    assert_eq!(made["format"], "slack");
    let id = made["id"].as_i64().expect("id");
    let read = coord
        .get(&format!("/api/v1/webhooks/{id}"))
        .await
        .body
        .to_string();
    assert!(!read.contains(token) && read.contains("/…uvwx"), "{read}");
    coord
        .post(&format!("/api/v1/webhooks/{id}/rotate-secret"), json!({}))
        .await
        .problem(409);

    // By the page's plain form: the answer is the endpoint's page, not a secret page; a
    // refusal does not carry the address back in the redirect.
    app.login_as(&app.client, "coord@example.com").await;
    let refused = app
        .client
        .post(app.url("/settings/webhooks"))
        .header("origin", &app.address)
        .form(&[
            (
                "url",
                format!("{chat}?k=sk_live_abcdefghijklmnopqrstuvwx").as_str(),
            ),
            // Spelt with spaces, as the service still reads it.
            ("format", " slack "),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), 303);
    let back = refused.headers()["location"].to_str().expect("location");
    assert!(
        back.contains("webhook_error=") && !back.contains(token),
        "{back}"
    );
    let added = app
        .client
        .post(app.url("/settings/webhooks"))
        .header("origin", &app.address)
        .form(&[("url", chat.as_str()), ("format", "slack")])
        .send()
        .await
        .expect("post");
    assert_eq!(added.status(), 303);
    let to = added.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    assert!(to.ends_with("?added=1"), "{to}");
    let (status, page) = app.page(&app.client, &to).await;
    assert_eq!(status, 200);
    assert!(page.contains("Endpoint added") && page.contains("/…uvwx"));
    assert!(!page.contains(token), "the address is never shown back");
    assert!(!page.contains("Rotate the secret"), "nothing to rotate");
    let (_, list) = app.page(&app.client, "/settings/webhooks").await;
    assert!(!list.contains(token));
}
