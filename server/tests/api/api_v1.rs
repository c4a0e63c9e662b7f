//! REST API v1 as a whole: every operation authenticates, and the HTTP conventions (problem
//! details, ETag/If-Match, Link, limits) hold. (The document and the router are made from the
//! same registrations, so they cannot list different operations.)

use std::collections::BTreeSet;

use app::auth::model::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, plain_client, spawn_app, spawn_with};

/// Every (method, path) the document describes.
fn documented() -> BTreeSet<(String, String)> {
    let doc = serde_json::to_value(server::rest::document()).expect("doc");
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "put", "post", "delete", "patch"] {
            if item.get(method).is_some() {
                ops.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    ops
}

/// A bearer-token client for one user.
pub struct Client {
    pub token: String,
    pub base: String,
    http: reqwest::Client,
}

/// A response, read.
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn etag(&self) -> String {
        self.headers["etag"].to_str().expect("etag").to_string()
    }

    /// Asserts a problem response with `status`; returns its body.
    #[track_caller]
    pub fn problem(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        assert_eq!(
            self.headers["content-type"], "application/problem+json",
            "errors are problem details"
        );
        assert_eq!(self.body["status"], status);
        &self.body
    }

    /// The field names of a 422.
    #[track_caller]
    pub fn fields(&self) -> Vec<String> {
        self.problem(422)["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| e["field"].as_str().unwrap_or_default().to_string())
            .collect()
    }
}

impl Client {
    pub async fn new(app: &TestApp, email: &str, role: Role, scope: &str) -> Self {
        let user = app.user(email, role).await.as_current();
        let token = app::tokens::service::create(&app.db, &user, "test", scope, "", 365)
            .await
            .expect("token")
            .secret;
        Self {
            token,
            base: app.address.clone(),
            http: plain_client(),
        }
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        if_match: Option<&str>,
    ) -> Reply {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        if let Some(tag) = if_match {
            req = req.header("If-Match", tag);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(body), None).await
    }

    pub async fn patch(&self, path: &str, body: Value, if_match: Option<&str>) -> Reply {
        self.send(Method::PATCH, path, Some(body), if_match).await
    }

    /// Asserts `status`, returning the body.
    #[track_caller]
    pub fn ok(reply: &Reply, status: u16) -> Value {
        assert_eq!(reply.status.as_u16(), status, "body: {}", reply.body);
        reply.body.clone()
    }
}

#[tokio::test]
async fn the_document_is_openapi_3_1_with_schemas_errors_and_the_security_scheme() {
    let app = spawn_app().await;
    let res = plain_client()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("doc");
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.expect("json");
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        doc["components"]["securitySchemes"]["token"]["scheme"],
        "bearer"
    );
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    assert!(doc["components"]["schemas"]["IntegrationForm"].is_object());
    // Each choice has a schema of its own name: a defect's severity is not an audit
    // finding's (the two once shared the name Severity, and one described both).
    assert_eq!(
        doc["components"]["schemas"]["Severity"]["enum"],
        json!(["critical", "major", "minor", "trivial"])
    );
    assert_eq!(
        doc["components"]["schemas"]["FindingSeverity"]["enum"],
        json!(["low", "medium", "high"])
    );
    let patch = &doc["paths"]["/api/v1/objectives/{id}"]["patch"]["responses"];
    for status in ["200", "401", "403", "404", "412", "413", "422", "429"] {
        assert!(patch[status].is_object(), "PATCH documents {status}");
    }
    assert!(
        patch["412"]["content"]["application/problem+json"].is_object(),
        "errors are documented as problem details"
    );

    // The reference page is served from the binary: no third-party host anywhere in it.
    let page = plain_client()
        .get(app.url("/api/docs/"))
        .send()
        .await
        .expect("docs");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(
        !html.contains("//unpkg") && !html.contains("cdn"),
        "no CDN: {html}"
    );
    let init = plain_client()
        .get(app.url("/api/docs/swagger-initializer.js"))
        .send()
        .await
        .expect("init");
    assert!(
        init.text()
            .await
            .expect("js")
            .contains("/api/v1/openapi.json")
    );
    let bundle = plain_client()
        .get(app.url("/api/docs/swagger-ui-bundle.js"))
        .send()
        .await
        .expect("bundle");
    assert_eq!(bundle.status(), 200);
}

