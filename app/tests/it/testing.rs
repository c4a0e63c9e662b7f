//! Service tests for the testing stage: the plan from its template, runs expanded by
//! configuration, results, sign-off snapshots and their supersession, defects verified by
//! re-running, and every criterion of the go-live gate met and unmet.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::{db, fields, form, user};
use app::auth::model::{CurrentUser, Role};
use app::error::AppError;
use app::implementation::model::{CredentialForm, EnvironmentForm};
use app::lifecycle::model::CriterionCheck;
use app::testing::model::{DefectForm, ResultForm, TestCaseForm, TestPlanForm, TestRunForm};
use app::testing::{defects, report, runs, service as plans, signoffs};
use sea_orm::{DatabaseConnection, EntityTrait};

struct World {
    db: DatabaseConnection,
    admin: CurrentUser,
    qa: CurrentUser,
    eng: CurrentUser,
    stake: CurrentUser,
    id: i32,
    slug: String,
}

async fn world() -> World {
    let db = db().await;
    let admin = user(&db, "admin@example.com", Role::Admin).await;
    let qa = user(&db, "qa@example.com", Role::Qa).await;
    let eng = user(&db, "eng@example.com", Role::Engineer).await;
    let stake = user(&db, "stake@example.com", Role::Stakeholder).await;
    let i = app::integrations::service::create(&db, &admin, &form("Stripe", admin.id))
        .await
        .expect("integration");
    World {
        db,
        admin,
        qa,
        eng,
        stake,
        id: i.id,
        slug: i.slug,
    }
}

fn result(status: &str) -> ResultForm {
    ResultForm {
        status: status.into(),
        ..Default::default()
    }
}

fn run_form() -> TestRunForm {
    TestRunForm {
        name: "Release 2.4".into(),
        build: "2.4.0".into(),
        environment_id: String::new(),
    }
}

/// The template on a two-by-two matrix, one run, every execution passed.
async fn passed_run(w: &World) -> i32 {
    plans::apply_template(&w.db, &w.qa, w.id)
        .await
        .expect("template");
    let matrix = TestPlanForm {
        browsers: "chrome,firefox".into(),
        devices: "desktop,phone".into(),
        required_categories: "functional,security".into(),
    };
    plans::save_plan(&w.db, &w.qa, w.id, &matrix)
        .await
        .expect("matrix");
    let run = runs::create_run(&w.db, &w.qa, w.id, &run_form())
        .await
        .expect("run");
    for e in runs::run_page(&w.db, run).await.expect("page").executions {
        runs::record_result(&w.db, &w.qa, e.id, &result("passed"))
            .await
            .expect("pass");
    }
    run
}

async fn criteria(w: &World) -> Vec<CriterionCheck> {
    app::lifecycle::service::lifecycle(&w.db, &w.slug, &app::gate::GateContext::default())
        .await
        .expect("lifecycle")
        .gate
        .expect("gate")
        .criteria
}

fn met(c: &[CriterionCheck], key: &str) -> bool {
    c.iter().find(|c| c.key == key).is_some_and(|c| c.met)
}

async fn to_testing(w: &World) {
    for stage in ["implementation", "testing"] {
        let mut request = app::lifecycle::model::MoveRequest {
            to: stage.into(),
            ..Default::default()
        };
        request.override_justification = "Earlier stages are covered by their own tests.".into();
        app::lifecycle::service::transition(
            &w.db,
            &w.admin,
            w.id,
            &request,
            &app::gate::GateContext::default(),
        )
        .await
        .expect("override");
    }
}

/// A JUnit report from tests/fixtures/junit.
fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/junit/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

#[tokio::test]
async fn the_template_and_matrix_expand_a_run_and_roles_are_enforced() {
    let w = world().await;
    only_qa_applies_the_template_and_only_once(&w).await;
    the_plans_matrix_is_validated_and_expands_to_configurations(&w).await;
    a_case_is_validated_and_gets_a_key_from_its_title(&w).await;
    let run = a_run_holds_each_case_once_and_compatibility_cases_per_configuration(&w).await;
    testers_record_results_and_stakeholders_do_not(&w, run).await;
}

