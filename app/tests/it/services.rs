//! Service tests: each on a fresh database built by the real migrations (see `common`).

// A failed set-up step should stop the test with its message; that is what expect is for here.
#![allow(clippy::expect_used, clippy::unwrap_used)]
use app::activity::service::{ChainStatus, verify};
use app::auth::model::Role;
use app::auth::service::authenticate;
use app::error::AppError;
use app::integrations::model::IntegrationQuery;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, Statement};

use crate::common;
use crate::common::{PASSWORD, db, form, user};

#[tokio::test]
async fn migrations_run_down_and_up_again_cleanly() {
    let db = db().await;
    Migrator::down(&db, None).await.expect("down");
    Migrator::up(&db, None).await.expect("up");
}

#[tokio::test]
async fn every_write_extends_an_intact_chain_and_tampering_breaks_it_at_that_row() {
    let db = db().await;
    let coord = user(&db, "c@example.com", Role::Coordinator).await;
    let created = app::integrations::service::create(&db, &coord, &form("Stripe", coord.id))
        .await
        .expect("create");
    let mut edit = form("Stripe", coord.id);
    edit.priority = "high".into();
    app::integrations::service::update(&db, &coord, created.id, &edit)
        .await
        .expect("update");
    assert_eq!(
        verify(&db).await.expect("verify"),
        ChainStatus::Intact { rows: 3 }
    );

    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        "UPDATE activity SET after = '{\"priority\":\"low\"}' WHERE id = 3",
    ))
    .await
    .expect("tamper");
    assert!(matches!(
        verify(&db).await.expect("verify"),
        ChainStatus::Broken { row_id: 3, .. }
    ));
}

#[tokio::test]
async fn a_deleted_trail_row_is_named_as_missing() {
    let db = db().await;
    for i in 0..3 {
        user(&db, &format!("u{i}@example.com"), Role::Engineer).await;
    }
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        "DELETE FROM activity WHERE id = 2",
    ))
    .await
    .expect("delete");
    match verify(&db).await.expect("verify") {
        ChainStatus::Broken { row_id, reason } => {
            assert_eq!(row_id, 2);
            assert!(reason.contains("rows 2 to 2 are missing"), "{reason}");
        }
        intact => panic!("not detected: {intact:?}"),
    }
}

#[tokio::test]
async fn an_unchanged_edit_adds_no_history() {
    let db = db().await;
    let coord = user(&db, "c@example.com", Role::Coordinator).await;
    let created = app::integrations::service::create(&db, &coord, &form("Stripe", coord.id))
        .await
        .expect("create");
    app::integrations::service::update(&db, &coord, created.id, &form("Stripe", coord.id))
        .await
        .expect("update");
    let detail = app::integrations::service::get_by_slug(&db, "stripe")
        .await
        .expect("get");
    assert_eq!(detail.history.len(), 1);
}

#[tokio::test]
async fn an_inactive_owner_is_refused() {
    let db = db().await;
    let admin = user(&db, "a@example.com", Role::Admin).await;
    let other = user(&db, "o@example.com", Role::Engineer).await;
    app::users::service::set_active(&db, &admin, other.id, false)
        .await
        .expect("deactivate");
    let err = app::integrations::service::create(&db, &admin, &form("Stripe", other.id))
        .await
        .unwrap_err();
    assert!(err.field_message("owner_id").is_some());
}

#[tokio::test]
async fn search_is_case_insensitive_and_treats_wildcards_literally() {
    let db = db().await;
    let coord = user(&db, "c@example.com", Role::Coordinator).await;
    app::integrations::service::create(&db, &coord, &form("Stripe Payments", coord.id))
        .await
        .expect("create");
    app::integrations::service::create(&db, &coord, &form("Onfido", coord.id))
        .await
        .expect("create");
    let q = |s: &str| IntegrationQuery {
        q: Some(s.into()),
        ..Default::default()
    };
    assert_eq!(
        app::integrations::service::list(&db, &q("sTrIpE"))
            .await
            .expect("list")
            .total,
        1
    );
    assert_eq!(
        app::integrations::service::list(&db, &q("%"))
            .await
            .expect("list")
            .total,
        0
    );
}

