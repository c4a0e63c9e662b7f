//! Specifications over REST: a pipeline imports a document with a token (a new version, or
//! the same one again), reads the versions, searches the catalogue, and reads the changes as
//! JSON or Markdown; a stakeholder cannot import, a read token cannot write, bad documents
//! are named and save nothing.

use app::auth::model::Role;
use serde_json::json;

use crate::api_v1::Client;
use crate::helpers::spawn_app;

const V1: &str = "openapi: 3.0.3
info: {title: Orders, version: '1.0'}
servers: [{url: 'https://api.example.com/v1'}]
paths:
  /orders:
    get: {operationId: listOrders, summary: List orders, tags: [orders], responses: {'200': {description: ok}}}
    post: {operationId: createOrder, summary: Create an order, tags: [orders], responses: {'201': {description: made}}}
  /refunds:
    post: {operationId: createRefund, summary: Refund, tags: [refunds], responses: {'201': {description: made}}}
";

const V2: &str = "openapi: 3.0.3
info: {title: Orders, version: '2.0'}
servers: [{url: 'https://api.example.com'}]
paths:
  /v1/orders:
    post: {operationId: createOrder, summary: Create an order, tags: [orders], responses: {'201': {description: made}}}
  /v1/refunds:
    post: {operationId: createRefund, summary: Refund, tags: [refunds], responses: {'201': {description: made}}}
";

#[tokio::test]
async fn a_pipeline_imports_versions_and_reads_the_catalogue_and_the_changes() {
    let app = spawn_app().await;
    let eng = Client::new(&app, "eng@example.com", Role::Engineer, "read-write").await;
    let reader = Client::new(&app, "read@example.com", Role::Engineer, "read").await;
    let stake = Client::new(&app, "stake@example.com", Role::Stakeholder, "read-write").await;
    let coord = Client::new(&app, "coord@example.com", Role::Coordinator, "read-write").await;
    let me = Client::ok(&coord.get("/api/v1/me").await, 200);
    Client::ok(&coord.post("/api/v1/integrations", json!({"name": "Orders", "provider": "Acme", "category": "payments", "owner_id": me["id"].to_string(), "business_objective": "Orders.", "priority": "high"})).await, 201);

    let http = crate::helpers::plain_client();
    let post = |token: &str, name: &str, body: &str| {
        let req = http
            .post(format!(
                "{}/api/v1/integrations/orders/specs?name={name}",
                app.address
            ))
            .bearer_auth(token)
            .header("content-type", "application/yaml")
            .body(body.to_string());
        async move {
            let res = req.send().await.expect("post");
            let status = res.status().as_u16();
            (
                status,
                res.json::<serde_json::Value>().await.unwrap_or_default(),
            )
        }
    };

    assert_eq!(post(&stake.token, "Orders%20API", V1).await.0, 403);
    assert_eq!(
        post(&reader.token, "Orders%20API", V1).await.0,
        403,
        "a read token cannot write"
    );
    let (status, body) = post(&eng.token, "Orders%20API", "openapi: 3.0.3\npaths: [").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"][0]["field"], "file", "{body}");
    let (status, body) = post(&eng.token, "", V1).await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (422, Some("name")),
        "{body}"
    );

    let (status, first) = post(&eng.token, "Orders%20API", V1).await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(
        (first["number"].as_i64(), first["operations"].as_i64()),
        (Some(1), Some(3))
    );
    let (status, again) = post(&eng.token, "Orders%20API", V1).await;
    assert_eq!(status, 200, "the identical document");
    assert_eq!(again["version_id"], first["version_id"]);
    let (status, second) = post(&eng.token, "Orders%20API", V2).await;
    assert_eq!((status, second["number"].as_i64()), (201, Some(2)));

    let specs = Client::ok(&reader.get("/api/v1/integrations/orders/specs").await, 200);
    assert_eq!(specs[0]["name"], "Orders API");
    assert_eq!(
        specs[0]["versions"].as_array().map(|v| v
            .iter()
            .map(|x| x["info_version"].clone())
            .collect::<Vec<_>>()),
        Some(vec![json!("2.0"), json!("1.0")]),
        "newest first"
    );

    let v1 = first["version_id"].as_i64().unwrap_or_default();
    let v2 = second["version_id"].as_i64().unwrap_or_default();
    let found = Client::ok(
        &reader
            .get(&format!("/api/v1/spec-versions/{v1}/operations?q=REFUND"))
            .await,
        200,
    );
    assert_eq!(
        found,
        json!([{"method": "POST", "path": "/v1/refunds", "operation_id": "createRefund", "summary": "Refund", "tags": ["refunds"], "deprecated": false, "used": null}])
    );
    assert_eq!(
        Client::ok(
            &reader
                .get(&format!("/api/v1/spec-versions/{v1}/operations"))
                .await,
            200
        )
        .as_array()
        .map(Vec::len),
        Some(3)
    );

    let changes = Client::ok(
        &reader
            .get(&format!("/api/v1/spec-versions/{v2}/changes?base={v1}"))
            .await,
        200,
    );
    assert_eq!(
        changes,
        json!([{"id": "api-removed-without-deprecation", "level": "ERR", "operation": {"method": "GET", "path": "/v1/orders"}, "message": "api removed without deprecation"}]),
        "the base path moved into the paths: only the removed operation"
    );
    let markdown = http
        .get(format!(
            "{}/api/v1/spec-versions/{v2}/changes?base={v1}&format=markdown",
            app.address
        ))
        .bearer_auth(&reader.token)
        .send()
        .await
        .expect("markdown");
    assert!(
        markdown
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/markdown"))
    );
    let text = markdown.text().await.unwrap_or_default();
    assert!(
        text.contains("| ERR | `api-removed-without-deprecation` | `GET /v1/orders` |"),
        "{text}"
    );
    assert_eq!(
        reader
            .get(&format!(
                "/api/v1/spec-versions/{v2}/changes?base={v1}&format=pdf"
            ))
            .await
            .fields(),
        ["format"]
    );
    reader
        .get(&format!("/api/v1/spec-versions/{v2}/changes?base=999999"))
        .await
        .problem(404);
    reader
        .get("/api/v1/spec-versions/999999/operations")
        .await
        .problem(404);
}

