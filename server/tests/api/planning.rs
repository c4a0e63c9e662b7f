//! HTTP tests for stage moves and planning permissions: each call goes straight to the server
//! function's endpoint, as a page (or a script) would, and the database says what happened.

use app::auth::model::{CurrentUser, Role};
use app::entities::{milestones, plans};
use sea_orm::EntityTrait;

use crate::helpers::{TestApp, client, tollgate};

struct Planned {
    app: TestApp,
    id: String,
    coordinator: CurrentUser,
}

/// An app with a coordinator (signed in on `app.client`) and one integration, `stripe`.
async fn planned() -> Planned {
    planned_with(|_| {}).await
}

/// [`planned`], on a server with its settings adjusted.
async fn planned_with(adjust: impl FnOnce(&mut server::config::Settings)) -> Planned {
    let app = crate::helpers::spawn_with(adjust).await;
    let coordinator = app
        .user("coord@example.com", Role::Coordinator)
        .await
        .as_current();
    app.login_as(&app.client, "coord@example.com").await;
    let mut form = app::integrations::model::IntegrationForm {
        name: "Stripe".into(),
        provider: "Stripe".into(),
        category: "payments".into(),
        owner_id: coordinator.id.to_string(),
        business_objective: "Card payments.".into(),
        priority: "high".into(),
        ..Default::default()
    };
    form.tags = String::new();
    let id = app::integrations::service::create(&app.db, &coordinator, &form)
        .await
        .expect("integration")
        .id
        .to_string();
    Planned {
        app,
        id,
        coordinator,
    }
}

/// A new client signed in as a new user with `role`.
async fn signed_in(app: &TestApp, email: &str, role: Role) -> reqwest::Client {
    app.user(email, role).await;
    let c = client();
    app.login_as(&c, email).await;
    c
}

async fn submitted_plan(p: &Planned, text: &str) {
    let res = p
        .app
        .call(
            "save_plan",
            &[
                ("integration_id", &p.id),
                ("technical_requirements", text),
                ("expected_outcomes", ""),
                ("risks", ""),
                ("dependencies", ""),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let res = p
        .app
        .call("submit_plan", &[("integration_id", &p.id)])
        .await;
    assert_eq!(res.status(), 200);
}

fn move_to(id: &str, stage: &'static str) -> Vec<(&'static str, String)> {
    vec![
        ("integration_id", id.to_string()),
        ("to", stage.to_string()),
        ("reason", "Because the plan says so".to_string()),
        ("override_justification", String::new()),
    ]
}

async fn stage(app: &TestApp) -> String {
    app::lifecycle::service::lifecycle(&app.db, "stripe", &app::gate::GateContext::default())
        .await
        .expect("lifecycle")
        .stage
        .as_str()
        .to_string()
}

async fn post(
    app: &TestApp,
    c: &reqwest::Client,
    endpoint: &str,
    form: &[(&str, String)],
) -> reqwest::Response {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call_as(c, endpoint, &form).await
}

#[tokio::test]
async fn a_stakeholder_can_approve_a_plan_but_not_edit_it_or_move_a_stage() {
    let p = planned().await;
    submitted_plan(&p, "Server-side calls only.").await;
    let stakeholder = signed_in(&p.app, "stake@example.com", Role::Stakeholder).await;

    let edit = [
        ("integration_id", p.id.clone()),
        (
            "technical_requirements",
            "Rewritten by a stakeholder".to_string(),
        ),
        ("expected_outcomes", String::new()),
        ("risks", String::new()),
        ("dependencies", String::new()),
    ];
    assert_eq!(
        post(&p.app, &stakeholder, "save_plan", &edit)
            .await
            .status(),
        403
    );
    assert_eq!(
        post(
            &p.app,
            &stakeholder,
            "move_stage",
            &move_to(&p.id, "on_hold")
        )
        .await
        .status(),
        403
    );
    assert_eq!(stage(&p.app).await, "planning");

    let approve = [
        ("integration_id", p.id.clone()),
        ("decision", "approved".to_string()),
        ("comment", "Looks right.".to_string()),
    ];
    assert_eq!(
        post(&p.app, &stakeholder, "review_plan", &approve)
            .await
            .status(),
        200
    );
    let all = plans::Entity::find().all(&p.app.db).await.expect("plans");
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].state, app::planning::model::PlanState::Approved);
    assert_eq!(all[0].technical_requirements, "Server-side calls only.");
}

