//! The testing stage over HTTP: QA builds the plan and runs it, engineers record results but
//! cannot sign off, stakeholders cannot record a result, and a changed result supersedes the
//! sign-off.

use app::auth::model::Role;
use reqwest::Method;
use serde_json::json;

use crate::api_v1::Client;
use crate::helpers::spawn_app;

#[tokio::test]
async fn qa_runs_the_plan_engineers_record_results_and_only_qa_signs_off() {
    let app = spawn_app().await;
    let coord = Client::new(&app, "coord@example.com", Role::Coordinator, "read-write").await;
    let qa = Client::new(&app, "qa@example.com", Role::Qa, "read-write").await;
    let eng = Client::new(&app, "eng@example.com", Role::Engineer, "read-write").await;
    let stake = Client::new(&app, "stake@example.com", Role::Stakeholder, "read-write").await;
    let me = Client::ok(&coord.get("/api/v1/me").await, 200);
    let created = coord
        .post("/api/v1/integrations", json!({"name": "Stripe", "provider": "Stripe", "category": "payments", "owner_id": me["id"].to_string(), "business_objective": "Card payments.", "priority": "high"}))
        .await;
    Client::ok(&created, 201);
    let base = "/api/v1/integrations/stripe";

    coord
        .post(&format!("{base}/test-plan/template"), json!({}))
        .await
        .problem(403);
    assert_eq!(
        Client::ok(
            &qa.post(&format!("{base}/test-plan/template"), json!({}))
                .await,
            200
        )["added"],
        7
    );
    let plan = qa.get(&format!("{base}/test-plan")).await;
    let saved = qa.send(Method::PUT, &format!("{base}/test-plan"), Some(json!({"browsers": "chrome,safari", "devices": "desktop,tablet", "required_categories": "functional"})), Some(&plan.etag())).await;
    assert_eq!(
        Client::ok(&saved, 200)["plan"]["browsers"],
        json!(["chrome", "safari"])
    );
    assert_eq!(
        qa.send(
            Method::PUT,
            &format!("{base}/test-plan"),
            Some(json!({"browsers": "netscape"})),
            None
        )
        .await
        .fields(),
        ["browsers", "devices"]
    );

    qa.post(&format!("{base}/test-runs"), json!({}))
        .await
        .fields();
    let run = Client::ok(
        &qa.post(
            &format!("{base}/test-runs"),
            json!({"name": "Release 2.4", "build": "2.4.0"}),
        )
        .await,
        201,
    );
    assert_eq!(run["counts"]["total"], 6 + 4);
    let run_id = run["run"]["id"].to_string();
    let executions: Vec<String> = run["executions"]
        .as_array()
        .expect("executions")
        .iter()
        .map(|e| e["id"].to_string())
        .collect();

    let first = format!("/api/v1/executions/{}/result", executions[0]);
    stake
        .send(Method::PUT, &first, Some(json!({"status": "passed"})), None)
        .await
        .problem(403);
    let recorded = eng
        .send(
            Method::PUT,
            &first,
            Some(json!({"status": "failed", "actual": "Timed out"})),
            None,
        )
        .await;
    assert_eq!(Client::ok(&recorded, 200)["status"], "failed");
    assert_eq!(
        eng.send(Method::PUT, &first, Some(json!({"status": "meh"})), None)
            .await
            .fields(),
        ["status"]
    );
    eng.send(
        Method::PUT,
        &first,
        Some(json!({"status": "passed"})),
        Some("\"stale\""),
    )
    .await
    .problem(412);
    assert_eq!(
        qa.post(
            &format!("/api/v1/test-runs/{run_id}/signoffs"),
            json!({"statement": "Done"})
        )
        .await
        .problem(409)["detail"]
            .as_str()
            .map(|d| d.contains("untested")),
        Some(true)
    );
    for e in &executions {
        Client::ok(
            &eng.send(
                Method::PUT,
                &format!("/api/v1/executions/{e}/result"),
                Some(json!({"status": "passed"})),
                None,
            )
            .await,
            200,
        );
    }
    eng.post(
        &format!("/api/v1/test-runs/{run_id}/signoffs"),
        json!({"statement": "Looks fine"}),
    )
    .await
    .problem(403);
    let signed = Client::ok(
        &qa.post(
            &format!("/api/v1/test-runs/{run_id}/signoffs"),
            json!({"statement": "Release 2.4 meets the plan."}),
        )
        .await,
        201,
    );
    assert_eq!(
        signed["signoffs"][0]["sha256"].as_str().map(str::len),
        Some(64)
    );
    assert_eq!(
        signed["signoffs"][0]["superseded_at"],
        serde_json::Value::Null
    );

    Client::ok(
        &eng.send(
            Method::PUT,
            &first,
            Some(json!({"status": "blocked"})),
            None,
        )
        .await,
        200,
    );
    let after = Client::ok(&qa.get(&format!("/api/v1/test-runs/{run_id}")).await, 200);
    assert!(
        after["signoffs"][0]["superseded_reason"]
            .as_str()
            .is_some_and(|r| r.contains("from passed to blocked")),
        "{after}"
    );

    let defect = qa
        .post(
            &format!("{base}/defects"),
            json!({"execution_id": executions[0], "title": "Charge blocked", "severity": "major"}),
        )
        .await;
    assert_eq!(
        defect.fields(),
        ["execution_id"],
        "defects come from failed executions"
    );
    stake.get(&format!("{base}/defects")).await;
    assert_eq!(app.count("defects").await, 0);
}