#[tokio::test]
async fn the_throttle_counts_only_failures_and_a_success_clears_the_account() {
    let db = db().await;
    user(&db, "e@example.com", Role::Engineer).await;
    for _ in 0..4 {
        assert!(matches!(
            authenticate(&db, "e@example.com", "wrong-password", "10.0.0.1").await,
            Err(AppError::Unauthorized(_))
        ));
    }
    authenticate(&db, "E@example.com", PASSWORD, "10.0.0.1")
        .await
        .expect("fifth try succeeds");
    for _ in 0..4 {
        let _ = authenticate(&db, "e@example.com", "wrong-password", "10.0.0.2").await;
    }
    assert!(
        authenticate(&db, "e@example.com", PASSWORD, "10.0.0.2")
            .await
            .is_ok(),
        "the earlier failures were cleared"
    );
}

#[tokio::test]
async fn demo_seed_is_idempotent_covers_every_role_and_puts_an_integration_in_every_stage() {
    let db = db().await;
    let first = app::demo::seed(&db).await.expect("seed");
    assert_eq!(first.users_created, 5);
    assert_eq!(first.integrations_created, 8);
    let second = app::demo::seed(&db).await.expect("seed");
    assert_eq!(second, app::demo::DemoSummary::default());
    let all = app::integrations::service::list(&db, &IntegrationQuery::default())
        .await
        .expect("list");
    for stage in app::integrations::model::Stage::ALL {
        assert!(
            all.items.iter().any(|i| i.stage == *stage),
            "no demo integration in {}",
            stage.label()
        );
    }
    let stripe = app::planning::service::vendors::board(&db, "stripe-payments")
        .await
        .expect("board");
    assert_eq!(stripe.ranking.len(), 2);
    assert!(stripe.selection.is_some());
    // The live ones have lived: checks with an outage, its incident, feedback, spec changes.
    let now = chrono::Utc::now();
    let admin = common::user(&db, "reader@example.com", Role::Admin).await;
    let o = app::overview::service::overview(
        &db,
        &admin,
        "stripe-payments",
        now,
        &app::gate::GateContext::default(),
    )
    .await
    .expect("overview");
    assert_eq!((o.incidents, o.open_incidents.len()), (1, 0));
    assert!(o.mttr_minutes.is_some());
    assert_eq!(o.spec_changes.len(), 1);
    assert!(o.spec_changes[0].breaking >= 1, "{:?}", o.spec_changes);
    assert!(o.latest_run.is_some_and(|r| r.latest_signoff.is_some()));
    let checks = app::entities::probe_results::Entity::find()
        .count(&db)
        .await
        .expect("count");
    assert_eq!(
        checks,
        2 * (144 + 144) + 3 * 12,
        "a day every ten minutes and a week hourly, twice; an hour of sandbox checks for each \
         of the three integrations that reached testing"
    );
    let ipinfo = app::overview::service::overview(
        &db,
        &admin,
        "ipinfo-geolocation",
        now,
        &app::gate::GateContext::default(),
    )
    .await
    .expect("overview");
    assert_eq!(ipinfo.open_incidents.len(), 1);
    let feedback = app::provider::service::page(&db, "ipinfo-geolocation")
        .await
        .expect("provider page");
    assert_eq!(feedback.feedback.len(), 3);
    // Their audits: Stripe's review has an open finding; one audit is overdue, one due soon.
    let today = app::calendar::today();
    let stripe_audits = app::audits::service::page(&db, "stripe-payments", today)
        .await
        .expect("audits");
    assert_eq!(stripe_audits.audits.len(), 2);
    assert_eq!(
        stripe_audits
            .audits
            .iter()
            .map(|a| a.open_findings)
            .sum::<usize>(),
        1
    );
    let d = app::dashboard::service::dashboard(
        &db,
        &IntegrationQuery::default(),
        now,
        &app::gate::GateContext::default(),
    )
    .await
    .expect("dashboard");
    assert!(d.coming_up.audits.items.iter().any(|a| a.overdue));
    assert!(d.coming_up.audits.items.iter().any(|a| !a.overdue));
    assert!(matches!(
        verify(&db).await.expect("verify"),
        ChainStatus::Intact { .. }
    ));
}