#[tokio::test]
async fn a_coordinator_cannot_approve_their_own_plan() {
    let p = planned().await;
    submitted_plan(&p, "Plan").await;
    let approve = [
        ("integration_id", p.id.clone()),
        ("decision", "approved".to_string()),
        ("comment", String::new()),
    ];
    assert_eq!(
        post(&p.app, &p.app.client, "review_plan", &approve)
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn on_a_one_person_team_server_the_author_approves_and_the_trail_says_so() {
    use sea_orm::QueryOrder;
    let p = planned_with(|s| s.one_person_team = true).await;
    // The admin writes the plan, submits it and approves it.
    let admin = signed_in(&p.app, "admin@example.com", Role::Admin).await;
    let save = [
        ("integration_id", p.id.clone()),
        ("technical_requirements", "Plan".to_string()),
        ("expected_outcomes", String::new()),
        ("risks", String::new()),
        ("dependencies", String::new()),
    ];
    assert_eq!(post(&p.app, &admin, "save_plan", &save).await.status(), 200);
    let submit = [("integration_id", p.id.clone())];
    assert_eq!(
        post(&p.app, &admin, "submit_plan", &submit).await.status(),
        200
    );
    let approve = [
        ("integration_id", p.id.clone()),
        ("decision", "approved".to_string()),
        ("comment", String::new()),
    ];
    let res = post(&p.app, &admin, "review_plan", &approve).await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let entry = app::entities::activity::Entity::find()
        .order_by_desc(app::entities::activity::Column::Id)
        .one(&p.app.db)
        .await
        .expect("trail")
        .expect("entry");
    assert_eq!(entry.action, "approve");
    assert!(
        entry
            .after
            .as_deref()
            .is_some_and(|a| a.contains("one-person team")),
        "{:?}",
        entry.after
    );
}

#[tokio::test]
async fn an_engineer_cannot_move_a_stage() {
    let p = planned().await;
    let engineer = signed_in(&p.app, "eng@example.com", Role::Engineer).await;
    let res = post(&p.app, &engineer, "move_stage", &move_to(&p.id, "on_hold")).await;
    assert_eq!(res.status(), 403);
    assert_eq!(stage(&p.app).await, "planning");
    assert_eq!(p.app.count("stage_transitions").await, 0);
}

#[tokio::test]
async fn a_qa_user_cannot_edit_a_milestone() {
    let p = planned().await;
    let form = [
        ("integration_id", p.id.clone()),
        ("title", "Share the plan".to_string()),
        ("description", String::new()),
        ("stage", "planning".to_string()),
        ("owner_id", String::new()),
        ("due_date", "2027-01-15".to_string()),
        ("status", "not_started".to_string()),
        ("completed_on", String::new()),
    ];
    assert_eq!(
        post(&p.app, &p.app.client, "create_milestone", &form)
            .await
            .status(),
        200
    );
    let milestone = milestones::Entity::find()
        .one(&p.app.db)
        .await
        .expect("query")
        .expect("milestone");

    let qa = signed_in(&p.app, "qa@example.com", Role::Qa).await;
    let mut edit: Vec<(&str, String)> = form.to_vec();
    edit[0] = ("id", milestone.id.to_string());
    edit[1] = ("title", "Renamed by QA".to_string());
    assert_eq!(
        post(&p.app, &qa, "update_milestone", &edit).await.status(),
        403
    );
    assert_eq!(
        post(&p.app, &qa, "create_milestone", &form).await.status(),
        403
    );
    let after = milestones::Entity::find()
        .all(&p.app.db)
        .await
        .expect("query");
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].title, "Share the plan");
}

#[tokio::test]
async fn a_closed_gate_answers_409_naming_what_is_missing() {
    let p = planned().await;
    let res = post(
        &p.app,
        &p.app.client,
        "move_stage",
        &move_to(&p.id, "implementation"),
    )
    .await;
    assert_eq!(res.status(), 409);
    let body = res.text().await.expect("body");
    assert!(body.contains("GateClosed"), "{body}");
    assert!(
        body.contains("A vendor selected with a rationale"),
        "{body}"
    );
    assert_eq!(stage(&p.app).await, "planning");
}

#[tokio::test]
async fn a_move_sent_without_a_stage_chosen_is_told_to_choose_one() {
    // The page chooses no move for the user, so a form may come without one.
    let p = planned().await;
    let form: Vec<(&str, String)> = move_to(&p.id, "on_hold")
        .into_iter()
        .filter(|(k, _)| *k != "to")
        .collect();
    let res = post(&p.app, &p.app.client, "move_stage", &form).await;
    assert_eq!(
        res.status(),
        422,
        "a field error, not a 500 from a missing field"
    );
    let body = res.text().await.expect("body");
    assert!(body.contains("Choose a stage"), "{body}");
    assert_eq!(stage(&p.app).await, "planning");
    assert_eq!(p.app.count("stage_transitions").await, 0);
}

