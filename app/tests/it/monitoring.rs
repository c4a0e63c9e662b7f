//! Health probes against a local provider simulator that turns healthy, failing and slow on
//! command: retries before down, an automatic incident opened and resolved (with its
//! notifications and trail), timeouts and statuses classified, leases that keep a check from
//! running twice, the outbound guard, and the go-live criterion on consecutive successes.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common;

use std::sync::Arc;

use app::auth::model::{CurrentUser, Role};
use app::entities::{activity, incidents, monitors, probe_results};
use app::implementation::model::EnvironmentForm;
use app::integrations::model::Integration;
use app::monitoring::model::{ErrorClass, IncidentSeverity, IncidentStatus};
use app::monitoring::probe::Prober;
use app::monitoring::scheduler::{Config, claim, record, run_due};
use app::monitoring::simulator::{Mode, Simulator};
use app::monitors::MonitorState;
use app::outbound::Guard;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

async fn simulator() -> (Arc<Simulator>, String) {
    app::monitoring::simulator::start(2_000)
        .await
        .expect("simulator")
}

fn env_form(name: &str, base_url: &str) -> EnvironmentForm {
    EnvironmentForm {
        name: name.into(),
        base_url: base_url.into(),
        auth_scheme: "bearer".into(),
        health_path: "/health".into(),
        health_pointer: "/status".into(),
        health_pointer_value: "ok".into(),
        health_interval_seconds: "10".into(),
        health_timeout_ms: "500".into(),
        ..Default::default()
    }
}

/// An integration with an environment named by each of `names`, all pointing at one
/// simulated provider: the database, the provider, its address and the environments' ids.
async fn provider_behind(names: &[&str]) -> (DatabaseConnection, Arc<Simulator>, String, Vec<i32>) {
    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let i = app::integrations::service::create(&db, &admin, &common::form("Stripe", admin.id))
        .await
        .expect("integration");
    let (sim, address) = simulator().await;
    let mut envs = Vec::new();
    for name in names {
        envs.push(
            app::implementation::service::create(&db, &admin, i.id, &env_form(name, &address))
                .await
                .expect("environment"),
        );
    }
    (db, sim, address, envs)
}

/// A production environment watched by the scheduler, a simulated provider behind it, and the
/// scheduler's clock: check `n` is due at `at(n)`, ten seconds apart.
struct Watched {
    db: DatabaseConnection,
    admin: CurrentUser,
    stake: CurrentUser,
    i: Integration,
    env: i32,
    sim: Arc<Simulator>,
    address: String,
    prober: Prober,
    config: Config,
    t0: DateTime<Utc>,
}

impl Watched {
    fn at(&self, n: i64) -> DateTime<Utc> {
        self.t0 + Duration::seconds(10 * n)
    }

    async fn state(&self) -> monitors::Model {
        monitors::Entity::find_by_id(self.env)
            .one(&self.db)
            .await
            .expect("query")
            .expect("monitor")
    }

    async fn open_incidents(&self) -> Vec<incidents::Model> {
        incidents::Entity::find()
            .filter(incidents::Column::Status.ne("resolved"))
            .all(&self.db)
            .await
            .expect("incidents")
    }
}

#[tokio::test]
async fn an_environment_goes_down_after_retries_opens_an_incident_and_recovery_resolves_it() {
    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let stake = common::user(&db, "stake@example.com", Role::Stakeholder).await;
    let i = app::integrations::service::create(&db, &admin, &common::form("Stripe", admin.id))
        .await
        .expect("integration");
    let (sim, address) = simulator().await;
    let env =
        app::implementation::service::create(&db, &admin, i.id, &env_form("production", &address))
            .await
            .expect("environment");
    let prober = Prober::new(Guard::new(["127.0.0.1"])).expect("prober");
    let config = Config::default();
    let t0 = monitors::Entity::find_by_id(env)
        .one(&db)
        .await
        .expect("query")
        .expect("a health check gets a monitor")
        .next_run_at;
    let w = Watched {
        db,
        admin,
        stake,
        i,
        env,
        sim,
        address,
        prober,
        config,
        t0,
    };

    a_check_runs_once_per_interval(&w).await;
    let (unread_before, admin_before) =
        three_failures_in_a_row_open_one_incident_and_everyone_hears(&w).await;
    recovery_resolves_the_incident_and_each_check_is_kept(&w, unread_before, admin_before).await;
    successes_count_in_a_row_and_removing_the_check_stops_the_monitor(&w).await;
}