async fn only_qa_applies_the_template_and_only_once(w: &World) {
    assert_eq!(
        plans::apply_template(&w.db, &w.eng, w.id)
            .await
            .expect_err("engineer"),
        AppError::Forbidden
    );
    assert_eq!(
        plans::page(&w.db, &w.slug)
            .await
            .expect("page")
            .template_missing,
        7
    );
    assert_eq!(
        plans::apply_template(&w.db, &w.qa, w.id)
            .await
            .expect("template"),
        7
    );
    assert_eq!(
        plans::apply_template(&w.db, &w.qa, w.id)
            .await
            .expect("again"),
        0
    );
}

async fn the_plans_matrix_is_validated_and_expands_to_configurations(w: &World) {
    let bad = TestPlanForm {
        browsers: "chrome,lynx".into(),
        devices: String::new(),
        required_categories: "vibes".into(),
    };
    assert_eq!(
        fields(
            plans::save_plan(&w.db, &w.qa, w.id, &bad)
                .await
                .expect_err("bad")
        ),
        ["browsers", "devices", "required_categories"]
    );
    let matrix = TestPlanForm {
        browsers: "chrome,firefox".into(),
        devices: "desktop,phone".into(),
        required_categories: "functional".into(),
    };
    plans::save_plan(&w.db, &w.qa, w.id, &matrix)
        .await
        .expect("matrix");
    let page = plans::page(&w.db, &w.slug).await.expect("page");
    assert_eq!(
        page.plan.configurations(),
        [
            "chrome/desktop",
            "chrome/phone",
            "firefox/desktop",
            "firefox/phone"
        ]
    );
}

async fn a_case_is_validated_and_gets_a_key_from_its_title(w: &World) {
    let bad = TestCaseForm {
        title: " ".into(),
        category: "fun".into(),
        key: "has space".into(),
        ..Default::default()
    };
    assert_eq!(
        fields(
            plans::create_case(&w.db, &w.qa, w.id, &bad)
                .await
                .expect_err("bad")
        ),
        ["title", "key", "category"]
    );
    let dup = TestCaseForm {
        key: "payments.refund".into(),
        title: "Again".into(),
        category: "functional".into(),
        ..Default::default()
    };
    assert_eq!(
        fields(
            plans::create_case(&w.db, &w.qa, w.id, &dup)
                .await
                .expect_err("dup")
        ),
        ["key"]
    );
    let own = TestCaseForm {
        title: "Partial refund".into(),
        category: "functional".into(),
        ..Default::default()
    };
    let id = plans::create_case(&w.db, &w.qa, w.id, &own)
        .await
        .expect("case");
    assert_eq!(
        plans::get_case(&w.db, id).await.expect("case").key,
        "partial_refund"
    );
}

async fn a_run_holds_each_case_once_and_compatibility_cases_per_configuration(w: &World) -> i32 {
    // Six functional, security and performance cases once; the 3-D Secure (compatibility)
    // case once per configuration; the extra case once.
    assert_eq!(
        runs::create_run(&w.db, &w.eng, w.id, &run_form())
            .await
            .expect_err("engineer"),
        AppError::Forbidden
    );
    let run = runs::create_run(&w.db, &w.qa, w.id, &run_form())
        .await
        .expect("run");
    let page = runs::run_page(&w.db, run).await.expect("run page");
    assert_eq!(page.counts.total, 6 + 4 + 1);
    let three_ds: Vec<&str> = page
        .executions
        .iter()
        .filter(|e| e.case_key == "payments.3ds_challenge")
        .map(|e| e.configuration.as_str())
        .collect();
    assert_eq!(
        three_ds,
        [
            "chrome/desktop",
            "chrome/phone",
            "firefox/desktop",
            "firefox/phone"
        ]
    );
    run
}

