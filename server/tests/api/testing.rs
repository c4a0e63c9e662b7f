//! The testing stage over HTTP: QA builds the plan and runs it, engineers record results but
//! cannot sign off, stakeholders cannot record a result, and a changed result supersedes the
//! sign-off.

use app::auth::model::Role;
use reqwest::Method;
use serde_json::json;

use crate::api_v1::Client;
use crate::helpers::{TestApp, spawn_app};

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

    only_qa_applies_the_template_and_saves_the_matrix(&coord, &qa, base).await;
    let (run_id, executions) = a_run_expands_the_plan(&qa, base).await;
    let first = engineers_record_results_and_untested_cases_block_the_sign_off(
        &qa,
        &eng,
        &stake,
        &run_id,
        &executions,
    )
    .await;
    only_qa_signs_off_and_a_changed_result_supersedes_it(&qa, &eng, &run_id, &first).await;
    defects_come_from_failed_executions(&app, &qa, &stake, base, &executions).await;
}

async fn only_qa_applies_the_template_and_saves_the_matrix(
    coord: &Client,
    qa: &Client,
    base: &str,
) {
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
}

async fn a_run_expands_the_plan(qa: &Client, base: &str) -> (String, Vec<String>) {
    assert_eq!(
        qa.post(&format!("{base}/test-runs"), json!({}))
            .await
            .fields(),
        ["name"]
    );
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
    (run_id, executions)
}

async fn engineers_record_results_and_untested_cases_block_the_sign_off(
    qa: &Client,
    eng: &Client,
    stake: &Client,
    run_id: &str,
    executions: &[String],
) -> String {
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
    for e in executions {
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
    first
}

async fn only_qa_signs_off_and_a_changed_result_supersedes_it(
    qa: &Client,
    eng: &Client,
    run_id: &str,
    first: &str,
) {
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
        &eng.send(Method::PUT, first, Some(json!({"status": "blocked"})), None)
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
}

async fn defects_come_from_failed_executions(
    app: &TestApp,
    qa: &Client,
    stake: &Client,
    base: &str,
    executions: &[String],
) {
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
    Client::ok(&stake.get(&format!("{base}/defects")).await, 200);
    assert_eq!(app.count("defects").await, 0);
}

#[tokio::test]
async fn a_pipeline_posts_junit_xml_with_a_token_and_bad_files_save_nothing() {
    let app = spawn_app().await;
    let qa = Client::new(&app, "qa@example.com", Role::Qa, "read-write").await;
    let pipeline = Client::new(&app, "ci@example.com", Role::Engineer, "read-write").await;
    let me = Client::ok(&qa.get("/api/v1/me").await, 200);
    let admin = Client::new(&app, "admin@example.com", Role::Admin, "read-write").await;
    Client::ok(&admin.post("/api/v1/integrations", json!({"name": "Stripe", "provider": "Stripe", "category": "payments", "owner_id": me["id"].to_string(), "business_objective": "Card payments.", "priority": "high"})).await, 201);
    Client::ok(
        &qa.post("/api/v1/integrations/stripe/test-plan/template", json!({}))
            .await,
        200,
    );
    let run = Client::ok(
        &qa.post(
            "/api/v1/integrations/stripe/test-runs",
            json!({"name": "CI 812"}),
        )
        .await,
        201,
    );
    let url = format!(
        "{}/api/v1/test-runs/{}/junit",
        app.address, run["run"]["id"]
    );
    let http = crate::helpers::plain_client();
    let post = |token: String, body: Vec<u8>| {
        let req = http
            .post(url.clone())
            .bearer_auth(token)
            .header("content-type", "application/xml")
            .body(body);
        async move {
            let res = req.send().await.expect("post");
            let status = res.status().as_u16();
            let ctype = res
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            (
                status,
                ctype,
                res.json::<serde_json::Value>().await.unwrap_or_default(),
            )
        }
    };
    let pytest = std::fs::read(format!(
        "{}/../app/tests/fixtures/junit/pytest.xml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture");

    let (status, ctype, body) = post(
        pipeline.token.clone(),
        b"<testsuite><testcase name=\"a\"></testsuite>".to_vec(),
    )
    .await;
    assert_eq!((status, ctype.as_str()), (422, "application/problem+json"));
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("line 1")),
        "{body}"
    );
    let (status, _, body) = post(pipeline.token.clone(), vec![b' '; 6 * 1024 * 1024]).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(
        Client::ok(
            &qa.get(&format!("/api/v1/test-runs/{}", run["run"]["id"]))
                .await,
            200
        )["counts"]["untested"],
        7,
        "nothing saved"
    );

    let (status, _, report) = post(pipeline.token.clone(), pytest).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["recorded"], 5);
    assert_eq!(
        report["unmatched"],
        json!(["test_payments.test_not_in_the_plan"])
    );
    let after = Client::ok(
        &qa.get(&format!("/api/v1/test-runs/{}", run["run"]["id"]))
            .await,
        200,
    );
    assert_eq!(
        (
            after["counts"]["passed"].as_i64(),
            after["counts"]["failed"].as_i64()
        ),
        (Some(3), Some(1))
    );
}
