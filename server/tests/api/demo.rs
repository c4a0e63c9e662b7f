//! The demo portfolio (`tollgate demo seed`, `make demo`): idempotent, every role and stage,
//! live integrations that have lived, and a past, so that every key figure of a fresh demo
//! reads as it would on an instance in use.

use app::auth::model::Role;
use app::integrations::model::{IntegrationQuery, Stage};
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_demo_seed_is_idempotent_covers_every_role_and_puts_an_integration_in_every_stage() {
    let app = spawn_app().await;
    let db = app.db.clone();
    let first = server::seed::demo::seed(&db).await.expect("seed");
    assert_eq!(first.users_created, 5);
    assert_eq!(first.integrations_created, 8);
    let second = server::seed::demo::seed(&db).await.expect("seed");
    assert_eq!(second, server::seed::demo::DemoSummary::default());
    let all = app::integrations::service::list(&db, &IntegrationQuery::default())
        .await
        .expect("list");
    for stage in app::integrations::model::Stage::ALL {
        assert!(
            all.items.iter().any(|i| i.stage == *stage),
            "no demo integration in {}",
            stage.label()
        );
    }
    let stripe = app::planning::service::vendors::board(&db, "stripe-payments")
        .await
        .expect("board");
    assert_eq!(stripe.ranking.len(), 2);
    assert!(stripe.selection.is_some());
    // The live ones have lived: checks with an outage, its incident, feedback, spec changes.
    let now = chrono::Utc::now();
    let admin = app
        .user("reader@example.com", Role::Admin)
        .await
        .as_current();
    let o = app::overview::service::overview(
        &db,
        &admin,
        "stripe-payments",
        now,
        &app::gate::GateContext::default(),
    )
    .await
    .expect("overview");
    assert_eq!((o.incidents, o.open_incidents.len()), (1, 0));
    assert!(o.mttr_minutes.is_some());
    assert_eq!(o.spec_changes.len(), 1);
    assert!(o.spec_changes[0].breaking >= 1, "{:?}", o.spec_changes);
    assert!(o.latest_run.is_some_and(|r| r.latest_signoff.is_some()));
    let checks = app::entities::probe_results::Entity::find()
        .count(&db)
        .await
        .expect("count");
    assert_eq!(
        checks,
        2 * (144 + 144) + 3 * 12,
        "a day every ten minutes and a week hourly, twice; an hour of sandbox checks for each \
         of the three integrations that reached testing"
    );
    let ipinfo = app::overview::service::overview(
        &db,
        &admin,
        "ipinfo-geolocation",
        now,
        &app::gate::GateContext::default(),
    )
    .await
    .expect("overview");
    assert_eq!(ipinfo.open_incidents.len(), 1);
    let feedback = app::provider::service::page(&db, "ipinfo-geolocation")
        .await
        .expect("provider page");
    assert_eq!(feedback.feedback.len(), 3);
    // Their audits: Stripe's review has an open finding; one audit is overdue, one due soon.
    let today = app::calendar::today();
    let stripe_audits = app::audits::service::page(&db, "stripe-payments", today)
        .await
        .expect("audits");
    assert_eq!(stripe_audits.audits.len(), 2);
    assert_eq!(
        stripe_audits
            .audits
            .iter()
            .map(|a| a.open_findings)
            .sum::<usize>(),
        1
    );
    let d = app::dashboard::service::dashboard(
        &db,
        &IntegrationQuery::default(),
        now,
        &app::gate::GateContext::default(),
    )
    .await
    .expect("dashboard");
    assert!(d.coming_up.audits.items.iter().any(|a| a.overdue));
    assert!(d.coming_up.audits.items.iter().any(|a| !a.overdue));
    assert!(matches!(
        app::activity::service::verify(&db).await.expect("verify"),
        app::activity::service::ChainStatus::Intact { .. }
    ));
}

#[tokio::test]
async fn the_demo_has_a_past_so_every_key_figure_shows_a_value() {
    let app = spawn_app().await;
    server::seed::demo::seed(&app.db).await.expect("seed");
    let d = app::dashboard::service::dashboard(
        &app.db,
        &IntegrationQuery::default(),
        chrono::Utc::now(),
        &app::gate::GateContext::default(),
    )
    .await
    .expect("dashboard");
    let f = &d.figures;
    // Days in each stage an integration has left, not the seconds the seed took.
    for stage in [Stage::Planning, Stage::Implementation, Stage::Testing] {
        let time = f
            .stage_times
            .iter()
            .find(|t| t.stage == stage)
            .expect("timed");
        assert!(
            time.median_hours.is_some_and(|h| h >= 24 * 14),
            "{stage:?}: {time:?}"
        );
    }
    // Stripe's incident lasted the two hours its checks were down.
    assert_eq!(f.mttr_minutes, Some(120));
    // Each integration is at its own point of its schedule, and the retired one has none.
    let next: std::collections::HashSet<_> = d
        .rows
        .iter()
        .filter_map(|r| {
            r.next_milestone
                .as_ref()
                .map(|m| (m.title.clone(), m.due_date))
        })
        .collect();
    assert!(next.len() >= 3, "{next:?}");
    let clearbit = d
        .rows
        .iter()
        .find(|r| r.stage == Stage::Retired)
        .expect("the retired integration");
    assert_eq!(clearbit.next_milestone, None);
    // Onfido's schedule ran out before it went live.
    assert!(
        f.past_go_live
            .items
            .iter()
            .any(|l| l.integration.slug == "onfido-identity-verification"),
        "{:?}",
        f.past_go_live
    );
}
