//! The kept dashboard (`dashboard::cache`): a change to one integration computes that
//! integration's row and part of the key figures again, and nothing else (counted); and after
//! any sequence of changes the kept dashboard equals one computed from scratch (a property
//! test over random edits, on SQLite and PostgreSQL as every service test).

use crate::common::{db, form, user};
use app::auth::model::{CurrentUser, Role};
use app::changes::Changes;
use app::dashboard::cache::{Portfolio, dashboard};
use app::dashboard::model::Dashboard;
use app::dashboard::service;
use app::gate::GateContext;
use app::integrations::model::IntegrationQuery;
use app::kept::Shelf;
use app::monitoring::model::{IncidentForm, IncidentUpdateForm};
use app::planning::model::MilestoneForm;
use app::testing::model::{ResultForm, TestPlanForm, TestRunForm};
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::DatabaseConnection;

#[derive(Clone)]
struct World {
    db: DatabaseConnection,
    shelf: Shelf,
    admin: CurrentUser,
    qa: CurrentUser,
    ids: Vec<i32>,
    /// Each integration's form, as created.
    forms: Vec<app::integrations::model::IntegrationForm>,
    now: DateTime<Utc>,
}

async fn world(n: usize) -> World {
    let db = db().await;
    let admin = user(&db, "admin@example.com", Role::Admin).await;
    let qa = user(&db, "qa@example.com", Role::Qa).await;
    let (mut ids, mut forms) = (Vec::new(), Vec::new());
    for k in 0..n {
        let mut f = form(&format!("Vendor {k}"), admin.id);
        let i = app::integrations::service::create(&db, &admin, &f)
            .await
            .expect("integration");
        f.slug = i.slug;
        ids.push(i.id);
        forms.push(f);
    }
    World {
        db,
        shelf: Shelf::default(),
        admin,
        qa,
        ids,
        forms,
        // Within one minute all along, of a day that has ten more: what is kept is not dropped
        // for the clock.
        now: Utc::now()
            .date_naive()
            .and_hms_opt(12, 0, 0)
            .expect("noon")
            .and_utc(),
    }
}

impl World {
    async fn kept(&self) -> Dashboard {
        dashboard(
            &self.db,
            &self.shelf,
            &IntegrationQuery::default(),
            self.now,
            &GateContext::default(),
        )
        .await
        .expect("kept dashboard")
    }

    async fn fresh(&self) -> Dashboard {
        service::dashboard(
            &self.db,
            &IntegrationQuery::default(),
            self.now,
            &GateContext::default(),
        )
        .await
        .expect("dashboard")
    }

    /// (parts, rows) computed since the last call.
    fn made(&self, was: &mut (u64, u64)) -> (u64, u64) {
        let now = self.shelf.held::<Portfolio>().made();
        let since = (now.0 - was.0, now.1 - was.1);
        *was = now;
        since
    }

    async fn head(&self) -> i32 {
        app::activity::service::head(&self.db).await.expect("head")
    }

    async fn milestone(
        &self,
        integration: i32,
        due: i64,
        done: Option<i64>,
    ) -> app::error::Result<i32> {
        let today = self.now.date_naive();
        app::planning::service::milestones::create(
            &self.db,
            &self.admin,
            integration,
            &MilestoneForm {
                title: format!("Milestone due {due}"),
                stage: "implementation".into(),
                due_date: (today + Duration::days(due)).to_string(),
                status: if done.is_some() { "done" } else { "planned" }.into(),
                completed_on: done
                    .map(|d| (today + Duration::days(d)).to_string())
                    .unwrap_or_default(),
                ..Default::default()
            },
        )
        .await
    }

    async fn priority(&self, integration: i32, priority: &str) -> app::error::Result<()> {
        let k = self
            .ids
            .iter()
            .position(|i| *i == integration)
            .expect("ours");
        let mut f = self.forms[k].clone();
        f.priority = priority.into();
        app::integrations::service::update(&self.db, &self.admin, integration, &f)
            .await
            .map(|_| ())
    }
}

#[tokio::test]
async fn a_change_to_one_integration_recomputes_its_row_and_its_part_alone() {
    let w = world(6).await;
    let mut was = (0, 0);
    let first = w.kept().await;
    assert_eq!(first, w.fresh().await);
    let (_, rows) = w.made(&mut was);
    assert_eq!(rows, 6, "the first dashboard computes every row");

    // Nothing changed: nothing is computed.
    w.kept().await;
    assert_eq!(w.made(&mut was), (0, 0));

    // One integration's priority: its row and its part.
    let changes = w.shelf.held::<Changes>();
    let other = changes
        .version(&w.db, w.head().await, w.ids[4])
        .await
        .unwrap();
    w.priority(w.ids[2], "critical").await.unwrap();
    let d = w.kept().await;
    assert_eq!(w.made(&mut was), (1, 1));
    assert_eq!(d, w.fresh().await);
    // Another integration's version (what its page is kept at) has not moved; its own has.
    let head = w.head().await;
    assert_eq!(changes.version(&w.db, head, w.ids[4]).await.unwrap(), other);
    assert_eq!(changes.version(&w.db, head, w.ids[2]).await.unwrap(), head);

    // A milestone of another: that one's row (its next milestone) and part.
    w.milestone(w.ids[3], -2, Some(-3)).await.unwrap();
    let d = w.kept().await;
    assert_eq!(w.made(&mut was), (1, 1));
    assert_eq!(d, w.fresh().await);
    assert_eq!(d.figures.milestones_on_time.whole, 1);

    // A minute later, health and uptime may have moved: every row again, but no part (each
    // changes only with a trail row) until the day turns, or ten minutes have passed.
    let later = World {
        now: w.now + Duration::minutes(1),
        ..w.clone()
    };
    assert_eq!(later.kept().await, later.fresh().await);
    assert_eq!(w.made(&mut was), (0, 6));
    let much_later = World {
        now: w.now + Duration::minutes(app::dashboard::cache::PARTS_AT_MOST_MINUTES),
        ..w.clone()
    };
    assert_eq!(much_later.kept().await, much_later.fresh().await);
    let (parts, rows) = w.made(&mut was);
    assert_eq!(rows, 6);
    assert!(parts >= 1, "every part again: {parts}");

    // A change filed under no integration (an account) may touch any: everything again.
    user(&w.db, "eng@example.com", Role::Engineer).await;
    let d = w.kept().await;
    let (parts, rows) = w.made(&mut was);
    assert_eq!(rows, 6);
    assert!(parts >= 1, "every part again: {parts}");
    assert_eq!(d, w.fresh().await);
    assert!(
        changes
            .version(&w.db, w.head().await, w.ids[4])
            .await
            .unwrap()
            > other
    );
}