const SHARED_V1: &str = "openapi: 3.0.3
info: {title: Pay, version: '1'}
paths:
  /charges:
    get: {responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Money'}}}}}}
  /refunds:
    get: {responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Money'}}}}}}
components:
  schemas:
    Money: {type: object, properties: {amount: {type: integer}}}
";

#[tokio::test]
async fn a_change_in_a_shared_schema_is_one_change_over_rest_with_its_location_and_every_way_to_it()
{
    let app = spawn_app().await;
    let writer = Client::new(&app, "eng@example.com", Role::Engineer, "read-write").await;
    let coord = Client::new(&app, "coord@example.com", Role::Coordinator, "read-write").await;
    let me = Client::ok(&coord.get("/api/v1/me").await, 200);
    Client::ok(&coord.post("/api/v1/integrations", json!({"name": "Pay", "provider": "Acme", "category": "payments", "owner_id": me["id"].to_string(), "business_objective": "Pay.", "priority": "high"})).await, 201);
    let http = crate::helpers::plain_client();
    let import = |body: String| {
        let req = http
            .post(format!(
                "{}/api/v1/integrations/pay/specs?name=Pay",
                app.address
            ))
            .bearer_auth(&writer.token)
            .header("content-type", "application/yaml")
            .body(body);
        async move {
            let res = req.send().await.expect("post");
            assert_eq!(res.status().as_u16(), 201);
            res.json::<serde_json::Value>().await.unwrap_or_default()["version_id"]
                .as_i64()
                .unwrap_or_default()
        }
    };
    let v1 = import(SHARED_V1.to_string()).await;
    let v2 = import(SHARED_V1.replace("amount: {type: integer}", "amount: {type: boolean}")).await;
    let changes = Client::ok(
        &writer
            .get(&format!("/api/v1/spec-versions/{v2}/changes?base={v1}"))
            .await,
        200,
    );
    let way = |path: &str| json!({"method": "GET", "path": path, "direction": "response", "status": "200", "media_type": "application/json"});
    assert_eq!(changes.as_array().map(Vec::len), Some(1), "{changes}");
    assert_eq!(changes[0]["id"], "response-property-type-changed");
    assert_eq!(
        changes[0]["location"],
        "#/components/schemas/Money/properties/amount"
    );
    assert_eq!(
        changes[0]["reached_by"],
        json!([way("/charges"), way("/refunds")])
    );
}
