//! Service tests for the lifecycle engine and the planning stage.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common;

use crate::common::{db, form, user};
use app::auth::model::{CurrentUser, Role};
use app::error::AppError;
use app::integrations::model::Stage;
use app::lifecycle::model::MoveRequest;
use app::lifecycle::service::{lifecycle, transition};
use app::planning::model::{
    ActionItemForm, CandidateForm, MeetingForm, MeetingsQuery, MeetingsView, MilestoneForm,
    ObjectiveForm, PlanState, ScoreInput, WeightInput,
};
use app::planning::service::{meetings, milestones, objectives, plans, vendors};
use sea_orm::DatabaseConnection;

struct World {
    db: DatabaseConnection,
    admin: CurrentUser,
    coordinator: CurrentUser,
    engineer: CurrentUser,
    stakeholder: CurrentUser,
    qa: CurrentUser,
    id: i32,
}

async fn world() -> World {
    let db = db().await;
    let admin = user(&db, "admin@example.com", Role::Admin).await;
    let coordinator = user(&db, "coord@example.com", Role::Coordinator).await;
    let engineer = user(&db, "eng@example.com", Role::Engineer).await;
    let stakeholder = user(&db, "stake@example.com", Role::Stakeholder).await;
    let qa = user(&db, "qa@example.com", Role::Qa).await;
    let id = app::integrations::service::create(&db, &coordinator, &form("Stripe", coordinator.id))
        .await
        .expect("integration")
        .id;
    World {
        db,
        admin,
        coordinator,
        engineer,
        stakeholder,
        qa,
        id,
    }
}

fn to(stage: Stage, reason: &str) -> MoveRequest {
    MoveRequest {
        to: stage.as_str().into(),
        reason: reason.into(),
        override_justification: String::new(),
    }
}

async fn unmet(w: &World) -> Vec<String> {
    let life = lifecycle(&w.db, "stripe", &app::gate::GateContext::default())
        .await
        .expect("lifecycle");
    let gate = life.gate.expect("a gate");
    assert_eq!(gate.to, Stage::Implementation);
    gate.criteria
        .into_iter()
        .filter(|c| !c.met)
        .map(|c| c.key)
        .collect()
}

async fn add_objective(w: &World) {
    objectives::create(
        &w.db,
        &w.coordinator,
        w.id,
        &ObjectiveForm {
            description: "Lift checkout completion".into(),
            metric: "Checkout completion".into(),
            unit: "%".into(),
            baseline: "61".into(),
            target: "75".into(),
            current: "68".into(),
        },
    )
    .await
    .expect("objective");
}

async fn add_candidate(w: &World, name: &str) -> i32 {
    vendors::add_candidate(
        &w.db,
        &w.coordinator,
        w.id,
        &CandidateForm {
            name: name.into(),
            provider: name.into(),
            ..Default::default()
        },
    )
    .await
    .expect("candidate")
    .id
}

fn plan_form(text: &str) -> plans::PlanForm {
    plans::PlanForm {
        technical_requirements: text.into(),
        ..Default::default()
    }
}

async fn approve_plan(w: &World, text: &str) {
    plans::save(&w.db, &w.coordinator, w.id, &plan_form(text))
        .await
        .expect("save plan");
    plans::submit(&w.db, &w.coordinator, w.id)
        .await
        .expect("submit");
    plans::review(&w.db, &w.stakeholder, w.id, "approved", "", false)
        .await
        .expect("approve");
}

async fn add_milestone(w: &World, owner: Option<i32>) -> i32 {
    milestones::create(
        &w.db,
        &w.coordinator,
        w.id,
        &MilestoneForm {
            title: "Share the plan".into(),
            stage: "planning".into(),
            owner_id: owner.map(|o| o.to_string()).unwrap_or_default(),
            due_date: "2027-01-15".into(),
            ..Default::default()
        },
    )
    .await
    .expect("milestone");
    milestones::page(&w.db, "stripe")
        .await
        .expect("page")
        .milestones[0]
        .id
}

