//! Service tests for environments: validation with field names, one name per integration,
//! who may edit, and the trail.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::{db, fields, form, user};
use app::auth::model::Role;
use app::error::AppError;
use app::implementation::model::{AuthScheme, EnvironmentForm, EnvironmentKind, HealthMethod};
use app::implementation::service::{create, delete, get, page, update};
use sea_orm::EntityTrait;

fn sandbox() -> EnvironmentForm {
    EnvironmentForm {
        name: "sandbox".into(),
        base_url: "https://api.stripe.com/".into(),
        auth_scheme: "bearer".into(),
        health_path: "/v1/balance".into(),
        health_pointer: "/object".into(),
        health_pointer_value: "balance".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn an_environment_is_saved_with_defaults_and_its_health_check() {
    let db = db().await;
    let eng = user(&db, "eng@example.com", Role::Engineer).await;
    let coord = user(&db, "coord@example.com", Role::Coordinator).await;
    let i = app::integrations::service::create(&db, &coord, &form("Stripe", coord.id))
        .await
        .expect("integration");
    let id = create(&db, &eng, i.id, &sandbox()).await.expect("create");
    let env = get(&db, id).await.expect("get");
    assert_eq!(
        env.base_url, "https://api.stripe.com",
        "the trailing slash is dropped"
    );
    assert_eq!(env.auth_scheme, AuthScheme::Bearer);
    assert_eq!(
        (env.timeout_ms, env.retry_attempts, env.retry_backoff_ms),
        (10_000, 0, 500)
    );
    let h = env.health_check.clone().expect("health check");
    assert_eq!(
        (
            h.method,
            h.expected_status,
            h.interval_seconds,
            h.timeout_ms
        ),
        (HealthMethod::Get, 200, 60, 5_000)
    );
    assert_eq!(
        (h.pointer.as_deref(), h.pointer_value.as_deref()),
        (Some("/object"), Some("balance"))
    );
    assert_eq!(
        env.form().health_pointer_value,
        "balance",
        "the edit form round-trips"
    );

    let mut changed = env.form();
    changed.health_path = String::new();
    changed.health_pointer = String::new();
    changed.health_pointer_value = String::new();
    changed.rate_limit_requests = "100".into();
    changed.rate_limit_period_seconds = "1".into();
    update(&db, &eng, id, &changed).await.expect("update");
    let env = get(&db, id).await.expect("get");
    assert!(env.health_check.is_none());
    assert_eq!(
        env.rate_limit.map(|r| (r.requests, r.period_seconds)),
        Some((100, 1))
    );

    let trail = app::activity::service::history(&db, i.id, 200)
        .await
        .expect("trail");
    let kinds: Vec<(&str, &str)> = trail
        .iter()
        .map(|e| (e.kind.as_str(), e.action.as_str()))
        .collect();
    assert!(
        kinds.contains(&("environment", "create")) && kinds.contains(&("environment", "update")),
        "{kinds:?}"
    );
    delete(&db, &eng, id).await.expect("delete");
    assert!(
        page(&db, &i.slug)
            .await
            .expect("page")
            .environments
            .is_empty()
    );
}

#[tokio::test]
async fn bad_settings_are_named_field_by_field() {
    let db = db().await;
    let eng = user(&db, "eng@example.com", Role::Engineer).await;
    let coord = user(&db, "coord@example.com", Role::Coordinator).await;
    let i = app::integrations::service::create(&db, &coord, &form("Stripe", coord.id))
        .await
        .expect("integration");
    let bad = EnvironmentForm {
        name: String::new(),
        base_url: "ftp://files.example.com".into(),
        auth_scheme: "magic".into(),
        timeout_ms: "5".into(),
        retry_attempts: "11".into(),
        rate_limit_requests: "10".into(),
        webhook_url: "not a url".into(),
        webhook_signature: "rot13".into(),
        health_path: "v1/health".into(),
        health_method: "DELETE".into(),
        health_expected_status: "700".into(),
        health_keyword: "ok".into(),
        health_pointer: "status".into(),
        health_interval_seconds: "10".into(),
        health_timeout_ms: "20000".into(),
        ..Default::default()
    };
    let got = fields(create(&db, &eng, i.id, &bad).await.expect_err("refused"));
    for field in [
        "name",
        "base_url",
        "auth_scheme",
        "timeout_ms",
        "retry_attempts",
        "rate_limit_period_seconds",
        "webhook_url",
        "webhook_signature",
        "health_path",
        "health_method",
        "health_expected_status",
        "health_pointer",
        "health_pointer_value",
        "health_timeout_ms",
    ] {
        assert!(got.contains(&field.to_string()), "{field} in {got:?}");
    }
    let orphan = EnvironmentForm {
        health_keyword: "ok".into(),
        ..sandbox()
    };
    let orphan = EnvironmentForm {
        health_path: String::new(),
        health_pointer: String::new(),
        health_pointer_value: String::new(),
        ..orphan
    };
    assert_eq!(
        fields(create(&db, &eng, i.id, &orphan).await.expect_err("refused")),
        ["health_path"],
        "an assertion without a path is not dropped"
    );
    let leaked = EnvironmentForm {
        base_url: "https://api.stripe.com/?key=sk_live_51HxQmZKx9aB7cD3eF5gH7".into(),
        ..sandbox()
    };
    assert_eq!(
        fields(create(&db, &eng, i.id, &leaked).await.expect_err("refused")),
        ["base_url"],
        "the leak guard covers URLs"
    );

    create(&db, &eng, i.id, &sandbox()).await.expect("first");
    assert_eq!(
        fields(
            create(&db, &eng, i.id, &sandbox())
                .await
                .expect_err("taken")
        ),
        ["name"]
    );
    assert!(
        page(&db, &i.slug).await.expect("page").environments.len() == 1,
        "nothing else was saved"
    );
}

#[tokio::test]
async fn engineers_coordinators_and_admins_edit_qa_and_stakeholders_read() {
    let db = db().await;
    let coord = user(&db, "coord@example.com", Role::Coordinator).await;
    let qa = user(&db, "qa@example.com", Role::Qa).await;
    let stakeholder = user(&db, "stake@example.com", Role::Stakeholder).await;
    let i = app::integrations::service::create(&db, &coord, &form("Stripe", coord.id))
        .await
        .expect("integration");
    for who in [&qa, &stakeholder] {
        assert_eq!(
            create(&db, who, i.id, &sandbox())
                .await
                .expect_err("forbidden"),
            AppError::Forbidden
        );
    }
    let id = create(&db, &coord, i.id, &sandbox())
        .await
        .expect("coordinator");
    assert_eq!(
        update(&db, &qa, id, &sandbox())
            .await
            .expect_err("forbidden"),
        AppError::Forbidden
    );
    assert_eq!(
        delete(&db, &stakeholder, id).await.expect_err("forbidden"),
        AppError::Forbidden
    );
    assert_eq!(
        page(&db, &i.slug).await.expect("read").environments.len(),
        1
    );
}

#[tokio::test]
async fn a_kind_is_apart_from_the_name_and_the_gates_ask_for_the_kind() {
    let db = db().await;
    let admin = user(&db, "admin@example.com", Role::Admin).await;
    let i = app::integrations::service::create(&db, &admin, &form("Stripe", admin.id))
        .await
        .expect("integration");
    // A blank kind takes the kind the name says, whatever its case; any other name is staging.
    let named = |name: &str| EnvironmentForm {
        name: name.into(),
        ..sandbox()
    };
    let sandbox_id = create(&db, &admin, i.id, &named("Sandbox"))
        .await
        .expect("sandbox");
    assert_eq!(
        get(&db, sandbox_id).await.expect("get").kind,
        EnvironmentKind::Sandbox
    );
    let staging_id = create(&db, &admin, i.id, &named("qa-eu"))
        .await
        .expect("qa");
    assert_eq!(
        get(&db, staging_id).await.expect("get").kind,
        EnvironmentKind::Staging
    );
    // An unknown kind is refused, naming the field.
    let bad = EnvironmentForm {
        kind: "prod".into(),
        ..named("prod-us")
    };
    let err = create(&db, &admin, i.id, &bad).await.expect_err("bad kind");
    assert!(
        fields(err).contains(&"kind".to_string()),
        "the kind is named"
    );

    // The go-live criterion looks for production by kind: "prod-eu" counts.
    let prod = EnvironmentForm {
        kind: "production".into(),
        ..named("prod-eu")
    };
    let prod_id = create(&db, &admin, i.id, &prod).await.expect("prod-eu");
    let env = get(&db, prod_id).await.expect("get");
    assert_eq!(env.kind, EnvironmentKind::Production);
    assert_eq!(env.form().kind, "production", "the edit form round-trips");
    let txn = sea_orm::TransactionTrait::begin(&db).await.expect("txn");
    let model = app::integrations::lookup::integration(&txn, &i.slug)
        .await
        .expect("model");
    let outcome = app::monitoring::gates::production_healthy(
        &txn,
        &model,
        &app::gate::GateContext::default(),
    )
    .await
    .expect("criterion");
    assert_eq!(
        outcome.explanation, "0 successful checks in a row; 5 are needed.",
        "prod-eu is found as production"
    );
    // And an automatic incident on it is critical.
    let row = app::entities::environments::Entity::find_by_id(prod_id)
        .one(&txn)
        .await
        .expect("row")
        .expect("found");
    assert_eq!(
        app::monitoring::incidents::severity_of(&row),
        app::monitoring::model::IncidentSeverity::Critical
    );
}
