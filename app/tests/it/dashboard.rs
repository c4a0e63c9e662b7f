//! The portfolio dashboard's figures on crafted data, each with its exact expected number:
//! pipeline counts, the table's gate, health, uptime, incidents and milestones, milestone
//! on-time rate, QA pass rate of the latest runs, median time per stage, MTTR, integrations
//! past their planned go-live, what is coming up (audits too), recent activity, and the report.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common;

use app::audits::model::{AuditForm, RunForm};
use app::audits::service as audits;
use app::auth::model::{CurrentUser, Role};
use app::dashboard::model::{Dashboard, Health, Ratio};
use app::dashboard::{report, service};
use app::entities::{
    credential_refs, incidents, integrations, milestones, monitors, stage_transitions, test_cases,
    test_executions, test_plans, test_runs,
};
use app::implementation::model::{CredentialKind, CredentialStatus, EnvironmentForm};
use app::integrations::model::{Category, Integration, IntegrationQuery, Priority, Stage};
use app::monitoring::model::{IncidentSeverity, IncidentStatus};
use app::monitors::MonitorState;
use app::planning::model::MilestoneStatus;
use app::testing::model::{CaseCategory, ExecutionStatus};
use chrono::{DateTime, Duration, DurationRound, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, PaginatorTrait, QueryOrder,
};

fn env_form(name: &str) -> EnvironmentForm {
    EnvironmentForm {
        name: name.into(),
        base_url: "https://api.example.com".into(),
        auth_scheme: "bearer".into(),
        health_path: "/health".into(),
        health_interval_seconds: "60".into(),
        health_timeout_ms: "500".into(),
        ..Default::default()
    }
}