/// Meets every planning criterion.
async fn plan_everything(w: &World) {
    add_objective(w).await;
    let c = add_candidate(w, "Stripe").await;
    vendors::select(&w.db, &w.coordinator, c, "Best score and local support.")
        .await
        .expect("select");
    approve_plan(w, "Server-side calls only.").await;
    add_milestone(w, None).await;
}

#[tokio::test]
async fn each_planning_criterion_is_unmet_until_its_evidence_exists() {
    let w = world().await;
    assert_eq!(
        unmet(&w).await,
        vec![
            "vendor_selected",
            "objective_with_target",
            "plan_approved",
            "milestone_with_due_date"
        ]
    );
    add_objective(&w).await;
    assert_eq!(
        unmet(&w).await,
        vec![
            "vendor_selected",
            "plan_approved",
            "milestone_with_due_date"
        ]
    );
    let c = add_candidate(&w, "Stripe").await;
    assert!(
        unmet(&w).await.contains(&"vendor_selected".to_string()),
        "a candidate is not a selection"
    );
    vendors::select(&w.db, &w.coordinator, c, "Best score.")
        .await
        .expect("select");
    assert_eq!(
        unmet(&w).await,
        vec!["plan_approved", "milestone_with_due_date"]
    );
    plans::save(&w.db, &w.coordinator, w.id, &plan_form("Draft"))
        .await
        .expect("save");
    plans::submit(&w.db, &w.coordinator, w.id)
        .await
        .expect("submit");
    assert!(
        unmet(&w).await.contains(&"plan_approved".to_string()),
        "in review is not approved"
    );
    plans::review(&w.db, &w.admin, w.id, "approved", "", false)
        .await
        .expect("approve");
    assert_eq!(unmet(&w).await, vec!["milestone_with_due_date"]);
    add_milestone(&w, None).await;
    assert!(unmet(&w).await.is_empty());
    let life = lifecycle(&w.db, "stripe", &app::gate::GateContext::default())
        .await
        .expect("lifecycle");
    let explanation = &life.gate.expect("gate").criteria[0];
    assert_eq!(explanation.explanation, "Stripe selected.");
    assert_eq!(
        explanation.fix_href,
        "/integrations/stripe/planning/vendors"
    );
}

#[tokio::test]
async fn a_closed_gate_refuses_the_move_and_names_what_is_missing() {
    let w = world().await;
    add_objective(&w).await;
    let err = transition(
        &w.db,
        &w.coordinator,
        w.id,
        &to(Stage::Implementation, ""),
        &app::gate::GateContext::default(),
    )
    .await
    .unwrap_err();
    let AppError::GateClosed { to, missing } = err else {
        panic!("expected a closed gate, got {err:?}")
    };
    assert_eq!(to, "Implementation");
    assert_eq!(missing.len(), 3);
    assert!(missing.contains(&"The latest plan version approved".to_string()));
    assert_eq!(
        lifecycle(&w.db, "stripe", &app::gate::GateContext::default())
            .await
            .expect("lifecycle")
            .stage,
        Stage::Planning
    );
}

/// The sandbox environment with a health check that the gate to testing asks for.
async fn sandbox(w: &World) {
    let form = app::implementation::model::EnvironmentForm {
        name: "sandbox".into(),
        base_url: "https://api.stripe.com".into(),
        auth_scheme: "bearer".into(),
        health_path: "/v1/balance".into(),
        ..Default::default()
    };
    let env = app::implementation::service::create(&w.db, &w.engineer, w.id, &form)
        .await
        .expect("sandbox");
    common::checked_at(&w.db, env, chrono::Utc::now(), true).await;
    let key = app::implementation::model::CredentialForm {
        environment_id: env.to_string(),
        name: "secret key".into(),
        kind: "api_key".into(),
        reference: "vault://kv/payments/stripe#secret_key".into(),
        owner_id: w.engineer.id.to_string(),
        rotation_days: "90".into(),
        ..Default::default()
    };
    app::implementation::credentials::create(&w.db, &w.engineer, w.id, &key)
        .await
        .expect("credential");
    common::wired(&w.db, &w.engineer, w.id).await;
}

