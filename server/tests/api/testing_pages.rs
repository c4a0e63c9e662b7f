//! The testing pages as a browser without WebAssembly uses them: the plain forms (server
//! functions, checkbox groups as `name[]`), the run page, the JUnit upload form with its
//! redirect back, and the CSV download.

use app::auth::model::Role;

use crate::helpers::{TestApp, client, location, spawn_app};

const PYTEST: &str = include_str!("../../../app/tests/fixtures/junit/pytest.xml");

/// Posts `xml` as the run page's upload form does, with the browser's Origin header when
/// `origin` is set.
async fn upload(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    xml: &str,
    origin: bool,
) -> reqwest::Response {
    app.upload(c, path, &[], ("report.xml", xml), origin).await
}

#[tokio::test]
async fn qa_plans_runs_and_imports_junit_with_plain_forms_and_downloads_the_csv() {
    let app = spawn_app().await;
    let coord = app
        .user("coord@example.com", Role::Coordinator)
        .await
        .as_current();
    let i = app.stripe(&coord).await;
    let id = i.id.to_string();
    app.user("qa@example.com", Role::Qa).await;
    app.user("stake@example.com", Role::Stakeholder).await;
    let qa = client();
    app.login_as(&qa, "qa@example.com").await;
    let stake = client();
    app.login_as(&stake, "stake@example.com").await;

    qa_shapes_the_plan_with_plain_forms(&app, &qa, &stake, &id).await;
    let (run, run_path) = a_run_page_has_a_row_for_each_execution(&app, &qa, &id).await;
    a_result_is_recorded_through_its_rows_form(&app, &qa, &stake, run, &run_path).await;
    the_junit_upload_is_same_origin_by_qa_and_all_or_nothing(&app, &qa, &stake, &run_path).await;
    the_csv_and_the_report_are_read_with_a_session(&app, &qa, &stake, run, &run_path).await;
}