async fn testers_record_results_and_stakeholders_do_not(w: &World, run: i32) {
    let page = runs::run_page(&w.db, run).await.expect("run page");
    let e = page.executions[0].id;
    assert_eq!(
        runs::record_result(&w.db, &w.stake, e, &result("passed"))
            .await
            .expect_err("stakeholder"),
        AppError::Forbidden
    );
    assert_eq!(
        fields(
            runs::record_result(&w.db, &w.eng, e, &result("great"))
                .await
                .expect_err("bad")
        ),
        ["status"]
    );
    runs::record_result(
        &w.db,
        &w.eng,
        e,
        &ResultForm {
            status: "failed".into(),
            actual: "Timed out".into(),
            ..Default::default()
        },
    )
    .await
    .expect("engineer records");
    let page = runs::run_page(&w.db, run).await.expect("run page");
    assert_eq!((page.counts.failed, page.counts.untested), (1, 10));
    assert_eq!(
        page.executions[0].tester.as_ref().map(|t| t.id),
        Some(w.eng.id)
    );
}

#[tokio::test]
async fn a_sign_off_keeps_a_hashed_snapshot_and_any_change_supersedes_it() {
    let w = world().await;
    plans::apply_template(&w.db, &w.qa, w.id)
        .await
        .expect("template");
    let run = runs::create_run(&w.db, &w.qa, w.id, &run_form())
        .await
        .expect("run");
    assert!(
        matches!(signoffs::sign_off(&w.db, &w.qa, run, "All good").await.expect_err("untested"), AppError::Conflict(m) if m.contains("7 untested"))
    );
    let executions = runs::run_page(&w.db, run).await.expect("page").executions;
    for e in &executions {
        runs::record_result(&w.db, &w.qa, e.id, &result("passed"))
            .await
            .expect("pass");
    }
    assert_eq!(
        signoffs::sign_off(&w.db, &w.eng, run, "Looks fine")
            .await
            .expect_err("engineer"),
        AppError::Forbidden
    );
    assert_eq!(
        fields(
            signoffs::sign_off(&w.db, &w.qa, run, "")
                .await
                .expect_err("statement")
        ),
        ["statement"]
    );
    let s = signoffs::sign_off(&w.db, &w.qa, run, "Release 2.4 meets the plan.")
        .await
        .expect("sign off");
    let stored = app::entities::signoffs::Entity::find_by_id(s)
        .one(&w.db)
        .await
        .expect("db")
        .expect("row");
    assert!(signoffs::snapshot_intact(&stored));
    assert_eq!(stored.sha256.len(), 64);
    let snapshot: serde_json::Value = serde_json::from_str(&stored.snapshot).expect("json");
    assert_eq!(snapshot.as_array().map(Vec::len), Some(7));
    assert!(
        snapshot
            .as_array()
            .expect("items")
            .iter()
            .all(|i| i["status"] == "passed")
    );

    // Recording the same result again changes nothing; a different one supersedes.
    runs::record_result(&w.db, &w.qa, executions[0].id, &result("passed"))
        .await
        .expect("same");
    assert_eq!(
        runs::run_page(&w.db, run).await.expect("page").signoffs[0].superseded_at,
        None
    );
    runs::record_result(&w.db, &w.qa, executions[0].id, &result("failed"))
        .await
        .expect("change");
    let page = runs::run_page(&w.db, run).await.expect("page");
    let reason = page.signoffs[0]
        .superseded_reason
        .clone()
        .expect("superseded");
    assert!(
        reason.contains("payments.successful_charge") && reason.contains("from passed to failed"),
        "{reason}"
    );
    let unchanged = app::entities::signoffs::Entity::find_by_id(s)
        .one(&w.db)
        .await
        .expect("db")
        .expect("row");
    assert_eq!(
        (unchanged.snapshot, unchanged.sha256),
        (stored.snapshot, stored.sha256),
        "the snapshot itself is immutable"
    );

    // A new sign-off; then a non-required case changes nothing, a required one supersedes.
    runs::record_result(&w.db, &w.qa, executions[0].id, &result("passed"))
        .await
        .expect("fixed");
    signoffs::sign_off(&w.db, &w.qa, run, "Signed again after the fix.")
        .await
        .expect("again");
    let optional = TestCaseForm {
        title: "Receipt email".into(),
        category: "functional".into(),
        ..Default::default()
    };
    let extra = plans::create_case(&w.db, &w.qa, w.id, &optional)
        .await
        .expect("optional case");
    assert_eq!(
        runs::run_page(&w.db, run).await.expect("page").signoffs[0].superseded_at,
        None
    );
    let case = plans::get_case(&w.db, extra).await.expect("case");
    plans::update_case(
        &w.db,
        &w.qa,
        extra,
        &TestCaseForm {
            required: "on".into(),
            ..case.form()
        },
    )
    .await
    .expect("required now");
    let newest = runs::run_page(&w.db, run).await.expect("page").signoffs[0].clone();
    assert!(
        newest
            .superseded_reason
            .is_some_and(|r| r.contains("Required case receipt_email changed"))
    );
    let trail = app::activity::service::history(&w.db, w.id, 200)
        .await
        .expect("trail");
    assert!(
        trail
            .iter()
            .filter(|e| e.kind == "signoff" && e.action == "supersede")
            .count()
            >= 2
    );
}

