//! Error events: a batch is taken whole or refused whole, events group by fingerprint with
//! counts per hour, and a resolved group that recurs is a regression.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common;

use app::auth::model::{CurrentUser, Role};
use app::error::AppError;
use app::events::model::{EventIn, GroupStatus};
use app::events::service::{groups_page, hour_of, ingest, set_status};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

/// The first page of integration `id`'s groups (fewer than a page in these tests).
async fn groups(
    db: &sea_orm::DatabaseConnection,
    id: i32,
    status: Option<GroupStatus>,
    now: chrono::DateTime<Utc>,
) -> app::error::Result<Vec<app::events::model::ErrorGroup>> {
    Ok(groups_page(db, id, status, now, 1).await?.items)
}

fn event(message: &str, at: chrono::DateTime<Utc>) -> EventIn {
    EventIn {
        level: "error".into(),
        message: message.into(),
        error_type: "Timeout".into(),
        operation: "POST /v1/charges".into(),
        http_status: Some(504),
        latency_ms: Some(30_000),
        environment: "production".into(),
        time: Some(at.to_rfc3339()),
        context: Some(serde_json::json!({"listing": 42})),
        fingerprint: Vec::new(),
    }
}

#[tokio::test]
async fn events_group_by_fingerprint_count_per_hour_and_a_recurrence_is_a_regression() {
    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let eng = common::user(&db, "eng@example.com", Role::Engineer).await;
    let qa = common::user(&db, "qa@example.com", Role::Qa).await;
    let i = app::integrations::service::create(&db, &admin, &common::form("Stripe", admin.id))
        .await
        .expect("integration");
    let now = Utc::now();
    let earlier = now - Duration::hours(2);

    let timeout =
        like_events_form_one_group_counted_per_hour(&db, &eng, &qa, i.id, now, earlier).await;
    a_bad_event_refuses_the_whole_batch_naming_it(&db, &eng, i.id, now).await;
    a_resolved_group_seen_again_is_a_regression_and_the_owner_hears(
        &db, &admin, &eng, i.id, timeout, earlier,
    )
    .await;
}

async fn like_events_form_one_group_counted_per_hour(
    db: &DatabaseConnection,
    eng: &CurrentUser,
    qa: &CurrentUser,
    integration: i32,
    now: DateTime<Utc>,
    earlier: DateTime<Utc>,
) -> i32 {
    assert_eq!(
        ingest(db, qa, integration, &[event("x", now)])
            .await
            .expect_err("qa"),
        AppError::Forbidden
    );
    let mut batch: Vec<EventIn> = (0..5)
        .map(|n| {
            event(
                &format!("charge ch_{n} timed out after {} ms", 30_000 + n),
                earlier,
            )
        })
        .collect();
    batch.push(event("charge ch_9 timed out after 31000 ms", now));
    let mut declined = event("Card declined", now);
    declined.error_type = "CardDeclined".into();
    declined.level = "warning".into();
    batch.push(declined);
    let report = ingest(db, eng, integration, &batch).await.expect("batch");
    assert_eq!(
        (
            report.accepted,
            report.groups,
            report.new_groups,
            report.regressions
        ),
        (7, 2, 2, 0)
    );
    let listed = groups(db, integration, None, now).await.expect("groups");
    let timeout = listed
        .iter()
        .find(|g| g.error_type == "Timeout")
        .expect("timeout group");
    assert_eq!(timeout.count, 6);
    assert_eq!(timeout.message, "charge <id> timed out after <n> ms");
    assert_eq!(timeout.last_24h.iter().sum::<i64>(), 6);
    assert_eq!(
        timeout.last_24h[21], 5,
        "two hours ago: {:?}",
        timeout.last_24h
    );
    assert_eq!(timeout.last_24h[23], 1);
    assert!(hour_of(timeout.first_seen) == hour_of(earlier));
    timeout.id
}

async fn a_bad_event_refuses_the_whole_batch_naming_it(
    db: &DatabaseConnection,
    eng: &CurrentUser,
    integration: i32,
    now: DateTime<Utc>,
) {
    let before = app::entities::error_events::Entity::find()
        .count(db)
        .await
        .expect("count");
    let mut bad = vec![event("fine", now), event("", now), event("late", now)];
    bad[2].time = Some("yesterday".into());
    bad[0].http_status = Some(42);
    bad[0].context = Some(serde_json::json!([1, 2]));
    let err = ingest(db, eng, integration, &bad)
        .await
        .expect_err("bad batch");
    assert_eq!(
        common::fields(err),
        [
            "events[0].http_status",
            "events[0].context",
            "events[1].message",
            "events[2].time"
        ]
    );
    let too_many = vec![event("x", now); app::limits::EVENT_BATCH + 1];
    assert_eq!(
        common::fields(
            ingest(db, eng, integration, &too_many)
                .await
                .expect_err("too many")
        ),
        ["events"]
    );
    assert_eq!(
        common::fields(ingest(db, eng, integration, &[]).await.expect_err("empty")),
        ["events"]
    );
    assert_eq!(
        app::entities::error_events::Entity::find()
            .count(db)
            .await
            .expect("count"),
        before
    );
}