/// One random change to the portfolio, through the services (as the pages and the API make
/// them); a change the service refuses (a closed gate, a move the stage does not allow) is
/// part of the sequence too. Whether it may touch every integration.
async fn random_change(w: &World, rng: &mut StdRng, step: usize) -> bool {
    let id = w.ids[rng.gen_range(0..w.ids.len())];
    match rng.gen_range(0..8) {
        0 => {
            let p = ["low", "medium", "high", "critical"][rng.gen_range(0..4)];
            let _ = w.priority(id, p).await;
        }
        1 => {
            let due = rng.gen_range(-30..30);
            let done = rng.gen_bool(0.5).then(|| due + rng.gen_range(-5..5));
            let _ = w.milestone(id, due, done).await;
        }
        2 => {
            let to = [
                "implementation",
                "testing",
                "live",
                "on_hold",
                "planning",
                "retired",
            ][rng.gen_range(0..6)];
            let _ = app::lifecycle::service::transition(
                &w.db,
                &w.admin,
                id,
                &app::lifecycle::model::MoveRequest {
                    to: to.into(),
                    reason: "A random move of the property test.".into(),
                    override_justification: "Moved on regardless, to test the figures.".into(),
                },
                &GateContext::default(),
            )
            .await;
        }
        3 => {
            let incident = app::monitoring::incidents::create(
                &w.db,
                &w.admin,
                id,
                &IncidentForm {
                    title: format!("Outage {step}"),
                    severity: "major".into(),
                    note: "Seen by a reader.".into(),
                    ..Default::default()
                },
            )
            .await;
            if let (Ok(incident), true) = (incident, rng.gen_bool(0.7)) {
                let _ = app::monitoring::incidents::update(
                    &w.db,
                    &w.admin,
                    incident,
                    &IncidentUpdateForm {
                        status: "resolved".into(),
                        note: "Fixed.".into(),
                        ..Default::default()
                    },
                )
                .await;
            }
        }
        4 => {
            // A test run with random results (the plan from the template the first time).
            let _ = app::testing::service::apply_template(&w.db, &w.qa, id).await;
            let _ = app::testing::service::save_plan(
                &w.db,
                &w.qa,
                id,
                &TestPlanForm {
                    browsers: "chrome".into(),
                    devices: "desktop".into(),
                    required_categories: "functional".into(),
                },
            )
            .await;
            let form = TestRunForm {
                name: format!("Run {step}"),
                build: "1.0".into(),
                environment_id: String::new(),
            };
            if let Ok(run) = app::testing::runs::create_run(&w.db, &w.qa, id, &form).await {
                let page = app::testing::runs::run_page(&w.db, run).await.expect("run");
                for e in page.executions.iter().take(6) {
                    let status = ["passed", "failed", "blocked", "skipped"][rng.gen_range(0..4)];
                    let result = ResultForm {
                        status: status.into(),
                        ..Default::default()
                    };
                    let _ = app::testing::runs::record_result(&w.db, &w.qa, e.id, &result).await;
                }
            }
        }
        5 => {
            // Another milestone of the same integration done.
            let _ = w.milestone(id, rng.gen_range(-10..10), Some(0)).await;
        }
        6 if step.is_multiple_of(5) => {
            user(&w.db, &format!("user{step}@example.com"), Role::Engineer).await;
            return true;
        }
        _ => {
            let p = if rng.gen_bool(0.5) { "high" } else { "low" };
            let _ = w.priority(id, p).await;
        }
    }
    false
}

#[tokio::test]
async fn the_kept_dashboard_after_random_changes_equals_one_computed_from_scratch() {
    let seeds: Vec<u64> = match std::env::var("TOLLGATE_PROPERTY_SEED") {
        Ok(s) => vec![s.parse().expect("a number")],
        Err(_) => vec![1, 2, rand::random()],
    };
    for seed in seeds {
        let n = 8;
        let w = world(n).await;
        let mut rng = StdRng::seed_from_u64(seed);
        let mut was = (0, 0);
        assert_eq!(w.kept().await, w.fresh().await, "seed {seed}: at first");
        w.made(&mut was);
        let (mut bound, steps) = (0, 40);
        for step in 0..steps {
            let everything = random_change(&w, &mut rng, step).await;
            // One integration's part at most; every part after a change filed under none.
            bound += if everything { n as u64 + 1 } else { 1 };
            let kept = w.kept().await;
            let fresh = w.fresh().await;
            assert_eq!(
                kept, fresh,
                "seed {seed}, after step {step} (TOLLGATE_PROPERTY_SEED={seed} replays it)"
            );
        }
        let (parts, _) = w.made(&mut was);
        assert!(
            parts <= bound,
            "seed {seed}: {parts} parts computed for {steps} changes, at most {bound} expected"
        );
    }
}