#[tokio::test]
async fn a_defect_is_filed_from_a_failure_and_verified_only_by_a_rerun() {
    let w = world().await;
    plans::apply_template(&w.db, &w.qa, w.id)
        .await
        .expect("template");
    let run = runs::create_run(&w.db, &w.qa, w.id, &run_form())
        .await
        .expect("run");
    let e = runs::run_page(&w.db, run).await.expect("page").executions[1].clone();
    let form = DefectForm {
        execution_id: e.id.to_string(),
        title: "Declined card shows a blank page".into(),
        severity: "major".into(),
        tracker_url: "https://jira.saypro.example/PAY-12".into(),
        ..Default::default()
    };
    assert_eq!(
        fields(
            defects::create(&w.db, &w.qa, w.id, &form)
                .await
                .expect_err("not failed")
        ),
        ["execution_id"]
    );
    runs::record_result(&w.db, &w.qa, e.id, &result("failed"))
        .await
        .expect("fail");
    assert_eq!(
        defects::create(&w.db, &w.eng, w.id, &form)
            .await
            .expect_err("engineers do not file"),
        AppError::Forbidden
    );
    let bad = DefectForm {
        severity: "meh".into(),
        tracker_url: "jira".into(),
        title: String::new(),
        ..Default::default()
    };
    assert_eq!(
        fields(
            defects::create(&w.db, &w.qa, w.id, &bad)
                .await
                .expect_err("bad")
        ),
        ["title", "severity", "tracker_url"]
    );
    let d = defects::create(&w.db, &w.qa, w.id, &form)
        .await
        .expect("defect");

    let verify = DefectForm {
        status: "verified".into(),
        ..form.clone()
    };
    assert_eq!(
        fields(
            defects::update(&w.db, &w.qa, d, &verify)
                .await
                .expect_err("not fixed")
        ),
        ["status"]
    );
    defects::update(
        &w.db,
        &w.eng,
        d,
        &DefectForm {
            status: "fixed".into(),
            ..form.clone()
        },
    )
    .await
    .expect("engineer fixes");
    assert_eq!(
        fields(
            defects::update(&w.db, &w.qa, d, &verify)
                .await
                .expect_err("no rerun")
        ),
        ["status"]
    );
    runs::record_result(&w.db, &w.qa, e.id, &result("passed"))
        .await
        .expect("rerun");
    defects::update(&w.db, &w.qa, d, &verify)
        .await
        .expect("verified");
    assert_eq!(
        defects::get(&w.db, d).await.expect("get").status,
        app::testing::model::DefectStatus::Verified
    );
    assert_eq!(
        defects::update(&w.db, &w.stake, d, &verify)
            .await
            .expect_err("stakeholder"),
        AppError::Forbidden
    );
}