async fn a_check_runs_once_per_interval(w: &Watched) {
    let Watched {
        db, prober, config, ..
    } = w;
    assert_eq!(
        run_due(db, prober, "a", config, w.at(0))
            .await
            .expect("run"),
        1
    );
    assert_eq!(
        run_due(db, prober, "a", config, w.at(0))
            .await
            .expect("run"),
        0,
        "not due again until its interval has passed"
    );
    let m = w.state().await;
    assert_eq!((m.state.as_str(), m.successes, m.failures), ("up", 1, 0));
    assert_eq!(m.next_run_at, w.at(1));
}

async fn three_failures_in_a_row_open_one_incident_and_everyone_hears(w: &Watched) -> (u64, u64) {
    let Watched {
        db,
        admin,
        stake,
        sim,
        prober,
        config,
        ..
    } = w;
    sim.set(Mode::Failing);
    for n in 1..=2 {
        run_due(db, prober, "a", config, w.at(n))
            .await
            .expect("run");
        let m = w.state().await;
        assert_eq!(
            (m.state.as_str(), m.failures),
            ("up", i32::try_from(n).unwrap()),
            "retrying before down"
        );
        assert!(w.open_incidents().await.is_empty());
    }
    // The stakeholder wants incidents, not every change of state; the admin keeps everything.
    let incidents_only: Vec<String> = app::notifications::model::Kind::ALL
        .iter()
        .filter(|k| !k.as_str().starts_with("environment_"))
        .map(|k| k.as_str().to_string())
        .collect();
    app::notifications::service::set_preferences(db, stake, Some(&incidents_only), None, &[])
        .await
        .expect("preferences");
    let prefs = app::notifications::service::preferences(db, stake)
        .await
        .expect("prefs");
    assert_eq!(
        prefs.channels[0].1.len(),
        app::notifications::model::Kind::ALL.len() - 2
    );
    assert_eq!(
        common::fields(
            app::notifications::service::set_preferences(
                db,
                stake,
                Some(&["everything".into()]),
                None,
                &[]
            )
            .await
            .expect_err("unknown kind")
        ),
        ["in_app"]
    );
    let unread_before = app::notifications::service::unread(db, stake)
        .await
        .expect("unread");
    let admin_before = app::notifications::service::unread(db, admin)
        .await
        .expect("unread");
    run_due(db, prober, "a", config, w.at(3))
        .await
        .expect("run");
    assert_eq!(w.state().await.state, MonitorState::Down);
    let open = w.open_incidents().await;
    assert_eq!(open.len(), 1, "the third failure opens an incident");
    assert_eq!(
        open[0].severity,
        IncidentSeverity::Critical,
        "production is critical"
    );
    assert!(open[0].automatic);
    assert_eq!(
        app::notifications::service::unread(db, stake)
            .await
            .expect("unread"),
        unread_before + 1,
        "everyone hears of it"
    );

    sim.set(Mode::Slow);
    run_due(db, prober, "a", config, w.at(4))
        .await
        .expect("run");
    assert_eq!(
        w.open_incidents().await.len(),
        1,
        "still one incident while down"
    );
    (unread_before, admin_before)
}

async fn recovery_resolves_the_incident_and_each_check_is_kept(
    w: &Watched,
    unread_before: u64,
    admin_before: u64,
) {
    let Watched {
        db,
        admin,
        stake,
        i,
        env,
        sim,
        prober,
        config,
        ..
    } = w;
    sim.set(Mode::Healthy);
    run_due(db, prober, "a", config, w.at(5))
        .await
        .expect("run");
    let m = w.state().await;
    assert_eq!((m.state.as_str(), m.successes, m.failures), ("up", 1, 0));
    assert!(w.open_incidents().await.is_empty(), "recovery resolves it");
    let overview = app::monitoring::service::health(db, i.id, Utc::now(), 1)
        .await
        .expect("overview");
    let incident = &overview.incidents.items[0];
    assert_eq!(incident.status, IncidentStatus::Resolved);
    assert!(incident.resolved_at.is_some());
    assert_eq!(overview.mttr_minutes, Some(0));
    assert_eq!(incident.timeline.len(), 2);
    assert!(
        incident.timeline[0].note.starts_with(
            "Opened by the monitor after 3 failed checks: Answered 503, expected 200."
        ),
        "{:?}",
        incident.timeline
    );
    assert!(
        incident.timeline[1]
            .note
            .starts_with("Resolved by the monitor")
    );
    assert_eq!(
        app::notifications::service::unread(db, stake)
            .await
            .expect("unread"),
        unread_before + 2
    );
    assert_eq!(
        app::notifications::service::unread(db, admin)
            .await
            .expect("unread"),
        admin_before + 4,
        "down, incident opened, up, incident resolved"
    );
    let system_rows = activity::Entity::find()
        .filter(activity::Column::EntityKind.eq("incident"))
        .filter(activity::Column::ActorId.is_null())
        .count(db)
        .await
        .expect("trail");
    assert_eq!(system_rows, 2, "opened and resolved, by the monitor");

    let results: Vec<_> = probe_results::Entity::find()
        .filter(probe_results::Column::EnvironmentId.eq(env))
        .order_by_asc(probe_results::Column::ScheduledAt)
        .all(db)
        .await
        .expect("results");
    let classes: Vec<Option<ErrorClass>> = results.iter().map(|r| r.error_class).collect();
    assert_eq!(
        classes,
        [
            None,
            Some(ErrorClass::Status),
            Some(ErrorClass::Status),
            Some(ErrorClass::Status),
            Some(ErrorClass::Timeout),
            None
        ]
    );
    assert_eq!(results[1].status_code, Some(503));
    assert!(results[4].latency_ms >= 500, "gave up at the timeout");
    let scheduled: Vec<_> = results.iter().map(|r| r.scheduled_at).collect();
    assert_eq!(scheduled, (0..=5).map(|n| w.at(n)).collect::<Vec<_>>());
    assert_eq!(overview.environments[0].recent.len(), 6);
    assert_eq!(overview.environments[0].state, MonitorState::Up);
}

