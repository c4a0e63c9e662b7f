//! The environments page's forms (server functions, as a browser without WebAssembly posts
//! them) and the page itself.

use app::auth::model::Role;

use crate::helpers::{client, spawn_app};

#[tokio::test]
async fn an_engineer_adds_an_environment_with_the_plain_form_and_the_page_shows_it() {
    let app = spawn_app().await;
    let coord = app
        .user("coord@example.com", Role::Coordinator)
        .await
        .as_current();
    let i = app.stripe(&coord).await;
    app.user("eng@example.com", Role::Engineer).await;
    let eng = client();
    app.login_as(&eng, "eng@example.com").await;
    let id = i.id.to_string();
    let fields = [
        ("integration_id", id.as_str()),
        ("name", "sandbox"),
        ("base_url", "https://api.stripe.com"),
        ("auth_scheme", "bearer"),
        ("timeout_ms", ""),
        ("retry_attempts", "3"),
        ("retry_backoff_ms", ""),
        ("rate_limit_requests", ""),
        ("rate_limit_period_seconds", ""),
        ("webhook_url", "https://hooks.saypro.example/stripe"),
        ("webhook_signature", "stripe_signature"),
        ("health_method", "GET"),
        ("health_path", "/v1/balance"),
        ("health_expected_status", ""),
        ("health_keyword", "available"),
        ("health_pointer", ""),
        ("health_pointer_value", ""),
        ("health_interval_seconds", "30"),
        ("health_timeout_ms", ""),
    ];
    let res = app.call_as(&eng, "create_environment", &fields).await;
    assert_eq!(
        res.status(),
        200,
        "{}: {}",
        res.status(),
        res.text().await.unwrap_or_default()
    );
    let html = eng
        .get(app.url("/integrations/stripe/environments"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("https://api.stripe.com"), "{html}");
    assert!(
        html.contains("GET /v1/balance → 200, body contains \"available\", every 30 s"),
        "{html}"
    );
    assert!(html.contains("3 attempts"), "{html}");

    let mut bad = fields;
    bad[1] = ("name", "staging");
    bad[2] = ("base_url", "api.stripe.com");
    let res = app.call_as(&eng, "create_environment", &bad).await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.expect("body");
    assert!(body.contains("base_url"), "{body}");
    let again = app.call_as(&eng, "create_environment", &fields).await;
    assert_eq!(again.status(), 422);
    assert!(
        again
            .text()
            .await
            .expect("body")
            .contains("already has an environment")
    );

    let qa = client();
    app.user("qa@example.com", Role::Qa).await;
    app.login_as(&qa, "qa@example.com").await;
    assert_eq!(
        app.call_as(&qa, "create_environment", &fields)
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn the_mapping_and_checklist_forms_work_without_webassembly_and_the_server_renders_the_preview()
 {
    let app = spawn_app().await;
    let coord = app
        .user("coord@example.com", Role::Coordinator)
        .await
        .as_current();
    let i = app.stripe(&coord).await;
    app.user("eng@example.com", Role::Engineer).await;
    let eng = client();
    app.login_as(&eng, "eng@example.com").await;
    let id = i.id.to_string();
    let row = [
        ("integration_id", id.as_str()),
        ("source_pointer", "/data/object/amount"),
        ("target_field", "payment.amount"),
        ("transform", "cents_to_decimal"),
        ("transform_arg", ""),
        ("required", "on"),
        ("notes", ""),
    ];
    let res = app.call_as(&eng, "create_mapping_row", &row).await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let unticked: Vec<_> = row
        .iter()
        .filter(|(k, _)| *k != "required")
        .map(|(k, v)| {
            if *k == "target_field" {
                (*k, "payment.status")
            } else {
                (*k, *v)
            }
        })
        .collect();
    let res = app.call_as(&eng, "create_mapping_row", &unticked).await;
    assert_eq!(res.status(), 200, "an unticked box is simply absent");
    let rows = app::implementation::mapping_service::page(&app.db, "stripe")
        .await
        .expect("page")
        .rows;
    assert_eq!(
        rows.iter().map(|r| r.required).collect::<Vec<_>>(),
        [true, false]
    );
    let res = app
        .call_as(&eng, "review_mapping", &[("integration_id", id.as_str())])
        .await;
    assert_eq!(res.status(), 200);

    let sample = r#"{"data": {"object": {"amount": "12"}}}"#;
    let html = eng
        .get(app.url("/integrations/stripe/mapping"))
        .query(&[("sample", sample)])
        .header("accept", "text/html")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("Reviewed"), "{html}");
    assert!(html.contains("2 row(s) with errors"), "{html}");
    assert!(
        html.contains("Type mismatch: expected a whole number of cents, found text."),
        "{html}"
    );

    let res = app
        .call_as(
            &eng,
            "apply_checklist_template",
            &[("integration_id", id.as_str())],
        )
        .await;
    assert_eq!(res.status(), 200);
    let item = app::implementation::checklist_service::page(&app.db, "stripe")
        .await
        .expect("page")
        .items[0]
        .clone();
    let item_id = item.id.to_string();
    let done = [
        ("item_id", item_id.as_str()),
        ("status", "done"),
        ("checklist", item.checklist.as_str()),
        ("title", item.title.as_str()),
        ("owner_id", ""),
        ("evidence", "https://git.example/pr/7"),
        ("na_reason", ""),
    ];
    let res = app.call_as(&eng, "update_checklist_item", &done).await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let html = eng
        .get(app.url("/integrations/stripe/checklists"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("https://git.example/pr/7"), "{html}");
    assert!(
        html.contains("Card data never touches SayPro servers"),
        "{html}"
    );
}

#[tokio::test]
async fn an_environment_of_kind_production_is_production_whatever_its_name_over_rest() {
    let app = spawn_app().await;
    let coord = app
        .user("coord@example.com", Role::Coordinator)
        .await
        .as_current();
    app.stripe(&coord).await;
    app.user("eng@example.com", Role::Engineer).await;
    let eng = client();
    app.login_as(&eng, "eng@example.com").await;
    let post = |body: serde_json::Value| {
        eng.post(app.url("/api/v1/integrations/stripe/environments"))
            .header("origin", &app.address)
            .json(&body)
            .send()
    };
    let bad = post(serde_json::json!({
        "name": "prod-eu", "kind": "prod",
        "base_url": "https://api.stripe.com", "auth_scheme": "bearer",
    }))
    .await
    .expect("post");
    assert_eq!(bad.status(), 422);
    let problem: serde_json::Value = bad.json().await.expect("problem");
    assert!(problem.to_string().contains("\"kind\""), "{problem}");

    let made = post(serde_json::json!({
        "name": "prod-eu", "kind": "production",
        "base_url": "https://api.stripe.com", "auth_scheme": "bearer",
    }))
    .await
    .expect("post");
    assert_eq!(made.status(), 201);
    let env: serde_json::Value = made.json().await.expect("environment");
    assert_eq!(env["name"], "prod-eu");
    assert_eq!(env["kind"], "production");

    // The gates' lookup finds it as production.
    let row = app::implementation::service::environment_of_kind(
        &app.db,
        i32::try_from(env["integration"]["id"].as_i64().expect("id")).expect("i32"),
        app::implementation::model::EnvironmentKind::Production,
    )
    .await
    .expect("query")
    .expect("production environment");
    assert_eq!(row.name, "prod-eu");
}