#[tokio::test]
async fn each_go_live_criterion_is_unmet_until_its_evidence_exists() {
    let w = world().await;
    to_testing(&w).await;
    let c = criteria(&w).await;
    assert_eq!(
        c.iter()
            .map(|c| (c.key.as_str(), c.met))
            .collect::<Vec<_>>(),
        [
            ("latest_run_signed_off", false),
            ("required_cases_passed", false),
            ("categories_covered", false),
            ("no_blocking_defects", true),
            ("production_registered", false),
            ("production_healthy", false),
        ]
    );

    let run = a_passed_and_signed_off_run_meets_the_testing_criteria(&w).await;
    a_production_environment_with_a_credential_is_registered(&w).await;
    the_instances_setting_decides_how_many_checks_in_a_row_are_healthy(&w).await;
    a_failure_a_critical_defect_and_an_uncovered_category_each_close_the_gate(&w, run).await;
}

async fn a_passed_and_signed_off_run_meets_the_testing_criteria(w: &World) -> i32 {
    let run = passed_run(w).await;
    let c = criteria(w).await;
    assert!(
        met(&c, "required_cases_passed") && met(&c, "categories_covered"),
        "{c:?}"
    );
    assert!(!met(&c, "latest_run_signed_off"));
    signoffs::sign_off(&w.db, &w.qa, run, "Release 2.4 meets the plan.")
        .await
        .expect("sign off");
    assert!(met(&criteria(w).await, "latest_run_signed_off"));
    run
}

async fn a_production_environment_with_a_credential_is_registered(w: &World) {
    let env = app::implementation::service::create(
        &w.db,
        &w.eng,
        w.id,
        &EnvironmentForm {
            name: "production".into(),
            base_url: "https://api.stripe.com".into(),
            auth_scheme: "bearer".into(),
            health_path: "/v1/balance".into(),
            ..Default::default()
        },
    )
    .await
    .expect("production");
    assert!(!met(&criteria(w).await, "production_registered"));
    app::implementation::credentials::create(
        &w.db,
        &w.eng,
        w.id,
        &CredentialForm {
            environment_id: env.to_string(),
            name: "live key".into(),
            kind: "api_key".into(),
            reference: "vault://kv/payments/stripe#live_key".into(),
            ..Default::default()
        },
    )
    .await
    .expect("credential");
    let c = criteria(w).await;
    assert!(
        c.iter().all(|c| c.met || c.key == "production_healthy"),
        "{c:?}"
    );
    assert!(
        c.iter().any(|c| c.key == "production_healthy"
            && !c.met
            && c.explanation == "0 successful checks in a row; 5 are needed."),
        "{c:?}"
    );
}

async fn the_instances_setting_decides_how_many_checks_in_a_row_are_healthy(w: &World) {
    // The instance's setting decides how many in a row the gate asks for.
    app::entities::monitors::Entity::update_many()
        .col_expr(
            app::entities::monitors::Column::Successes,
            sea_orm::sea_query::Expr::value(3),
        )
        .exec(&w.db)
        .await
        .expect("successes");
    let three = app::gate::GateContext {
        health_successes: 3,
    };
    let asked_three = app::lifecycle::service::lifecycle(&w.db, &w.slug, &three)
        .await
        .expect("lifecycle")
        .gate
        .expect("gate")
        .criteria;
    assert!(met(&asked_three, "production_healthy"), "{asked_three:?}");
    assert!(
        criteria(w)
            .await
            .iter()
            .any(|c| c.key == "production_healthy"
                && !c.met
                && c.explanation == "3 successful checks in a row; 5 are needed."),
        "the default asks for five"
    );
    // Five successful checks in a row (the monitoring tests run real ones).
    app::entities::monitors::Entity::update_many()
        .col_expr(
            app::entities::monitors::Column::Successes,
            sea_orm::sea_query::Expr::value(5),
        )
        .exec(&w.db)
        .await
        .expect("successes");
    assert!(criteria(w).await.iter().all(|c| c.met));
}

