//! Service tests for credential references: a reference names where a secret lives (never
//! the secret), its status is computed, rotations are recorded, and the trail shows it all.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common;

use crate::common::{db, fields, form, user};
use app::auth::model::Role;
use app::error::AppError;
use app::implementation::credentials::{create, get, page, record_rotation, update};
use app::implementation::model::{CredentialForm, CredentialStatus, EnvironmentForm};

#[tokio::test]
async fn a_reference_is_recorded_its_status_computed_and_its_rotation_recorded() {
    let db = db().await;
    let eng = user(&db, "eng@example.com", Role::Engineer).await;
    let coord = user(&db, "coord@example.com", Role::Coordinator).await;
    let i = app::integrations::service::create(&db, &coord, &form("Stripe", coord.id))
        .await
        .expect("integration");
    let env = app::implementation::service::create(
        &db,
        &eng,
        i.id,
        &EnvironmentForm {
            name: "sandbox".into(),
            base_url: "https://api.stripe.com".into(),
            auth_scheme: "bearer".into(),
            ..Default::default()
        },
    )
    .await
    .expect("env");
    let today = chrono::Utc::now().date_naive();
    let long_ago = (today - chrono::Duration::days(100)).to_string();
    let reference = CredentialForm {
        environment_id: env.to_string(),
        name: "secret key".into(),
        kind: "api_key".into(),
        reference: "vault://kv/payments/stripe#secret_key".into(),
        owner_id: eng.id.to_string(),
        last_rotated: long_ago,
        rotation_days: "90".into(),
        ..Default::default()
    };
    let id = create(&db, &eng, i.id, &reference).await.expect("create");
    let c = get(&db, id).await.expect("get");
    assert_eq!(c.status, CredentialStatus::RotationOverdue);
    assert_eq!(c.environment, "sandbox");
    assert_eq!(c.owner.as_ref().map(|o| o.id), Some(eng.id));
    record_rotation(&db, &eng, id).await.expect("rotate");
    let c = get(&db, id).await.expect("get");
    assert_eq!((c.last_rotated, c.status), (today, CredentialStatus::Ok));
    assert_eq!(c.next_rotation, Some(today + chrono::Duration::days(90)));
    assert_eq!(c.form().reference, "vault://kv/payments/stripe#secret_key");

    let trail = app::activity::service::history(&db, i.id, 200)
        .await
        .expect("trail");
    let rotate = trail
        .iter()
        .find(|e| e.kind == "credential" && e.action == "rotate")
        .expect("rotation in the trail");
    assert!(
        rotate.changes.iter().any(|c| c.field == "last_rotated"),
        "{rotate:?}"
    );
    let created = trail
        .iter()
        .find(|e| e.kind == "credential" && e.action == "create")
        .expect("create in the trail");
    assert!(
        created
            .changes
            .iter()
            .any(|c| c.after.as_deref().is_some_and(|a| a.contains("vault://"))),
        "references are shown in the trail"
    );

    // The environment's deletion takes its references with it.
    app::implementation::service::delete(&db, &eng, env)
        .await
        .expect("delete env");
    assert!(
        page(&db, &i.slug)
            .await
            .expect("page")
            .credentials
            .is_empty()
    );
}

#[tokio::test]
async fn a_pasted_secret_or_an_unknown_store_is_refused_and_nothing_is_saved() {
    let db = db().await;
    let eng = user(&db, "eng@example.com", Role::Engineer).await;
    let qa = user(&db, "qa@example.com", Role::Qa).await;
    let coord = user(&db, "coord@example.com", Role::Coordinator).await;
    let i = app::integrations::service::create(&db, &coord, &form("Stripe", coord.id))
        .await
        .expect("integration");
    let other = app::integrations::service::create(&db, &coord, &form("Adyen", coord.id))
        .await
        .expect("integration");
    let env = app::implementation::service::create(
        &db,
        &eng,
        i.id,
        &EnvironmentForm {
            name: "sandbox".into(),
            base_url: "https://api.stripe.com".into(),
            auth_scheme: "bearer".into(),
            ..Default::default()
        },
    )
    .await
    .expect("env");
    let good = CredentialForm {
        environment_id: env.to_string(),
        name: "secret key".into(),
        kind: "api_key".into(),
        reference: "env://STRIPE_SECRET_KEY".into(),
        ..Default::default()
    };
    let pasted = CredentialForm {
        reference: "sk_live_51HxQmZKx9aB7cD3eF5gH7iJ9kL1mN3".into(),
        ..good.clone()
    };
    let err = create(&db, &eng, i.id, &pasted).await.expect_err("refused");
    assert!(
        err.field_message("reference")
            .is_some_and(|m| m.contains("Stripe secret key") && !m.contains("sk_live")),
        "{err:?}"
    );
    let unknown = CredentialForm {
        reference: "s3://bucket/key".into(),
        ..good.clone()
    };
    assert_eq!(
        fields(
            create(&db, &eng, i.id, &unknown)
                .await
                .expect_err("refused")
        ),
        ["reference"]
    );
    let bad = CredentialForm {
        environment_id: "x".into(),
        kind: "magic".into(),
        rotation_days: "0".into(),
        expires_on: "soon".into(),
        last_rotated: "2999-01-01".into(),
        ..good.clone()
    };
    let got = fields(create(&db, &eng, i.id, &bad).await.expect_err("refused"));
    for field in [
        "environment_id",
        "kind",
        "rotation_days",
        "expires_on",
        "last_rotated",
    ] {
        assert!(got.contains(&field.to_string()), "{field} in {got:?}");
    }
    assert_eq!(
        fields(
            create(&db, &eng, other.id, &good)
                .await
                .expect_err("another integration's environment")
        ),
        ["environment_id"]
    );
    assert_eq!(
        create(&db, &qa, i.id, &good).await.expect_err("qa reads"),
        AppError::Forbidden
    );
    assert!(
        page(&db, &i.slug)
            .await
            .expect("page")
            .credentials
            .is_empty(),
        "nothing was saved"
    );

    let id = create(&db, &eng, i.id, &good).await.expect("good");
    let err = update(&db, &eng, id, &pasted).await.expect_err("refused");
    assert!(err.field_message("reference").is_some());
    assert_eq!(
        get(&db, id).await.expect("get").reference,
        "env://STRIPE_SECRET_KEY",
        "what was saved is kept"
    );
}

