//! Service tests: each on a fresh database built by the real migrations (see `common`).

// A failed set-up step should stop the test with its message; that is what expect is for here.
#![allow(clippy::expect_used, clippy::unwrap_used)]
use app::activity::service::{ChainStatus, verify};
use app::auth::model::Role;
use app::auth::service::authenticate;
use app::error::AppError;
use app::integrations::model::IntegrationQuery;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Statement};

use crate::common::{PASSWORD, db, form, user};

#[tokio::test]
async fn migrations_run_down_and_up_again_cleanly() {
    let db = db().await;
    Migrator::down(&db, None).await.expect("down");
    Migrator::up(&db, None).await.expect("up");
}

#[tokio::test]
async fn each_trail_row_is_filed_under_its_integration_and_the_migration_files_old_rows() {
    let db = db().await;
    let coord = user(&db, "c@example.com", Role::Coordinator).await;
    let created = app::integrations::service::create(&db, &coord, &form("Stripe", coord.id))
        .await
        .expect("create");
    app::planning::service::milestones::create(
        &db,
        &coord,
        created.id,
        &app::planning::model::MilestoneForm {
            title: "Kick-off".into(),
            stage: "planning".into(),
            due_date: "2027-01-15".into(),
            ..Default::default()
        },
    )
    .await
    .expect("milestone");
    let filed = |db: sea_orm::DatabaseConnection| async move {
        use app::entities::activity;
        use sea_orm::{EntityTrait, QueryOrder};
        activity::Entity::find()
            .order_by_asc(activity::Column::Id)
            .all(&db)
            .await
            .expect("rows")
            .into_iter()
            .map(|r| (r.entity_kind, r.integration_id))
            .collect::<Vec<_>>()
    };
    let want = vec![
        ("user".to_string(), None),
        ("integration".to_string(), Some(created.id)),
        ("milestone".to_string(), Some(created.id)),
    ];
    assert_eq!(filed(db.clone()).await, want);
    // Rows from before the column are filed by the migration that adds it.
    Migrator::down(&db, Some(1)).await.expect("down");
    Migrator::up(&db, None).await.expect("up");
    assert_eq!(filed(db.clone()).await, want);
    let history = app::activity::service::history(&db, created.id, 200)
        .await
        .expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(
        verify(&db).await.expect("verify"),
        ChainStatus::Intact { rows: 3 }
    );
    // Filed under another integration (out of its history), the row breaks the chain there.
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        "UPDATE activity SET integration_id = 99 WHERE id = 3",
    ))
    .await
    .expect("tamper");
    assert!(matches!(
        verify(&db).await.expect("verify"),
        ChainStatus::Broken { row_id: 3, .. }
    ));
}

#[tokio::test]
async fn a_choice_stored_wrong_is_an_error_not_a_default() {
    let db = db().await;
    let coord = user(&db, "c@example.com", Role::Coordinator).await;
    let created = app::integrations::service::create(&db, &coord, &form("Stripe", coord.id))
        .await
        .expect("create");
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        format!(
            "UPDATE integrations SET priority = 'urgent' WHERE id = {}",
            created.id
        ),
    ))
    .await
    .expect("edit behind the application's back");
    // Read as it is, not as "medium": the page and the list say something is wrong.
    assert!(matches!(
        app::integrations::service::get_by_slug(&db, &created.slug).await,
        Err(AppError::Internal)
    ));
    assert!(matches!(
        app::integrations::service::list(&db, &IntegrationQuery::default()).await,
        Err(AppError::Internal)
    ));
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