#[tokio::test]
async fn every_documented_operation_refuses_anonymous_callers_with_a_problem() {
    let app = spawn_app().await;
    let http = plain_client();
    for (method, path) in documented() {
        if path == "/api/v1/openapi.json" {
            continue;
        }
        let url = app.url(&path.replace("{slug}", "stripe").replace("{id}", "1"));
        let res = http
            .request(Method::from_bytes(method.as_bytes()).expect("method"), &url)
            .json(&json!({}))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 401, "{method} {path}");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        assert!(res.headers().contains_key("www-authenticate"));
    }
    let missing = http
        .get(app.url("/api/v1/nothing-here"))
        .send()
        .await
        .expect("get");
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.headers()["content-type"],
        "application/problem+json"
    );
}

#[tokio::test]
async fn bodies_are_checked_malformed_400_wrong_type_422_unknown_field_422_not_json_415_too_large_413()
 {
    let app = spawn_app().await;
    let coord = Client::new(&app, "coord@example.com", Role::Coordinator, "read-write").await;
    let url = format!("{}/api/v1/integrations", coord.base);
    let raw = |body: &'static str, content_type: &'static str| {
        plain_client()
            .post(&url)
            .bearer_auth(&coord.token)
            .header("content-type", content_type)
            .body(body)
    };
    let res = raw("{\"name\": ", "application/json")
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.expect("json");
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("Malformed JSON"),
        "{body}"
    );
    let res = raw("name=x", "application/x-www-form-urlencoded")
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 415);

    let wrong = coord.post("/api/v1/integrations", json!({"name": 5})).await;
    assert_eq!(wrong.fields(), ["name"]);
    let unknown = coord
        .post("/api/v1/integrations", json!({"nmae": "Stripe"}))
        .await;
    assert_eq!(unknown.fields(), ["nmae"]);
    let empty = coord.post("/api/v1/integrations", json!({})).await;
    let fields = empty.fields();
    for field in [
        "name",
        "provider",
        "category",
        "owner_id",
        "business_objective",
        "priority",
    ] {
        assert!(fields.contains(&field.to_string()), "{field} in {fields:?}");
    }

    let big = json!({"name": "x".repeat(1 << 20)});
    let res = plain_client()
        .post(&url)
        .bearer_auth(&coord.token)
        .json(&big)
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 413);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    assert_eq!(app.count("integrations").await, 0, "nothing was saved");
}

#[tokio::test]
async fn a_token_over_its_rate_limit_gets_429_with_retry_after() {
    let app = spawn_with(|s| s.api_rate_limit = 3).await;
    let reader = Client::new(&app, "reader@example.com", Role::Stakeholder, "read").await;
    for _ in 0..3 {
        assert_eq!(reader.get("/api/v1/me").await.status, 200);
    }
    let limited = reader.get("/api/v1/me").await;
    limited.problem(429);
    let wait: u64 = limited.headers["retry-after"]
        .to_str()
        .expect("header")
        .parse()
        .expect("seconds");
    assert!((1..=20).contains(&wait), "{wait}");
    let other = Client::new(&app, "other@example.com", Role::Stakeholder, "read").await;
    assert_eq!(
        other.get("/api/v1/me").await.status,
        200,
        "limits are per token"
    );
}