async fn a_resolved_group_seen_again_is_a_regression_and_the_owner_hears(
    db: &DatabaseConnection,
    admin: &CurrentUser,
    eng: &CurrentUser,
    integration: i32,
    group: i32,
    earlier: DateTime<Utc>,
) {
    set_status(db, eng, group, "resolved")
        .await
        .expect("resolve");
    assert_eq!(
        common::fields(
            set_status(db, eng, group, "fixed")
                .await
                .expect_err("bad status")
        ),
        ["status"]
    );
    let late = ingest(
        db,
        eng,
        integration,
        &[event("charge ch_1 timed out after 1 ms", earlier)],
    )
    .await
    .expect("a late event from before the fix");
    assert_eq!(
        late.regressions, 0,
        "an event from before the fix is no regression"
    );
    let again = ingest(
        db,
        eng,
        integration,
        &[event("charge ch_77 timed out after 29000 ms", Utc::now())],
    )
    .await
    .expect("again");
    assert_eq!(again.regressions, 1);
    let timeout = groups(db, integration, Some(GroupStatus::Unresolved), Utc::now())
        .await
        .expect("groups")
        .into_iter()
        .find(|g| g.id == group)
        .expect("unresolved again");
    assert!(timeout.regressed);
    assert_eq!(timeout.count, 8);
    assert_eq!(
        app::notifications::service::unread(db, admin)
            .await
            .expect("unread"),
        1,
        "the owner is told"
    );
    let trail = app::activity::service::history(db, integration, 200)
        .await
        .expect("trail");
    assert!(
        trail
            .iter()
            .any(|e| e.kind == "error_group" && e.action == "regress")
    );
}

#[tokio::test]
async fn control_characters_are_refused_by_field_and_secrets_are_redacted_in_place() {
    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let eng = common::user(&db, "eng@example.com", Role::Engineer).await;
    let i = app::integrations::service::create(&db, &admin, &common::form("Stripe", admin.id))
        .await
        .expect("integration");
    let now = Utc::now();

    // NUL, which PostgreSQL cannot store, is a field error, not a failed insert.
    let mut nul = event("charge failed\0 after retry", now);
    nul.operation = "POST /v1/\u{7}charges".into();
    let err = ingest(&db, &eng, i.id, &[nul]).await.expect_err("refused");
    assert_eq!(
        common::fields(err),
        ["events[0].message", "events[0].operation"]
    );

    // A key quoted in a message is replaced, not stored, and the batch is kept.
    let mut leaky = event(
        "auth failed for sk_live_51HxQmZKx9aB7cD3eF5gH7iJ9kL1 (AKIA IOSF ODNN 7EXA MPLE)",
        now,
    );
    leaky.context =
        Some(serde_json::json!({"header": "Bearer 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"}));
    let report = ingest(&db, &eng, i.id, &[leaky]).await.expect("kept");
    assert_eq!((report.accepted, report.redactions), (1, 3));
    let stored = app::entities::error_events::Entity::find()
        .all(&db)
        .await
        .expect("events");
    assert_eq!(
        stored[0].message,
        "auth failed for [redacted: stripe-secret-key] ([redacted: aws-access-key])"
    );
    let context: serde_json::Value = serde_json::from_str(&stored[0].context).expect("still JSON");
    assert_eq!(context["header"], "Bearer [redacted: github-token]");
    let group = &groups(&db, i.id, None, now).await.expect("groups")[0];
    assert!(!group.message.contains("sk_live"), "{}", group.message);
}

#[tokio::test]
async fn a_reporters_own_fingerprint_decides_the_group_and_is_checked() {
    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let i = app::integrations::service::create(&db, &admin, &common::form("Stripe", admin.id))
        .await
        .unwrap();
    let now = Utc::now();
    let outage = |error_type: &str, message: &str| EventIn {
        error_type: error_type.into(),
        fingerprint: vec!["stripe-outage".into()],
        ..event(message, now)
    };
    // Two different errors the reporter groups as one outage, and one it leaves to Tollgate.
    let report = app::events::service::ingest(
        &db,
        &admin,
        i.id,
        &[
            outage("Timeout", "charge timed out"),
            outage("ConnectionReset", "connection reset by peer"),
            event("charge timed out", now),
        ],
    )
    .await
    .unwrap();
    assert_eq!((report.accepted, report.groups), (3, 2));
    let too_many = EventIn {
        fingerprint: vec!["x".into(); 11],
        ..event("m", now)
    };
    let blank = EventIn {
        fingerprint: vec![" ".into()],
        ..event("m", now)
    };
    match app::events::service::ingest(&db, &admin, i.id, &[too_many, blank]).await {
        Err(app::error::AppError::Validation(e)) => {
            assert!(e.get("events[0].fingerprint").is_some(), "{e:?}");
            assert!(e.get("events[1].fingerprint[0]").is_some(), "{e:?}");
        }
        other => panic!("expected field errors, got {other:?}"),
    }
}
