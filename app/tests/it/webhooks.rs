//! The outbox and webhook delivery: events written with their change, fanned out by each
//! endpoint's filters, signed, retried on the schedule (and after `Retry-After`), failed after
//! the last attempt, resent by hand, claimed by one process only, and an endpoint failing for
//! days disabled. A receiver on a local port stands in for the subscriber.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use app::auth::model::{CurrentUser, Role};
use app::entities::{
    notifications, outbox_events, webhook_attempts, webhook_deliveries, webhook_endpoints,
};
use app::outbound::Guard;
use app::outbox::EventType;
use app::outbox::service::{Event, emit};
use app::webhooks::model::{DeliveryState, EndpointForm};
use app::webhooks::service as webhooks;
use app::webhooks::worker::{self, Config, Sender};
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, TransactionTrait,
};
use serde_json::json;

use crate::common;

/// What the receiver got: the headers it checks, and the body.
#[derive(Debug, Clone)]
struct Got {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

/// A subscriber on a local port: answers with `script`'s (status, Retry-After) in turn, then
/// 200, and keeps what it got.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Got>>>,
}

async fn receiver(script: Vec<(u16, Option<&'static str>)>) -> Receiver {
    use axum::http::{HeaderMap, StatusCode};
    let got: Arc<Mutex<Vec<Got>>> = Arc::default();
    let script = Arc::new(Mutex::new(VecDeque::from(script)));
    let kept = got.clone();
    // Any path: a Slack-compatible address carries its token in its path.
    let app = axum::Router::new().fallback(move |headers: HeaderMap, body: String| {
        let (kept, script) = (kept.clone(), script.clone());
        async move {
            let h = |n: &str| {
                headers
                    .get(n)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string()
            };
            kept.lock().unwrap().push(Got {
                id: h("webhook-id"),
                timestamp: h("webhook-timestamp"),
                signature: h("webhook-signature"),
                body,
            });
            let (status, after) = script.lock().unwrap().pop_front().unwrap_or((200, None));
            let mut res = axum::response::Response::new(axum::body::Body::from("thanks"));
            *res.status_mut() = StatusCode::from_u16(status).unwrap();
            if let Some(after) = after {
                res.headers_mut()
                    .insert("retry-after", after.parse().unwrap());
            }
            res
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://127.0.0.1:{}/hook",
        listener.local_addr().unwrap().port()
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    Receiver { url, got }
}

fn local() -> Guard {
    Guard::new(["127.0.0.1"])
}

fn config(retries: &[i64]) -> Config {
    Config {
        retries: retries
            .iter()
            .map(|ms| Duration::milliseconds(*ms))
            .collect(),
        timeout: std::time::Duration::from_secs(5),
        public_url: "https://tollgate.example.com".into(),
        ..Default::default()
    }
}

fn endpoint_form(url: &str, events: &[&str], integrations: &[&str]) -> EndpointForm {
    EndpointForm {
        url: url.into(),
        format: String::new(),
        description: "Ops".into(),
        events: events.iter().map(|s| s.to_string()).collect(),
        integrations: integrations.iter().map(|s| s.to_string()).collect(),
        enabled: true,
    }
}

async fn setup() -> (
    DatabaseConnection,
    CurrentUser,
    app::integrations::model::Integration,
) {
    let db = common::db().await;
    let coord = common::user(&db, "coord@example.com", Role::Coordinator).await;
    let i = app::integrations::service::create(&db, &coord, &common::form("Stripe", coord.id))
        .await
        .expect("integration");
    (db, coord, i)
}

/// An incident opened by hand on `i`: the change that emits `incident.opened`.
async fn open_incident(db: &DatabaseConnection, _actor: &CurrentUser, integration_id: i32) {
    common::incident(db, integration_id, "Refunds stuck").await;
}

/// Rounds of the worker until `done` holds (at most 100, 20 ms apart).
async fn rounds_until(
    db: &DatabaseConnection,
    sender: &Sender,
    config: &Config,
    done: impl Fn(&[webhook_deliveries::Model]) -> bool,
) -> Vec<webhook_deliveries::Model> {
    for _ in 0..100 {
        worker::run_due(db, sender, "test-owner", config)
            .await
            .expect("round");
        let all = webhook_deliveries::Entity::find().all(db).await.unwrap();
        if done(&all) {
            return all;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the deliveries never got there");
}

#[tokio::test]
async fn an_event_is_written_with_its_change_and_never_for_one_rolled_back() {
    let (db, coord, i) = setup().await;
    let txn = db.begin().await.unwrap();
    let event = || Event::new(EventType::Test, None, "t", "/", json!({"by": "someone"}));
    emit(&txn, event()).await.expect("emit");
    txn.rollback().await.unwrap();
    assert_eq!(outbox_events::Entity::find().count(&db).await.unwrap(), 0);

    // A real change: the incident and its event commit together.
    open_incident(&db, &coord, i.id).await;
    let events = outbox_events::Entity::find().all(&db).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event_type, EventType::IncidentOpened);
    assert_eq!(events[0].integration_id, Some(i.id));
    assert!(events[0].uid.starts_with("msg_") && events[0].uid.len() == 36);

    // Data that does not match the catalogue is refused (in a debug build).
    let wrong = Event::new(
        EventType::ProbeDown,
        None,
        "t",
        "/",
        json!({"environment": "x"}),
    );
    assert!(emit(&db, wrong).await.is_err());
}

#[tokio::test]
async fn deliveries_follow_the_filters_are_signed_and_retried_until_delivered() {
    let (db, coord, i) = setup().await;
    let other = app::integrations::service::create(&db, &coord, &common::form("Adyen", coord.id))
        .await
        .expect("integration");
    let r = receiver(vec![(500, None), (502, None)]).await;
    let all = webhooks::create(&db, &coord, &local(), &endpoint_form(&r.url, &[], &[]))
        .await
        .expect("all");
    let secret = all.secret.clone().expect("a signed endpoint's secret");
    assert!(secret.starts_with("whsec_"));
    let probes = webhooks::create(
        &db,
        &coord,
        &local(),
        &endpoint_form(&r.url, &["probe.down"], &[]),
    )
    .await
    .expect("probes only");
    let adyen = webhooks::create(
        &db,
        &coord,
        &local(),
        &endpoint_form(&r.url, &[], &[&other.slug]),
    )
    .await
    .expect("adyen only");
    open_incident(&db, &coord, i.id).await;
    let config = config(&[10, 10, 10]);
    let sender = Sender::new(local(), config.timeout);
    let done = rounds_until(&db, &sender, &config, |d| {
        d.iter().all(|d| d.state == DeliveryState::Delivered)
    })
    .await;
    assert_eq!(
        done.len(),
        1,
        "only the endpoint taking everything wants it"
    );
    assert_eq!(done[0].endpoint_id, all.endpoint.id);
    assert_eq!(done[0].attempts, 3);
    assert_ne!(done[0].endpoint_id, probes.endpoint.id);
    assert_ne!(done[0].endpoint_id, adyen.endpoint.id);

    let got = r.got.lock().unwrap().clone();
    assert_eq!(got.len(), 3, "two failures and the delivery");
    let event = outbox_events::Entity::find()
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    for g in &got {
        assert_eq!(g.id, event.uid, "the same webhook-id on every attempt");
        let ts: i64 = g.timestamp.parse().unwrap();
        assert!((Utc::now().timestamp() - ts).abs() < 30);
        let expected = app::webhooks::signature::header(&[&secret], &g.id, ts, g.body.as_bytes());
        assert_eq!(g.signature, expected);
    }
    let body: serde_json::Value = serde_json::from_str(&got[2].body).unwrap();
    assert_eq!(body["type"], "incident.opened");
    assert_eq!(body["version"], 1);
    assert_eq!(body["integration"]["slug"], i.slug.as_str());
    assert_eq!(body["data"]["summary"], "Since 09:00.");
    assert!(
        body["link"]
            .as_str()
            .unwrap()
            .starts_with("https://tollgate.example.com/incidents/"),
        "{body}"
    );

    let log = webhooks::attempts(&db, all.endpoint.id, 1).await.unwrap();
    assert_eq!(log.total, 3);
    let codes: Vec<Option<i32>> = log.items.iter().map(|a| a.status_code).collect();
    assert_eq!(codes, vec![Some(200), Some(502), Some(500)], "newest first");
    assert_eq!(log.items[0].response_body, "thanks");
    assert_eq!(log.items[0].delivery_state, DeliveryState::Delivered);
}

#[tokio::test]
async fn retry_after_is_honoured_the_last_failure_fails_and_a_resend_is_by_hand() {
    let (db, coord, i) = setup().await;
    let r = receiver(vec![(429, Some("120"))]).await;
    let e = webhooks::create(&db, &coord, &local(), &endpoint_form(&r.url, &[], &[]))
        .await
        .unwrap();
    open_incident(&db, &coord, i.id).await;
    let config = config(&[10]);
    let sender = Sender::new(local(), config.timeout);
    let before = Utc::now();
    let d = rounds_until(&db, &sender, &config, |d| d.iter().all(|d| d.attempts == 1)).await;
    assert_eq!(d[0].state, DeliveryState::Pending);
    assert!(
        d[0].next_attempt_at >= before + Duration::seconds(119),
        "Retry-After: 120 beats a 10 ms wait: {}",
        d[0].next_attempt_at
    );
    // Due now: the next answer (500) is the last attempt the schedule allows.
    let mut a = d[0].clone().into_active_model();
    a.next_attempt_at = Set(Utc::now());
    a.update(&db).await.unwrap();
    *r.got.lock().unwrap() = Vec::new();
    let failing = receiver(vec![(500, None), (500, None)]).await;
    let mut moved = webhook_endpoints::Entity::find_by_id(e.endpoint.id)
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    moved.url = Set(failing.url.clone());
    moved.update(&db).await.unwrap();
    let d = rounds_until(&db, &sender, &config, |d| {
        d.iter().all(|d| d.state == DeliveryState::Failed)
    })
    .await;
    assert_eq!(d[0].attempts, 2);
    assert_eq!(d[0].last_status, Some(500));
    assert!(d[0].finished_at.is_some());

    // Sent again by hand: one more attempt (a 500 again), logged as by hand, failed again.
    webhooks::retry(&db, &coord, d[0].id).await.expect("retry");
    let d = rounds_until(&db, &sender, &config, |d| d.iter().all(|d| d.attempts == 3)).await;
    assert_eq!(d[0].state, DeliveryState::Failed);
    let log = webhooks::attempts(&db, e.endpoint.id, 1).await.unwrap();
    assert!(log.items[0].by_hand && !log.items[1].by_hand);
    let eng = common::user(&db, "eng@example.com", Role::Engineer).await;
    assert_eq!(
        webhooks::retry(&db, &eng, d[0].id).await.unwrap_err(),
        app::error::AppError::Forbidden
    );
}

#[tokio::test]
async fn two_claimers_never_take_the_same_delivery_and_one_endpoint_holds_only_its_places() {
    let (db, coord, i) = setup().await;
    let slow = webhooks::create(
        &db,
        &coord,
        &local(),
        &endpoint_form("http://127.0.0.1:9/a", &[], &[]),
    )
    .await
    .unwrap();
    let quick = webhooks::create(
        &db,
        &coord,
        &local(),
        &endpoint_form("http://127.0.0.1:9/b", &[], &[]),
    )
    .await
    .unwrap();
    for _ in 0..30 {
        open_incident(&db, &coord, i.id).await;
    }
    worker::fan_out(&db, Utc::now()).await.unwrap();
    assert_eq!(
        webhook_deliveries::Entity::find().count(&db).await.unwrap(),
        60
    );
    // A second fan-out (another replica's) adds nothing.
    let _ = outbox_events::Entity::update_many()
        .col_expr(
            outbox_events::Column::DispatchedAt,
            sea_orm::sea_query::Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .exec(&db)
        .await;
    worker::fan_out(&db, Utc::now()).await.unwrap();
    assert_eq!(
        webhook_deliveries::Entity::find().count(&db).await.unwrap(),
        60
    );

    let config = Config {
        per_endpoint: 4,
        ..config(&[10])
    };
    let now = Utc::now();
    let (a, b) = tokio::join!(
        worker::claim(&db, "a", &config, 64, now),
        worker::claim(&db, "b", &config, 64, now)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let mut ids: Vec<i32> = a.iter().chain(&b).map(|c| c.delivery.id).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "no delivery claimed twice");
    for e in [slow.endpoint.id, quick.endpoint.id] {
        let taken = a.iter().chain(&b).filter(|c| c.endpoint.id == e).count();
        assert_eq!(taken, 4, "each endpoint gets its four places, no more");
    }
    // Nothing more while those leases hold.
    assert!(
        worker::claim(&db, "c", &config, 64, now)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn the_guard_is_asked_at_delivery_time_and_a_failing_endpoint_is_disabled_after_days() {
    let (db, coord, i) = setup().await;
    let r = receiver(vec![]).await;
    // Saved while 127.0.0.1 was allowed; sent by a process that no longer allows it.
    let e = webhooks::create(&db, &coord, &local(), &endpoint_form(&r.url, &[], &[]))
        .await
        .unwrap();
    let mut a = webhook_endpoints::Entity::find_by_id(e.endpoint.id)
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    a.failing_since = Set(Some(Utc::now() - Duration::days(6)));
    a.update(&db).await.unwrap();
    open_incident(&db, &coord, i.id).await;
    let config = config(&[10, 10]);
    let strict = Sender::new(Guard::default(), config.timeout);
    rounds_until(&db, &strict, &config, |d| d.iter().all(|d| d.attempts == 1)).await;
    assert!(
        r.got.lock().unwrap().is_empty(),
        "nothing reached the loopback address"
    );
    let attempt = webhook_attempts::Entity::find()
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(attempt.status_code, None);
    assert!(
        attempt
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("loopback"),
        "{attempt:?}"
    );
    let endpoint = webhook_endpoints::Entity::find_by_id(e.endpoint.id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(!endpoint.enabled, "failing for six days: disabled");
    assert!(
        endpoint
            .disabled_reason
            .unwrap_or_default()
            .contains("Every delivery has failed")
    );
    let told = notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(coord.id))
        .filter(notifications::Column::Kind.eq(app::notifications::model::Kind::WebhookDisabled))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(told, 1, "its creator is told");
    // A disabled endpoint gets nothing new, and nothing left pending is claimed for it.
    open_incident(&db, &coord, i.id).await;
    worker::fan_out(&db, Utc::now()).await.unwrap();
    assert_eq!(
        webhook_deliveries::Entity::find().count(&db).await.unwrap(),
        1
    );
    let mut d = webhook_deliveries::Entity::find()
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    d.next_attempt_at = Set(Utc::now());
    d.update(&db).await.unwrap();
    assert!(
        worker::claim(&db, "x", &config, 10, Utc::now())
            .await
            .unwrap()
            .is_empty()
    );

    // Enabling it again clears why, and the streak.
    let mut form = webhooks::get(&db, &coord, e.endpoint.id)
        .await
        .unwrap()
        .form();
    form.enabled = true;
    webhooks::update(&db, &coord, &local(), e.endpoint.id, &form)
        .await
        .unwrap();
    let back = webhooks::get(&db, &coord, e.endpoint.id).await.unwrap();
    assert!(back.enabled && back.disabled_reason.is_none() && back.failing_since.is_none());
}

#[tokio::test]
async fn endpoints_are_checked_named_and_kept_to_admins_and_coordinators() {
    let (db, coord, i) = setup().await;
    let eng = common::user(&db, "eng@example.com", Role::Engineer).await;
    let good = endpoint_form("http://127.0.0.1:9/x", &["incident.opened"], &[&i.slug]);
    assert_eq!(
        webhooks::create(&db, &eng, &local(), &good)
            .await
            .unwrap_err(),
        app::error::AppError::Forbidden
    );
    assert_eq!(
        webhooks::list(&db, &eng).await.unwrap_err(),
        app::error::AppError::Forbidden
    );
    let bad = EndpointForm {
        url: "ftp://example.com".into(),
        events: vec!["incident.exploded".into()],
        integrations: vec!["nope".into()],
        ..good.clone()
    };
    let mut fields = common::fields(
        webhooks::create(&db, &coord, &local(), &bad)
            .await
            .unwrap_err(),
    );
    fields.sort();
    assert_eq!(fields, vec!["events", "integrations", "url"]);
    // An internal address is refused when saved (unless allowed).
    let err = webhooks::create(&db, &coord, &Guard::default(), &good)
        .await
        .unwrap_err();
    assert_eq!(common::fields(err), vec!["url"]);
    // A test event cannot be subscribed to; it is sent by hand.
    let test = endpoint_form("http://127.0.0.1:9/x", &["test"], &[]);
    assert_eq!(
        common::fields(
            webhooks::create(&db, &coord, &local(), &test)
                .await
                .unwrap_err()
        ),
        vec!["events"]
    );

    let made = webhooks::create(&db, &coord, &local(), &good)
        .await
        .unwrap();
    assert_eq!(made.endpoint.integrations, vec![i.slug.clone()]);
    assert_eq!(made.endpoint.events, vec![EventType::IncidentOpened]);
    let rotated = webhooks::rotate(&db, &coord, made.endpoint.id, "")
        .await
        .unwrap();
    assert_ne!(rotated.secret, made.secret);
    assert!(rotated.endpoint.previous_secret_until.is_some());
    let stored = webhook_endpoints::Entity::find_by_id(made.endpoint.id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.previous_secret.as_deref(), made.secret.as_deref());
    assert_eq!(
        common::fields(
            webhooks::rotate(&db, &coord, made.endpoint.id, "1000")
                .await
                .unwrap_err()
        ),
        vec!["overlap_hours"]
    );
    // The trail has the endpoint's changes, never its secret.
    let trail = app::entities::activity::Entity::find()
        .filter(app::entities::activity::Column::EntityKind.eq("webhook_endpoint"))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(trail.len(), 2, "create and rotate");
    for row in &trail {
        let text = format!("{:?}{:?}", row.before, row.after);
        assert!(!text.contains("whsec_"), "{text}");
    }
    webhooks::delete(&db, &coord, made.endpoint.id)
        .await
        .unwrap();
    assert_eq!(
        webhook_endpoints::Entity::find().count(&db).await.unwrap(),
        0
    );
}

#[tokio::test]
async fn the_sweep_tells_each_due_rotation_and_overdue_milestone_once() {
    let (db, _coord, i) = setup().await;
    let today = Utc::now().date_naive();
    common::milestone(
        &db,
        i.id,
        "Sandbox keys",
        today - Duration::days(2),
        app::planning::model::MilestoneStatus::InProgress,
    )
    .await;
    common::milestone(
        &db,
        i.id,
        "Done already",
        today - Duration::days(2),
        app::planning::model::MilestoneStatus::Done,
    )
    .await;
    assert_eq!(app::outbox::due::sweep(&db, today).await.unwrap(), 1);
    assert_eq!(
        app::outbox::due::sweep(&db, today).await.unwrap(),
        0,
        "told once"
    );
    let e = outbox_events::Entity::find()
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.event_type, EventType::MilestoneOverdue);
    assert_eq!(e.integration_id, Some(i.id));
}

#[tokio::test]
async fn a_slack_compatible_endpoint_gets_a_readable_message_and_its_address_stays_a_credential() {
    let (db, coord, i) = setup().await;
    let r = receiver(vec![]).await;
    // The receiver standing in for a chat service, its token in the path as Slack's is.
    let token = "T0AAAAAAA/B0BBBBBBB/abcdefghijklmnopqrstuvwx";
    let url = format!("{}/services/{token}", r.url);
    let slack = |url: &str| EndpointForm {
        format: "slack".into(),
        ..endpoint_form(url, &["incident.opened"], &[])
    };

    // A chat address is a credential: refused as a signed endpoint's URL and in any other
    // field, taken only as a Slack-compatible endpoint's URL.
    let real = "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/abcdefghijklmnopqrstuvwx";
    let err = webhooks::create(&db, &coord, &local(), &endpoint_form(real, &[], &[]))
        .await
        .unwrap_err();
    assert!(
        format!("{err:?}").contains("choose the Slack-compatible format"),
        "{err:?}"
    );
    assert_eq!(common::fields(err), vec!["url"]);
    let in_description = EndpointForm {
        description: format!("Posts to {real}"),
        ..slack(&url)
    };
    assert_eq!(
        common::fields(
            webhooks::create(&db, &coord, &local(), &in_description)
                .await
                .unwrap_err()
        ),
        vec!["description"]
    );
    let with_a_key = slack(&format!("{url}?key=sk_live_abcdefghijklmnopqrstuvwx"));
    assert_eq!(
        common::fields(
            webhooks::create(&db, &coord, &local(), &with_a_key)
                .await
                .unwrap_err()
        ),
        vec!["url"],
        "only the chat address's own token passes"
    );
    assert_eq!(
        common::fields(
            webhooks::create(
                &db,
                &coord,
                &local(),
                &EndpointForm {
                    format: "teams".into(),
                    ..slack(&url)
                }
            )
            .await
            .unwrap_err()
        ),
        vec!["format"]
    );

    let made = webhooks::create(&db, &coord, &local(), &slack(&url))
        .await
        .expect("slack endpoint");
    assert_eq!(made.secret, None, "not signed: no secret to show");
    let shown = made.endpoint.url.clone();
    assert!(
        shown.ends_with("/…uvwx") && !shown.contains("abcdefghij"),
        "{shown}"
    );
    let id = made.endpoint.id;
    let listed = webhooks::list(&db, &coord).await.unwrap();
    assert_eq!(listed.endpoints[0].url, shown);

    // Saving with the address blank, or as shown, keeps it; the format stays.
    for kept in ["", shown.as_str()] {
        let form = EndpointForm {
            url: kept.into(),
            description: "Ops channel".into(),
            ..slack(&url)
        };
        webhooks::update(&db, &coord, &local(), id, &form)
            .await
            .expect("kept");
        let stored = webhook_endpoints::Entity::find_by_id(id)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.url, url);
    }
    let to_standard = EndpointForm {
        format: "standard".into(),
        ..slack("")
    };
    assert_eq!(
        common::fields(
            webhooks::update(&db, &coord, &local(), id, &to_standard)
                .await
                .unwrap_err()
        ),
        vec!["format"]
    );
    assert!(matches!(
        webhooks::rotate(&db, &coord, id, "").await.unwrap_err(),
        app::error::AppError::Conflict(_)
    ));
    let trail = app::entities::activity::Entity::find()
        .filter(app::entities::activity::Column::EntityKind.eq("webhook_endpoint"))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(trail.len(), 2, "create and the save that changed something");
    for row in &trail {
        let text = format!("{:?}{:?}", row.before, row.after);
        assert!(
            !text.contains("abcdefghij"),
            "the trail holds no token: {text}"
        );
    }

    open_incident(&db, &coord, i.id).await;
    let config = config(&[10]);
    let sender = Sender::new(local(), config.timeout);
    rounds_until(&db, &sender, &config, |d| {
        d.len() == 1 && d[0].state == DeliveryState::Delivered
    })
    .await;
    let got = r.got.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert!(
        got[0].signature.is_empty() && got[0].id.is_empty(),
        "not signed"
    );
    let body: serde_json::Value = serde_json::from_str(&got[0].body).unwrap();
    let text = body["text"].as_str().unwrap();
    assert!(
        text.starts_with("*Stripe*: An incident was opened\n"),
        "{text}"
    );
    assert!(text.contains("Refunds stuck"), "{text}");
    assert!(
        text.contains("<https://tollgate.example.com/incidents/")
            && text.ends_with("|Open in Tollgate>"),
        "{text}"
    );
}

#[tokio::test]
async fn an_endpoint_with_a_backlog_never_takes_another_s_turn() {
    let (db, coord, i) = setup().await;
    let backlog = webhooks::create(
        &db,
        &coord,
        &local(),
        &endpoint_form("http://127.0.0.1:9/hangs", &[], &[]),
    )
    .await
    .unwrap();
    // 300 events owed to the first endpoint alone, all due before the other's one.
    for _ in 0..300 {
        open_incident(&db, &coord, i.id).await;
    }
    worker::fan_out(&db, Utc::now()).await.unwrap();
    let fresh = webhooks::create(
        &db,
        &coord,
        &local(),
        &endpoint_form("http://127.0.0.1:9/fresh", &[], &[]),
    )
    .await
    .unwrap();
    open_incident(&db, &coord, i.id).await;
    worker::fan_out(&db, Utc::now()).await.unwrap();
    let config = Config {
        per_endpoint: 4,
        ..config(&[10])
    };
    let claimed = worker::claim(&db, "a", &config, 64, Utc::now())
        .await
        .unwrap();
    let of = |e: i32| claimed.iter().filter(|c| c.endpoint.id == e).count();
    assert_eq!(
        of(backlog.endpoint.id),
        4,
        "the backlog holds its own places"
    );
    assert_eq!(
        of(fresh.endpoint.id),
        1,
        "and the other endpoint still gets its turn"
    );
}
