//! Hostile input: each limit of `app::limits` answers a clear 4xx naming it, before the input
//! is built in memory, and nothing is stored.

use app::auth::model::Role;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::api_v1::{Client, Reply};
use crate::helpers::{TestApp, spawn_app};

/// A coordinator's token client and an integration (`orders`) to send things to.
async fn setting() -> (TestApp, Client) {
    let app = spawn_app().await;
    let coord = Client::new(&app, "coord@example.com", Role::Coordinator, "read-write").await;
    let me = Client::ok(&coord.get("/api/v1/me").await, 200);
    Client::ok(
        &coord
            .post(
                "/api/v1/integrations",
                json!({"name": "Orders", "provider": "Acme", "category": "payments",
                    "owner_id": me["id"].to_string(), "business_objective": "Orders.",
                    "priority": "high"}),
            )
            .await,
        201,
    );
    (app, coord)
}

/// Posts raw bytes with a content type, as the token's client.
async fn post_raw(c: &Client, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
    let res = reqwest::Client::new()
        .post(format!("{}{path}", c.base))
        .bearer_auth(&c.token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("request");
    let status = res.status();
    let headers = res.headers().clone();
    let text = res.text().await.expect("body");
    Reply {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

/// Sends only the head of a request that declares `length` bytes of body, and reads the
/// status line: the answer comes before a byte of the body is sent.
async fn status_for_declared(app: &TestApp, head: &str, length: u64) -> String {
    let addr = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "{head}\r\nHost: {addr}\r\nOrigin: {}\r\nContent-Length: {length}\r\n\r\n",
        app.address
    );
    stream
        .write_all(request.as_bytes())
        .await
        .expect("write head");
    let mut answer = vec![0u8; 512];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut answer))
        .await
        .expect("answered before the body was sent")
        .expect("read status");
    String::from_utf8_lossy(&answer[..n])
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn a_10000_level_json_body_or_one_of_too_many_values_is_a_422_naming_the_limit() {
    let (app, coord) = setting().await;
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes();
    for path in ["/api/v1/integrations", "/api/v1/integrations/orders/events"] {
        let reply = post_raw(&coord, path, "application/json", deep.clone()).await;
        let body = reply.problem(422);
        assert_eq!(body["errors"][0]["field"], "body");
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains("deeper than 64 levels"), "{message}");
    }
    let wide = format!("[{}0]", "0,".repeat(app::limits::BODY_NODES)).into_bytes();
    let reply = post_raw(&coord, "/api/v1/integrations", "application/json", wide).await;
    let message = reply.problem(422)["errors"][0]["message"].to_string();
    assert!(message.contains("more than 200,000 values"), "{message}");
    assert_eq!(app.count("error_events").await, 0);
}

#[tokio::test]
async fn an_alias_bomb_and_a_deeply_nested_spec_are_refused_on_the_file_field() {
    let (app, coord) = setting().await;
    let mut bomb = String::from(
        "openapi: 3.0.3\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(",");
        bomb.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    let reply = post_raw(
        &coord,
        "/api/v1/integrations/orders/specs?name=orders",
        "application/yaml",
        bomb.into_bytes(),
    )
    .await;
    assert_eq!(reply.fields(), vec!["file"]);
    let deep = format!(
        "{{\"openapi\": \"3.0.3\", \"x\": {}1{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let reply = post_raw(
        &coord,
        "/api/v1/integrations/orders/specs?name=orders",
        "application/json",
        deep.into_bytes(),
    )
    .await;
    let message = reply.problem(422)["errors"][0]["message"].to_string();
    assert!(message.contains("deeper than 64 levels"), "{message}");
    let deep_yaml = format!(
        "openapi: 3.0.3\nx: {}1{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let reply = post_raw(
        &coord,
        "/api/v1/integrations/orders/specs?name=orders",
        "application/yaml",
        deep_yaml.into_bytes(),
    )
    .await;
    assert_eq!(reply.fields(), vec!["file"]);
    assert_eq!(app.count("spec_versions").await, 0);
}

#[tokio::test]
async fn a_100_mb_spec_an_oversized_upload_and_an_oversized_form_get_413_before_being_read() {
    let (app, coord) = setting().await;
    let hundred_mb = 100 * 1024 * 1024;
    let rest = format!(
        "POST /api/v1/integrations/orders/specs?name=orders HTTP/1.1\r\nAuthorization: Bearer {}\r\nContent-Type: application/yaml",
        coord.token
    );
    assert!(
        status_for_declared(&app, &rest, hundred_mb)
            .await
            .contains(" 413 ")
    );
    let upload = "POST /integrations/orders/specs/upload HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=x";
    assert!(
        status_for_declared(&app, upload, hundred_mb)
            .await
            .contains(" 413 ")
    );
    let form = "POST /api/login HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded";
    assert!(
        status_for_declared(&app, form, (app::limits::FORM_BYTES + 1) as u64)
            .await
            .contains(" 413 ")
    );
    let events = format!(
        "POST /api/v1/integrations/orders/events HTTP/1.1\r\nAuthorization: Bearer {}\r\nContent-Type: application/json",
        coord.token
    );
    assert!(
        status_for_declared(&app, &events, (app::limits::EVENT_BODY_BYTES + 1) as u64)
            .await
            .contains(" 413 ")
    );
    assert_eq!(app.count("spec_versions").await, 0);
}

/// Sends a request with `head` and a chunked body of `chunks` MiB (no length declared), and
/// reads the whole answer.
async fn answer_to_chunked(app: &TestApp, head: &str, chunks: usize) -> String {
    let addr = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "{head}\r\nHost: {addr}\r\nOrigin: {}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        app.address
    );
    stream.write_all(request.as_bytes()).await.expect("head");
    let mib = vec![b'a'; 1024 * 1024];
    for _ in 0..chunks {
        // The server may answer and close before all is sent.
        if stream.write_all(b"100000\r\n").await.is_err()
            || stream.write_all(&mib).await.is_err()
            || stream.write_all(b"\r\n").await.is_err()
        {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut answer),
    )
    .await;
    String::from_utf8_lossy(&answer).to_string()
}

