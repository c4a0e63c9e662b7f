//! The scheduler inside a running server: it probes a local provider simulator, and the
//! health page shows the environment going down with its incident and coming back.

use std::time::{Duration, Instant};

use app::auth::model::Role;
use app::monitoring::simulator::Mode;
use sea_orm::EntityTrait;

use crate::helpers::{TestApp, client, spawn_with};

/// Reloads `path` until its HTML contains `text`, for at most `within`.
async fn until(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    text: &str,
    within: Duration,
) -> String {
    let start = Instant::now();
    loop {
        let (status, html) = app.page(c, path).await;
        assert_eq!(status, 200);
        if html.contains(text) {
            return html;
        }
        assert!(
            start.elapsed() < within,
            "{text:?} never appeared on {path}: {html}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn the_scheduler_probes_the_provider_and_the_health_page_shows_the_incident() {
    let app = spawn_with(|s| {
        s.monitor = true;
        s.down_after = 1;
        s.outbound_allow = vec!["127.0.0.1".into()];
    })
    .await;
    let coord = app
        .user("coord@example.com", Role::Coordinator)
        .await
        .as_current();
    let i = app.stripe(&coord).await;
    let eng = app
        .user("eng@example.com", Role::Engineer)
        .await
        .as_current();
    app.user("stake@example.com", Role::Stakeholder).await;
    let stake = client();
    app.login_as(&stake, "stake@example.com").await;
    let path = "/integrations/stripe/health";
    let (_, html) = app.page(&stake, path).await;
    assert!(
        html.contains("No environment has a health check yet."),
        "{html}"
    );
    assert!(html.contains("No incidents."), "{html}");

    let (sim, address) = app::monitoring::simulator::start(2_000)
        .await
        .expect("simulator");
    sim.set(Mode::Failing);
    app::implementation::service::create(
        &app.db,
        &eng,
        i.id,
        &app::implementation::model::EnvironmentForm {
            name: "production".into(),
            base_url: address,
            auth_scheme: "bearer".into(),
            health_path: "/health".into(),
            health_interval_seconds: "10".into(),
            health_timeout_ms: "1000".into(),
            ..Default::default()
        },
    )
    .await
    .expect("environment");
    a_failing_provider_opens_an_incident_and_tells_the_stakeholder(&app, &stake, path).await;

    sim.set(Mode::Healthy);
    until(&app, &stake, path, ">Resolved<", Duration::from_secs(15)).await;
    // The mean is of the resolved incidents' own durations, whatever the machine's load made them.
    let minutes: Vec<i64> = app::entities::incidents::Entity::find()
        .all(&app.db)
        .await
        .expect("incidents")
        .into_iter()
        .filter_map(|i| i.resolved_at.map(|r| (r - i.opened_at).num_minutes()))
        .collect();
    assert!(
        !minutes.is_empty() && minutes.iter().all(|m| *m >= 0),
        "{minutes:?}"
    );
    let mean = minutes.iter().sum::<i64>() / i64::try_from(minutes.len()).expect("count");
    let mttr = format!("Mean time to resolve: {mean} min.");
    // The page reads its summary and its timeline apart (on PostgreSQL, on two connections at
    // once): the render that first shows the resolution may have read the summary a moment
    // before it, so wait for the mean too.
    let html = until(&app, &stake, path, &mttr, Duration::from_secs(15)).await;
    assert!(
        html.contains("Resolved by the monitor: production answered again"),
        "{html}"
    );
    assert!(html.contains("badge ok health-state"), "up again: {html}");
    assert!(
        html.contains("Uptime against the objective of 99.90%"),
        "{html}"
    );

    // The forms work without WebAssembly: an objective, a window, an incident moved on.
    let eng_browser = client();
    app.login_as(&eng_browser, "eng@example.com").await;
    let env = app::entities::environments::Entity::find()
        .one(&app.db)
        .await
        .expect("q")
        .expect("environment")
        .id
        .to_string();
    let integration_id = i.id.to_string();
    an_objective_and_a_maintenance_window_are_set_by_form_posts(
        &app,
        &stake,
        &eng_browser,
        &env,
        &integration_id,
        path,
    )
    .await;
    let incident =
        an_incident_is_resolved_with_its_root_cause_by_form_post(&app, &stake, &eng_browser).await;
    a_contact_and_a_ticket_on_the_incident_are_added_by_form_posts(
        &app,
        &stake,
        &eng_browser,
        &integration_id,
        &incident,
    )
    .await;
}

async fn a_failing_provider_opens_an_incident_and_tells_the_stakeholder(
    app: &TestApp,
    stake: &reqwest::Client,
    path: &str,
) {
    let html = until(
        app,
        stake,
        path,
        "production is down",
        Duration::from_secs(10),
    )
    .await;
    assert!(
        html.contains(">Critical<") && html.contains(">Open<"),
        "{html}"
    );
    assert!(html.contains("Answered 503, expected 200."), "{html}");
    let (_, inbox) = app.page(stake, "/notifications").await;
    assert!(
        inbox.contains("Stripe: incident opened, production is down"),
        "{inbox}"
    );
    assert!(inbox.contains("Stripe: production is down"), "{inbox}");
    assert!(inbox.contains("What you are told"), "{inbox}");
    // Every box cleared but one, as a browser without WebAssembly posts it.
    let res = app
        .call_as(
            stake,
            "save_notification_preferences",
            &[("channels[]", "in_app"), ("in_app[]", "incident_resolved")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let stake_user = app::entities::users::Entity::find()
        .all(&app.db)
        .await
        .expect("users")
        .into_iter()
        .find(|u| u.email == "stake@example.com")
        .expect("stakeholder");
    let prefs = app::notifications::service::preferences(
        &app.db,
        &app::auth::service::to_current(&stake_user).expect("current"),
    )
    .await
    .expect("prefs");
    assert_eq!(
        prefs.channels[0].1,
        [app::notifications::model::Kind::IncidentResolved]
    );
}

async fn an_objective_and_a_maintenance_window_are_set_by_form_posts(
    app: &TestApp,
    stake: &reqwest::Client,
    eng_browser: &reqwest::Client,
    env: &str,
    integration_id: &str,
    path: &str,
) {
    let res = app
        .call_as(
            stake,
            "set_slo",
            &[("environment_id", env), ("target", "99.5")],
        )
        .await;
    assert_eq!(res.status(), 403, "stakeholders read");
    let res = app
        .call_as(
            eng_browser,
            "set_slo",
            &[("environment_id", env), ("target", "101")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .call_as(
            eng_browser,
            "set_slo",
            &[("environment_id", env), ("target", "99.5")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let later = |h: i64| {
        (chrono::Utc::now() + chrono::Duration::hours(h))
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let res = app
        .call_as(
            eng_browser,
            "schedule_maintenance",
            &[
                ("integration_id", integration_id),
                ("environment_id", env),
                ("starts_at", &later(1)),
                ("ends_at", &later(2)),
                ("reason", "Card network upgrade"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let (_, html) = app.page(stake, path).await;
    assert!(
        html.contains("Uptime against the objective of 99.50%"),
        "{html}"
    );
    assert!(
        html.contains("Card network upgrade") && html.contains("(scheduled)"),
        "{html}"
    );
    assert!(
        html.contains("Maintenance of production begins: Card network upgrade"),
        "on the timeline: {html}"
    );
    assert!(
        html.contains("Incident resolved: production is down"),
        "{html}"
    );
    assert!(
        !html.contains("Report an incident"),
        "stakeholders do not report"
    );
}

async fn an_incident_is_resolved_with_its_root_cause_by_form_post(
    app: &TestApp,
    stake: &reqwest::Client,
    eng_browser: &reqwest::Client,
) -> String {
    let incident = app::entities::incidents::Entity::find()
        .one(&app.db)
        .await
        .expect("q")
        .expect("incident")
        .id
        .to_string();
    let page = format!("/incidents/{incident}");
    let (_, html) = app.page(eng_browser, &page).await;
    assert!(
        html.contains("Save update") && html.contains("production is down"),
        "{html}"
    );
    let res = app
        .call_as(
            eng_browser,
            "update_incident",
            &[
                ("incident_id", &incident),
                ("status", "resolved"),
                ("note", ""),
                ("ticket_ref", ""),
                ("root_cause", "Provider restarted its API nodes."),
                ("postmortem", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let (_, html) = app.page(stake, &page).await;
    assert!(
        html.contains("Provider restarted its API nodes.") && !html.contains("Save update"),
        "{html}"
    );
    incident
}

async fn a_contact_and_a_ticket_on_the_incident_are_added_by_form_posts(
    app: &TestApp,
    stake: &reqwest::Client,
    eng_browser: &reqwest::Client,
    integration_id: &str,
    incident: &str,
) {
    let res = app
        .call_as(
            eng_browser,
            "add_provider_contact",
            &[
                ("integration_id", integration_id),
                ("name", "Ana Ops"),
                ("role", "On-call"),
                ("email", "ana@provider.example"),
                ("phone", ""),
                ("escalation_order", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .call_as(
            eng_browser,
            "add_support_ticket",
            &[
                ("integration_id", integration_id),
                ("reference", "CASE-77"),
                ("subject", "API nodes restarting"),
                ("status", "waiting_on_provider"),
                ("opened_on", ""),
                ("incident_id", incident),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .call_as(
            stake,
            "add_feedback",
            &[
                ("integration_id", integration_id),
                ("source", "survey"),
                ("rating", "5"),
                ("feature_area", ""),
                ("comment", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 403, "stakeholders read feedback");
    let (status, html) = app.page(stake, "/integrations/stripe/provider").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Ana Ops") && html.contains("mailto:ana@provider.example"),
        "{html}"
    );
    assert!(
        html.contains("CASE-77") && html.contains("Waiting on the provider"),
        "{html}"
    );
    assert!(
        html.contains("0 piece(s) of feedback; mean rating no ratings yet."),
        "{html}"
    );
    assert!(
        !html.contains("Add a contact") && !html.contains("Record feedback"),
        "{html}"
    );
}