async fn qa_shapes_the_plan_with_plain_forms(
    app: &TestApp,
    qa: &reqwest::Client,
    stake: &reqwest::Client,
    id: &str,
) {
    let (status, html) = app.page(qa, "/integrations/stripe/testing").await;
    assert_eq!(status, 200);
    assert!(html.contains("No cases yet."), "{html}");
    assert!(html.contains("Apply the template"), "{html}");

    let res = app
        .call_as(stake, "apply_test_template", &[("integration_id", id)])
        .await;
    assert_eq!(res.status(), 403, "a stakeholder cannot change the plan");
    let res = app
        .call_as(qa, "apply_test_template", &[("integration_id", id)])
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .call_as(
            qa,
            "save_test_plan",
            &[
                ("integration_id", id),
                ("browsers[]", "chrome"),
                ("browsers[]", "firefox"),
                ("devices[]", "desktop"),
                ("devices[]", "phone"),
                ("required_categories[]", "functional"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let case = [
        ("integration_id", id),
        ("case_id", ""),
        ("key", ""),
        ("title", "Receipt email"),
        ("category", "functional"),
        ("preconditions", ""),
        ("steps", ""),
        ("expected", "The buyer gets a receipt."),
        ("priority", "low"),
    ];
    let res = app.call_as(qa, "save_test_case", &case).await;
    assert_eq!(res.status(), 200);
    let mut bad = case;
    bad[4] = ("category", "vibes");
    assert_eq!(app.call_as(qa, "save_test_case", &bad).await.status(), 422);
    let (_, html) = app.page(qa, "/integrations/stripe/testing").await;
    assert!(
        html.contains("receipt_email"),
        "a key made from the title: {html}"
    );
    assert!(
        html.contains("Browsers: Chrome, Firefox. Devices: Desktop, Phone. Each compatibility case runs in all 4 configuration(s)."),
        "{html}"
    );
    assert!(html.contains("payments.3ds_challenge"), "{html}");
}

async fn a_run_page_has_a_row_for_each_execution(
    app: &TestApp,
    qa: &reqwest::Client,
    id: &str,
) -> (i32, String) {
    let res = app
        .call_as(
            qa,
            "create_test_run",
            &[
                ("integration_id", id),
                ("name", "Release 2.4"),
                ("build", "2.4.0"),
                ("environment_id", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let run = app::testing::runs::summaries_page(&app.db, "stripe", 20, 1)
        .await
        .expect("runs")
        .items[0]
        .run
        .id;
    let run_path = format!("/integrations/stripe/runs/{run}");
    let (status, html) = app.page(qa, &run_path).await;
    assert_eq!(status, 200);
    assert!(html.contains("0 of 11 recorded"), "{html}");
    assert!(html.contains("P pass, F fail"), "{html}");
    assert_eq!(html.matches(">Pass</button>").count(), 11, "a row each");
    let (status, _) = app
        .page(qa, &format!("/integrations/other/runs/{run}"))
        .await;
    assert_eq!(status, 404, "a run is found only under its own integration");
    (run, run_path)
}

async fn a_result_is_recorded_through_its_rows_form(
    app: &TestApp,
    qa: &reqwest::Client,
    stake: &reqwest::Client,
    run: i32,
    run_path: &str,
) {
    // A result through the row's form; a stakeholder may not record one.
    let first = app::testing::runs::run_page(&app.db, run)
        .await
        .expect("page")
        .executions[0]
        .id;
    let first = first.to_string();
    let fields = [
        ("execution_id", first.as_str()),
        ("status", "passed"),
        ("actual", ""),
        ("notes", ""),
        ("evidence", ""),
    ];
    let res = app.call_as(stake, "record_test_result", &fields).await;
    assert_eq!(res.status(), 403);
    let res = app.call_as(qa, "record_test_result", &fields).await;
    assert_eq!(res.status(), 200);
    let (_, html) = app.page(qa, run_path).await;
    assert!(html.contains("1 of 11 recorded"), "{html}");
}

async fn the_junit_upload_is_same_origin_by_qa_and_all_or_nothing(
    app: &TestApp,
    qa: &reqwest::Client,
    stake: &reqwest::Client,
    run_path: &str,
) {
    // The JUnit upload: same origin only, QA (not a stakeholder), all or nothing, back to
    // the page with what happened.
    let junit = format!("{run_path}/junit");
    let res = upload(app, qa, &junit, PYTEST, false).await;
    assert_eq!(res.status(), 403, "a post from another site is refused");
    let res = upload(app, stake, &junit, PYTEST, true).await;
    assert_eq!(res.status(), 403);
    let res = upload(app, qa, &junit, "<testsuite><testcase", true).await;
    assert_eq!(res.status(), 303);
    let to = location(&res);
    assert!(to.starts_with(&format!("{run_path}?junit_error=")), "{to}");
    let (_, html) = app.page(qa, &to).await;
    assert!(html.contains("The JUnit file was not imported:"), "{html}");
    assert!(
        html.contains("1 of 11 recorded"),
        "nothing was saved: {html}"
    );
    let res = upload(app, qa, &junit, PYTEST, true).await;
    assert_eq!(res.status(), 303);
    let to = location(&res);
    assert!(to.contains("recorded="), "{to}");
    assert!(
        to.contains("&unmatched="),
        "the fixture has a test the plan lacks: {to}"
    );
    let (_, html) = app.page(qa, &to).await;
    assert!(html.contains("matched no case of the plan"), "{html}");
}

async fn the_csv_and_the_report_are_read_with_a_session(
    app: &TestApp,
    qa: &reqwest::Client,
    stake: &reqwest::Client,
    run: i32,
    run_path: &str,
) {
    // The CSV, for a session (reads are allowed) and not for nobody.
    let res = qa
        .get(app.url(&format!("/api/v1/test-runs/{run}/results.csv")))
        .send()
        .await
        .expect("csv");
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/csv")
    );
    let csv = res.text().await.expect("body");
    assert_eq!(
        csv.matches("\r\n").count(),
        12,
        "records end in CRLF: {csv}"
    );
    assert!(csv.contains("payments.successful_charge"), "{csv}");
    let res = client()
        .get(app.url(&format!("/api/v1/test-runs/{run}/results.csv")))
        .send()
        .await
        .expect("csv");
    assert_eq!(res.status(), 401);

    let (status, html) = app.page(stake, &format!("{run_path}/report")).await;
    assert_eq!(status, 200, "stakeholders read the report");
    assert!(
        html.contains("Per category") && html.contains("Per configuration"),
        "{html}"
    );
    assert!(html.contains("Firefox / Phone"), "{html}");
}