#[tokio::test]
async fn moves_go_forward_through_open_gates_back_with_a_reason_and_hold_returns_where_it_left() {
    let w = world().await;
    plan_everything(&w).await;
    transition(
        &w.db,
        &w.coordinator,
        w.id,
        &to(Stage::Implementation, ""),
        &app::gate::GateContext::default(),
    )
    .await
    .expect("forward");
    let closed = transition(
        &w.db,
        &w.coordinator,
        w.id,
        &to(Stage::Testing, ""),
        &app::gate::GateContext::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        closed,
        AppError::GateClosed {
            to: "Testing".into(),
            missing: vec![
                "The sandbox environment configured with a health check that has succeeded".into(),
                "The sandbox's credential references recorded, each with an owner and a rotation interval".into(),
                "The data mapping reviewed since its last change".into(),
                "The error-handling and security checklists without an open item".into(),
            ]
        }
    );
    sandbox(&w).await;
    transition(
        &w.db,
        &w.coordinator,
        w.id,
        &to(Stage::Testing, ""),
        &app::gate::GateContext::default(),
    )
    .await
    .expect("forward through the open gate");
    let err = transition(
        &w.db,
        &w.coordinator,
        w.id,
        &to(Stage::Implementation, " "),
        &app::gate::GateContext::default(),
    )
    .await
    .unwrap_err();
    assert!(err.field_message("reason").is_some(), "{err:?}");
    transition(
        &w.db,
        &w.coordinator,
        w.id,
        &to(Stage::Implementation, "Refunds fail in sandbox"),
        &app::gate::GateContext::default(),
    )
    .await
    .expect("back");
    transition(
        &w.db,
        &w.coordinator,
        w.id,
        &to(Stage::OnHold, "Contract renegotiation"),
        &app::gate::GateContext::default(),
    )
    .await
    .expect("hold");
    let life = lifecycle(&w.db, "stripe", &app::gate::GateContext::default())
        .await
        .expect("lifecycle");
    assert_eq!(life.stage, Stage::OnHold);
    assert_eq!(life.moves.len(), 1, "only back to where it left");
    assert_eq!(life.moves[0].to, Stage::Implementation);
    let err = transition(
        &w.db,
        &w.coordinator,
        w.id,
        &to(Stage::Testing, ""),
        &app::gate::GateContext::default(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::Conflict(_)), "{err:?}");
    transition(
        &w.db,
        &w.coordinator,
        w.id,
        &to(Stage::Implementation, ""),
        &app::gate::GateContext::default(),
    )
    .await
    .expect("resume");
    let life = lifecycle(&w.db, "stripe", &app::gate::GateContext::default())
        .await
        .expect("lifecycle");
    assert_eq!(life.stage, Stage::Implementation);
    let path: Vec<(Stage, Stage)> = life.timeline.iter().rev().map(|t| (t.from, t.to)).collect();
    assert_eq!(
        path,
        vec![
            (Stage::Planning, Stage::Implementation),
            (Stage::Implementation, Stage::Testing),
            (Stage::Testing, Stage::Implementation),
            (Stage::Implementation, Stage::OnHold),
            (Stage::OnHold, Stage::Implementation),
        ]
    );
    assert_eq!(
        life.timeline[1].reason.as_deref(),
        Some("Contract renegotiation")
    );
    assert_eq!(life.timeline[0].actor.as_deref(), Some("coord@example.com"));
}