/// Puts integration `id` in `stage`, created at `created`, with moves `(from, to, at)`.
async fn history(
    db: &DatabaseConnection,
    id: i32,
    stage: Stage,
    created: DateTime<Utc>,
    moves: &[(Stage, Stage, DateTime<Utc>)],
) {
    let m = integrations::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut a: integrations::ActiveModel = m.into();
    a.stage = Set(stage);
    a.created_at = Set(created);
    a.update(db).await.unwrap();
    for (from, to, at) in moves {
        stage_transitions::ActiveModel {
            integration_id: Set(id),
            from_stage: Set(*from),
            to_stage: Set(*to),
            at: Set(*at),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
}

async fn milestone(
    db: &DatabaseConnection,
    integration: i32,
    title: &str,
    status: &str,
    due: NaiveDate,
    completed: Option<NaiveDate>,
) {
    milestones::ActiveModel {
        integration_id: Set(integration),
        title: Set(title.into()),
        description: Set(String::new()),
        stage: Set(Stage::Planning),
        owner_id: Set(None),
        due_date: Set(due),
        status: Set(MilestoneStatus::parse(status).expect("a milestone status")),
        completed_on: Set(completed),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

/// A run of integration `integration`'s plan with one execution per status in `statuses`.
async fn run(db: &DatabaseConnection, integration: i32, starter: i32, statuses: &[&str]) {
    let plan = match test_plans::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.integration_id == integration)
    {
        Some(p) => p,
        None => test_plans::ActiveModel {
            integration_id: Set(integration),
            browsers: Set("[]".into()),
            devices: Set("[]".into()),
            required_categories: Set("[]".into()),
            created_at: Set(Utc::now()),
            updated_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap(),
    };
    let r = test_runs::ActiveModel {
        plan_id: Set(plan.id),
        name: Set("Run".into()),
        build: Set("1.0".into()),
        environment_id: Set(None),
        started_by: Set(starter),
        started_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    for (n, status) in statuses.iter().enumerate() {
        let case = test_cases::ActiveModel {
            plan_id: Set(plan.id),
            key: Set(format!("case-{}-{n}", r.id)),
            title: Set(format!("Case {n}")),
            category: Set(CaseCategory::Functional),
            preconditions: Set(String::new()),
            steps: Set(String::new()),
            expected: Set(String::new()),
            priority: Set(Priority::Medium),
            required: Set(false),
            objective_ids: Set("[]".into()),
            template_key: Set(None),
            position: Set(i32::try_from(n).unwrap()),
            created_at: Set(Utc::now()),
            updated_at: Set(Utc::now()),
            operation_ids: Set("[]".into()),
            retest_reason: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        test_executions::ActiveModel {
            run_id: Set(r.id),
            case_id: Set(case.id),
            configuration: Set(String::new()),
            status: Set(ExecutionStatus::parse(status).expect("an execution status")),
            actual: Set(String::new()),
            notes: Set(String::new()),
            evidence: Set(String::new()),
            tester_id: Set(None),
            recorded_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
}

async fn incident(
    db: &DatabaseConnection,
    integration: i32,
    opened: DateTime<Utc>,
    resolved_after_minutes: Option<i64>,
) {
    incidents::ActiveModel {
        integration_id: Set(integration),
        environment_id: Set(None),
        title: Set("Errors".into()),
        severity: Set(IncidentSeverity::Minor),
        status: Set(if resolved_after_minutes.is_some() {
            IncidentStatus::Resolved
        } else {
            IncidentStatus::Open
        }),
        automatic: Set(false),
        opened_at: Set(opened),
        resolved_at: Set(resolved_after_minutes.map(|m| opened + Duration::minutes(m))),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

async fn monitor(db: &DatabaseConnection, env: i32, state: &str, tls: Option<DateTime<Utc>>) {
    let m = monitors::Entity::find_by_id(env)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut a: monitors::ActiveModel = m.into();
    a.state = Set(MonitorState::parse(state).expect("a monitor state"));
    a.tls_expires_at = Set(tls);
    a.update(db).await.unwrap();
}

async fn credential(
    db: &DatabaseConnection,
    integration: i32,
    env: i32,
    name: &str,
    last_rotated: NaiveDate,
    rotation_days: Option<i32>,
    expires_on: Option<NaiveDate>,
) {
    credential_refs::ActiveModel {
        integration_id: Set(integration),
        environment_id: Set(env),
        name: Set(name.into()),
        kind: Set(CredentialKind::ApiKey),
        reference: Set(format!("vault://kv/{name}")),
        owner_id: Set(None),
        scopes: Set(String::new()),
        last_rotated: Set(last_rotated),
        rotation_days: Set(rotation_days),
        expires_on: Set(expires_on),
        created_at: Set(Utc::now()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

/// Four integrations with a past, the records every figure of the portfolio is computed from.
/// Each test below seeds its own and checks one part of what the dashboard, the report, the
/// overview or the review makes of them.
struct Portfolio {
    db: DatabaseConnection,
    admin: CurrentUser,
    stripe: Integration,
    twilio: Integration,
    /// Now, in whole seconds, so a time stored and read back on PostgreSQL (microseconds) is
    /// equal.
    now: DateTime<Utc>,
    /// Forty days ago, where every history starts.
    t: DateTime<Utc>,
}

impl Portfolio {
    /// `d` days from today.
    fn day(&self, d: i64) -> NaiveDate {
        self.now.date_naive() + Duration::days(d)
    }

    /// The dashboard sorted by name, as of now.
    async fn dashboard(&self) -> Dashboard {
        service::dashboard(
            &self.db,
            &IntegrationQuery {
                sort: Some("name".into()),
                dir: Some("asc".into()),
                ..Default::default()
            },
            self.now,
            &app::gate::GateContext::default(),
        )
        .await
        .expect("dashboard")
    }

    /// Twilio's defects (one open, one closed) and two versions of its spec, the second
    /// removing an operation: what its overview and review read besides the portfolio.
    async fn with_defects_and_spec_changes(self) -> Self {
        let defect = |title: &'static str, status: &'static str| app::testing::model::DefectForm {
            title: title.into(),
            severity: "major".into(),
            status: status.into(),
            ..Default::default()
        };
        for (title, status) in [("Retries twice", "open"), ("Typo", "closed")] {
            app::testing::defects::create(
                &self.db,
                &self.admin,
                self.twilio.id,
                &defect(title, status),
            )
            .await
            .unwrap();
        }
        let spec = |ops: &str| {
            format!(
                "openapi: 3.0.0\ninfo: {{title: Verify, version: '1'}}\npaths:\n  /checks:\n{ops}"
            )
        };
        let get = "    get: {operationId: listChecks, responses: {'200': {description: ok}}}\n";
        let post = "    post: {operationId: startCheck, responses: {'200': {description: ok}}}\n";
        for doc in [spec(&format!("{get}{post}")), spec(get)] {
            app::specs::service::import(
                &self.db,
                &self.admin,
                self.twilio.id,
                "Verify API",
                doc.as_bytes(),
            )
            .await
            .unwrap();
        }
        self
    }
}

async fn portfolio() -> Portfolio {
    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let create = |name: &'static str| {
        let db = db.clone();
        let admin = admin.clone();
        async move {
            app::integrations::service::create(&db, &admin, &common::form(name, admin.id))
                .await
                .expect("integration")
        }
    };
    let stripe = create("Stripe").await;
    let onfido = create("Onfido").await;
    let maps = create("Maps").await;
    let twilio = create("Twilio").await;
    let now = Utc::now().duration_trunc(Duration::seconds(1)).unwrap();
    let today = now.date_naive();
    let t = now - Duration::days(40);
    let h = Duration::hours;

    // Stays: planning 48, 24, 72 h; implementation 100, 10, 8 h (Maps' second stay goes on);
    // testing 20 h; on hold 6 h; nobody has left live.
    use Stage::{Implementation, Live, OnHold, Planning, Testing};
    history(&db, stripe.id, Planning, t, &[]).await;
    history(
        &db,
        onfido.id,
        Testing,
        t,
        &[
            (Planning, Implementation, t + h(48)),
            (Implementation, Testing, t + h(148)),
        ],
    )
    .await;
    history(
        &db,
        maps.id,
        Implementation,
        t,
        &[
            (Planning, Implementation, t + h(24)),
            (Implementation, OnHold, t + h(34)),
            (OnHold, Implementation, t + h(40)),
        ],
    )
    .await;
    history(
        &db,
        twilio.id,
        Live,
        t,
        &[
            (Planning, Implementation, t + h(72)),
            (Implementation, Testing, t + h(80)),
            (Testing, Live, t + h(100)),
        ],
    )
    .await;

    // Milestones: three done, two on time (one on its very day); Onfido's last is overdue,
    // so it is past its planned go-live; Twilio's overdue one does not count, it is live.
    let day = |d: i64| today + Duration::days(d);
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    milestone(
        &db,
        stripe.id,
        "Define goals",
        "done",
        date("2026-01-10"),
        Some(date("2026-01-09")),
    )
    .await;
    milestone(
        &db,
        stripe.id,
        "Select APIs",
        "done",
        date("2026-01-20"),
        Some(date("2026-01-25")),
    )
    .await;
    milestone(
        &db,
        stripe.id,
        "Share the plan",
        "in_progress",
        day(5),
        None,
    )
    .await;
    milestone(
        &db,
        onfido.id,
        "Implement",
        "done",
        date("2026-02-01"),
        Some(date("2026-02-01")),
    )
    .await;
    milestone(
        &db,
        onfido.id,
        "Complete testing",
        "in_progress",
        day(-3),
        None,
    )
    .await;
    milestone(&db, twilio.id, "Monitoring", "not_started", day(-10), None).await;
    milestone(&db, maps.id, "Security testing", "blocked", day(20), None).await;

    // Runs: Onfido's older run is not its latest; over the latest runs 5 of 8 passed
    // (skipped left out, untested counts as not passed).
    run(&db, onfido.id, admin.id, &["passed"; 5]).await;
    run(
        &db,
        onfido.id,
        admin.id,
        &[
            "passed", "passed", "passed", "failed", "skipped", "untested",
        ],
    )
    .await;
    run(&db, twilio.id, admin.id, &["passed", "passed", "blocked"]).await;

    // Incidents: resolved after 30 and 90 minutes (mean 60); one still open on Twilio.
    incident(&db, onfido.id, t, Some(30)).await;
    incident(&db, twilio.id, t, Some(90)).await;
    incident(&db, twilio.id, now - h(1), None).await;

    // Health: Twilio's production is up and its sandbox down (degraded); 9 of 10 checks up
    // in 30 days, and an older failure outside the window. Maps' production is down.
    let env = |i: i32, name: &'static str| {
        let db = db.clone();
        let admin = admin.clone();
        async move {
            app::implementation::service::create(&db, &admin, i, &env_form(name))
                .await
                .expect("environment")
        }
    };
    let twilio_prod = env(twilio.id, "production").await;
    let twilio_sandbox = env(twilio.id, "sandbox").await;
    let maps_prod = env(maps.id, "production").await;
    let mut checks: Vec<(DateTime<Utc>, i32, bool)> =
        (0..10).map(|n| (now - h(n + 1), 100, n != 4)).collect();
    checks.push((now - Duration::days(45), 100, false));
    app::monitoring::service::import_history(&db, twilio_prod, &checks, 3)
        .await
        .unwrap();
    monitor(&db, twilio_prod, "up", Some(now + Duration::days(10))).await;
    monitor(&db, twilio_sandbox, "down", None).await;
    monitor(&db, maps_prod, "down", Some(now + Duration::days(60))).await;

    // Credentials: rotation due in 5 days, one expired yesterday, one fine.
    credential(
        &db,
        twilio.id,
        twilio_prod,
        "rotating",
        day(-85),
        Some(90),
        None,
    )
    .await;
    credential(
        &db,
        twilio.id,
        twilio_prod,
        "expired",
        day(-200),
        None,
        Some(day(-1)),
    )
    .await;
    credential(
        &db,
        twilio.id,
        twilio_prod,
        "fresh",
        day(-10),
        Some(90),
        None,
    )
    .await;

    // Audits: Twilio's monthly one ran 40 days ago (overdue by 10 days), Stripe's is first
    // due in 3 days, Maps' quarterly one ran 50 days ago (due in 41: not coming up).
    let audit = |integration: i32, title: &'static str, every: &'static str, first: NaiveDate| {
        let db = db.clone();
        let admin = admin.clone();
        async move {
            let form = AuditForm {
                title: title.into(),
                checks: "What the audit checks.".into(),
                interval_days: every.into(),
                first_due: first.to_string(),
                owner_id: String::new(),
            };
            audits::create(&db, &admin, integration, &form)
                .await
                .expect("audit")
        }
    };
    let ran = |id: i32, on: NaiveDate| {
        let db = db.clone();
        let admin = admin.clone();
        async move {
            let run = RunForm {
                performed_on: on.to_string(),
                notes: String::new(),
            };
            audits::record_run(&db, &admin, id, &run, today)
                .await
                .expect("run");
        }
    };
    let keys = audit(twilio.id, "Monthly key review", "30", day(-60)).await;
    ran(keys, day(-40)).await;
    audit(stripe.id, "PCI scope review", "91", day(3)).await;
    let quarterly = audit(maps.id, "Quarterly review", "91", day(-100)).await;
    ran(quarterly, day(-50)).await;

    // The newest trail entry: a change to Stripe.
    let mut edit = common::form("Stripe", admin.id);
    edit.priority = "critical".into();
    app::integrations::service::update(&db, &admin, stripe.id, &edit)
        .await
        .unwrap();

    Portfolio {
        db,
        admin,
        stripe,
        twilio,
        now,
        t,
    }
}

#[tokio::test]
async fn the_pipeline_and_key_figures_come_from_the_records_with_exact_numbers() {
    let w = portfolio().await;
    let (d, day) = (w.dashboard().await, |n| w.day(n));
    use Stage::{Implementation, Live, OnHold, Planning, Testing};
    let counts: Vec<(Stage, u64)> = d.pipeline.iter().map(|s| (s.stage, s.count)).collect();
    assert_eq!(
        counts,
        vec![
            (Planning, 1),
            (Implementation, 1),
            (Testing, 1),
            (Live, 1),
            (Stage::Retired, 0),
            (OnHold, 0)
        ]
    );

    let f = &d.figures;
    assert_eq!(f.milestones_on_time, Ratio { part: 2, whole: 3 });
    assert_eq!(f.qa_pass_rate, Ratio { part: 5, whole: 8 });
    assert_eq!(f.mttr_minutes, Some(60));
    let times: Vec<(Stage, u64, Option<i64>)> = f
        .stage_times
        .iter()
        .map(|s| (s.stage, s.stays, s.median_hours))
        .collect();
    assert_eq!(
        times,
        vec![
            (Planning, 3, Some(48)),
            (Implementation, 3, Some(10)),
            (Testing, 1, Some(20)),
            (Live, 0, None),
            (OnHold, 1, Some(6)),
        ]
    );
    let late: Vec<(&str, Stage, NaiveDate)> = f
        .past_go_live
        .items
        .iter()
        .map(|l| (l.integration.name.as_str(), l.stage, l.planned))
        .collect();
    assert_eq!(late, vec![("Onfido", Testing, day(-3))]);
    assert_eq!(f.past_go_live.total, 1);
}

#[tokio::test]
async fn the_table_shows_each_integrations_gate_health_uptime_incidents_and_next_milestone() {
    let w = portfolio().await;
    let (d, db, day) = (w.dashboard().await, w.db.clone(), |n| w.day(n));
    // The table, by name: gate against the stage panel, health, uptime, incidents, milestones.
    let names: Vec<&str> = d.rows.iter().map(|r| r.integration.name.as_str()).collect();
    assert_eq!(names, vec!["Maps", "Onfido", "Stripe", "Twilio"]);
    for r in &d.rows[..3] {
        let panel = app::lifecycle::service::lifecycle(
            &db,
            &r.integration.slug,
            &app::gate::GateContext::default(),
        )
        .await
        .unwrap();
        let gate = panel.gate.expect("a gate ahead");
        let met = gate.criteria.iter().filter(|c| c.met).count() as u64;
        assert_eq!(
            r.gate,
            Some(Ratio {
                part: met,
                whole: gate.criteria.len() as u64
            }),
            "{}",
            r.integration.name
        );
        assert!(!gate.criteria.is_empty());
    }
    let [maps_row, onfido_row, stripe_row, twilio_row] = &d.rows[..] else {
        panic!("four rows")
    };
    assert_eq!(twilio_row.gate, None, "live -> retired has no criteria");
    assert_eq!(
        d.rows.iter().map(|r| r.health).collect::<Vec<_>>(),
        vec![
            Health::Down,
            Health::NotMonitored,
            Health::NotMonitored,
            Health::Degraded
        ]
    );
    assert_eq!(twilio_row.uptime_30d_bp, Some(9000));
    assert_eq!(maps_row.uptime_30d_bp, None);
    assert_eq!(
        d.rows.iter().map(|r| r.open_incidents).collect::<Vec<_>>(),
        vec![0, 0, 0, 1]
    );
    assert_eq!(
        stripe_row
            .next_milestone
            .as_ref()
            .map(|m| (m.title.as_str(), m.due_date)),
        Some(("Share the plan", day(5)))
    );
    assert!(!stripe_row.overdue);
    assert_eq!(
        onfido_row.next_milestone.as_ref().map(|m| m.due_date),
        Some(day(-3))
    );
    assert!(onfido_row.overdue && twilio_row.overdue && !maps_row.overdue);
}

#[tokio::test]
async fn coming_up_lists_the_next_fourteen_days_earliest_first() {
    let w = portfolio().await;
    let (d, day) = (w.dashboard().await, |n| w.day(n));
    // Coming up in 14 days: Stripe's milestone; the expired and the due credential, the
    // earliest first; Twilio's certificate (10 days), not Maps' (60).
    let c = &d.coming_up;
    assert_eq!(
        c.milestones
            .items
            .iter()
            .map(|m| m.title.as_str())
            .collect::<Vec<_>>(),
        vec!["Share the plan"]
    );
    assert_eq!(
        c.credentials
            .items
            .iter()
            .map(|c| (c.name.as_str(), c.status, c.due))
            .collect::<Vec<_>>(),
        vec![
            ("expired", CredentialStatus::Expired, day(-1)),
            ("rotating", CredentialStatus::RotationDueSoon, day(5)),
        ]
    );
    assert_eq!(
        c.certificates
            .items
            .iter()
            .map(|c| (
                c.integration.name.as_str(),
                c.environment.as_str(),
                c.days_left
            ))
            .collect::<Vec<_>>(),
        vec![("Twilio", "production", 10)]
    );

    assert_eq!(
        c.audits
            .items
            .iter()
            .map(|a| (
                a.integration.name.as_str(),
                a.title.as_str(),
                a.next_due,
                a.overdue
            ))
            .collect::<Vec<_>>(),
        vec![
            ("Twilio", "Monthly key review", day(-10), true),
            ("Stripe", "PCI scope review", day(3), false),
        ]
    );
}

#[tokio::test]
async fn recent_activity_is_newest_first_and_linked_to_its_integration() {
    let w = portfolio().await;
    let (d, db, stripe) = (w.dashboard().await, w.db.clone(), w.stripe.clone());
    // Recent activity: the newest first, linked to its integration.
    let trail = app::entities::activity::Entity::find()
        .count(&db)
        .await
        .unwrap();
    assert_eq!(d.recent.len() as u64, trail.min(service::RECENT));
    assert_eq!(d.recent[0].entry.action, "update");
    assert_eq!(
        d.recent[0].integration.as_ref().map(|i| i.id),
        Some(stripe.id)
    );
}

#[tokio::test]
async fn the_portfolio_report_holds_every_integration_as_csv_and_markdown() {
    let w = portfolio().await;
    let (d, db, now, day) = (w.dashboard().await, w.db.clone(), w.now, |n| w.day(n));
    // The report: every integration (not just a page), its CSV line and Markdown table.
    let p = report::portfolio(&db, now, &app::gate::GateContext::default())
        .await
        .expect("report");
    assert_eq!(p.rows, d.rows);
    let csv = report::csv(&p);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(
        lines[0],
        "integration,slug,provider,owner,priority,stage,gate,health,uptime_30d,open_incidents,next_milestone,overdue"
    );
    assert_eq!(
        lines[4],
        format!(
            "Twilio,twilio,Acme,admin@example.com,medium,live,,degraded,90.00%,1,{} Monitoring,yes",
            day(-10)
        )
    );
    let md = report::markdown(&p);
    assert!(md.contains("- Milestones on time: 66% (2 of 3)"), "{md}");
    assert!(md.contains("- Median time in Implementation: 10 h"), "{md}");
    assert!(md.contains("| Onfido | onfido |"), "{md}");
}

#[tokio::test]
async fn an_integrations_overview_and_status_report_come_from_the_same_records() {
    let w = portfolio().await;
    let w = w.with_defects_and_spec_changes().await;
    let (db, admin, now, day, h, t) = (
        w.db.clone(),
        w.admin.clone(),
        w.now,
        |n| w.day(n),
        Duration::hours,
        w.t,
    );
    use Stage::{Implementation, Live, Testing};
    let o = app::overview::service::overview(
        &db,
        &admin,
        "twilio",
        now,
        &app::gate::GateContext::default(),
    )
    .await
    .expect("overview");
    // A stakeholder reads the same overview without the credential references.
    let stakeholder = common::user(&db, "sam@example.com", Role::Stakeholder).await;
    let seen = app::overview::service::overview(
        &db,
        &stakeholder,
        "twilio",
        now,
        &app::gate::GateContext::default(),
    )
    .await
    .expect("overview");
    assert!(seen.credentials.is_empty());
    assert_eq!(seen.open_defects, o.open_defects);
    assert_eq!(
        (o.stage, o.health, o.gate.as_ref().map(|g| g.to)),
        (Live, Health::Degraded, Some(Stage::Retired))
    );
    let moves: Vec<(Stage, DateTime<Utc>)> = o.timeline.iter().map(|m| (m.to, m.at)).collect();
    assert_eq!(
        moves,
        vec![
            (Implementation, t + h(72)),
            (Testing, t + h(80)),
            (Live, t + h(100))
        ]
    );
    assert_eq!(o.in_stage_since(), Some(t + h(100)));
    assert_eq!((o.milestones_done(), o.overdue()), ((0, 1), 1));
    let run = o.latest_run.as_ref().expect("a run");
    assert_eq!((o.runs, run.counts.passed, run.counts.blocked), (1, 2, 1));
    let envs: Vec<&str> = o.environments.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(envs, vec!["production", "sandbox"]);
    assert_eq!(
        (o.open_incidents.len(), o.incidents, o.mttr_minutes),
        (1, 2, Some(90))
    );
    let defects: Vec<&str> = o.open_defects.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(defects, vec!["Retries twice"]);
    let creds: Vec<(&str, CredentialStatus)> = o
        .credentials
        .iter()
        .map(|c| (c.name.as_str(), c.status))
        .collect();
    assert_eq!(
        creds,
        vec![
            ("expired", CredentialStatus::Expired),
            ("fresh", CredentialStatus::Ok),
            ("rotating", CredentialStatus::RotationDueSoon)
        ]
    );
    let changes = &o.spec_changes;
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (changes[0].base, changes[0].revision, changes[0].breaking),
        (Some(1), 2, 1)
    );

    let md = app::overview::report::markdown(&o);
    assert!(md.starts_with("# Status report: Twilio\n"), "{md}");
    assert!(
        md.contains("0 of 1 done; 1 were due by today; 1 overdue."),
        "{md}"
    );
    assert!(md.contains("| production | Up | 90.00% |"), "{md}");
    assert!(md.contains("pass rate 67%"), "{md}");
    assert!(md.contains("No objective set."), "{md}");
    let csv = app::overview::report::csv(&o);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines.contains(&"section,Credential,Environment,Status,Next rotation,Expires"));
    assert!(
        lines.contains(&format!("Credentials,expired,production,Expired,,{}", day(-1)).as_str()),
        "{csv}"
    );
    assert!(
        lines.contains(
            &format!(
                "Open defects,Retries twice,Major,Open,{}",
                Utc::now().date_naive()
            )
            .as_str()
        ),
        "{csv}"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("Milestones,"))
            .count(),
        1
    );
    assert_eq!(
        app::overview::service::overview(
            &db,
            &admin,
            "nobody",
            now,
            &app::gate::GateContext::default()
        )
        .await
        .expect_err("unknown"),
        app::error::AppError::NotFound
    );
}

#[tokio::test]
async fn the_post_implementation_review_is_drafted_from_the_records_then_edited_and_saved() {
    let w = portfolio().await;
    let w = w.with_defects_and_spec_changes().await;
    let (db, admin, now, day, h, t, twilio) = (
        w.db.clone(),
        w.admin.clone(),
        w.now,
        |n| w.day(n),
        Duration::hours,
        w.t,
        w.twilio.clone(),
    );
    // The post-implementation review: drafted from the records, then edited and saved.
    use app::overview::review;
    let page = review::page(
        &db,
        &admin,
        "twilio",
        now,
        &app::gate::GateContext::default(),
    )
    .await
    .expect("review");
    assert!(page.saved.is_none() && page.can_edit);
    let live_on = (t + h(100)).date_naive();
    let early = (day(-10) - live_on).num_days();
    for line in [
        "# Post-implementation review: Twilio".to_string(),
        "- No objective was set.".to_string(),
        format!(
            "- Go-live: planned {}, actual {live_on} ({early} days early).",
            day(-10)
        ),
        format!("- Monitoring: due {}, not started, overdue.", day(-10)),
        "- 1 incident, 1 still open; mean time to resolve: none resolved yet.".to_string(),
        "- 2 defects: 0 critical, 2 major, 0 minor, 0 trivial; 1 still open.".to_string(),
    ] {
        assert!(
            page.draft.lines().any(|l| l == line),
            "{line} in\n{}",
            page.draft
        );
    }
    let stakeholder = common::user(&db, "stake@example.com", Role::Stakeholder).await;
    assert_eq!(
        review::save(&db, &stakeholder, twilio.id, "Mine").await,
        Err(app::error::AppError::Forbidden)
    );
    let empty = review::save(&db, &admin, twilio.id, "  ")
        .await
        .expect_err("empty");
    assert_eq!(
        empty.field_message("body").as_deref(),
        Some("Enter the review.")
    );
    let trail = || async {
        app::entities::activity::Entity::find()
            .count(&db)
            .await
            .unwrap()
    };
    let before = trail().await;
    let text = format!("{}\nWe should have load-tested the sandbox.", page.draft);
    review::save(&db, &admin, twilio.id, &text)
        .await
        .expect("save");
    review::save(&db, &admin, twilio.id, &text)
        .await
        .expect("unchanged");
    review::save(&db, &admin, twilio.id, "Shorter.")
        .await
        .expect("edit");
    assert_eq!(trail().await, before + 2, "a creation and one change");
    let saved = review::page(
        &db,
        &stakeholder,
        "twilio",
        now,
        &app::gate::GateContext::default(),
    )
    .await
    .expect("review")
    .saved
    .expect("saved");
    assert_eq!(saved.body, "Shorter.");
}

#[tokio::test]
async fn an_empty_portfolio_has_zero_counts_and_no_figures() {
    let db = common::db().await;
    let now = Utc::now();
    let d = service::dashboard(
        &db,
        &IntegrationQuery::default(),
        now,
        &app::gate::GateContext::default(),
    )
    .await
    .expect("dashboard");
    assert!(d.pipeline.iter().all(|s| s.count == 0));
    assert!(d.rows.is_empty());
    assert_eq!(d.total, 0);
    assert_eq!(d.figures.milestones_on_time.percent(), None);
    assert_eq!(d.figures.qa_pass_rate.percent(), None);
    assert_eq!(d.figures.mttr_minutes, None);
    assert!(
        d.figures
            .stage_times
            .iter()
            .all(|s| s.median_hours.is_none())
    );
    assert!(
        d.coming_up.milestones.is_empty()
            && d.coming_up.credentials.is_empty()
            && d.coming_up.audits.is_empty()
    );
    assert_eq!(
        report::csv(
            &report::portfolio(&db, now, &app::gate::GateContext::default())
                .await
                .unwrap()
        )
        .lines()
        .count(),
        1
    );
}

#[tokio::test]
async fn the_kept_dashboard_is_served_until_the_trail_moves_or_the_minute_turns() {
    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let shelf = app::kept::Shelf::default();
    let ctx = app::gate::GateContext::default();
    let kept = |query, now| app::dashboard::cache::dashboard(&db, &shelf, query, now, &ctx);
    let now = Utc::now().duration_trunc(Duration::minutes(1)).unwrap();
    // The table's total is read each time the dashboard is made; the pipeline is a running
    // total of every integration's part, which moves with the trail (and is counted afresh
    // every `PARTS_AT_MOST_MINUTES`).
    let total = |d: &app::dashboard::model::Dashboard| d.total;
    let planning = |d: &app::dashboard::model::Dashboard| d.pipeline[0].count;
    let query = IntegrationQuery::default();
    app::integrations::service::create(&db, &admin, &common::form("Stripe", admin.id))
        .await
        .unwrap();
    let d = kept(&query, now).await.unwrap();
    assert_eq!((total(&d), planning(&d)), (1, 1));

    // A row written behind the trail's back is not seen within the minute...
    integrations::ActiveModel {
        name: Set("Sneaked".into()),
        slug: Set("sneaked".into()),
        provider: Set("Acme".into()),
        category: Set(Category::Payments),
        owner_id: Set(admin.id),
        business_objective: Set("None.".into()),
        priority: Set(Priority::Low),
        stage: Set(Stage::Planning),
        tags: Set("[]".into()),
        created_at: Set(now),
        updated_at: Set(now),
        gate_overridden: Set(false),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    assert_eq!(total(&kept(&query, now).await.unwrap()), 1);
    // ...but is once the minute turns (in the pipeline, once the parts are counted afresh),
    let later = now + Duration::minutes(1);
    let d = kept(&query, later).await.unwrap();
    assert_eq!((total(&d), planning(&d)), (2, 1));
    // and a change through a service shows at once, in both.
    app::integrations::service::create(&db, &admin, &common::form("Onfido", admin.id))
        .await
        .unwrap();
    let d = kept(&query, later).await.unwrap();
    assert_eq!((total(&d), planning(&d)), (3, 2));
    let afresh = now + Duration::minutes(app::dashboard::cache::PARTS_AT_MOST_MINUTES);
    let d = kept(&query, afresh).await.unwrap();
    assert_eq!((total(&d), planning(&d)), (3, 3));
    // Another query is another page of the same stamp.
    let by_name = IntegrationQuery {
        sort: Some("name".into()),
        ..Default::default()
    };
    let page = kept(&by_name, later).await.unwrap();
    assert_eq!(page.rows[0].integration.name, "Onfido");
}

#[tokio::test]
async fn a_saved_view_reproduces_the_lists_query_and_is_its_owners_alone() {
    use app::saved_views::model::SavedViewForm;
    use app::saved_views::service as views;
    let db = common::db().await;
    let pat = common::user(&db, "pat@example.com", Role::Stakeholder).await;
    let sam = common::user(&db, "sam@example.com", Role::Coordinator).await;
    let form = |page: &str, name: &str, query: &str| SavedViewForm {
        page: page.into(),
        name: name.into(),
        query: query.into(),
    };

    let v = views::save(
        &db,
        &pat,
        &form(
            "dashboard",
            " Late payments ",
            "?stage=testing&category=payments&sort=name&dir=desc&junk=1",
        ),
    )
    .await
    .expect("save");
    assert_eq!(v.name, "Late payments");
    // Kept in the list's own order and form, unknown parameters dropped.
    assert_eq!(
        v.query,
        "stage=testing&category=payments&sort=name&dir=desc"
    );
    assert_eq!(
        v.href(),
        "/?stage=testing&category=payments&sort=name&dir=desc"
    );
    let all = views::save(&db, &pat, &form("integrations", "Everything", ""))
        .await
        .expect("save");
    assert_eq!(all.href(), "/integrations");

    let dup = views::save(&db, &pat, &form("dashboard", "Late payments", "stage=live"))
        .await
        .expect_err("duplicate");
    assert_eq!(
        dup.field_message("name").as_deref(),
        Some("You already have a view with this name here.")
    );
    let bad = views::save(&db, &pat, &form("elsewhere", "", "page=2"))
        .await
        .expect_err("bad");
    assert_eq!(
        bad.field_message("name").as_deref(),
        Some("Enter a name for the view.")
    );
    assert_eq!(
        bad.field_message("page").as_deref(),
        Some("Choose one of: dashboard, integrations.")
    );
    // Someone else may use the same name, and sees none of Pat's.
    views::save(&db, &sam, &form("dashboard", "Late payments", "stage=live"))
        .await
        .expect("another's");
    let names = |list: Vec<app::saved_views::model::SavedView>| -> Vec<String> {
        list.into_iter().map(|v| v.name).collect()
    };
    assert_eq!(
        names(views::list(&db, &pat, "dashboard").await.unwrap()),
        vec!["Late payments"]
    );
    assert_eq!(
        views::list(&db, &sam, "integrations").await.unwrap(),
        vec![]
    );
    assert_eq!(
        views::delete(&db, &sam, v.id).await,
        Err(app::error::AppError::NotFound)
    );
    views::delete(&db, &pat, v.id).await.expect("delete");
    assert!(
        views::list(&db, &pat, "dashboard")
            .await
            .unwrap()
            .is_empty()
    );
    let trail: Vec<String> = app::entities::activity::Entity::find()
        .order_by_asc(app::entities::activity::Column::Id)
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.entity_kind == "saved_view")
        .map(|a| a.action)
        .collect();
    assert_eq!(trail, vec!["create", "create", "create", "delete"]);
}
