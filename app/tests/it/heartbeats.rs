//! Heartbeat monitors: the schedule is checked field by field; with a test clock, a missed
//! run, a run that never finishes and a failed run each put the monitor down and open one
//! incident (beside, never instead of, the environment's own), and a good run resolves it;
//! Sentry cron check-ins create their monitor from its config and report its runs.

use app::auth::model::Role;
use app::entities::{environments, heartbeats as rows, incident_updates, incidents};
use app::heartbeats::model::{HeartbeatForm, HeartbeatState, Ping};
use app::heartbeats::service;
use app::sentry::writer::Writer;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::common;

fn form(env_id: i32, interval: &str, cron: &str) -> HeartbeatForm {
    HeartbeatForm {
        name: "Nightly sync".into(),
        environment_id: env_id.to_string(),
        interval_minutes: interval.into(),
        cron: cron.into(),
        grace_minutes: "5".into(),
        ..Default::default()
    }
}

async fn row(db: &DatabaseConnection, id: i32) -> rows::Model {
    rows::Entity::find_by_id(id).one(db).await.unwrap().unwrap()
}

async fn incidents_of(db: &DatabaseConnection) -> Vec<incidents::Model> {
    incidents::Entity::find()
        .order_by_asc(incidents::Column::Id)
        .all(db)
        .await
        .unwrap()
}

/// Monitor `id`'s token, and its `created_at` as the test clock's start.
async fn token(db: &DatabaseConnection, id: i32) -> (String, DateTime<Utc>) {
    let m = row(db, id).await;
    (m.token, m.created_at)
}

#[tokio::test]
async fn a_schedule_is_checked_field_by_field() {
    let db = common::db().await;
    let (admin, env_id) = common::production(&db).await;
    let i = app::integrations::lookup::integration(&db, "stripe")
        .await
        .unwrap();
    let bad = |f: HeartbeatForm| {
        let (db, admin) = (db.clone(), admin.clone());
        async move { common::fields(service::create(&db, &admin, i.id, &f).await.unwrap_err()) }
    };
    assert_eq!(bad(form(env_id, "", "")).await, ["interval_minutes"]);
    assert_eq!(bad(form(env_id, "60", "0 3 * * *")).await, ["cron"]);
    assert_eq!(bad(form(env_id, "", "0 3 * *")).await, ["cron"]);
    assert_eq!(bad(form(env_id, "0", "")).await, ["interval_minutes"]);
    assert_eq!(bad(form(env_id + 99, "60", "")).await, ["environment_id"]);
    let mut blank = form(env_id, "60", "");
    blank.name = " ".into();
    assert_eq!(bad(blank).await, ["name"]);
    let mut late = form(env_id, "60", "");
    late.grace_minutes = "many".into();
    assert_eq!(bad(late).await, ["grace_minutes"]);
    let id = service::create(&db, &admin, i.id, &form(env_id, "", "0 3 * * *"))
        .await
        .expect("a cron schedule");
    let hb = service::get(&db, id).await.unwrap();
    assert_eq!(hb.slug, "nightly-sync");
    assert_eq!(hb.schedule, "cron 0 3 * * * (UTC)");
    assert_eq!(hb.state, HeartbeatState::New);
    assert_eq!(hb.late_after - hb.next_expected_at, Duration::minutes(5));
    assert_eq!(
        bad(form(env_id, "60", "")).await,
        ["slug"],
        "the slug is taken there"
    );
    let stakeholder = common::user(&db, "s@example.com", Role::Stakeholder).await;
    assert!(matches!(
        service::create(&db, &stakeholder, i.id, &form(env_id, "60", "")).await,
        Err(app::error::AppError::Forbidden)
    ));
    let shown = service::page_for(&db, &stakeholder, "stripe", "http://t.example")
        .await
        .unwrap();
    assert_eq!(
        shown.heartbeats[0].ping_url, None,
        "the token is for those who build"
    );
    let shown = service::page_for(&db, &admin, "stripe", "http://t.example")
        .await
        .unwrap();
    let (t, _) = token(&db, id).await;
    assert_eq!(
        shown.heartbeats[0].ping_url.as_deref(),
        Some(format!("http://t.example/api/v1/heartbeats/{t}").as_str())
    );
}

