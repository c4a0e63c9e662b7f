//! Error events over REST: a platform token reports one event or a batch; a bad batch is
//! refused whole naming `events[i].field`; malformed JSON is 400, an oversized body 413; the
//! groups are listed and triaged.

use app::auth::model::Role;
use serde_json::{Value, json};

use crate::api_v1::Client;
use crate::helpers::{TestApp, client, spawn_app};

#[tokio::test]
async fn the_platform_reports_events_and_engineers_triage_their_groups() {
    let app = spawn_app().await;
    let coord = app
        .user("coord@example.com", Role::Coordinator)
        .await
        .as_current();
    app.stripe(&coord).await;
    let platform = Client::new(&app, "platform@example.com", Role::Engineer, "read-write").await;
    let reader = Client::new(&app, "read@example.com", Role::Engineer, "read").await;
    let stake = Client::new(&app, "stake@example.com", Role::Stakeholder, "read-write").await;
    let path = "/api/v1/integrations/stripe/events";
    let one = json!({"level": "error", "message": "charge ch_1 timed out after 30000 ms",
        "error_type": "Timeout", "operation": "POST /v1/charges", "http_status": 504,
        "latency_ms": 30000, "environment": "production", "context": {"listing": 7}});

    only_writers_report_and_like_events_form_one_group(&platform, &reader, &stake, path, &one)
        .await;
    a_bad_batch_is_refused_whole_and_the_limits_hold(&app, &platform, path, &one).await;
    let id =
        engineers_triage_a_group_and_a_recurrence_is_a_regression(&platform, &reader, &stake, path)
            .await;
    the_errors_page_works_without_webassembly(&app, id).await;
}

async fn only_writers_report_and_like_events_form_one_group(
    platform: &Client,
    reader: &Client,
    stake: &Client,
    path: &str,
    one: &Value,
) {
    stake.post(path, one.clone()).await.problem(403);
    reader.post(path, one.clone()).await.problem(403);
    let report = Client::ok(&platform.post(path, one.clone()).await, 200);
    assert_eq!(
        report,
        json!({"accepted": 1, "groups": 1, "new_groups": 1, "regressions": 0, "redactions": 0})
    );
    let mut second = one.clone();
    second["message"] = json!("charge ch_2 timed out after 31000 ms");
    let report = Client::ok(&platform.post(path, json!([second, {"level": "warning", "message": "Card declined", "error_type": "CardDeclined"}])).await, 200);
    assert_eq!(
        report,
        json!({"accepted": 2, "groups": 2, "new_groups": 1, "regressions": 0, "redactions": 0})
    );
}

async fn a_bad_batch_is_refused_whole_and_the_limits_hold(
    app: &TestApp,
    platform: &Client,
    path: &str,
    one: &Value,
) {
    let bad = platform
        .post(path, json!([one.clone(), {"level": "fatal", "message": ""}, {"message": "x", "time": "soon"}]))
        .await;
    assert_eq!(
        bad.fields(),
        ["events[1].level", "events[1].message", "events[2].time"]
    );
    platform
        .post(path, json!("just a string"))
        .await
        .problem(422);
    let raw = crate::helpers::plain_client();
    let res = raw
        .post(format!("{}{path}", app.address))
        .bearer_auth(&platform.token)
        .header("content-type", "application/json")
        .body("[{\"message\": ")
        .send()
        .await
        .expect("malformed");
    assert_eq!(res.status(), 400);
    let many = serde_json::Value::Array(vec![one.clone(); 1001]);
    assert_eq!(
        platform.post(path, many).await.fields(),
        ["events"],
        "at most 1,000 per request"
    );
    let huge = format!("[{}]", vec![one.to_string(); 40_000].join(","));
    let res = raw
        .post(format!("{}{path}", app.address))
        .bearer_auth(&platform.token)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .expect("huge");
    assert_eq!(res.status(), 413);
    assert_eq!(
        app.count("error_events").await,
        3,
        "nothing from the refused batches"
    );
}

async fn engineers_triage_a_group_and_a_recurrence_is_a_regression(
    platform: &Client,
    reader: &Client,
    stake: &Client,
    path: &str,
) -> i64 {
    let groups = Client::ok(
        &reader.get("/api/v1/integrations/stripe/error-groups").await,
        200,
    );
    let timeout = groups
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["error_type"] == "Timeout")
        .expect("timeout")
        .clone();
    assert_eq!(timeout["count"], 2);
    assert_eq!(timeout["message"], "charge <id> timed out after <n> ms");
    let id = timeout["id"].as_i64().expect("id");
    reader
        .get("/api/v1/integrations/stripe/error-groups?status=fixed")
        .await
        .problem(422);
    assert_eq!(
        platform
            .patch(
                &format!("/api/v1/error-groups/{id}"),
                json!({"status": "fixed"}),
                None
            )
            .await
            .fields(),
        ["status"]
    );
    stake
        .patch(
            &format!("/api/v1/error-groups/{id}"),
            json!({"status": "resolved"}),
            None,
        )
        .await
        .problem(403);
    let res = platform
        .patch(
            &format!("/api/v1/error-groups/{id}"),
            json!({"status": "resolved"}),
            None,
        )
        .await;
    assert_eq!(res.status, 204);
    let resolved = Client::ok(
        &reader
            .get("/api/v1/integrations/stripe/error-groups?status=resolved")
            .await,
        200,
    );
    assert_eq!(resolved.as_array().map(Vec::len), Some(1));
    let report = Client::ok(&platform.post(path, second_time()).await, 200);
    assert_eq!(report["regressions"], 1, "a resolved group that recurs");
    id
}

async fn the_errors_page_works_without_webassembly(app: &TestApp, id: i64) {
    let eng = client();
    app.login_as(&eng, "platform@example.com").await;
    let page = "/integrations/stripe/errors";
    let (status, html) = app.page(&eng, page).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("charge &lt;id&gt; timed out after &lt;n&gt; ms"),
        "{html}"
    );
    assert!(html.contains(">Regression<"), "{html}");
    assert!(
        html.contains("aria-label=\"Timeout POST /v1/charges: 3 in the last 24 hours\""),
        "{html}"
    );
    assert!(html.contains("name=\"status\""), "engineers triage");
    let (_, html) = app.page(&eng, &format!("{page}?status=ignored")).await;
    assert!(html.contains("No errors reported."), "{html}");
    let stake_browser = client();
    app.login_as(&stake_browser, "stake@example.com").await;
    let (_, html) = app.page(&stake_browser, page).await;
    assert!(
        html.contains("Card declined") && !html.contains(">Set<"),
        "stakeholders read"
    );
    let id = id.to_string();
    let res = app
        .call_as(
            &stake_browser,
            "set_error_group_status",
            &[("id", &id), ("status", "ignored")],
        )
        .await;
    assert_eq!(res.status(), 403, "the server checks the role");
    let res = app
        .call_as(
            &eng,
            "set_error_group_status",
            &[("id", &id), ("status", "ignored")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let (_, html) = app.page(&eng, &format!("{page}?status=ignored")).await;
    assert!(
        html.contains("Timeout") && !html.contains("Card declined"),
        "{html}"
    );
}

fn second_time() -> serde_json::Value {
    json!({"level": "error", "message": "charge ch_9 timed out after 29000 ms",
        "error_type": "Timeout", "operation": "POST /v1/charges"})
}