#[tokio::test]
async fn only_an_admin_with_a_written_justification_overrides_a_closed_gate() {
    let w = world().await;
    let mut request = to(Stage::Implementation, "");
    request.override_justification =
        "Vendor contract signed; plan approval follows next week.".into();
    let err = transition(
        &w.db,
        &w.coordinator,
        w.id,
        &request,
        &app::gate::GateContext::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(err, AppError::Forbidden);
    let mut short = request.clone();
    short.override_justification = "Because.".into();
    let err = transition(
        &w.db,
        &w.admin,
        w.id,
        &short,
        &app::gate::GateContext::default(),
    )
    .await
    .unwrap_err();
    assert!(
        err.field_message("override_justification").is_some(),
        "{err:?}"
    );
    let no_words = to(Stage::Implementation, "");
    assert!(matches!(
        transition(
            &w.db,
            &w.admin,
            w.id,
            &no_words,
            &app::gate::GateContext::default()
        )
        .await
        .unwrap_err(),
        AppError::GateClosed { .. }
    ));
    assert_eq!(
        lifecycle(&w.db, "stripe", &app::gate::GateContext::default())
            .await
            .expect("lifecycle")
            .stage,
        Stage::Planning
    );

    let record = transition(
        &w.db,
        &w.admin,
        w.id,
        &request,
        &app::gate::GateContext::default(),
    )
    .await
    .expect("override");
    assert_eq!(record.unmet.len(), 4);
    let detail = app::integrations::service::get_by_slug(&w.db, "stripe")
        .await
        .expect("detail");
    assert!(detail.integration.gate_overridden, "the badge shows");
    assert_eq!(detail.history[0].action, "transition (gate overridden)");
    let life = lifecycle(&w.db, "stripe", &app::gate::GateContext::default())
        .await
        .expect("lifecycle");
    assert_eq!(
        life.timeline[0].override_justification.as_deref(),
        Some(request.override_justification.as_str())
    );

    sandbox(&w).await;
    transition(
        &w.db,
        &w.coordinator,
        w.id,
        &to(Stage::Testing, ""),
        &app::gate::GateContext::default(),
    )
    .await
    .expect("next move");
    let detail = app::integrations::service::get_by_slug(&w.db, "stripe")
        .await
        .expect("detail");
    assert!(
        !detail.integration.gate_overridden,
        "a normal move clears the badge"
    );
}

#[tokio::test]
async fn the_gate_is_re_evaluated_at_move_time() {
    let w = world().await;
    plan_everything(&w).await;
    // The page showed an open gate ...
    assert!(
        lifecycle(&w.db, "stripe", &app::gate::GateContext::default())
            .await
            .expect("lifecycle")
            .gate
            .expect("gate")
            .open()
    );
    // ... then someone edits the approved plan, which starts a new draft version.
    let version = plans::save(&w.db, &w.coordinator, w.id, &plan_form("Changed scope"))
        .await
        .expect("edit");
    assert_eq!(version, 2);
    let err = transition(
        &w.db,
        &w.coordinator,
        w.id,
        &to(Stage::Implementation, ""),
        &app::gate::GateContext::default(),
    )
    .await
    .unwrap_err();
    let AppError::GateClosed { missing, .. } = err else {
        panic!("expected a closed gate")
    };
    assert_eq!(
        missing,
        vec!["The latest plan version approved".to_string()]
    );
}

#[tokio::test]
async fn plan_versions_are_kept_and_only_drafts_are_edited_in_place() {
    let w = world().await;
    assert_eq!(
        plans::save(&w.db, &w.coordinator, w.id, &plan_form("one"))
            .await
            .expect("save"),
        1
    );
    assert_eq!(
        plans::save(&w.db, &w.coordinator, w.id, &plan_form("one, edited"))
            .await
            .expect("save"),
        1
    );
    plans::submit(&w.db, &w.coordinator, w.id)
        .await
        .expect("submit");
    assert!(matches!(
        plans::save(&w.db, &w.coordinator, w.id, &plan_form("during review"))
            .await
            .unwrap_err(),
        AppError::Conflict(_)
    ));
    let err = plans::review(&w.db, &w.stakeholder, w.id, "changes_requested", " ", false)
        .await
        .unwrap_err();
    assert!(err.field_message("comment").is_some());
    assert_eq!(
        plans::review(&w.db, &w.coordinator, w.id, "approved", "", false)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    plans::review(
        &w.db,
        &w.stakeholder,
        w.id,
        "changes_requested",
        "Add a rollback plan",
        false,
    )
    .await
    .expect("review");
    assert_eq!(
        plans::save(
            &w.db,
            &w.coordinator,
            w.id,
            &plan_form("one, edited\nrollback")
        )
        .await
        .expect("save"),
        2
    );
    let page = plans::page(&w.db, "stripe").await.expect("page");
    assert_eq!(page.versions.len(), 2);
    assert_eq!(
        page.latest.expect("latest").sections[0].markdown,
        "one, edited\nrollback"
    );
    let comparison = plans::compare(&w.db, "stripe", 0, 0)
        .await
        .expect("compare");
    assert_eq!((comparison.left, comparison.right), (1, 2));
    let rows = &comparison.sections[0].1;
    assert!(rows.iter().any(|r| r.right.as_deref() == Some("rollback")));
}

#[tokio::test]
async fn weighted_totals_and_ranking_follow_scores_and_weights_exactly() {
    let w = world().await;
    let stripe = add_candidate(&w, "Stripe").await;
    let adyen = add_candidate(&w, "Adyen").await;
    let (criteria, _) = vendors::ranking(&w.db, w.id).await.expect("ranking");
    let names: Vec<(&str, i32)> = criteria
        .iter()
        .map(|c| (c.name.as_str(), c.weight))
        .collect();
    assert_eq!(
        names,
        vec![
            ("Reliability", 30),
            ("Security", 30),
            ("Ease of use", 20),
            ("Cost", 20)
        ]
    );
    let score = |values: [&str; 4]| -> Vec<ScoreInput> {
        criteria
            .iter()
            .zip(values)
            .map(|(c, v)| ScoreInput {
                criterion_id: c.id.to_string(),
                score: v.into(),
                note: String::new(),
            })
            .collect()
    };
    vendors::score(&w.db, &w.coordinator, stripe, &score(["5", "4", "3", "2"]))
        .await
        .expect("score");
    vendors::score(&w.db, &w.coordinator, adyen, &score(["4", "4", "4", "3"]))
        .await
        .expect("score");
    let (_, ranked) = vendors::ranking(&w.db, w.id).await.expect("ranking");
    let totals: Vec<(String, f64, u32)> = ranked
        .iter()
        .map(|r| (r.candidate.name.clone(), r.total, r.rank))
        .collect();
    // Stripe (150 + 120 + 60 + 40) / 100 = 3.7; Adyen (120 + 120 + 80 + 60) / 100 = 3.8.
    assert_eq!(
        totals,
        vec![("Adyen".into(), 3.8, 1), ("Stripe".into(), 3.7, 2)]
    );

    // Cost no longer matters, reliability dominates: Stripe (5*70 + 4*30) / 100 = 4.7 vs 4.0.
    let weights: Vec<WeightInput> = criteria
        .iter()
        .zip(["70", "30", "0", "0"])
        .map(|(c, w)| WeightInput {
            criterion_id: c.id.to_string(),
            weight: w.into(),
        })
        .collect();
    vendors::set_weights(&w.db, &w.coordinator, w.id, &weights)
        .await
        .expect("weights");
    let (_, ranked) = vendors::ranking(&w.db, w.id).await.expect("ranking");
    let totals: Vec<(String, f64)> = ranked
        .iter()
        .map(|r| (r.candidate.name.clone(), r.total))
        .collect();
    assert_eq!(totals, vec![("Stripe".into(), 4.7), ("Adyen".into(), 4.0)]);

    let err = vendors::score(&w.db, &w.coordinator, stripe, &score(["6", "", "", ""]))
        .await
        .unwrap_err();
    assert!(
        err.field_message(&format!("score_{}", criteria[0].id))
            .is_some(),
        "{err:?}"
    );
    let err = vendors::select(&w.db, &w.coordinator, stripe, "  ")
        .await
        .unwrap_err();
    assert!(err.field_message("rationale").is_some());
    vendors::select(
        &w.db,
        &w.coordinator,
        stripe,
        "Reliability matters most for payments.",
    )
    .await
    .expect("select");
    let board = vendors::board(&w.db, "stripe").await.expect("board");
    let selection = board.selection.expect("selection");
    assert_eq!(selection.candidate_name, "Stripe");
    assert_eq!(
        selection.totals,
        vec![("Stripe".to_string(), 4.7), ("Adyen".to_string(), 4.0)]
    );
}

#[tokio::test]
async fn engineers_edit_only_their_own_milestones_and_qa_reads() {
    let w = world().await;
    let mine = add_milestone(&w, Some(w.engineer.id)).await;
    let edit = MilestoneForm {
        title: "Share the plan".into(),
        stage: "planning".into(),
        owner_id: w.engineer.id.to_string(),
        due_date: "2027-01-20".into(),
        status: "in_progress".into(),
        ..Default::default()
    };
    milestones::update(&w.db, &w.engineer, mine, &edit)
        .await
        .expect("own milestone");
    let other = milestones::create(
        &w.db,
        &w.coordinator,
        w.id,
        &MilestoneForm {
            title: "Select APIs".into(),
            stage: "planning".into(),
            due_date: "2027-01-10".into(),
            ..Default::default()
        },
    )
    .await;
    assert!(other.is_ok());
    let page = milestones::page(&w.db, "stripe").await.expect("page");
    let other_id = page
        .milestones
        .iter()
        .find(|m| m.title == "Select APIs")
        .expect("other")
        .id;
    assert_eq!(
        milestones::update(&w.db, &w.engineer, other_id, &edit)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    assert_eq!(
        milestones::update(&w.db, &w.qa, mine, &edit)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    assert_eq!(
        milestones::delete(&w.db, &w.engineer, mine)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
}

#[tokio::test]
async fn the_template_creates_nine_dated_milestones() {
    let w = world().await;
    let n = milestones::apply_template(&w.db, &w.coordinator, w.id, "2027-01-01")
        .await
        .expect("template");
    assert_eq!(n, 9);
    let page = milestones::page(&w.db, "stripe").await.expect("page");
    assert_eq!(
        page.milestones.first().map(|m| m.due_date.to_string()),
        Some("2027-01-11".into())
    );
    assert_eq!(
        page.milestones.last().map(|m| m.title.as_str()),
        Some("Monitoring and final adjustments")
    );
    let err = milestones::apply_template(&w.db, &w.coordinator, w.id, "next monday")
        .await
        .unwrap_err();
    assert!(err.field_message("start").is_some());
}

#[tokio::test]
async fn my_action_items_lists_open_items_overdue_first() {
    let w = world().await;
    let meeting = meetings::create(
        &w.db,
        &w.coordinator,
        w.id,
        &MeetingForm {
            starts_at: "2026-11-20T10:00".into(),
            title: "Kick-off with Stripe".into(),
            attendee_ids: vec![w.engineer.id.to_string()],
            outside_attendees: "Dana Lee (Stripe)".into(),
            ..Default::default()
        },
    )
    .await
    .expect("meeting");
    for (text, due) in [
        ("Later", "2999-01-01"),
        ("Undated", ""),
        ("Overdue", "2020-01-01"),
    ] {
        meetings::add_item(
            &w.db,
            &w.coordinator,
            meeting,
            &ActionItemForm {
                text: text.into(),
                assignee_id: w.engineer.id.to_string(),
                due_date: due.into(),
            },
        )
        .await
        .expect("item");
    }
    let items = meetings::open_items_for(&w.db, w.engineer.id)
        .await
        .expect("items");
    let texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
    assert_eq!(texts, vec!["Overdue", "Later", "Undated"]);
    assert!(items[0].overdue);
    meetings::set_done(&w.db, &w.engineer, items[0].id, true)
        .await
        .expect("own item");
    assert_eq!(
        meetings::open_items_for(&w.db, w.engineer.id)
            .await
            .expect("items")
            .len(),
        2
    );
    assert_eq!(
        meetings::set_done(&w.db, &w.qa, items[1].id, true)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    let page = meetings::page(&w.db, "stripe", &MeetingsQuery::default())
        .await
        .expect("page");
    assert_eq!(page.meetings[0].attendees[0].id, w.engineer.id);
    assert_eq!(page.meetings[0].action_items.len(), 3);
}

#[tokio::test]
async fn meetings_come_a_page_at_a_time_and_a_meeting_opens_its_own_page() {
    use app::planning::model::MEETINGS_PER_PAGE;
    let w = world().await;
    let mut ids = Vec::new();
    // 25 meetings, one a day; two at the same time as the 13th.
    for n in 0..25u32 {
        let day = if n == 24 { 12 } else { n };
        let form = MeetingForm {
            starts_at: format!("2026-10-{:02}T10:00", day + 1),
            title: format!("Weekly sync {n}"),
            ..Default::default()
        };
        let id = meetings::create(&w.db, &w.coordinator, w.id, &form)
            .await
            .expect("meeting");
        meetings::add_item(
            &w.db,
            &w.coordinator,
            id,
            &ActionItemForm {
                text: format!("Follow up {n}"),
                ..Default::default()
            },
        )
        .await
        .expect("item");
        ids.push(id);
    }
    let query = |page: &str, meeting: &str| MeetingsQuery {
        page: Some(page.into()),
        meeting: Some(meeting.into()),
    };
    let titles =
        |v: &MeetingsView| -> Vec<String> { v.meetings.iter().map(|m| m.title.clone()).collect() };
    let first = meetings::page(&w.db, "stripe", &query("", ""))
        .await
        .expect("page");
    assert_eq!((first.total, first.page, first.pages), (25, 1, 3));
    assert_eq!(first.meetings.len() as u64, MEETINGS_PER_PAGE);
    assert_eq!(first.meetings[0].title, "Weekly sync 23", "newest first");
    assert!(
        first.meetings.iter().all(|m| m.action_items.len() == 1),
        "each with its items"
    );
    let last = meetings::page(&w.db, "stripe", &query("3", ""))
        .await
        .expect("page");
    assert_eq!(
        titles(&last),
        [
            "Weekly sync 4",
            "Weekly sync 3",
            "Weekly sync 2",
            "Weekly sync 1",
            "Weekly sync 0"
        ]
    );
    let past = meetings::page(&w.db, "stripe", &query("9", ""))
        .await
        .expect("page");
    assert_eq!((past.page, titles(&past)), (3, titles(&last)));
    // Every meeting opens the page that holds it, ties at one time included; it wins over a
    // page number.
    for (n, id) in ids.iter().enumerate() {
        let held = meetings::page(&w.db, "stripe", &query("1", &id.to_string()))
            .await
            .expect("page");
        assert!(
            held.meetings.iter().any(|m| m.id == *id),
            "meeting {n} on page {}",
            held.page
        );
    }
    // Bad input names its field; another integration's meeting is not one of these.
    let other = app::integrations::service::create(
        &w.db,
        &w.coordinator,
        &common::form("Adyen", w.coordinator.id),
    )
    .await
    .expect("integration");
    let bad = |q: MeetingsQuery| {
        let (db, slug) = (w.db.clone(), other.slug.clone());
        async move { meetings::page(&db, &slug, &q).await.map_err(common::fields) }
    };
    assert_eq!(
        bad(query("0", "")).await.err(),
        Some(vec!["page".to_string()])
    );
    for m in ["x", "-1", &ids[0].to_string()] {
        assert_eq!(
            bad(query("", m)).await.err(),
            Some(vec!["meeting".to_string()]),
            "{m}"
        );
    }
    assert_eq!(
        meetings::get(&w.db, ids[3])
            .await
            .expect("one")
            .action_items
            .len(),
        1
    );
}

#[tokio::test]
async fn planning_changes_land_in_the_integration_history() {
    let w = world().await;
    add_objective(&w).await;
    let detail = app::integrations::service::get_by_slug(&w.db, "stripe")
        .await
        .expect("detail");
    assert_eq!(detail.history[0].kind, "objective");
    assert_eq!(detail.history[0].action, "create");
    assert!(matches!(
        app::activity::service::verify(&w.db).await.expect("verify"),
        app::activity::service::ChainStatus::Intact { .. }
    ));
}

#[tokio::test]
async fn planners_delete_planning_records_with_a_trail_entry_and_engineers_cannot() {
    let w = world().await;
    add_objective(&w).await;
    let objective = objectives::page(&w.db, "stripe")
        .await
        .expect("page")
        .objectives[0]
        .id;
    let milestone = add_milestone(&w, Some(w.engineer.id)).await;
    let candidate = add_candidate(&w, "Adyen").await;
    assert_eq!(
        milestones::delete(&w.db, &w.engineer, milestone)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    objectives::delete(&w.db, &w.coordinator, objective)
        .await
        .expect("objective");
    milestones::delete(&w.db, &w.coordinator, milestone)
        .await
        .expect("milestone");
    vendors::delete_candidate(&w.db, &w.coordinator, candidate)
        .await
        .expect("candidate");
    assert_eq!(
        objectives::delete(&w.db, &w.coordinator, objective)
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    assert!(
        objectives::page(&w.db, "stripe")
            .await
            .expect("page")
            .objectives
            .is_empty()
    );
    let history = app::integrations::service::get_by_slug(&w.db, "stripe")
        .await
        .expect("detail")
        .history;
    let deletes: Vec<&str> = history
        .iter()
        .filter(|h| h.action == "delete")
        .map(|h| h.kind.as_str())
        .collect();
    assert_eq!(deletes, vec!["vendor_candidate", "milestone", "objective"]);
}

#[tokio::test]
async fn nobody_approves_a_plan_version_they_wrote_but_they_may_ask_for_changes() {
    let w = world().await;
    plans::save(&w.db, &w.admin, w.id, &plan_form("Written by the admin"))
        .await
        .expect("save");
    plans::submit(&w.db, &w.admin, w.id).await.expect("submit");
    let err = plans::review(&w.db, &w.admin, w.id, "approved", "", false)
        .await
        .expect_err("own plan");
    assert!(
        err.field_message("decision")
            .is_some_and(|m| m.contains("another admin or a stakeholder")),
        "{err:?}"
    );
    use sea_orm::EntityTrait;
    assert_eq!(
        app::entities::plans::Entity::find()
            .all(&w.db)
            .await
            .expect("plans")[0]
            .state,
        PlanState::InReview,
        "nothing changed"
    );
    plans::review(
        &w.db,
        &w.admin,
        w.id,
        "changes_requested",
        "Add the refund flow.",
        false,
    )
    .await
    .expect("changes to one's own version");
    plans::save(
        &w.db,
        &w.coordinator,
        w.id,
        &plan_form("Rewritten by the coordinator"),
    )
    .await
    .expect("save");
    plans::submit(&w.db, &w.coordinator, w.id)
        .await
        .expect("submit");
    plans::review(&w.db, &w.admin, w.id, "approved", "", false)
        .await
        .expect("another person's version");
}

#[tokio::test]
async fn a_one_person_team_may_approve_its_own_plan_and_the_trail_says_so() {
    use sea_orm::{EntityTrait, QueryOrder};
    let w = world().await;
    plans::save(
        &w.db,
        &w.admin,
        w.id,
        &plan_form("The whole team wrote this"),
    )
    .await
    .expect("save");
    plans::submit(&w.db, &w.admin, w.id).await.expect("submit");
    plans::review(&w.db, &w.admin, w.id, "approved", "", true)
        .await
        .expect("a team of one approves its own version");
    let entry = app::entities::activity::Entity::find()
        .order_by_desc(app::entities::activity::Column::Id)
        .one(&w.db)
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
