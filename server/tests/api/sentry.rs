//! The Sentry-compatible ingest over HTTP: an environment's DSN (engineers, coordinators and
//! admins), envelopes and legacy store requests authenticated by its key (header, query or
//! the envelope's DSN), gzip bodies, and the relay's answers to what is wrong: 401 with no
//! key, 403 for a key not the project's or expired, 400 broken, 413 too large (a gzip bomb
//! too), 415 an encoding not taken, 429 over a DSN's quota (with `Retry-After` and
//! `X-Sentry-Rate-Limits`); brotli bodies. The real SDKs' own check is scripts/sentry.sh.

use std::io::Write;

use app::auth::model::Role;
use serde_json::{Value, json};

use crate::api_v1::Client;
use crate::helpers::{TestApp, spawn_app};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// An envelope with one exception event, a session update and a client report.
fn envelope(dsn: &str, value: &str) -> Vec<u8> {
    let event = json!({
        "event_id": "9ec79c33ec9942ab8353589fcb2e04dc", "level": "error", "platform": "python",
        "tags": {"operation": "POST /v1/charges"},
        "exception": {"values": [{"type": "CardDeclined", "value": value,
            "stacktrace": {"frames": [{"function": "charge", "filename": "pay.py", "lineno": 42}]}}]},
    })
    .to_string();
    format!(
        "{{\"event_id\":\"9ec79c33ec9942ab8353589fcb2e04dc\",\"dsn\":\"{dsn}\"}}\n{{\"type\":\"event\",\"length\":{}}}\n{event}\n{{\"type\":\"session\"}}\n{{\"sid\":\"s\"}}\n{{\"type\":\"client_report\"}}\n{{}}\n",
        event.len()
    )
    .into_bytes()
}

async fn post(app: &TestApp, path: &str, headers: &[(&str, &str)], body: Vec<u8>) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(format!("{}{path}", app.address))
        .header("content-type", "application/x-sentry-envelope");
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let res = req.body(body).send().await.expect("post");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The public key a DSN carries.
fn key_in(dsn: &str) -> String {
    let (_, rest) = dsn.split_once("://").unwrap();
    rest.split_once('@').unwrap().0.to_string()
}

async fn groups(eng: &Client) -> Vec<Value> {
    Client::ok(
        &eng.get("/api/v1/integrations/stripe/error-groups").await,
        200,
    )
    .as_array()
    .cloned()
    .unwrap_or_default()
}

/// Stripe's environment `production` (on https://api.stripe.example), made by `eng`: its id.
pub async fn production(eng: &Client) -> i64 {
    Client::ok(
        &eng.post(
            "/api/v1/integrations/stripe/environments",
            json!({"name": "production", "base_url": "https://api.stripe.example", "auth_scheme": "bearer"}),
        )
        .await,
        201,
    )["id"]
        .as_i64()
        .unwrap()
}

/// Stripe, owned by a coordinator, and an engineer's REST client.
async fn stripe_and_engineer(app: &TestApp) -> Client {
    let coord = app
        .user("coord@example.com", Role::Coordinator)
        .await
        .as_current();
    app.stripe(&coord).await;
    Client::new(app, "eng@example.com", Role::Engineer, "read-write").await
}

