//! The Sentry-compatible ingest's service: an envelope's events join the error groups with
//! their context, secrets redacted and the user left out; other items and unreadable events
//! are counted, never a reason to refuse the rest; keys authenticate only their own project
//! until their grace period ends.

use app::auth::model::Role;
use app::entities::{activity, error_events};
use app::sentry::{envelope, keys, service};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::common;

#[tokio::test]
async fn an_envelope_joins_the_error_groups_with_its_context_and_counts_the_rest() {
    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let i = app::integrations::service::create(&db, &admin, &common::form("Stripe", admin.id))
        .await
        .expect("integration");
    let env_id = app::implementation::service::create(
        &db,
        &admin,
        i.id,
        &app::implementation::model::EnvironmentForm {
            name: "production".into(),
            base_url: "https://api.example.com".into(),
            auth_scheme: "bearer".into(),
            ..Default::default()
        },
    )
    .await
    .expect("environment");
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
    let parsed = envelope::parse(body.as_bytes()).expect("an envelope");
    let taken = service::take(&db, &env, &parsed, now).await.expect("taken");
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
    // Resolved, then reported again by the SDK: a regression the trail records with no actor
    // (no one in particular reported it), beside the admin's resolution.
    app::events::service::set_status(&db, &admin, e.group_id, "resolved")
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let again = service::take(&db, &env, &parsed, Utc::now()).await.unwrap();
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