#[tokio::test]
async fn a_body_without_a_length_stops_at_the_limit_and_the_answer_names_it() {
    let (app, coord) = setting().await;
    let spec = format!(
        "POST /api/v1/integrations/orders/specs?name=orders HTTP/1.1\r\nAuthorization: Bearer {}\r\nContent-Type: application/yaml",
        coord.token
    );
    let answer = answer_to_chunked(&app, &spec, 24).await;
    assert!(answer.starts_with("HTTP/1.1 413 "), "{answer}");
    assert!(
        answer.contains("larger than 20 MiB, the limit here"),
        "{answer}"
    );
    let record = format!(
        "POST /api/v1/integrations HTTP/1.1\r\nAuthorization: Bearer {}\r\nContent-Type: application/json",
        coord.token
    );
    let answer = answer_to_chunked(&app, &record, 2).await;
    assert!(answer.starts_with("HTTP/1.1 413 "), "{answer}");
    assert!(answer.contains("larger than 1 MiB"), "{answer}");
    let form = "POST /api/login HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded";
    let answer = answer_to_chunked(&app, form, 3).await;
    assert!(answer.starts_with("HTTP/1.1 413 "), "{answer}");
    assert!(answer.contains("larger than 2 MiB"), "{answer}");
    assert_eq!(app.count("spec_versions").await, 0);
}

#[tokio::test]
async fn nul_and_control_characters_answer_422_naming_the_field_through_rest_and_forms() {
    let (app, coord) = setting().await;
    let me = Client::ok(&coord.get("/api/v1/me").await, 200);
    let reply = coord
        .post(
            "/api/v1/integrations",
            json!({"name": "Pay\u{0}ments", "provider": "Acme", "category": "payments",
                "owner_id": me["id"].to_string(), "business_objective": "Bell \u{7} rings.",
                "priority": "high"}),
        )
        .await;
    let mut fields = reply.fields();
    fields.sort();
    assert_eq!(fields, vec!["business_objective", "name"]);
    let events = coord
        .post(
            "/api/v1/integrations/orders/events",
            json!([{"level": "error", "message": "bad\u{0}byte", "operation": "POST /x"}]),
        )
        .await;
    assert_eq!(events.status.as_u16(), 422, "{}", events.body);
    let id = app::integrations::lookup::integration(&app.db, "orders")
        .await
        .expect("orders")
        .id
        .to_string();
    app.login_as(&app.client, "coord@example.com").await;
    let res = app
        .call(
            "create_objective",
            &[
                ("integration_id", id.as_str()),
                ("description", "Esc\u{1b}[31m red"),
                ("metric", "Conversion"),
                ("unit", "%"),
                ("baseline", "1"),
                ("target", "2"),
                ("current", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let text = res.text().await.unwrap_or_default();
    assert!(
        text.contains("control characters") && text.contains("description"),
        "{text}"
    );
    assert_eq!(app.count("objectives").await, 0);
    assert_eq!(app.count("integrations").await, 1);
    assert_eq!(app.count("error_events").await, 0);
}

#[tokio::test]
async fn junit_with_a_dtd_and_a_sample_too_deep_are_refused_with_their_reasons() {
    let xml = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><testsuite><testcase name="a">&lol2;</testcase></testsuite>"#;
    let err = app::testing::junit::parse(xml.as_bytes())
        .err()
        .and_then(|e| e.field_message("file"))
        .unwrap_or_default();
    assert!(err.contains("not well-formed XML"), "{err}");
    let sample = format!(
        "{}{}",
        "{\"a\":".repeat(200),
        "1".to_string() + &"}".repeat(200)
    );
    let err = app::implementation::mapping::parse_sample(&sample)
        .err()
        .unwrap_or_default();
    assert!(err.contains("deeper than 64 levels"), "{err}");
    let big = format!("[{}]", "1,".repeat(200_000) + "1");
    let err = app::implementation::mapping::parse_sample(&big)
        .err()
        .unwrap_or_default();
    assert!(err.contains("larger than 256 KB"), "{err}");
}
