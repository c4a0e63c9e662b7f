//! The monitor calls an environment as the environment's settings say every caller must: its
//! timeout, its retries with their backoff, and its rate limit, against a local provider
//! simulator.

use std::sync::atomic::Ordering;
use std::time::Instant;

use app::auth::model::Role;
use app::entities::environments;
use app::implementation::model::EnvironmentForm;
use app::monitoring::model::ErrorClass;
use app::monitoring::probe::Prober;
use app::monitoring::simulator::Mode;
use app::outbound::Guard;
use sea_orm::EntityTrait;

use crate::common;

/// An environment on `address` with these settings, saved through the service, and its
/// health check.
async fn environment(
    db: &sea_orm::DatabaseConnection,
    address: &str,
    settings: EnvironmentForm,
) -> (environments::Model, app::implementation::model::HealthCheck) {
    let admin = common::user(db, "admin@example.com", Role::Admin).await;
    let i = app::integrations::service::create(db, &admin, &common::form("Stripe", admin.id))
        .await
        .expect("integration");
    let form = EnvironmentForm {
        name: "sandbox".into(),
        base_url: address.into(),
        auth_scheme: "none".into(),
        health_path: "/health".into(),
        health_timeout_ms: "5000".into(),
        ..settings
    };
    let id = app::implementation::service::create(db, &admin, i.id, &form)
        .await
        .expect("environment");
    let env = environments::Entity::find_by_id(id)
        .one(db)
        .await
        .expect("query")
        .expect("environment");
    let check = app::implementation::service::health_check_of(&env)
        .expect("stored")
        .expect("check");
    (env, check)
}

fn prober() -> Prober {
    Prober::new(Guard::new(["127.0.0.1"])).expect("prober")
}

#[tokio::test]
async fn a_passing_hiccup_is_retried_with_the_environments_backoff_and_the_check_passes() {
    let db = common::db().await;
    let (sim, address) = app::monitoring::simulator::start(0).await.expect("sim");
    let settings = EnvironmentForm {
        retry_attempts: "2".into(),
        retry_backoff_ms: "100".into(),
        ..Default::default()
    };
    let (env, check) = environment(&db, &address, settings).await;
    sim.fail_next.store(2, Ordering::Relaxed);
    let started = Instant::now();
    let outcome = prober().probe(&env, &check).await;
    assert!(outcome.up(), "{outcome:?}");
    assert_eq!(
        sim.hits.load(Ordering::Relaxed),
        3,
        "two failures, then the pass"
    );
    assert!(
        started.elapsed().as_millis() >= 300,
        "waited 100 ms, then 200 ms: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn without_retries_a_hiccup_fails_the_check_and_retries_stop_at_the_attempts_allowed() {
    let db = common::db().await;
    let (sim, address) = app::monitoring::simulator::start(0).await.expect("sim");
    let (env, check) = environment(&db, &address, EnvironmentForm::default()).await;
    sim.fail_next.store(1, Ordering::Relaxed);
    let outcome = prober().probe(&env, &check).await;
    assert!(!outcome.up());
    assert_eq!(
        sim.hits.load(Ordering::Relaxed),
        1,
        "retry attempts are 0 by default"
    );

    let db = common::db().await;
    let (sim, address) = app::monitoring::simulator::start(0).await.expect("sim");
    let settings = EnvironmentForm {
        retry_attempts: "2".into(),
        retry_backoff_ms: "0".into(),
        ..Default::default()
    };
    let (env, check) = environment(&db, &address, settings).await;
    sim.set(Mode::Failing);
    let outcome = prober().probe(&env, &check).await;
    assert_eq!(
        sim.hits.load(Ordering::Relaxed),
        3,
        "the first try and two retries"
    );
    let (class, message) = outcome.error.expect("failed");
    assert_eq!(class, ErrorClass::Status);
    assert!(message.ends_with("(after 3 attempts)"), "{message}");
}

#[tokio::test]
async fn the_environments_rate_limit_holds_retries_and_checks_back() {
    let db = common::db().await;
    let (sim, address) = app::monitoring::simulator::start(0).await.expect("sim");
    let settings = EnvironmentForm {
        retry_attempts: "5".into(),
        retry_backoff_ms: "0".into(),
        rate_limit_requests: "2".into(),
        rate_limit_period_seconds: "3600".into(),
        timeout_ms: "300".into(),
        ..Default::default()
    };
    let (env, check) = environment(&db, &address, settings).await;
    sim.set(Mode::Failing);
    let prober = prober();
    let outcome = prober.probe(&env, &check).await;
    assert_eq!(sim.hits.load(Ordering::Relaxed), 2, "two requests an hour");
    let (_, message) = outcome.error.expect("failed");
    assert!(
        message.contains("the rate limit allows no more"),
        "{message}"
    );
    // The next check waits for the limit as long as its timeout, then is not sent.
    let outcome = prober.probe(&env, &check).await;
    assert_eq!(sim.hits.load(Ordering::Relaxed), 2, "nothing more was sent");
    assert_eq!(outcome.error.expect("held back").0, ErrorClass::RateLimited);
}

#[tokio::test]
async fn a_check_never_waits_longer_than_the_environments_timeout() {
    let db = common::db().await;
    let (sim, address) = app::monitoring::simulator::start(3_000).await.expect("sim");
    let settings = EnvironmentForm {
        timeout_ms: "200".into(),
        ..Default::default()
    };
    let (env, check) = environment(&db, &address, settings).await;
    assert_eq!(check.timeout_ms, 5_000, "the health check's own is longer");
    sim.set(Mode::Slow);
    let started = Instant::now();
    let outcome = prober().probe(&env, &check).await;
    assert_eq!(outcome.error.expect("timed out").0, ErrorClass::Timeout);
    assert!(
        started.elapsed().as_millis() < 2_000,
        "gave up at the environment's 200 ms: {:?}",
        started.elapsed()
    );
}
