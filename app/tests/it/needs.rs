//! "Needs me" on crafted data: each role's groups hold exactly what waits on that person, and
//! nothing of anyone else's.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common;

use app::auth::model::Role;
use app::entities::{action_items, incidents, integrations, monitors, plans};
use app::implementation::model::EnvironmentForm;
use app::integrations::model::Stage;
use app::monitoring::model::{IncidentSeverity, IncidentStatus};
use app::monitors::MonitorState;
use app::needs::model::NeedsMe;
use app::planning::model::{MilestoneStatus, PlanState};
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait};

async fn stage(db: &DatabaseConnection, id: i32, stage: Stage) {
    let m = integrations::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut a: integrations::ActiveModel = m.into();
    a.stage = Set(stage);
    a.update(db).await.unwrap();
}

async fn plan(db: &DatabaseConnection, integration: i32, version: i32, state: PlanState) {
    plans::ActiveModel {
        integration_id: Set(integration),
        version: Set(version),
        state: Set(state),
        technical_requirements: Set(String::new()),
        expected_outcomes: Set(String::new()),
        risks: Set(String::new()),
        dependencies: Set(String::new()),
        created_at: Set(Utc::now()),
        updated_at: Set(Utc::now()),
        review_comment: Set(Some("Add the refund flow.".into())),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

async fn incident(db: &DatabaseConnection, integration: i32, title: &str, status: IncidentStatus) {
    incidents::ActiveModel {
        integration_id: Set(integration),
        title: Set(title.into()),
        severity: Set(IncidentSeverity::Major),
        status: Set(status),
        automatic: Set(false),
        opened_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

fn titles(n: &NeedsMe, key: &str) -> Vec<String> {
    n.group(key)
        .unwrap_or_else(|| panic!("no group {key}"))
        .items
        .iter()
        .map(|w| format!("{}: {}", w.integration.name, w.title))
        .collect()
}

fn keys(n: &NeedsMe) -> Vec<&str> {
    n.groups.iter().map(|g| g.key.as_str()).collect()
}

#[tokio::test]
async fn each_role_sees_what_waits_on_it_and_nothing_of_anyone_elses() {
    let db = common::db().await;
    let coordinator = common::user(&db, "cora@example.com", Role::Coordinator).await;
    let other = common::user(&db, "otto@example.com", Role::Coordinator).await;
    let engineer = common::user(&db, "eli@example.com", Role::Engineer).await;
    let qa = common::user(&db, "quinn@example.com", Role::Qa).await;
    let stakeholder = common::user(&db, "sam@example.com", Role::Stakeholder).await;
    let create = |name: &str, owner: i32| {
        let (db, actor, form) = (db.clone(), coordinator.clone(), common::form(name, owner));
        async move {
            app::integrations::service::create(&db, &actor, &form)
                .await
                .expect("integration")
                .id
        }
    };
    let mine = create("Onfido", coordinator.id).await;
    let theirs = create("Stripe", other.id).await;
    let testing = create("Twilio", other.id).await;
    stage(&db, testing, Stage::Testing).await;
    let retired = create("Old SMS", coordinator.id).await;
    stage(&db, retired, Stage::Retired).await;
    let today = Utc::now().date_naive();

    // Mine: plan v1 approved, v2 sent back. Theirs: in review.
    plan(&db, mine, 1, PlanState::Approved).await;
    plan(&db, mine, 2, PlanState::ChangesRequested).await;
    plan(&db, theirs, 1, PlanState::InReview).await;
    common::milestone(
        &db,
        mine,
        "Vendor chosen",
        today - Duration::days(3),
        MilestoneStatus::InProgress,
    )
    .await;
    common::milestone(
        &db,
        mine,
        "Kick-off",
        today - Duration::days(9),
        MilestoneStatus::Done,
    )
    .await;
    common::milestone(
        &db,
        mine,
        "Go-live",
        today + Duration::days(9),
        MilestoneStatus::NotStarted,
    )
    .await;
    common::milestone(
        &db,
        theirs,
        "Their overdue",
        today - Duration::days(3),
        MilestoneStatus::Blocked,
    )
    .await;
    incident(&db, mine, "Checks failing", IncidentStatus::Investigating).await;
    incident(&db, mine, "Old outage", IncidentStatus::Resolved).await;
    incident(&db, theirs, "Their outage", IncidentStatus::Open).await;
    action_items::ActiveModel {
        integration_id: Set(mine),
        text: Set("Send the DPA".into()),
        assignee_id: Set(Some(engineer.id)),
        due_date: Set(Some(today - Duration::days(1))),
        done: Set(false),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    let env = |integration: i32, name: &'static str| {
        let (db, actor) = (db.clone(), coordinator.clone());
        async move {
            app::implementation::service::create(
                &db,
                &actor,
                integration,
                &EnvironmentForm {
                    name: name.into(),
                    base_url: "https://api.example.com".into(),
                    auth_scheme: "bearer".into(),
                    health_path: "/health".into(),
                    health_interval_seconds: "60".into(),
                    health_timeout_ms: "500".into(),
                    ..Default::default()
                },
            )
            .await
            .expect("environment")
        }
    };
    let down = env(mine, "sandbox").await;
    env(theirs, "production").await;
    let m = monitors::Entity::find_by_id(down)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let mut a: monitors::ActiveModel = m.into();
    a.state = Set(MonitorState::Down);
    a.changed_at = Set(Some(Utc::now()));
    a.update(&db).await.unwrap();

    let ctx = app::gate::GateContext::default();
    let needs = |who: app::auth::model::CurrentUser| {
        let db = db.clone();
        async move {
            app::needs::service::needs_me(&db, &who, today, &ctx)
                .await
                .expect("needs")
        }
    };

    let n = needs(coordinator.clone()).await;
    assert_eq!(
        keys(&n),
        ["gates", "plans_back", "milestones", "incidents", "actions"]
    );
    assert_eq!(titles(&n, "gates"), ["Onfido: Gate to Implementation"]);
    let gate = &n.group("gates").unwrap().items[0];
    assert!(gate.detail.starts_with("Still needs: "), "{}", gate.detail);
    assert_eq!(gate.href, "/integrations/onfido");
    assert_eq!(titles(&n, "plans_back"), ["Onfido: Plan version 2"]);
    assert_eq!(
        n.group("plans_back").unwrap().items[0].detail,
        "Changes requested: Add the refund flow."
    );
    assert_eq!(titles(&n, "milestones"), ["Onfido: Vendor chosen"]);
    assert_eq!(titles(&n, "incidents"), ["Onfido: Checks failing"]);
    assert!(titles(&n, "actions").is_empty());
    assert_eq!(n.total(), 4);

    let n = needs(engineer.clone()).await;
    assert_eq!(keys(&n), ["actions", "environments"]);
    assert_eq!(titles(&n, "actions"), ["Onfido: Send the DPA"]);
    assert!(
        n.group("actions").unwrap().items[0]
            .detail
            .starts_with("Overdue: due ")
    );
    assert_eq!(titles(&n, "environments"), ["Onfido: sandbox"]);
    assert_eq!(
        n.group("environments").unwrap().items[0].href,
        "/integrations/onfido/health"
    );

    let n = needs(qa.clone()).await;
    assert_eq!(keys(&n), ["actions", "runs"]);
    assert_eq!(titles(&n, "runs"), ["Twilio: No run yet"]);

    let n = needs(stakeholder.clone()).await;
    assert_eq!(keys(&n), ["plans_review"]);
    assert_eq!(titles(&n, "plans_review"), ["Stripe: Plan version 1"]);
    assert_eq!(n.total(), 1);
}

/// `needs::count::waiting` until it reads `want`, for up to five seconds: a count kept from
/// an earlier period is made again in a task of its own.
async fn count_becomes(
    db: &DatabaseConnection,
    shelf: &app::kept::Shelf,
    user: &app::auth::model::CurrentUser,
    at: chrono::DateTime<Utc>,
    want: u64,
) {
    let ctx = app::gate::GateContext::default();
    let mut last = None;
    for _ in 0..100 {
        let n = app::needs::count::waiting(db, shelf, user, &ctx, at)
            .await
            .expect("count");
        if n == want {
            return;
        }
        last = Some(n);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the count stayed {last:?}, not {want}");
}

#[tokio::test]
async fn the_navigation_count_is_kept_counted_again_in_the_background_and_forgotten_on_a_write() {
    use app::needs::count::{COUNT_FOR, forget, waiting};
    let db = common::db().await;
    let shelf = app::kept::Shelf::default();
    let ctx = app::gate::GateContext::default();
    let cora = common::user(&db, "cora@example.com", Role::Coordinator).await;
    let id = app::integrations::service::create(&db, &cora, &common::form("Onfido", cora.id))
        .await
        .expect("integration")
        .id;
    let now = Utc::now();
    let today = now.date_naive();
    let first = waiting(&db, &shelf, &cora, &ctx, now).await.expect("count");
    let due = today - Duration::days(2);
    common::milestone(&db, id, "Vendor chosen", due, MilestoneStatus::InProgress).await;
    // Kept: the same period reads the same count.
    assert_eq!(
        waiting(&db, &shelf, &cora, &ctx, now).await.expect("count"),
        first
    );
    // A write of theirs forgets it: counted at once.
    forget(&shelf, cora.id);
    let second = waiting(&db, &shelf, &cora, &ctx, now).await.expect("count");
    assert_eq!(second, first + 1, "the overdue milestone is counted");
    // Someone else's change shows in the next period: the kept count is served while a task
    // counts again, and the new count follows.
    common::milestone(&db, id, "Contract", due, MilestoneStatus::NotStarted).await;
    let later = now + Duration::seconds(COUNT_FOR);
    assert_eq!(
        waiting(&db, &shelf, &cora, &ctx, later)
            .await
            .expect("count"),
        second,
        "the kept count is served at once"
    );
    count_becomes(&db, &shelf, &cora, later, second + 1).await;
}