async fn a_failure_a_critical_defect_and_an_uncovered_category_each_close_the_gate(
    w: &World,
    run: i32,
) {
    // A critical defect, a failed required case on one configuration, a category nobody
    // covers: each closes the gate again, and says why.
    let page = runs::run_page(&w.db, run).await.expect("page");
    let phone = page
        .executions
        .iter()
        .find(|e| e.configuration == "firefox/phone")
        .expect("firefox/phone");
    runs::record_result(&w.db, &w.qa, phone.id, &result("failed"))
        .await
        .expect("fail");
    let c = criteria(w).await;
    assert!(
        c.iter().any(|c| c.key == "required_cases_passed"
            && !c.met
            && c.explanation
                .contains("payments.3ds_challenge on firefox/phone (failed)")),
        "{c:?}"
    );
    assert!(
        !met(&c, "latest_run_signed_off"),
        "the change superseded the sign-off"
    );
    defects::create(
        &w.db,
        &w.qa,
        w.id,
        &DefectForm {
            execution_id: phone.id.to_string(),
            title: "3-D Secure frame blank on Firefox phones".into(),
            severity: "critical".into(),
            ..Default::default()
        },
    )
    .await
    .expect("defect");
    assert!(!met(&criteria(w).await, "no_blocking_defects"));
    plans::save_plan(
        &w.db,
        &w.qa,
        w.id,
        &TestPlanForm {
            browsers: "chrome,firefox".into(),
            devices: "desktop,phone".into(),
            required_categories: "functional,security,performance".into(),
        },
    )
    .await
    .expect("plan");
    let performance = page
        .executions
        .iter()
        .find(|e| e.category == app::testing::model::CaseCategory::Performance)
        .expect("performance case");
    runs::record_result(&w.db, &w.qa, performance.id, &result("blocked"))
        .await
        .expect("blocked");
    let c = criteria(w).await;
    assert!(
        c.iter().any(|c| c.key == "categories_covered"
            && !c.met
            && c.explanation.contains("Performance")),
        "{c:?}"
    );
    assert_eq!(
        app::lifecycle::service::transition(
            &w.db,
            &w.admin,
            w.id,
            &app::lifecycle::model::MoveRequest {
                to: "live".into(),
                ..Default::default()
            },
            &app::gate::GateContext::default()
        )
        .await
        .map_err(|e| matches!(e, AppError::GateClosed { .. })),
        Err(true)
    );
}

