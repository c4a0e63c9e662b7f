//! The Sentry-compatible ingest's service: an envelope's events join the error groups with
//! their context, secrets redacted and the user left out; other items and unreadable events
//! are counted, never a reason to refuse the rest; keys authenticate only their own project
//! until their grace period ends.

use app::auth::model::Role;
use app::entities::environments;
use app::entities::{activity, error_events};
use app::sentry::writer::Writer;
use app::sentry::{envelope, keys, service};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::common;

/// Reads `body`'s envelope for `env` and stores it through `writer`, as the ingest does.
async fn take(
    writer: &Writer,
    env: &environments::Model,
    body: &str,
    now: DateTime<Utc>,
) -> service::Taken {
    let parsed = envelope::parse(body.as_bytes()).expect("an envelope");
    let read = service::read(&parsed, &env.name, now).expect("read");
    service::store(writer, env, read, now).await.expect("taken")
}

#[tokio::test]
async fn an_envelope_joins_the_error_groups_with_its_context_and_counts_the_rest() {
    let db = common::db().await;
    let writer = Writer::start(db.clone());
    let (admin, env_id) = common::production(&db).await;
    let key = keys::current(&db, env_id).await.unwrap();
    assert_eq!(keys::current(&db, env_id).await.unwrap(), key, "kept");
    let now = Utc::now();
    let env = keys::environment_of(&db, env_id, &key, now)
        .await
        .unwrap()
        .expect("its own key");
    assert!(
        keys::environment_of(&db, env_id + 1, &key, now)
            .await
            .unwrap()
            .is_none(),
        "not another project's"
    );

    let event = serde_json::json!({
        "event_id": "0f8e2b1c-4d5a-4b6c-8d7e-9f0a1b2c3d4e",
        "level": "error",
        "user": {"ip_address": "203.0.113.9", "email": "buyer@example.com"},
        "release": "shop@1.4.2",
        "tags": {"operation": "POST /v1/charges"},
        "exception": {"values": [{"type": "AuthError",
            "value": "auth failed for sk_live_51HxQmZKx9aB7cD3eF5gH7iJ9kL1",
            "stacktrace": {"frames": [{"function": "charge", "filename": "pay.py", "lineno": 42}]}}]},
        "breadcrumbs": [{"category": "http", "message": "POST /v1/charges 401"}],
    })
    .to_string();
    let body = format!(
        "{{}}\n{{\"type\":\"event\",\"length\":{}}}\n{event}\n{{\"type\":\"event\"}}\n{{not json\n{{\"type\":\"session\"}}\n{{}}\n{{\"type\":\"something_new\"}}\n{{}}\n",
        event.len()
    );
    let taken = take(&writer, &env, &body, now).await;
    assert_eq!(
        taken,
        service::Taken {
            event_id: Some("0f8e2b1c4d5a4b6c8d7e9f0a1b2c3d4e".into()),
            events: 1,
            dropped: 1,
            other: 2,
        }
    );
    let stored = error_events::Entity::find().all(&db).await.unwrap();
    assert_eq!(stored.len(), 1);
    let e = &stored[0];
    assert_eq!(e.environment, "production");
    assert!(!e.message.contains("sk_live"), "{}", e.message);
    for kept in ["pay.py", "POST /v1/charges 401", "\"lineno\":42"] {
        assert!(e.context.contains(kept), "{kept} not in {}", e.context);
    }
    for dropped in ["203.0.113.9", "buyer@example.com"] {
        assert!(!e.context.contains(dropped), "{dropped} in {}", e.context);
    }
    // The group's page shows the latest event's frames, breadcrumbs and tags, and where and
    // in which release it was seen.
    let detail = app::events::detail::group(&db, e.group_id).await.unwrap();
    assert_eq!(detail.environments, ["production"]);
    assert_eq!(detail.first_release.as_deref(), Some("shop@1.4.2"));
    assert_eq!(detail.last_release.as_deref(), Some("shop@1.4.2"));
    let latest = detail.latest.expect("an event");
    assert_eq!(
        latest.frames,
        [app::events::model::Frame {
            function: "charge".into(),
            file: "pay.py".into(),
            line: Some(42),
            in_app: false,
        }]
    );
    assert_eq!(latest.breadcrumbs.len(), 1);
    assert_eq!(latest.breadcrumbs[0].category, "http");
    assert_eq!(latest.breadcrumbs[0].message, "POST /v1/charges 401");
    assert_eq!(
        latest.tags,
        [("operation".to_string(), "POST /v1/charges".to_string())]
    );
    assert_eq!(
        latest.context, None,
        "an SDK's context is shown in its parts"
    );
    // Resolved, then reported again by the SDK: a regression the trail records with no actor
    // (no one in particular reported it), beside the admin's resolution.
    app::events::service::set_status(&db, &admin, e.group_id, "resolved")
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let again = take(&writer, &env, &body, Utc::now()).await;
    assert_eq!(again.events, 1);
    let trail: Vec<(Option<i32>, String)> = activity::Entity::find()
        .filter(activity::Column::EntityKind.eq("error_group"))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.actor_id, a.action))
        .collect();
    assert_eq!(
        trail,
        [
            (Some(admin.id), "update".to_string()),
            (None, "regress".to_string())
        ]
    );

    // Rotated: the old key is taken through the grace period, not after.
    let new = keys::rotate(&db, &admin, env_id, now).await.unwrap();
    assert_ne!(new, key);
    assert_eq!(keys::current(&db, env_id).await.unwrap(), new);
    let within = now + keys::GRACE - Duration::minutes(1);
    let after = now + keys::GRACE + Duration::minutes(1);
    assert!(
        keys::environment_of(&db, env_id, &key, within)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        keys::environment_of(&db, env_id, &key, after)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        keys::environment_of(&db, env_id, &new, after)
            .await
            .unwrap()
            .is_some()
    );
    let qa = common::user(&db, "qa@example.com", Role::Qa).await;
    assert!(matches!(
        keys::rotate(&db, &qa, env_id, now).await,
        Err(app::error::AppError::Forbidden)
    ));
}