#[tokio::test]
async fn the_gate_to_testing_wants_the_sandbox_checked_and_its_references_owned_and_scheduled() {
    let db = db().await;
    let admin = user(&db, "admin@example.com", Role::Admin).await;
    let eng = user(&db, "eng@example.com", Role::Engineer).await;
    let i = app::integrations::service::create(&db, &admin, &form("Stripe", admin.id))
        .await
        .expect("integration");
    let mut request = app::lifecycle::model::MoveRequest {
        to: "implementation".into(),
        ..Default::default()
    };
    request.override_justification = "Planning is tracked elsewhere for this test.".into();
    app::lifecycle::service::transition(
        &db,
        &admin,
        i.id,
        &request,
        &app::gate::GateContext::default(),
    )
    .await
    .expect("override");
    let criteria = |db: sea_orm::DatabaseConnection| async move {
        let life =
            app::lifecycle::service::lifecycle(&db, "stripe", &app::gate::GateContext::default())
                .await
                .expect("lifecycle");
        life.gate.expect("a gate to testing").criteria
    };
    let c = criteria(db.clone()).await;
    assert_eq!(
        c.iter()
            .map(|c| (c.key.as_str(), c.met))
            .collect::<Vec<_>>(),
        [
            ("sandbox_health_check", false),
            ("sandbox_credentials_owned", false),
            ("mapping_reviewed", false),
            ("checklists_closed", false),
        ]
    );
    assert_eq!(c[1].fix_href, "/integrations/stripe/credentials");

    let env = app::implementation::service::create(
        &db,
        &eng,
        i.id,
        &EnvironmentForm {
            name: "sandbox".into(),
            base_url: "https://api.stripe.com".into(),
            auth_scheme: "bearer".into(),
            health_path: "/v1/balance".into(),
            ..Default::default()
        },
    )
    .await
    .expect("env");
    let unowned = CredentialForm {
        environment_id: env.to_string(),
        name: "secret key".into(),
        kind: "api_key".into(),
        reference: "env://STRIPE_SECRET_KEY".into(),
        ..Default::default()
    };
    let id = create(&db, &eng, i.id, &unowned).await.expect("credential");
    // A configured health path is not evidence: the check must have succeeded, recently.
    let c = criteria(db.clone()).await;
    assert!(
        !c[0].met && c[0].explanation.contains("has not succeeded yet"),
        "{:?}",
        c[0]
    );
    let now = chrono::Utc::now();
    common::checked_at(&db, env, now - chrono::Duration::minutes(5), false).await;
    assert!(!criteria(db.clone()).await[0].met, "a failed check");
    common::checked_at(&db, env, now - chrono::Duration::hours(30), true).await;
    let c = criteria(db.clone()).await;
    assert!(
        !c[0].met && c[0].explanation.contains("more than 24 hours ago"),
        "a stale success: {:?}",
        c[0]
    );
    common::checked_at(&db, env, now - chrono::Duration::minutes(1), true).await;
    let c = criteria(db.clone()).await;
    assert!(c[0].met, "{:?}", c[0]);
    assert!(
        !c[1].met && c[1].explanation.contains("secret key"),
        "{:?}",
        c[1]
    );
    let owned = CredentialForm {
        owner_id: eng.id.to_string(),
        rotation_days: "90".into(),
        ..unowned
    };
    update(&db, &eng, id, &owned).await.expect("owned");
    assert!(criteria(db.clone()).await[..2].iter().all(|c| c.met));
}