async fn successes_count_in_a_row_and_removing_the_check_stops_the_monitor(w: &Watched) {
    let Watched {
        db,
        admin,
        env,
        address,
        prober,
        config,
        ..
    } = w;
    for n in 6..=9 {
        run_due(db, prober, "a", config, w.at(n))
            .await
            .expect("run");
    }
    assert_eq!(w.state().await.successes, 5);

    // Removing the health check stops the monitor.
    let mut form = env_form("production", address);
    form.health_path = String::new();
    form.health_pointer = String::new();
    form.health_pointer_value = String::new();
    app::implementation::service::update(db, admin, *env, &form)
        .await
        .expect("update");
    assert!(
        monitors::Entity::find_by_id(*env)
            .one(db)
            .await
            .expect("q")
            .is_none()
    );
}

#[tokio::test]
async fn the_loop_runs_no_more_checks_at_once_than_its_batch() {
    let (db, sim, _, _) = provider_behind(&["env0", "env1", "env2", "env3", "env4"]).await;
    // Each check takes its whole timeout (half a second).
    sim.set(Mode::Slow);
    let prober = Prober::new(Guard::new(["127.0.0.1"])).expect("prober");
    let config = Config {
        batch: 2,
        ..Config::default()
    };
    let looping = tokio::spawn(app::monitoring::scheduler::run(
        db.clone(),
        prober,
        config,
        std::time::Duration::from_millis(20),
        std::future::pending(),
    ));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let leased = monitors::Entity::find()
        .filter(monitors::Column::LeaseUntil.gt(Utc::now()))
        .count(&db)
        .await
        .expect("count");
    looping.abort();
    assert_eq!(leased, 2, "two running, three waiting their turn unclaimed");
}

