//! Observed provider performance: the `http.client` spans of Sentry transactions become each
//! spec operation's calls, failures and latency percentiles per hour on their environment,
//! merged as more arrive; calls elsewhere or to no operation are not kept; an operation seen
//! is marked used ("Seen in production"), one a person marked keeps its note.

use app::observed::service;
use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::common;

const SPEC: &str = r"openapi: 3.0.3
info: {title: Stripe, version: '1'}
paths:
  /v1/charges:
    post: {responses: {'200': {description: ok}}}
  /v1/charges/search:
    get: {responses: {'200': {description: ok}}}
  /v1/charges/{charge}:
    get:
      parameters: [{name: charge, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
";

/// A transaction of `spans`, each `(method, url, millis, status)`, ending around `at`.
fn transaction(spans: &[(&str, &str, f64, i64)], at: chrono::DateTime<Utc>) -> Value {
    #[allow(clippy::cast_precision_loss)]
    let end = at.timestamp_micros() as f64 / 1e6;
    json!({"type": "transaction", "transaction": "checkout", "spans": spans.iter().map(|(m, u, ms, status)| json!({
        "op": "http.client", "description": format!("{m} {u}"),
        "start_timestamp": end - ms / 1000.0, "timestamp": end,
        "data": {"url": u, "http.request.method": m, "http.response.status_code": status},
    })).collect::<Vec<_>>()})
}

#[tokio::test]
async fn transactions_become_each_operations_calls_and_percentiles_and_mark_it_used() {
    let db = common::db().await;
    let (admin, env_id) = common::production(&db).await;
    let i = app::integrations::lookup::integration(&db, "stripe")
        .await
        .unwrap();
    let spec = app::specs::service::import(&db, &admin, i.id, "Stripe API", SPEC.as_bytes())
        .await
        .unwrap();
    // A person marked the search as used, with their own note.
    app::specs::usage::mark(
        &db,
        &admin,
        spec.spec_id,
        "GET",
        "/v1/charges/search",
        "Reconciliation",
    )
    .await
    .unwrap();
    let env = <app::entities::environments::Entity as sea_orm::EntityTrait>::find_by_id(env_id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let now = Utc::now();
    let base = "https://api.example.com";
    let charges: Vec<(String, f64, i64)> = (1..=100)
        .map(|n| {
            (
                format!("{base}/v1/charges"),
                f64::from(n),
                if n % 20 == 0 { 502 } else { 200 },
            )
        })
        .collect();
    let mut spans: Vec<(&str, &str, f64, i64)> = charges
        .iter()
        .map(|(u, ms, s)| ("POST", u.as_str(), *ms, *s))
        .collect();
    spans.push((
        "GET",
        "https://api.example.com/v1/charges/ch_3PzQ",
        40.0,
        200,
    ));
    spans.push((
        "GET",
        "https://api.example.com/v1/charges/search?query=x",
        80.0,
        200,
    ));
    spans.push(("POST", "https://elsewhere.example/v1/charges", 10.0, 200));
    spans.push(("DELETE", "https://api.example.com/v1/charges", 10.0, 200));
    let matched = service::record(&db, &env, &[transaction(&spans, now)])
        .await
        .unwrap();
    assert_eq!(
        matched, 102,
        "the other host's call and the unknown operation are not kept"
    );

    let view = service::page(&db, "stripe", 24, now).await.unwrap();
    let ops: Vec<(&str, &str, i64)> = view
        .operations
        .iter()
        .map(|o| (o.method.as_str(), o.path.as_str(), o.calls))
        .collect();
    assert_eq!(ops[0], ("POST", "/v1/charges", 100));
    assert_eq!(ops.len(), 3);
    let post = &view.operations[0];
    assert_eq!((post.failures, post.failure_rate), (5, 0.05));
    assert_eq!(post.environment, "production");
    for (got, truth) in [
        (post.p50_ms, 50.0),
        (post.p95_ms, 95.0),
        (post.p99_ms, 99.0),
    ] {
        let got = got.unwrap();
        assert!((got - truth).abs() / truth < 0.06, "{got} for {truth}");
    }
    assert_eq!(post.hours.len(), 1);

    // More of the same hour merge into it; an hour later starts a new one.
    service::record(&db, &env, &[transaction(&spans[..100], now)])
        .await
        .unwrap();
    service::record(
        &db,
        &env,
        &[transaction(&spans[..10], now + Duration::hours(1))],
    )
    .await
    .unwrap();
    let view = service::page(&db, "stripe", 24, now + Duration::hours(1))
        .await
        .unwrap();
    let post = &view.operations[0];
    assert_eq!(post.calls, 210);
    assert_eq!(
        post.hours.iter().map(|h| h.calls).collect::<Vec<_>>(),
        [200, 10]
    );
    // A one-hour window holds the latest hour only.
    let last = service::page(&db, "stripe", 1, now + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(last.operations[0].calls, 10);
    assert!(service::page(&db, "stripe", 0, now).await.is_err());

    // Seen operations are marked used; the person's note stays.
    let used = app::specs::usage::used(&db, i.id).await.unwrap();
    let notes: Vec<(String, String)> = used
        .iter()
        .map(|u| (format!("{} {}", u.method, u.path), u.note.clone()))
        .collect();
    assert!(
        notes.contains(&("POST /v1/charges".into(), "Seen in production".into())),
        "{notes:?}"
    );
    assert!(
        notes.contains(&(
            "GET /v1/charges/{charge}".into(),
            "Seen in production".into()
        )),
        "{notes:?}"
    );
    assert!(
        notes.contains(&("GET /v1/charges/search".into(), "Reconciliation".into())),
        "{notes:?}"
    );
    assert_eq!(used.len(), 3);
}