/// An envelope of `n` events of `kind`, the `i`th message naming `i`.
fn events(n: usize, kind: &str) -> String {
    let mut body = String::from("{}\n");
    for i in 0..n {
        let event = serde_json::json!({
            "level": "error",
            "exception": {"values": [{"type": kind, "value": format!("charge {i} failed")}]},
        })
        .to_string();
        body.push_str(&format!(
            "{{\"type\":\"event\",\"length\":{}}}\n{event}\n",
            event.len()
        ));
    }
    body
}

#[tokio::test]
async fn the_writer_stores_envelopes_sent_together_whole() {
    let db = common::db().await;
    let writer = Writer::start(db.clone());
    let (_, env_id) = common::production(&db).await;
    let key = keys::current(&db, env_id).await.unwrap();
    let env = keys::environment_of(&db, env_id, &key, Utc::now())
        .await
        .unwrap()
        .unwrap();
    // Twenty envelopes at once, of two kinds: every event stored, each group counted whole.
    let sent: Vec<_> = (0..20)
        .map(|i| {
            let (writer, env) = (writer.clone(), env.clone());
            let kind = if i % 2 == 0 {
                "Timeout"
            } else {
                "CardDeclined"
            };
            tokio::spawn(async move { take(&writer, &env, &events(50, kind), Utc::now()).await })
        })
        .collect();
    for s in sent {
        let t = s.await.unwrap();
        assert_eq!((t.events, t.dropped), (50, 0));
    }
    assert_eq!(error_events::Entity::find().count(&db).await.unwrap(), 1000);
    let groups = app::entities::error_groups::Entity::find()
        .all(&db)
        .await
        .unwrap();
    let mut counts: Vec<(String, i64)> = groups
        .into_iter()
        .map(|g| (g.error_type, g.count))
        .collect();
    counts.sort();
    assert_eq!(
        counts,
        [("CardDeclined".into(), 500), ("Timeout".into(), 500)]
    );
}

#[tokio::test]
async fn every_environment_has_a_key_from_the_start_and_the_migration_gives_older_ones_theirs() {
    use migration::MigratorTrait;
    let db = common::db().await;
    let (_, env_id) = common::production(&db).await;
    let made = keys::current(&db, env_id)
        .await
        .expect("made with the environment");
    assert_eq!(made.len(), 32);
    // An environment from before the ingest: no key, until the migration's backfill runs.
    app::entities::ingest_keys::Entity::delete_many()
        .exec(&db)
        .await
        .unwrap();
    assert!(matches!(
        keys::current(&db, env_id).await,
        Err(app::error::AppError::NotFound)
    ));
    // Down to before the backfill (and whatever came after it), then up again.
    let names: Vec<String> = migration::Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    let backfill = names
        .iter()
        .position(|n| n == "m20261224_000001_ingest_key_backfill")
        .expect("the backfill");
    let steps = u32::try_from(names.len() - backfill).unwrap();
    migration::Migrator::down(&db, Some(steps)).await.unwrap();
    migration::Migrator::up(&db, None).await.unwrap();
    let given = keys::current(&db, env_id).await.expect("backfilled");
    assert!(
        given.len() == 32 && given.bytes().all(|b| b.is_ascii_hexdigit()) && given != made,
        "{given}"
    );
    let env = keys::environment_of(&db, env_id, &given, Utc::now())
        .await
        .unwrap();
    assert!(env.is_some(), "the backfilled key authenticates");
}