#[tokio::test]
async fn a_stopped_loop_records_the_checks_it_started() {
    let (db, sim, _, _) = provider_behind(&["env0", "env1", "env2"]).await;
    // Each check takes its whole timeout (half a second): they are in flight when stopped.
    sim.set(Mode::Slow);
    let prober = Prober::new(Guard::new(["127.0.0.1"])).expect("prober");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let looping = tokio::spawn(app::monitoring::scheduler::run(
        db.clone(),
        prober,
        Config::default(),
        std::time::Duration::from_millis(20),
        async {
            let _ = stopped.await;
        },
    ));
    let hits = || sim.hits.load(std::sync::atomic::Ordering::Relaxed);
    // Waited for rather than slept on: on a busy machine the checks start late.
    let started = std::time::Instant::now();
    while hits() < 3 && started.elapsed() < std::time::Duration::from_secs(10) {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(hits(), 3, "every check has reached the provider");
    stop.send(()).expect("running");
    tokio::time::timeout(app::monitoring::scheduler::DRAIN, looping)
        .await
        .expect("stops within the drain")
        .expect("loop");
    let recorded = probe_results::Entity::find()
        .count(&db)
        .await
        .expect("count");
    assert_eq!(
        recorded, 3,
        "each started check is recorded before the loop returns"
    );
    assert_eq!(hits(), 3, "and none started after the stop");
}

#[tokio::test]
async fn results_are_written_a_few_at_a_time() {
    let (db, _sim, address, _) = provider_behind(&["sandbox"]).await;
    let prober = Prober::new(Guard::new(["127.0.0.1"])).expect("prober");
    let config = Config::default();
    let now = Utc::now() + Duration::seconds(1);
    let claimed = claim(&db, "a", &config, now).await.expect("claim");
    let check = app::implementation::service::health_check_of(&claimed[0].environment)
        .expect("stored")
        .expect("check");
    let outcome = prober.check(&address, &check).await;
    // Others are writing as many results as may be written at once: this one waits its turn.
    let others = config
        .writing
        .clone()
        .acquire_many_owned(
            u32::try_from(app::monitoring::scheduler::WRITING_AT_ONCE).expect("few"),
        )
        .await
        .expect("permits");
    let writing = tokio::spawn({
        let (db, config, c) = (db.clone(), config.clone(), claimed[0].clone());
        async move { record(&db, "a", &config, &c, now, &outcome).await.ok() }
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(!writing.is_finished(), "waits while the others write");
    drop(others);
    assert_eq!(writing.await.ok().flatten(), Some(true));
}

#[tokio::test]
async fn a_lease_keeps_a_check_to_one_process_until_it_expires() {
    let (db, sim, address, envs) = provider_behind(&["sandbox"]).await;
    let env = envs[0];
    let prober = Prober::new(Guard::new(["127.0.0.1"])).expect("prober");
    let config = Config::default();
    let now = Utc::now() + Duration::seconds(1);

    let a = claim(&db, "a", &config, now).await.expect("claim");
    assert_eq!(a.len(), 1);
    assert!(
        claim(&db, "b", &config, now)
            .await
            .expect("claim")
            .is_empty(),
        "held by a"
    );
    // Process a stalls past its lease; b takes the check over.
    let later = now + config.lease + Duration::seconds(1);
    let b = claim(&db, "b", &config, later).await.expect("claim");
    assert_eq!(b.len(), 1);
    assert_eq!(
        b[0].monitor.next_run_at, a[0].monitor.next_run_at,
        "the same slot"
    );
    let outcome = prober
        .check(
            &address,
            &app::implementation::service::health_check_of(&b[0].environment)
                .expect("stored")
                .expect("check"),
        )
        .await;
    assert!(outcome.up(), "{outcome:?}");
    assert!(
        !record(&db, "a", &config, &a[0], now, &outcome)
            .await
            .expect("record"),
        "a lost its lease"
    );
    assert!(
        record(&db, "b", &config, &b[0], later, &outcome)
            .await
            .expect("record")
    );
    assert!(
        !record(&db, "b", &config, &b[0], later, &outcome)
            .await
            .expect("record"),
        "one result per slot"
    );
    assert_eq!(
        probe_results::Entity::find()
            .filter(probe_results::Column::EnvironmentId.eq(env))
            .count(&db)
            .await
            .expect("count"),
        1
    );
    assert_eq!(sim.hits.load(std::sync::atomic::Ordering::Relaxed), 1);

    // Without the allow-list the guard refuses the loopback provider, before any request.
    let closed = Prober::new(Guard::default()).expect("prober");
    let next = now + Duration::seconds(10);
    assert_eq!(
        run_due(&db, &closed, "c", &config, next)
            .await
            .expect("run"),
        1
    );
    let last = probe_results::Entity::find()
        .filter(probe_results::Column::EnvironmentId.eq(env))
        .order_by_desc(probe_results::Column::ScheduledAt)
        .one(&db)
        .await
        .expect("q")
        .expect("result");
    assert_eq!(last.error_class, Some(ErrorClass::Blocked));
    assert!(
        last.message.contains("a loopback address"),
        "{}",
        last.message
    );
    assert_eq!(sim.hits.load(std::sync::atomic::Ordering::Relaxed), 1);
}

#[tokio::test]
async fn roll_ups_match_the_raw_results_and_outlive_them() {
    use app::entities::{probe_days, probe_hours};
    use app::monitoring::rollups::{counts_between, figures, prune, roll_up};
    use chrono::DurationRound;
    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let i = app::integrations::service::create(&db, &admin, &common::form("Stripe", admin.id))
        .await
        .expect("integration");
    let env = app::implementation::service::create(
        &db,
        &admin,
        i.id,
        &env_form("production", "https://api.example.com"),
    )
    .await
    .expect("environment");
    let now = Utc::now();
    let day = (now - Duration::days(3))
        .duration_trunc(Duration::days(1))
        .unwrap();
    // Three hours of checks every minute, two days before yesterday: latencies 1..=60 ms in
    // the first hour, 100..=159 in the second with five failures, 500 flat in the third.
    let mut history = Vec::new();
    for minute in 0..180i64 {
        let hour = minute / 60;
        let m = i32::try_from(minute % 60).unwrap();
        let latency = match hour {
            0 => m + 1,
            1 => 100 + m,
            _ => 500,
        };
        let up = !(hour == 1 && m < 5);
        history.push((day + Duration::minutes(minute), latency, up));
    }
    // And the last hour, not rolled up yet: two checks, one failed.
    history.push((now - Duration::minutes(2), 80, true));
    history.push((now - Duration::minutes(1), 90, false));
    app::monitoring::service::import_history(&db, env, &history, 3)
        .await
        .expect("history");

    assert_eq!(roll_up(&db, now).await.expect("roll up"), 3);
    let hours = probe_hours::Entity::find()
        .filter(probe_hours::Column::EnvironmentId.eq(env))
        .order_by_asc(probe_hours::Column::Start)
        .all(&db)
        .await
        .expect("hours");
    let by_hour = |h: i64| -> Vec<(i32, bool)> {
        history
            .iter()
            .filter(|r| r.0 >= day + Duration::hours(h) && r.0 < day + Duration::hours(h + 1))
            .map(|r| (r.1, r.2))
            .collect()
    };
    for (h, row) in hours.iter().enumerate() {
        let want = figures(&by_hour(i64::try_from(h).unwrap()));
        assert_eq!(row.start, day + Duration::hours(i64::try_from(h).unwrap()));
        assert_eq!(
            (
                row.checks,
                row.failures,
                row.latency_sum,
                row.p50,
                row.p95,
                row.p99
            ),
            (
                want.checks,
                want.failures,
                want.latency_sum,
                want.p50,
                want.p95,
                want.p99
            )
        );
    }
    assert_eq!(
        (hours[0].checks, hours[0].p50, hours[0].p95, hours[0].p99),
        (60, 30, 57, 60)
    );
    assert_eq!((hours[1].failures, hours[1].p50), (5, 129));
    let days = probe_days::Entity::find()
        .filter(probe_days::Column::EnvironmentId.eq(env))
        .all(&db)
        .await
        .expect("days");
    assert_eq!(days.len(), 1);
    assert_eq!((days[0].checks, days[0].failures), (180, 5));
    assert_eq!(days[0].p50, 129, "the median of all 180");

    assert_eq!(
        roll_up(&db, now).await.expect("again"),
        1,
        "only the latest hour again"
    );
    assert_eq!(
        probe_hours::Entity::find().count(&db).await.expect("count"),
        3,
        "idempotent"
    );
    let week = now - Duration::days(7);
    // Counted for several environments at once: one without results counts nothing.
    let counts = counts_between(&db, &[env, env + 1000], week, None)
        .await
        .expect("counts");
    assert_eq!((counts[&env], counts[&(env + 1000)]), ((182, 6), (0, 0)));
    // A window that ends: within the rolled-up hours, and within the raw tail.
    let first_two_hours = Some(day + Duration::hours(2));
    assert_eq!(
        counts_between(&db, &[env], week, first_two_hours)
            .await
            .expect("counts")[&env],
        (120, 5)
    );
    let before_the_last = Some(now - Duration::seconds(90));
    assert_eq!(
        counts_between(&db, &[env], week, before_the_last)
            .await
            .expect("counts")[&env],
        (181, 5)
    );

    // Raw results older than a day go; the figures do not change.
    assert_eq!(prune(&db, 1, now).await.expect("prune"), 180);
    assert_eq!(
        counts_between(&db, &[env], week, None)
            .await
            .expect("counts")[&env],
        (182, 6)
    );
    let overview = app::monitoring::service::health(&db, i.id, now, 1)
        .await
        .expect("overview");
    let e = &overview.environments[0];
    let uptime: Vec<_> = e
        .uptime
        .iter()
        .map(|u| (u.label.as_str(), u.checks, u.failures, u.uptime_bp))
        .collect();
    assert_eq!(
        uptime,
        [
            ("24 hours", 2, 1, Some(5000)),
            ("7 days", 182, 6, Some(9670)),
            ("30 days", 182, 6, Some(9670)),
            ("90 days", 182, 6, Some(9670)),
        ]
    );
    // 99.9%: 182 checks may fail 0.182 times; 6 failures overspend it 33-fold.
    assert_eq!(e.slo_target_bp, 9990);
    assert_eq!(e.budget_left_bp, Some(-319_670));
}

#[tokio::test]
async fn a_maintenance_window_holds_back_the_incident_until_it_closes() {
    use app::monitoring::model::MaintenanceForm;
    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let stake = common::user(&db, "stake@example.com", Role::Stakeholder).await;
    let i = app::integrations::service::create(&db, &admin, &common::form("Stripe", admin.id))
        .await
        .expect("integration");
    let (sim, address) = simulator().await;
    let env =
        app::implementation::service::create(&db, &admin, i.id, &env_form("sandbox", &address))
            .await
            .expect("environment");
    let prober = Prober::new(Guard::new(["127.0.0.1"])).expect("prober");
    let config = Config {
        down_after: 1,
        ..Config::default()
    };
    let now = Utc::now();
    let fmt = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%dT%H:%M").to_string();
    let form = MaintenanceForm {
        environment_id: env.to_string(),
        starts_at: fmt(now - Duration::minutes(5)),
        ends_at: fmt(now + Duration::hours(1)),
        reason: "Provider's announced upgrade".into(),
    };
    let maint = app::monitoring::windows::create(&db, &stake, i.id, &form, now).await;
    assert_eq!(
        maint.expect_err("stakeholder"),
        app::error::AppError::Forbidden
    );
    let bad = MaintenanceForm {
        environment_id: "999".into(),
        starts_at: "tomorrow".into(),
        ends_at: fmt(now - Duration::hours(1)),
        reason: String::new(),
    };
    assert_eq!(
        common::fields(
            app::monitoring::windows::create(&db, &admin, i.id, &bad, now)
                .await
                .expect_err("bad")
        ),
        ["starts_at", "reason", "environment_id"]
    );
    let mut backwards = form.clone();
    backwards.ends_at = fmt(now - Duration::minutes(10));
    assert_eq!(
        common::fields(
            app::monitoring::windows::create(&db, &admin, i.id, &backwards, now)
                .await
                .expect_err("backwards")
        ),
        ["ends_at"]
    );
    let window = app::monitoring::windows::create(&db, &admin, i.id, &form, now)
        .await
        .expect("window");

    sim.set(Mode::Failing);
    let t0 = monitors::Entity::find_by_id(env)
        .one(&db)
        .await
        .expect("q")
        .expect("m")
        .next_run_at;
    run_due(&db, &prober, "a", &config, t0).await.expect("run");
    assert_eq!(
        monitors::Entity::find_by_id(env)
            .one(&db)
            .await
            .expect("q")
            .expect("m")
            .state,
        MonitorState::Down
    );
    assert_eq!(
        incidents::Entity::find().count(&db).await.expect("count"),
        0,
        "held back"
    );
    let overview = app::monitoring::service::health(&db, i.id, Utc::now(), 1)
        .await
        .expect("overview");
    assert!(overview.environments[0].in_maintenance);
    assert_eq!(overview.windows.len(), 1);

    app::monitoring::windows::delete(&db, &admin, window)
        .await
        .expect("cancel");
    run_due(&db, &prober, "a", &config, t0 + Duration::seconds(10))
        .await
        .expect("run");
    let open = incidents::Entity::find().all(&db).await.expect("incidents");
    assert_eq!(
        open.len(),
        1,
        "still down once the window is gone: now an incident"
    );
    assert_eq!(open[0].severity, IncidentSeverity::Minor, "not production");
    let trail = activity::Entity::find()
        .filter(activity::Column::EntityKind.eq("maintenance_window"))
        .count(&db)
        .await
        .expect("trail");
    assert_eq!(trail, 2, "scheduled and cancelled");
}

#[tokio::test]
async fn people_open_incidents_and_move_them_to_resolved_on_the_timeline() {
    use app::monitoring::incidents::{create, get, update};
    use app::monitoring::model::{IncidentForm, IncidentUpdateForm};
    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let eng = common::user(&db, "eng@example.com", Role::Engineer).await;
    let stake = common::user(&db, "stake@example.com", Role::Stakeholder).await;
    let i = app::integrations::service::create(&db, &admin, &common::form("Stripe", admin.id))
        .await
        .expect("integration");
    let form = IncidentForm {
        title: "Refunds stuck in pending".into(),
        severity: "major".into(),
        environment_id: String::new(),
        note: "Support reports refunds not reaching cards since 09:00.".into(),
    };
    assert_eq!(
        create(&db, &stake, i.id, &form)
            .await
            .expect_err("stakeholder"),
        app::error::AppError::Forbidden
    );
    let bad = IncidentForm {
        title: " ".into(),
        severity: "apocalyptic".into(),
        environment_id: "77".into(),
        note: String::new(),
    };
    assert_eq!(
        common::fields(create(&db, &eng, i.id, &bad).await.expect_err("bad")),
        ["title", "severity", "environment_id"]
    );
    let unread = app::notifications::service::unread(&db, &stake)
        .await
        .expect("unread");
    let id = create(&db, &eng, i.id, &form).await.expect("create");
    assert_eq!(
        app::notifications::service::unread(&db, &stake)
            .await
            .expect("unread"),
        unread + 1
    );

    let step = |status: &str, note: &str| IncidentUpdateForm {
        status: status.into(),
        note: note.into(),
        ticket_ref: "STRIPE-48213".into(),
        ..Default::default()
    };
    update(
        &db,
        &eng,
        id,
        &step("investigating", "Asked Stripe support."),
    )
    .await
    .expect("investigating");
    assert_eq!(
        common::fields(
            update(&db, &eng, id, &step("investigating", ""))
                .await
                .expect_err("nothing")
        ),
        ["note"],
        "no change and no note"
    );
    assert_eq!(
        common::fields(
            update(&db, &eng, id, &step("done", ""))
                .await
                .expect_err("status")
        ),
        ["status"]
    );
    assert_eq!(
        update(&db, &stake, id, &step("resolved", ""))
            .await
            .expect_err("stakeholder"),
        app::error::AppError::Forbidden
    );
    let mut resolve = step("resolved", "");
    resolve.root_cause = "The provider's refund queue stalled after a deploy.".into();
    update(&db, &eng, id, &resolve).await.expect("resolved");
    let got = get(&db, id).await.expect("get");
    assert_eq!(got.status, IncidentStatus::Resolved);
    assert!(got.resolved_at.is_some());
    assert_eq!(got.ticket_ref.as_deref(), Some("STRIPE-48213"));
    assert_eq!(got.integration.slug, i.slug);
    let notes: Vec<_> = got
        .timeline
        .iter()
        .map(|u| (u.status, u.note.as_str(), u.author.as_deref()))
        .collect();
    assert_eq!(
        notes,
        [
            (
                IncidentStatus::Open,
                "Support reports refunds not reaching cards since 09:00.",
                Some("eng@example.com")
            ),
            (
                IncidentStatus::Investigating,
                "Asked Stripe support.",
                Some("eng@example.com")
            ),
            (
                IncidentStatus::Resolved,
                "Investigating → Resolved.",
                Some("eng@example.com")
            ),
        ]
    );
    assert_eq!(
        app::notifications::service::unread(&db, &stake)
            .await
            .expect("unread"),
        unread + 2
    );
    update(&db, &eng, id, &step("monitoring", "It came back."))
        .await
        .expect("reopen");
    assert_eq!(
        get(&db, id).await.expect("get").resolved_at,
        None,
        "reopened"
    );
    assert_eq!(
        app::activity::service::history(&db, i.id, 200)
            .await
            .expect("history")
            .iter()
            .filter(|r| r.kind == "incident")
            .count(),
        4,
        "opened and three updates in the integration's history"
    );
}

#[tokio::test]
async fn a_certificate_nearing_expiry_is_warned_of_at_21_14_and_7_days_once_each() {
    use app::monitoring::probe::Outcome;
    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let i = app::integrations::service::create(&db, &admin, &common::form("Stripe", admin.id))
        .await
        .expect("integration");
    let env = app::implementation::service::create(
        &db,
        &admin,
        i.id,
        &env_form("production", "https://api.example.com"),
    )
    .await
    .expect("environment");
    let config = Config::default();
    let warnings = || async {
        app::entities::notifications::Entity::find()
            .filter(app::entities::notifications::Column::Kind.eq("certificate_expiring"))
            .count(&db)
            .await
            .expect("count")
    };
    let mut now = Utc::now();
    let mut check = |expires_in_days: i64| {
        now += Duration::seconds(60);
        let at = now;
        let db = &db;
        let config = &config;
        async move {
            let claimed = claim(db, "a", config, at + Duration::days(1))
                .await
                .expect("claim");
            assert_eq!(claimed.len(), 1);
            let outcome = Outcome {
                status_code: Some(200),
                latency_ms: 80,
                error: None,
                tls_expires_at: Some(
                    Utc::now() + Duration::days(expires_in_days) + Duration::hours(1),
                ),
            };
            assert!(
                record(db, "a", config, &claimed[0], at, &outcome)
                    .await
                    .expect("record")
            );
        }
    };
    check(40).await;
    assert_eq!(warnings().await, 0);
    check(20).await;
    assert_eq!(warnings().await, 1, "21 days");
    check(19).await;
    assert_eq!(warnings().await, 1, "not again");
    check(10).await;
    assert_eq!(warnings().await, 2, "14 days");
    check(6).await;
    assert_eq!(warnings().await, 3, "7 days");
    check(90).await;
    check(20).await;
    assert_eq!(
        warnings().await,
        4,
        "a renewed certificate is warned of afresh"
    );
    let m = monitors::Entity::find_by_id(env)
        .one(&db)
        .await
        .expect("q")
        .expect("m");
    assert_eq!(m.tls_warned, Some(21));
    assert!(m.tls_expires_at.is_some());
}

/// A provider behind HTTPS whose certificate a private CA signed, expiring in `days` days:
/// (the CA's PEM, the base URL).
async fn tls_provider(days: i64) -> (String, String) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_rustls::rustls::{
        ServerConfig,
        pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer},
    };

    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "Tollgate test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    params.not_after = time::OffsetDateTime::now_utc() + time::Duration::days(days);
    let cert = params.signed_by(&key, &ca, &ca_key).unwrap();
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(cert.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A failed handshake (an untrusting client) just ends this connection.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let body = r#"{"status":"ok"}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (ca.pem(), format!("https://localhost:{port}"))
}

#[tokio::test]
async fn an_https_provider_s_certificate_expiry_is_kept_and_warned_of_and_an_untrusted_one_fails_as_tls()
 {
    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let i = app::integrations::service::create(&db, &admin, &common::form("Stripe", admin.id))
        .await
        .expect("integration");
    let (ca, address) = tls_provider(10).await;
    let env =
        app::implementation::service::create(&db, &admin, i.id, &env_form("production", &address))
            .await
            .expect("environment");
    let guard = || Guard::new(["localhost"]);
    let config = Config::default();
    let now = Utc::now() + Duration::seconds(1);

    // Trusting the private CA, the check passes and the certificate's expiry is kept; ten
    // days out is inside the 14-day warning, so everyone hears of it, once.
    let trusting = Prober::trusting(guard(), ca.as_bytes()).expect("prober");
    assert_eq!(
        run_due(&db, &trusting, "a", &config, now)
            .await
            .expect("run"),
        1
    );
    let m = monitors::Entity::find_by_id(env)
        .one(&db)
        .await
        .expect("query")
        .expect("monitor");
    assert_eq!(m.state, MonitorState::Up);
    let expires = m.tls_expires_at.expect("the certificate's expiry is kept");
    let want = Utc::now() + Duration::days(10);
    assert!(
        (expires - want).num_seconds().abs() < 120,
        "{expires} is not ten days out"
    );
    assert_eq!(m.tls_warned, Some(14));
    let envs = app::entities::environments::Entity::find_by_id(env)
        .all(&db)
        .await
        .expect("query");
    let health = app::monitoring::service::environments_health(&db, &envs, Utc::now())
        .await
        .expect("health");
    assert_eq!(
        health[0].tls_days_left,
        Some(9),
        "9 whole days and some hours"
    );
    assert!(health[0].tls_warning);
    let warnings = || async {
        app::entities::notifications::Entity::find()
            .all(&db)
            .await
            .expect("notifications")
            .into_iter()
            .filter(|n| n.title == "Stripe: production's TLS certificate expires within 14 days")
            .count()
    };
    assert_eq!(warnings().await, 1, "the admin is told");
    assert_eq!(
        run_due(&db, &trusting, "a", &config, now + Duration::seconds(10))
            .await
            .expect("run"),
        1
    );
    assert_eq!(warnings().await, 1, "a warning is sent once");

    // Without the CA the handshake fails: a TLS error, not a refused connection.
    let public_only = Prober::new(guard()).expect("prober");
    let check = app::implementation::service::health_check_of(
        &app::entities::environments::Entity::find_by_id(env)
            .one(&db)
            .await
            .expect("query")
            .expect("environment"),
    )
    .expect("stored")
    .expect("check");
    let outcome = public_only.check(&address, &check).await;
    let (class, message) = outcome
        .error
        .clone()
        .expect("an untrusted certificate fails");
    assert_eq!(class, ErrorClass::Tls, "{message}");
    assert!(message.starts_with("TLS failed:"), "{message}");
    assert_eq!(outcome.tls_expires_at, None);

    // A CA file without a certificate is refused naming it.
    assert!(matches!(
        Prober::trusting(guard(), b"not a certificate"),
        Err(app::error::AppError::Validation(_))
    ));
}
