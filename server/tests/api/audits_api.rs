//! Audits over REST with tokens: define (planners), run and find (everyone but stakeholders),
//! resolve once, delete; validation names the field.

use app::auth::model::Role;
use serde_json::json;

use crate::api_resources::{crud, delete, integration, ok};
use crate::api_v1::Client;
use crate::helpers::spawn_app;

#[tokio::test]
async fn audits_are_defined_run_and_remediated_through_the_api_with_roles() {
    let app = spawn_app().await;
    let coord = Client::new(&app, "coord@example.com", Role::Coordinator, "read-write").await;
    let eng = Client::new(&app, "eng@example.com", Role::Engineer, "read-write").await;
    let stake = Client::new(&app, "stake@example.com", Role::Stakeholder, "read-write").await;
    let slug = integration(&coord, "Stripe payments").await;
    let collection = format!("/api/v1/integrations/{slug}/audits");
    let today = chrono::Utc::now().date_naive();
    let valid = json!({"title": "PCI scope review", "checks": "No card data in logs.",
        "interval_days": "91", "first_due": today.to_string()});

    eng.post(&collection, valid.clone()).await.problem(403);
    let id = crud(
        &coord,
        &collection,
        "audits",
        "/api/v1/audits",
        valid,
        json!({"interval_days": "30"}),
        &["title", "checks", "interval_days", "first_due"],
    )
    .await;
    let audit = ok(&coord.get(&format!("/api/v1/audits/{id}")).await, 200);
    assert_eq!(audit["status"], "due_soon", "first due today");

    // A run: not by stakeholders; it moves the next due day.
    let runs = format!("/api/v1/audits/{id}/runs");
    stake.post(&runs, json!({})).await.problem(403);
    let future = (today + chrono::Duration::days(1)).to_string();
    assert_eq!(
        eng.post(&runs, json!({"performed_on": future}))
            .await
            .fields(),
        ["performed_on"]
    );
    let audit = ok(&eng.post(&runs, json!({"notes": "Clean."})).await, 201);
    assert_eq!(
        audit["next_due"],
        (today + chrono::Duration::days(30)).to_string()
    );
    assert_eq!(audit["status"], "scheduled");
    let run_id = audit["runs"][0]["id"].as_i64().expect("run id");

    // A finding, and its resolution once.
    let findings = format!("/api/v1/audit-runs/{run_id}/findings");
    assert_eq!(
        eng.post(&findings, json!({"summary": "PAN in a log"}))
            .await
            .fields(),
        ["severity", "remediation"]
    );
    let finding = ok(
        &eng.post(
            &findings,
            json!({"summary": "PAN in a log", "severity": "high", "remediation": "Mask it."}),
        )
        .await,
        201,
    );
    assert_eq!(finding["resolved_on"], serde_json::Value::Null);
    let resolution = format!("/api/v1/audit-findings/{}/resolution", finding["id"]);
    stake
        .post(&resolution, json!({"resolution": "Masked."}))
        .await
        .problem(403);
    let resolved = ok(
        &eng.post(&resolution, json!({"resolution": "Masked."}))
            .await,
        200,
    );
    assert_eq!(resolved["resolved_on"], today.to_string());
    eng.post(&resolution, json!({"resolution": "Again."}))
        .await
        .problem(409);
    assert_eq!(
        ok(&eng.get(&format!("/api/v1/audits/{id}")).await, 200)["open_findings"],
        0
    );

    // Only planners delete; the runs and findings go with the audit.
    let item = format!("/api/v1/audits/{id}");
    let tag = eng.get(&item).await.etag();
    eng.send(reqwest::Method::DELETE, &item, None, Some(&tag))
        .await
        .problem(403);
    delete(&coord, &item).await;
    assert_eq!(app.count("audit_findings").await, 0);
}

#[tokio::test]
async fn a_refused_run_without_javascript_is_shown_above_the_audits() {
    let app = spawn_app().await;
    let coord = app
        .user("coord@example.com", Role::Coordinator)
        .await
        .as_current();
    app.login_as(&app.client, "coord@example.com").await;
    let stripe = app.stripe(&coord).await;
    let today = chrono::Utc::now().date_naive();
    let form = app::audits::model::AuditForm {
        title: "PCI scope review".into(),
        checks: "No card data in logs.".into(),
        interval_days: "91".into(),
        first_due: today.to_string(),
        owner_id: String::new(),
    };
    let audit = app::audits::service::create(&app.db, &coord, stripe.id, &form)
        .await
        .expect("audit")
        .to_string();
    let page = format!("/integrations/{}/audits", stripe.slug);
    let future = (today + chrono::Duration::days(1)).to_string();
    let res = app
        .post_from_page(
            &app.client,
            &page,
            "record_audit_run",
            &[
                ("audit_id", &audit),
                ("performed_on", &future),
                ("notes", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 302);
    let back = crate::helpers::location(&res);
    assert!(back.contains("__err="), "{back}");
    let back = back.strip_prefix(&app.address).unwrap_or(&back);
    let (status, html) = app.page(&app.client, back).await;
    assert_eq!(status, 200);
    let message = format!("Use today ({today}) or an earlier day.");
    assert!(
        html.contains(&message),
        "the refusal is on the page: {html}"
    );
    let (_, fresh) = app.page(&app.client, &page).await;
    assert!(!fresh.contains(&message), "and only after the refusal");
    assert_eq!(app.count("audit_runs").await, 0, "nothing was recorded");
}