#[tokio::test]
async fn sdks_report_with_their_dsn_and_what_is_wrong_gets_the_relays_answer() {
    let app = spawn_app().await;
    let eng = stripe_and_engineer(&app).await;
    let stake = Client::new(&app, "stake@example.com", Role::Stakeholder, "read-write").await;
    let env = production(&eng).await;
    let dsn_path = format!("/api/v1/environments/{env}/dsn");
    stake.get(&dsn_path).await.problem(403);
    let dsn = Client::ok(&eng.get(&dsn_path).await, 200);
    let dsn_text = dsn["dsn"].as_str().unwrap().to_string();
    assert_eq!(
        Client::ok(&eng.get(&dsn_path).await, 200),
        dsn,
        "the same DSN until rotated"
    );
    // The environment's own representation carries it, for those who build only; so does
    // its page, with the SDKs' snippets.
    let env_path = format!("/api/v1/environments/{env}");
    assert_eq!(
        Client::ok(&eng.get(&env_path).await, 200)["dsn"],
        dsn["dsn"]
    );
    assert_eq!(
        Client::ok(&stake.get(&env_path).await, 200)["dsn"],
        Value::Null
    );
    for (email, role, shown) in [
        ("eng-page@example.com", Role::Engineer, true),
        ("stake-page@example.com", Role::Stakeholder, false),
    ] {
        app.user(email, role).await;
        let browser = crate::helpers::client();
        app.login_as(&browser, email).await;
        let (status, html) = app
            .page(&browser, "/integrations/stripe/environments")
            .await;
        assert_eq!(status, 200);
        assert_eq!(html.contains(&dsn_text), shown, "{email}");
        assert_eq!(html.contains("sentry_sdk.init("), shown, "{email}");
    }
    let key = key_in(&dsn_text);
    assert_eq!(key.len(), 32);
    assert_eq!(
        dsn["envelope_url"],
        format!("{}/api/{env}/envelope/", app.address)
    );
    let auth = format!("Sentry sentry_key={key}, sentry_version=7, sentry_client=test/1.0");
    let at = format!("/api/{env}/envelope/");

    // Gzip, the key in the header: taken, the event's id echoed, the other items counted.
    let (status, body) = post(
        &app,
        &at,
        &[("x-sentry-auth", &auth), ("content-encoding", "gzip")],
        gzip(&envelope(&dsn_text, "Card declined for ch_1")),
    )
    .await;
    assert_eq!(
        (status, &body),
        (200, &json!({"id": "9ec79c33ec9942ab8353589fcb2e04dc"}))
    );
    let found = groups(&eng).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["error_type"], "CardDeclined");
    assert_eq!(found[0]["operation"], "POST /v1/charges");
    // The group's own representation and page: the latest event's stack trace and tags.
    let group = Client::ok(
        &stake
            .get(&format!("/api/v1/error-groups/{}", found[0]["id"]))
            .await,
        200,
    );
    assert_eq!(group["latest"]["frames"][0]["function"], "charge");
    assert_eq!(group["latest"]["frames"][0]["line"], 42);
    assert_eq!(group["environments"], json!(["production"]));
    stake.get("/api/v1/error-groups/999999").await.problem(404);
    let browser = crate::helpers::client();
    app.login_as(&browser, "stake-page@example.com").await;
    let (status, html) = app
        .page(
            &browser,
            &format!("/integrations/stripe/errors/{}", found[0]["id"]),
        )
        .await;
    assert_eq!(status, 200);
    for shown in ["pay.py:42", "Stack trace", "POST /v1/charges"] {
        assert!(html.contains(shown), "{shown} not on the group's page");
    }
    // The key in the envelope's DSN alone, and the legacy store with it in the query.
    assert_eq!(
        post(
            &app,
            &at,
            &[],
            envelope(&dsn_text, "Card declined for ch_2")
        )
        .await
        .0,
        200
    );
    let store = format!("/api/{env}/store/?sentry_version=7&sentry_key={key}");
    let legacy = json!({"tags": [["operation", "POST /v1/charges"]], "exception": {"values": [{"type": "CardDeclined", "value": "Card declined for ch_3"}]}});
    assert_eq!(
        post(&app, &store, &[], legacy.to_string().into_bytes())
            .await
            .0,
        200
    );
    let found = groups(&eng).await;
    assert_eq!(
        (found.len(), &found[0]["count"]),
        (1, &json!(3)),
        "{found:?}"
    );

    // What is wrong gets the relay's status and a detail.
    let refused = |(status, body): (u16, Value), want: u16| {
        assert_eq!(status, want, "{body}");
        assert!(
            body["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{body}"
        );
    };
    let no_dsn = b"{}\n{\"type\":\"event\"}\n{\"message\":\"x\"}\n".to_vec();
    refused(post(&app, &at, &[], no_dsn.clone()).await, 401);
    let stranger = "Sentry sentry_key=0123456789abcdef0123456789abcdef";
    refused(
        post(&app, &at, &[("x-sentry-auth", stranger)], no_dsn.clone()).await,
        403,
    );
    let elsewhere = format!("/api/{}/envelope/", env + 1000);
    refused(
        post(
            &app,
            &elsewhere,
            &[("x-sentry-auth", &auth)],
            no_dsn.clone(),
        )
        .await,
        403,
    );
    refused(
        post(
            &app,
            &at,
            &[("x-sentry-auth", &auth)],
            b"not json\n".to_vec(),
        )
        .await,
        400,
    );
    refused(
        post(
            &app,
            &at,
            &[("x-sentry-auth", &auth), ("content-encoding", "gzip")],
            b"plain".to_vec(),
        )
        .await,
        400,
    );
    refused(
        post(
            &app,
            &at,
            &[("x-sentry-auth", &auth), ("content-encoding", "zstd")],
            no_dsn.clone(),
        )
        .await,
        415,
    );
    let bomb = gzip(&vec![b' '; app::sentry::envelope::ENVELOPE_BYTES + 1]);
    refused(
        post(
            &app,
            &at,
            &[("x-sentry-auth", &auth), ("content-encoding", "gzip")],
            bomb,
        )
        .await,
        413,
    );
    refused(post(&app, &store, &[], b"[1, 2]".to_vec()).await, 400);

    // Rotated: the new DSN is taken, and the old key until its grace period ends.
    let rotated = Client::ok(
        &eng.post(&format!("{dsn_path}/rotation"), json!({})).await,
        201,
    );
    assert_ne!(rotated["dsn"], dsn["dsn"]);
    stake
        .post(&format!("{dsn_path}/rotation"), json!({}))
        .await
        .problem(403);
    assert_eq!(
        post(
            &app,
            &at,
            &[("x-sentry-auth", &auth)],
            envelope(&dsn_text, "x")
        )
        .await
        .0,
        200
    );
    let later = chrono::Utc::now() + app::sentry::keys::GRACE + chrono::Duration::minutes(1);
    let project = i32::try_from(env).unwrap();
    assert!(
        app::sentry::keys::environment_of(&app.db, project, &key, later)
            .await
            .unwrap()
            .is_none()
    );
    let new_key = key_in(rotated["dsn"].as_str().unwrap());
    assert!(
        app::sentry::keys::environment_of(&app.db, project, &new_key, later)
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn a_dsn_over_its_quota_gets_429_with_the_headers_sdks_obey_and_brotli_is_read() {
    let app = crate::helpers::spawn_with(|s| s.ingest_rate_limit = 3).await;
    let eng = stripe_and_engineer(&app).await;
    let mut dsns = Vec::new();
    for name in ["production", "staging"] {
        let env = Client::ok(
            &eng.post(
                "/api/v1/integrations/stripe/environments",
                json!({"name": name, "base_url": "https://api.stripe.example", "auth_scheme": "bearer"}),
            )
            .await,
            201,
        )["id"]
            .as_i64()
            .unwrap();
        let dsn = Client::ok(
            &eng.get(&format!("/api/v1/environments/{env}/dsn")).await,
            200,
        );
        dsns.push((env, dsn["dsn"].as_str().unwrap().to_string()));
    }
    let send = |env: i64, dsn: &str, encoded: Option<&'static str>| {
        let mut body = envelope(dsn, "Card declined for ch_1");
        if encoded == Some("br") {
            let mut out = Vec::new();
            brotli::BrotliCompress(
                &mut body.as_slice(),
                &mut out,
                &brotli::enc::BrotliEncoderParams::default(),
            )
            .unwrap();
            body = out;
        }
        let mut req = reqwest::Client::new()
            .post(format!("{}/api/{env}/envelope/", app.address))
            .header("content-type", "application/x-sentry-envelope");
        if let Some(e) = encoded {
            req = req.header("content-encoding", e);
        }
        req.body(body).send()
    };
    let (prod, prod_dsn) = &dsns[0];
    // Three events a minute: the first three envelopes (one event each, brotli as
    // sentry-sdk sends when the brotli module is there) are taken, the fourth is not.
    for _ in 0..3 {
        let res = send(*prod, prod_dsn, Some("br")).await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
    }
    let res = send(*prod, prod_dsn, None).await.unwrap();
    assert_eq!(res.status().as_u16(), 429);
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let retry: u64 = header("retry-after").unwrap().parse().unwrap();
    assert!((1..=20).contains(&retry), "{retry}");
    assert_eq!(
        header("x-sentry-rate-limits"),
        Some(format!("{retry}::key"))
    );
    let body: Value = res.json().await.unwrap();
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("3 events a minute"),
        "{body}"
    );
    // The quota is the DSN's: another environment's still reports.
    let (staging, staging_dsn) = &dsns[1];
    assert_eq!(
        send(*staging, staging_dsn, None)
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    let found = groups(&eng).await;
    assert_eq!(
        found[0]["count"],
        json!(4),
        "three by production, one by staging"
    );
}

#[tokio::test]
async fn a_transactions_provider_calls_become_observed_operations() {
    let app = spawn_app().await;
    let eng = stripe_and_engineer(&app).await;
    let stake = Client::new(&app, "stake@example.com", Role::Stakeholder, "read-write").await;
    let env = production(&eng).await;
    let spec = "openapi: 3.0.3\ninfo: {title: Stripe, version: '1'}\npaths:\n  /v1/refunds/{refund}:\n    get:\n      parameters: [{name: refund, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n";
    let imported = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/integrations/stripe/specs?name=Stripe%20API",
            app.address
        ))
        .bearer_auth(&eng.token)
        .header("content-type", "application/yaml")
        .body(spec)
        .send()
        .await
        .unwrap();
    assert_eq!(imported.status().as_u16(), 201);
    let dsn = Client::ok(
        &eng.get(&format!("/api/v1/environments/{env}/dsn")).await,
        200,
    );
    let key = key_in(dsn["dsn"].as_str().unwrap());
    let end = chrono::Utc::now().timestamp_millis() as f64 / 1000.0;
    let transaction = json!({"type": "transaction", "transaction": "refund-sync", "start_timestamp": end - 1.0, "timestamp": end,
        "spans": [
            {"op": "http.client", "description": "GET https://api.stripe.example/v1/refunds/re_1", "start_timestamp": end - 0.12, "timestamp": end, "data": {"http.response.status_code": 200}},
            {"op": "http.client", "description": "GET https://api.stripe.example/v1/refunds/re_2", "start_timestamp": end - 0.3, "timestamp": end, "data": {"http.response.status_code": 503}},
        ]})
    .to_string();
    let body = format!("{{}}\n{{\"type\":\"transaction\"}}\n{transaction}\n");
    let auth = format!("Sentry sentry_key={key}, sentry_version=7");
    let (status, _) = post(
        &app,
        &format!("/api/{env}/envelope/"),
        &[("x-sentry-auth", &auth)],
        body.into_bytes(),
    )
    .await;
    assert_eq!(status, 200);

    let path = "/api/v1/integrations/stripe/observed-operations";
    let view = Client::ok(&stake.get(path).await, 200);
    assert_eq!(view["hours"], 24);
    let op = &view["operations"][0];
    assert_eq!(
        (op["method"].as_str(), op["path"].as_str()),
        (Some("GET"), Some("/v1/refunds/{refund}"))
    );
    assert_eq!(
        (
            op["calls"].as_i64(),
            op["failures"].as_i64(),
            op["failure_rate"].as_f64()
        ),
        (Some(2), Some(1), Some(0.5))
    );
    let p99 = op["p99_ms"].as_f64().unwrap();
    assert!((285.0..=315.0).contains(&p99), "{p99}");
    assert_eq!(op["hours"].as_array().map(Vec::len), Some(1));
    let one = Client::ok(&stake.get(&format!("{path}?hours=1")).await, 200);
    assert_eq!(one["hours"], 1);
    let bad = stake.get(&format!("{path}?hours=0")).await;
    bad.problem(422);
    assert_eq!(bad.fields(), ["hours"]);
    // Seen, so used.
    let specs = Client::ok(&stake.get("/api/v1/integrations/stripe/specs").await, 200);
    assert_eq!(specs[0]["used"], 1, "{specs}");
    // On the health page.
    let browser = crate::helpers::client();
    app.user("stake-page@example.com", Role::Stakeholder).await;
    app.login_as(&browser, "stake-page@example.com").await;
    let (status, html) = app.page(&browser, "/integrations/stripe/health").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("GET /v1/refunds/{refund}") && html.contains("50.0%"),
        "the observed card"
    );
}