#[tokio::test]
async fn junit_files_from_pytest_and_playwright_record_results_and_list_the_unmatched() {
    let w = world().await;
    plans::apply_template(&w.db, &w.qa, w.id)
        .await
        .expect("template");
    let matrix = TestPlanForm {
        browsers: "chrome,firefox".into(),
        devices: "desktop".into(),
        required_categories: "functional".into(),
    };
    plans::save_plan(&w.db, &w.qa, w.id, &matrix)
        .await
        .expect("matrix");
    let run = runs::create_run(&w.db, &w.qa, w.id, &run_form())
        .await
        .expect("run");
    let status = |page: &app::testing::model::RunDetail, key: &str| {
        page.executions
            .iter()
            .filter(|e| e.case_key == key)
            .map(|e| e.status.as_str())
            .collect::<Vec<_>>()
    };

    // Broken input saves nothing.
    let pytest = fixture("pytest.xml");
    let truncated = &pytest[..pytest.len() / 2];
    let err = app::testing::junit::import(&w.db, &w.qa, run, truncated)
        .await
        .expect_err("truncated");
    assert!(
        err.field_message("file")
            .is_some_and(|m| m.contains("not well-formed XML: line")),
        "{err:?}"
    );
    assert_eq!(
        runs::run_page(&w.db, run)
            .await
            .expect("page")
            .counts
            .untested,
        6 + 2
    );
    assert_eq!(
        app::testing::junit::import(&w.db, &w.stake, run, &pytest)
            .await
            .expect_err("stakeholder"),
        AppError::Forbidden
    );

    let report = app::testing::junit::import(&w.db, &w.eng, run, &pytest)
        .await
        .expect("pytest");
    assert_eq!((report.test_cases, report.recorded), (6, 5));
    assert_eq!(report.unmatched, ["test_payments.test_not_in_the_plan"]);
    let page = runs::run_page(&w.db, run).await.expect("page");
    assert_eq!(status(&page, "payments.successful_charge"), ["passed"]);
    assert_eq!(status(&page, "payments.idempotent_retry"), ["failed"]);
    assert_eq!(status(&page, "payments.provider_timeout"), ["skipped"]);
    let retry = page
        .executions
        .iter()
        .find(|e| e.case_key == "payments.idempotent_retry")
        .expect("retry");
    assert!(retry.actual.contains("retry charged twice"));

    let report = app::testing::junit::import(&w.db, &w.qa, run, &fixture("playwright.xml"))
        .await
        .expect("playwright");
    assert_eq!(
        (report.test_cases, report.recorded, report.unmatched.len()),
        (4, 5, 0)
    );
    let page = runs::run_page(&w.db, run).await.expect("page");
    assert_eq!(
        status(&page, "payments.3ds_challenge"),
        ["passed", "passed"],
        "a property names the case; every configuration"
    );
    assert_eq!(status(&page, "payments.declined_card"), ["failed"]);
    assert_eq!(status(&page, "payments.refund"), ["skipped"]);
}

#[tokio::test]
async fn the_overview_and_the_report_count_every_category_and_configuration() {
    let w = world().await;
    let run = passed_run(&w).await;
    let page = runs::run_page(&w.db, run).await.expect("page");
    let phone = page
        .executions
        .iter()
        .find(|e| e.configuration == "firefox/phone")
        .expect("the matrix expands the 3-D Secure case")
        .clone();
    runs::record_result(
        &w.db,
        &w.eng,
        phone.id,
        &ResultForm {
            status: "failed".into(),
            actual: "=The challenge, never returns".into(),
            ..Default::default()
        },
    )
    .await
    .expect("fail");
    let defect = defects::create(
        &w.db,
        &w.qa,
        w.id,
        &DefectForm {
            execution_id: phone.id.to_string(),
            title: "3DS frame blank on Firefox phones".into(),
            severity: "major".into(),
            ..Default::default()
        },
    )
    .await
    .expect("defect");

    let overview = plans::overview(&w.db, &w.slug, 1, 1)
        .await
        .expect("overview");
    assert_eq!(overview.runs.items.len(), 1);
    let summary = &overview.runs.items[0];
    assert_eq!(
        (
            summary.counts.total,
            summary.counts.passed,
            summary.counts.failed
        ),
        (10, 9, 1)
    );
    assert_eq!(summary.counts.pass_rate(), Some(90));
    assert!(summary.latest_signoff.is_none());
    assert_eq!(overview.defects.items.len(), 1);
    assert_eq!(
        runs::summaries_page(&w.db, &w.slug, 20, 1)
            .await
            .expect("runs")
            .items[0]
            .run
            .id,
        run,
        "the REST list reads the same summaries"
    );

    let page = runs::run_page(&w.db, run).await.expect("page");
    assert_eq!(page.defects.len(), 1);
    assert_eq!(page.defects[0].id, defect);
    let categories = report::by_category(&page.executions);
    let compatibility = categories
        .iter()
        .find(|t| t.key == "compatibility")
        .expect("compatibility");
    assert_eq!(
        (
            compatibility.counts.total,
            compatibility.counts.failed,
            compatibility.counts.pass_rate()
        ),
        (4, 1, Some(75))
    );
    assert_eq!(categories.iter().map(|t| t.counts.total).sum::<usize>(), 10);
    let configurations = report::by_configuration(&page.executions);
    assert_eq!(
        configurations
            .iter()
            .map(|t| (t.label.as_str(), t.counts.total, t.counts.failed))
            .collect::<Vec<_>>(),
        [
            ("Any", 6, 0),
            ("Chrome / Desktop", 1, 0),
            ("Chrome / Phone", 1, 0),
            ("Firefox / Desktop", 1, 0),
            ("Firefox / Phone", 1, 1),
        ]
    );
    let failures = report::failures(&page);
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].1[0].title, "3DS frame blank on Firefox phones");

    let csv = report::csv(&page);
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 11, "a header and one line per execution");
    assert!(lines[0].starts_with("run,build,case_key,"));
    let failed = lines
        .iter()
        .find(|l| l.contains("firefox/phone"))
        .expect("the failed line");
    assert!(
        failed.contains("\"'=The challenge, never returns\""),
        "a formula is defused and a comma quoted: {failed}"
    );
    assert!(failed.contains(&format!(
        "#{defect} 3DS frame blank on Firefox phones (Major, Open)"
    )));
}