#[tokio::test]
async fn scores_post_as_nested_form_fields_like_the_page_sends_them() {
    let p = planned().await;
    let candidate = app::planning::service::vendors::add_candidate(
        &p.app.db,
        &p.coordinator,
        p.id.parse().expect("id"),
        &app::planning::model::CandidateForm {
            name: "Stripe".into(),
            provider: "Stripe".into(),
            ..Default::default()
        },
    )
    .await
    .expect("candidate");
    let (criteria, _) =
        app::planning::service::vendors::ranking(&p.app.db, p.id.parse().expect("id"))
            .await
            .expect("criteria");
    let form = [
        ("candidate_id", candidate.id.to_string()),
        ("scores[0][criterion_id]", criteria[0].id.to_string()),
        ("scores[0][score]", "5".to_string()),
        ("scores[0][note]", "99.99% last year".to_string()),
        ("scores[1][criterion_id]", criteria[1].id.to_string()),
        ("scores[1][score]", "4".to_string()),
        ("scores[1][note]", String::new()),
    ];
    let res = post(&p.app, &p.app.client, "score_candidate", &form).await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let (_, ranked) =
        app::planning::service::vendors::ranking(&p.app.db, p.id.parse().expect("id"))
            .await
            .expect("ranking");
    // (5*30 + 4*30) / 100
    assert_eq!(ranked[0].total, 2.7);
    assert_eq!(
        ranked[0].scores[0].as_ref().map(|s| s.note.as_str()),
        Some("99.99% last year")
    );
}

#[tokio::test]
async fn a_plan_cannot_inject_script_into_the_page() {
    let p = planned().await;
    submitted_plan(
        &p,
        "Fine text\n\n<script>alert('owned')</script>\n\n[x](javascript:alert(1))",
    )
    .await;
    let res = p
        .app
        .client
        .get(p.app.url("/integrations/stripe/planning/plan"))
        .header("Accept", "text/html")
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), 200);
    let body = res.text().await.expect("body");
    assert!(body.contains("Fine text"), "the plan is shown");
    assert!(
        !body.contains("<script>alert('owned')"),
        "raw script reached the page"
    );
    assert!(
        !body.contains("href=\"javascript:"),
        "a javascript: link reached the page"
    );
}

#[tokio::test]
async fn every_planning_page_renders_for_a_reader() {
    let p = planned().await;
    let qa = signed_in(&p.app, "qa@example.com", Role::Qa).await;
    for path in [
        "/integrations",
        "/account",
        "/integrations/stripe",
        "/integrations/stripe/planning/needs",
        "/integrations/stripe/planning/objectives",
        "/integrations/stripe/planning/vendors",
        "/integrations/stripe/planning/plan",
        "/integrations/stripe/planning/milestones",
        "/integrations/stripe/planning/meetings",
        "/integrations/stripe/environments",
        "/integrations/stripe/credentials",
        "/timeline",
        "/my/actions",
    ] {
        let res = qa
            .get(p.app.url(path))
            .header("Accept", "text/html")
            .send()
            .await
            .expect("page");
        assert_eq!(res.status(), 200, "{path}");
    }
    let res = qa
        .get(p.app.url("/integrations/nope/planning/vendors"))
        .header("Accept", "text/html")
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn the_cli_moves_stages_through_the_same_gate() {
    let p = planned().await;
    p.app.user("eng@example.com", Role::Engineer).await;
    let args = |actor: &'static str, to: &'static str| {
        vec![
            "stage",
            "move",
            "--integration",
            "stripe",
            "--to",
            to,
            "--as",
            actor,
            "--reason",
            "Paused by finance",
        ]
    };
    let closed = tollgate(
        &p.app.database_url,
        &args("coord@example.com", "implementation"),
    );
    assert!(!closed.status.success());
    assert!(
        String::from_utf8_lossy(&closed.stderr).contains("Still missing"),
        "{closed:?}"
    );
    let engineer = tollgate(&p.app.database_url, &args("eng@example.com", "on_hold"));
    assert!(
        !engineer.status.success(),
        "an engineer cannot move stages from the shell either"
    );
    let held = tollgate(&p.app.database_url, &args("coord@example.com", "on_hold"));
    assert!(held.status.success(), "{held:?}");
    assert_eq!(
        String::from_utf8_lossy(&held.stdout).trim(),
        "stripe: planning -> on_hold"
    );
    assert_eq!(stage(&p.app).await, "on_hold");
}

#[tokio::test]
async fn needs_saved_without_javascript_go_back_to_the_page_which_says_saved() {
    let p = planned().await;
    let page = "/integrations/stripe/planning/needs";
    let (_, before) = p.app.page(&p.app.client, page).await;
    assert!(!before.contains(">Saved.<"), "no notice before saving");
    let res = p
        .app
        .post_from_page(
            &p.app.client,
            page,
            "save_needs",
            &[
                ("integration_id", &p.id),
                ("problem", "Sellers cannot take card payments."),
                ("affected", "Sellers and buyers."),
                ("scope_in", ""),
                ("scope_out", ""),
                ("platform_areas", "checkout"),
            ],
        )
        .await;
    assert_eq!(res.status(), 302);
    let back = crate::helpers::location(&res);
    assert_eq!(back, format!("{page}?saved=1"));
    let (status, html) = p.app.page(&p.app.client, &back).await;
    assert_eq!(status, 200);
    assert!(html.contains(">Saved.<"), "the page says Saved.");
    assert!(html.contains("Sellers cannot take card payments."));
}