#[tokio::test]
async fn a_missed_run_opens_an_incident_and_a_good_run_resolves_it() {
    let db = common::db().await;
    let (admin, env_id) = common::production(&db).await;
    let i = app::integrations::lookup::integration(&db, "stripe")
        .await
        .unwrap();
    let id = service::create(&db, &admin, i.id, &form(env_id, "60", ""))
        .await
        .unwrap();
    let (t, t0) = token(&db, id).await;
    let at = |minutes: i64| t0 + Duration::minutes(minutes);

    // Within the interval and its grace nothing happens.
    assert_eq!(service::sweep(&db, at(64)).await.unwrap(), 0);
    assert!(incidents_of(&db).await.is_empty());
    // Past them, the run is missed: down, with one critical incident (production).
    assert_eq!(service::sweep(&db, at(66)).await.unwrap(), 1);
    assert_eq!(row(&db, id).await.state, HeartbeatState::Down);
    let opened = incidents_of(&db).await;
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0].heartbeat_id, Some(id));
    assert_eq!(opened[0].environment_id, Some(env_id));
    assert_eq!(opened[0].title, "Nightly sync (production) is not running");
    let note = incident_updates::Entity::find()
        .filter(incident_updates::Column::IncidentId.eq(opened[0].id))
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .note;
    assert!(note.contains("missed its first run"), "{note}");
    // Still late later: no second incident.
    assert_eq!(service::sweep(&db, at(300)).await.unwrap(), 0);
    assert_eq!(incidents_of(&db).await.len(), 1);

    // The environment going down opens its own incident beside the heartbeat's.
    let env = environments::Entity::find_by_id(env_id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let txn = app::activity::service::begin(&db).await.unwrap();
    app::monitoring::incidents::went_down(&txn, &env, 3, "timeout", at(301))
        .await
        .unwrap();
    sea_orm::TransactionSession::commit(txn).await.unwrap();
    assert_eq!(incidents_of(&db).await.len(), 2);

    // A good run: up, its incident resolved, the environment's left open.
    service::ping(&db, &t, Ping::Ok, at(310)).await.unwrap();
    let m = row(&db, id).await;
    assert_eq!((m.state, m.last_ping), (HeartbeatState::Up, Some(Ping::Ok)));
    assert_eq!(m.due_at, at(310 + 60 + 5));
    let all = incidents_of(&db).await;
    assert_eq!(
        all[0].status,
        app::monitoring::model::IncidentStatus::Resolved
    );
    assert_eq!(all[0].resolved_at, Some(at(310)));
    assert_eq!(all[1].status, app::monitoring::model::IncidentStatus::Open);

    // A run that starts and never finishes: down after the longest run (30 min).
    service::ping(&db, &t, Ping::Start, at(370)).await.unwrap();
    assert_eq!(row(&db, id).await.state, HeartbeatState::Running);
    assert_eq!(service::sweep(&db, at(399)).await.unwrap(), 0);
    assert_eq!(service::sweep(&db, at(401)).await.unwrap(), 1);
    let hung = incidents_of(&db).await.pop().unwrap();
    assert_eq!(hung.heartbeat_id, Some(id));
    assert_eq!(hung.status, app::monitoring::model::IncidentStatus::Open);
    service::ping(&db, &t, Ping::Ok, at(402)).await.unwrap();

    // A failed run opens an incident at once.
    service::ping(&db, &t, Ping::Fail, at(420)).await.unwrap();
    assert_eq!(row(&db, id).await.state, HeartbeatState::Down);
    let failed = incidents_of(&db).await.pop().unwrap();
    assert_eq!(failed.status, app::monitoring::model::IncidentStatus::Open);
    assert_eq!(failed.opened_at, at(420));

    assert!(matches!(
        service::ping(&db, "no-such-token", Ping::Ok, at(421)).await,
        Err(app::error::AppError::NotFound)
    ));
}

#[tokio::test]
async fn sentry_check_ins_create_their_monitor_and_report_its_runs() {
    let db = common::db().await;
    let writer = Writer::start(db.clone());
    let (_, env_id) = common::production(&db).await;
    let key = app::sentry::keys::current(&db, env_id).await.unwrap();
    // Whole seconds: PostgreSQL keeps microseconds.
    let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 0);
    let env = app::sentry::keys::environment_of(&db, env_id, &key, now)
        .await
        .unwrap()
        .unwrap();
    let item = |status: &str, config: bool| {
        let mut v = serde_json::json!({"check_in_id": "83a7c03ed0a04e1b97e2e3b18d38f244",
            "monitor_slug": "token-refresh", "status": status});
        if config {
            v["monitor_config"] = serde_json::json!({"schedule": {"type": "interval", "value": 2, "unit": "hour"},
                "checkin_margin": 10, "max_runtime": 20});
        }
        format!("{{}}\n{{\"type\":\"check_in\"}}\n{v}\n")
    };
    // As the ingest takes an envelope: its events stored, its check-ins handed on.
    let send = |body: String, at: DateTime<Utc>| {
        let (db, writer, env) = (db.clone(), writer.clone(), env.clone());
        async move {
            let parsed = app::sentry::envelope::parse(body.as_bytes()).unwrap();
            let mut read = app::sentry::service::read(&parsed, &env.name, at).unwrap();
            let check_ins = std::mem::take(&mut read.check_ins);
            app::sentry::service::store(&writer, &env, read, at)
                .await
                .unwrap();
            let mut recorded = 0;
            for v in &check_ins {
                recorded += usize::from(service::sentry_check_in(&db, &env, v, at).await.unwrap());
            }
            (check_ins.len(), recorded)
        }
    };
    // Unknown, without a schedule: counted, dropped.
    assert_eq!(send(item("ok", false), now).await, (1, 0));
    assert!(rows::Entity::find().one(&db).await.unwrap().is_none());
    // With one: the monitor is made from it, and the run is going.
    assert_eq!(send(item("in_progress", true), now).await, (1, 1));
    let m = rows::Entity::find()
        .one(&db)
        .await
        .unwrap()
        .expect("made by the check-in");
    assert_eq!(
        (
            m.slug.as_str(),
            m.interval_minutes,
            m.grace_minutes,
            m.max_runtime_minutes
        ),
        ("token-refresh", Some(120), 10, 20)
    );
    assert_eq!(m.state, HeartbeatState::Running);
    assert_eq!(m.due_at, now + Duration::minutes(20));
    send(item("ok", false), now + Duration::minutes(3)).await;
    let m = row(&db, m.id).await;
    assert_eq!(m.state, HeartbeatState::Up);
    assert_eq!(m.due_at, now + Duration::minutes(3 + 120 + 10));
    send(item("error", false), now + Duration::minutes(130)).await;
    assert_eq!(row(&db, m.id).await.state, HeartbeatState::Down);
    assert_eq!(incidents_of(&db).await.len(), 1);
    let view = service::page(&db, "stripe").await.unwrap();
    assert_eq!(view.heartbeats[0].schedule, "every 2 hours");
    assert_eq!(view.heartbeats[0].environment, "production");
}