#[tokio::test]
async fn lists_carry_link_and_total_headers() {
    let app = spawn_app().await;
    let coord = Client::new(&app, "coord@example.com", Role::Coordinator, "read-write").await;
    let me = Client::ok(&coord.get("/api/v1/me").await, 200);
    for n in 0..23 {
        let created = coord
            .post(
                "/api/v1/integrations",
                json!({"name": format!("Provider {n:02}"), "provider": "P", "category": "payments",
                       "owner_id": me["id"].to_string(), "business_objective": "Pay.", "priority": "low"}),
            )
            .await;
        Client::ok(&created, 201);
    }
    let first = coord.get("/api/v1/integrations?sort=name").await;
    assert_eq!(first.headers["x-total-count"], "23");
    let link = first.headers["link"].to_str().expect("link");
    assert!(
        link.contains("</api/v1/integrations?sort=name&page=2>; rel=\"next\""),
        "{link}"
    );
    assert!(link.contains("rel=\"last\""), "{link}");
    assert_eq!(first.body["items"].as_array().map(Vec::len), Some(20));
    let second = coord.get("/api/v1/integrations?sort=name&page=2").await;
    assert_eq!(second.body["items"].as_array().map(Vec::len), Some(3));
    assert!(
        second.headers["link"]
            .to_str()
            .expect("link")
            .contains("rel=\"prev\"")
    );
    assert!(
        second.body["items"][0]["created_at"]
            .as_str()
            .unwrap_or_default()
            .ends_with('Z'),
        "timestamps are RFC 3339 UTC"
    );
    let trail = coord.get("/api/v1/activity?kind=integration").await;
    assert_eq!(trail.headers["x-total-count"], "23");
    let bad = coord.get("/api/v1/activity?page=zero").await;
    assert_eq!(bad.fields(), ["page"]);
}

#[tokio::test]
async fn nul_bytes_are_refused_or_match_nothing_never_a_500() {
    // Found by schemathesis on PostgreSQL, which refuses NUL in text: a list filter with a NUL
    // byte answered 500.
    let app = spawn_app().await;
    let coord = Client::new(&app, "coord@example.com", Role::Coordinator, "read-write").await;
    let me = Client::ok(&coord.get("/api/v1/me").await, 200);
    let list = coord
        .get("/api/v1/integrations?category=%00x&q=a%00b&stage=u")
        .await;
    assert_eq!(Client::ok(&list, 200)["total"], 0);
    coord.get("/api/v1/integrations/a%00b").await.problem(404);
    coord
        .get("/api/v1/integrations/a%00b/lifecycle")
        .await
        .problem(404);
    assert_eq!(
        coord.get("/api/v1/activity?kind=%00").await.fields(),
        ["kind"]
    );
    let created = coord
        .post(
            "/api/v1/integrations",
            json!({"name": "Stripe\u{0}", "provider": "Stripe", "category": "payments",
                   "owner_id": me["id"].to_string(), "business_objective": "Pay\u{1}.", "priority": "low"}),
        )
        .await;
    assert_eq!(created.fields(), ["name", "business_objective"]);
    let login = app
        .call(
            "login",
            &[
                ("email", "a\u{0}@example.com"),
                ("password", "whatever-password"),
            ],
        )
        .await;
    assert!(login.status().is_client_error(), "{}", login.status());
}

#[tokio::test]
async fn account_and_token_entries_of_the_trail_are_read_by_admins_only() {
    let app = spawn_app().await;
    let admin = Client::new(&app, "admin@example.com", Role::Admin, "read").await;
    let coord = Client::new(&app, "coord@example.com", Role::Coordinator, "read-write").await;
    let stake = Client::new(&app, "stake@example.com", Role::Stakeholder, "read").await;
    let kinds = |page: &Value| -> BTreeSet<String> {
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|e| e["kind"].as_str().map(str::to_string))
            .collect()
    };
    let users = Client::ok(&admin.get("/api/v1/activity?kind=user").await, 200);
    assert_eq!(users["total"], 3, "three accounts created: {users}");
    assert!(
        users.to_string().contains("stake@example.com"),
        "the admin reads emails"
    );
    let everything = Client::ok(&admin.get("/api/v1/activity").await, 200);
    assert_eq!(
        kinds(&everything),
        BTreeSet::from(["api_token".to_string(), "user".to_string()])
    );
    for (who, kind) in [(&stake, "user"), (&coord, "user"), (&stake, "api_token")] {
        who.get(&format!("/api/v1/activity?kind={kind}"))
            .await
            .problem(403);
    }
    let seen = Client::ok(&stake.get("/api/v1/activity").await, 200);
    assert_eq!(seen["total"], 0, "{seen}");
    assert!(!seen.to_string().contains("@example.com"));
}
