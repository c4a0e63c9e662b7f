use app::auth::model::Role;

use crate::helpers::{TestApp, spawn_app};

fn form<'a>(name: &'a str, owner: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("slug", ""),
        ("provider", "Stripe"),
        ("category", "payments"),
        ("owner_id", owner),
        (
            "business_objective",
            "Take card payments for promoted listings.",
        ),
        ("priority", "high"),
        ("tags", "cards, checkout"),
    ]
}

async fn coordinator(app: &TestApp) -> String {
    let user = app.user("coord@example.com", Role::Coordinator).await;
    app.login_as(&app.client, "coord@example.com").await;
    user.id.to_string()
}

#[tokio::test]
async fn a_stakeholder_calling_create_integration_directly_gets_403_and_nothing_is_created() {
    let app = spawn_app().await;
    let owner = app
        .user("stake@example.com", Role::Stakeholder)
        .await
        .id
        .to_string();
    app.login_as(&app.client, "stake@example.com").await;
    let res = app
        .call("create_integration", &form("Stripe payments", &owner))
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(app.count("integrations").await, 0);
    let trail_before = app.count("activity").await;
    assert_eq!(
        trail_before, 1,
        "only the stakeholder's own account creation is in the trail"
    );
}

#[tokio::test]
async fn signed_out_callers_get_401_from_every_read() {
    let app = spawn_app().await;
    assert_eq!(app.call("list_integrations", &[]).await.status(), 401);
    assert_eq!(
        app.call("get_integration", &[("slug", "x")]).await.status(),
        401
    );
}

#[tokio::test]
async fn a_coordinator_creates_an_integration_in_planning_with_a_history_entry() {
    let app = spawn_app().await;
    let owner = coordinator(&app).await;
    let res = app
        .call("create_integration", &form("Stripe payments", &owner))
        .await;
    assert_eq!(res.status(), 200, "status {}", res.status());
    assert_eq!(
        res.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/integrations/stripe-payments")
    );
    let detail: serde_json::Value = app
        .call("get_integration", &[("slug", "stripe-payments")])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(detail["integration"]["stage"], "planning");
    assert_eq!(
        detail["integration"]["tags"],
        serde_json::json!(["cards", "checkout"])
    );
    assert_eq!(detail["history"][0]["action"], "create");
}

#[tokio::test]
async fn bad_input_names_each_field_and_a_taken_slug_is_a_field_error() {
    let app = spawn_app().await;
    let owner = coordinator(&app).await;
    let mut bad = form("", &owner);
    bad[3] = ("category", "banking");
    let res = app.call("create_integration", &bad).await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap_or_default();
    assert!(
        body.contains("\"name\"") && body.contains("\"category\""),
        "{body}"
    );

    app.call("create_integration", &form("Stripe payments", &owner))
        .await;
    let dup = app
        .call("create_integration", &form("Stripe Payments", &owner))
        .await;
    assert_eq!(dup.status(), 422);
    assert!(dup.text().await.unwrap_or_default().contains("\"slug\""));
    assert_eq!(app.count("integrations").await, 1);
}

#[tokio::test]
async fn an_edit_records_only_the_changed_fields_newest_first() {
    let app = spawn_app().await;
    let owner = coordinator(&app).await;
    app.call("create_integration", &form("Stripe payments", &owner))
        .await;
    let detail: serde_json::Value = app
        .call("get_integration", &[("slug", "stripe-payments")])
        .await
        .json()
        .await
        .expect("json");
    let id = detail["integration"]["id"].to_string();
    let mut edit = form("Stripe payments", &owner);
    edit[6] = ("priority", "critical");
    edit.push(("id", &id));
    let res = app.call("update_integration", &edit).await;
    assert_eq!(res.status(), 200, "status {}", res.status());
    let detail: serde_json::Value = app
        .call("get_integration", &[("slug", "stripe-payments")])
        .await
        .json()
        .await
        .expect("json");
    let latest = &detail["history"][0];
    assert_eq!(latest["action"], "update");
    assert_eq!(
        latest["changes"],
        serde_json::json!([{"field": "priority", "before": "high", "after": "critical"}])
    );
}

#[tokio::test]
async fn the_list_searches_filters_sorts_and_pages() {
    let app = spawn_app().await;
    let owner = coordinator(&app).await;
    for i in 0..23 {
        let name = format!("Provider {i:02}");
        app.call("create_integration", &form(&name, &owner)).await;
    }
    let mut geo = form("Google Maps", &owner);
    geo[3] = ("category", "geolocation");
    app.call("create_integration", &geo).await;

    let page: serde_json::Value = app
        .call("list_integrations", &[("q", "GOOGLE")])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["slug"], "google-maps");

    let page: serde_json::Value = app
        .call("list_integrations", &[("category", "geolocation")])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(page["total"], 1);

    let page: serde_json::Value = app
        .call(
            "list_integrations",
            &[("sort", "name"), ("dir", "desc"), ("page", "2")],
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(page["total"], 24);
    assert_eq!(page["pages"], 2);
    assert_eq!(page["items"].as_array().map(Vec::len), Some(4));
    assert_eq!(page["items"][2]["name"], "Provider 00");
    assert_eq!(page["items"][3]["name"], "Google Maps");
}

#[tokio::test]
async fn deleting_keeps_the_history_and_needs_a_writer() {
    let app = spawn_app().await;
    let owner = coordinator(&app).await;
    app.call("create_integration", &form("Stripe payments", &owner))
        .await;
    let detail: serde_json::Value = app
        .call("get_integration", &[("slug", "stripe-payments")])
        .await
        .json()
        .await
        .expect("json");
    let id = detail["integration"]["id"].to_string();
    let res = app.call("delete_integration", &[("id", &id)]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.count("integrations").await, 0);
    assert_eq!(
        app.call("get_integration", &[("slug", "stripe-payments")])
            .await
            .status(),
        404
    );
    assert_eq!(
        app.count("activity").await,
        3,
        "user create, integration create, delete"
    );
}