#[tokio::test]
async fn junit_files_from_cargo_nextest_and_maven_surefire_record_results() {
    let w = world().await;
    plans::apply_template(&w.db, &w.qa, w.id)
        .await
        .expect("template");
    // Surefire 2.22 names a JUnit 5 test by its method and class: cases keyed by the fully
    // qualified test name match as classname.name.
    for (title, key) in [
        ("Refund via Surefire", "payments.PaymentsTest.refund"),
        (
            "Retry via Surefire",
            "payments.PaymentsTest.idempotentRetry",
        ),
        (
            "Timeout via Surefire",
            "payments.PaymentsTest.providerTimeout",
        ),
    ] {
        plans::create_case(
            &w.db,
            &w.qa,
            w.id,
            &TestCaseForm {
                key: key.into(),
                title: title.into(),
                category: "functional".into(),
                ..Default::default()
            },
        )
        .await
        .expect("case");
    }
    let run = runs::create_run(&w.db, &w.qa, w.id, &run_form())
        .await
        .expect("run");
    let status = |page: &app::testing::model::RunDetail, key: &str| {
        page.executions
            .iter()
            .find(|e| e.case_key == key)
            .map(|e| e.status.as_str())
    };

    // cargo-nextest: the test binary is the classname, so crate `payments` with a test
    // `refund` is case payments.refund.
    let report = app::testing::junit::import(&w.db, &w.eng, run, &fixture("nextest.xml"))
        .await
        .expect("nextest");
    assert_eq!((report.test_cases, report.recorded), (5, 4));
    assert_eq!(report.unmatched, ["payments.not_in_the_plan"]);
    let page = runs::run_page(&w.db, run).await.expect("page");
    assert_eq!(status(&page, "payments.refund"), Some("passed"));
    assert_eq!(status(&page, "payments.idempotent_retry"), Some("failed"));
    let retry = page
        .executions
        .iter()
        .find(|e| e.case_key == "payments.idempotent_retry")
        .expect("retry");
    assert!(
        retry.actual.contains("panicked at src/lib.rs:17:5"),
        "{}",
        retry.actual
    );

    let report = app::testing::junit::import(&w.db, &w.qa, run, &fixture("surefire.xml"))
        .await
        .expect("surefire");
    assert_eq!((report.test_cases, report.recorded), (5, 3));
    assert_eq!(
        report.unmatched,
        [
            "payments.PaymentsTest.declinedCard",
            "payments.PaymentsTest.successfulCharge"
        ]
    );
    let page = runs::run_page(&w.db, run).await.expect("page");
    assert_eq!(
        status(&page, "payments.PaymentsTest.refund"),
        Some("passed")
    );
    assert_eq!(
        status(&page, "payments.PaymentsTest.idempotentRetry"),
        Some("failed")
    );
    assert_eq!(
        status(&page, "payments.PaymentsTest.providerTimeout"),
        Some("skipped")
    );
}
