//! Following and the weekly digest: progress events reach an integration's owner and
//! followers once, on the channels each chose; the week's digest tells each follower of
//! their integrations (stage moves, gates, milestones, incidents, risks), is sent once however
//! often it is asked for, and is an event per integration; the preview shows the last week.

use app::auth::model::{CurrentUser, Role};
use app::entities::{
    incidents, integrations, mail_messages, milestones, notifications, outbox_events, plans,
    stage_transitions, weekly_digests,
};
use app::integrations::model::Stage;
use app::notifications::follows;
use app::notifications::model::Kind;
use app::outbox::EventType;
use app::weekly::service as weekly;
use chrono::{Duration, NaiveTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
};

use crate::common;

async fn titles_of(db: &DatabaseConnection, user: &CurrentUser) -> Vec<String> {
    notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(user.id))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.title)
        .collect()
}

async fn mails_of(db: &DatabaseConnection, user: &CurrentUser) -> Vec<mail_messages::Model> {
    mail_messages::Entity::find()
        .filter(mail_messages::Column::UserId.eq(user.id))
        .all(db)
        .await
        .unwrap()
}

/// Moves integration `id` to stage `to` as `admin`, overriding a closed gate.
async fn move_to(db: &DatabaseConnection, admin: &CurrentUser, id: i32, to: &str, reason: &str) {
    let request = app::lifecycle::model::MoveRequest {
        to: to.into(),
        reason: reason.into(),
        override_justification: "Planning is tracked elsewhere for this test.".into(),
    };
    app::lifecycle::service::transition(db, admin, id, &request, &Default::default())
        .await
        .expect("move");
}

#[tokio::test]
async fn a_stage_move_is_told_to_the_owner_and_followers_once_on_the_channels_they_chose() {
    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let sam = common::user(&db, "sam@example.com", Role::Stakeholder).await;
    let eve = common::user(&db, "eve@example.com", Role::Engineer).await;
    app::mail::service::switch_on(&db, "t@example.com", "https://t.example.com")
        .await
        .unwrap();
    let i = app::integrations::service::create(&db, &admin, &common::form("Stripe", admin.id))
        .await
        .expect("integration");
    follows::set(&db, sam.id, i.id, "yes").await.unwrap();
    follows::set(&db, sam.id, i.id, " yes ").await.unwrap();
    let refused = follows::set(&db, eve.id, i.id, "maybe").await.unwrap_err();
    assert!(
        matches!(&refused, app::error::AppError::Validation(f) if f.get("follow") == Some("Choose yes or no.")),
        "{refused:?}"
    );
    assert!(follows::follows(&db, sam.id, i.id).await.unwrap());
    assert!(!follows::follows(&db, eve.id, i.id).await.unwrap());
    assert_eq!(follows::of(&db, [i.id]).await.unwrap().len(), 1, "once");

    move_to(&db, &admin, i.id, "implementation", "").await;
    // Nothing is told before the event is handed on, and it is told once however often.
    assert!(titles_of(&db, &sam).await.is_empty());
    let now = Utc::now();
    assert_eq!(app::webhooks::worker::fan_out(&db, now).await.unwrap(), 2);
    assert_eq!(app::webhooks::worker::fan_out(&db, now).await.unwrap(), 0);
    let told = |titles: Vec<String>, what: &str| titles.iter().filter(|t| t.contains(what)).count();
    let sam_titles = titles_of(&db, &sam).await;
    assert_eq!(
        told(sam_titles.clone(), "Implementation"),
        2,
        "{sam_titles:?}"
    );
    assert!(
        titles_of(&db, &eve).await.is_empty(),
        "not the owner, not following"
    );
    assert_eq!(told(titles_of(&db, &admin).await, "Implementation"), 2);
    let body = notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(sam.id))
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .body;
    assert!(body.contains("by: admin@example.com"), "{body}");
    // By email, the stakeholder's defaults take stage moves, the admin's gate overrides.
    let kinds = |m: Vec<mail_messages::Model>| {
        let mut k: Vec<&str> = m
            .into_iter()
            .filter_map(|m| m.kind)
            .map(|k| k.as_str())
            .collect();
        k.sort();
        k
    };
    assert_eq!(kinds(mails_of(&db, &sam).await), ["stage_changed"]);
    assert_eq!(kinds(mails_of(&db, &admin).await), ["gate_overridden"]);

    // Sam turns stage moves off in Tollgate and on for the daily email; unfollowing stops
    // the rest.
    let all_but_moves: Vec<String> = Kind::ALL
        .iter()
        .filter(|k| **k != Kind::StageChanged)
        .map(|k| k.as_str().to_string())
        .collect();
    app::notifications::service::set_preferences(
        &db,
        &sam,
        Some(&all_but_moves),
        Some(&["stage_changed".into()]),
        &["stage_changed".into()],
    )
    .await
    .unwrap();
    let prefs = app::notifications::service::preferences(&db, &sam)
        .await
        .unwrap();
    assert_eq!(prefs.daily, [Kind::StageChanged]);
    move_to(&db, &admin, i.id, "testing", "").await;
    app::webhooks::worker::fan_out(&db, Utc::now())
        .await
        .unwrap();
    let sam_titles = titles_of(&db, &sam).await;
    assert_eq!(
        told(sam_titles.clone(), "Testing"),
        1,
        "the override only: {sam_titles:?}"
    );
    let held = mails_of(&db, &sam).await;
    assert_eq!(held.len(), 2);
    assert!(
        held.iter()
            .any(|m| m.state == app::choices::notifications::MailState::Held)
    );

    follows::set(&db, sam.id, i.id, "no").await.unwrap();
    assert!(!follows::follows(&db, sam.id, i.id).await.unwrap());
    move_to(&db, &admin, i.id, "implementation", "Back for fixes.").await;
    app::webhooks::worker::fan_out(&db, Utc::now())
        .await
        .unwrap();
    assert_eq!(titles_of(&db, &sam).await.len(), sam_titles.len());
}

/// An integration made before last week, with last week's stage move, a milestone done and
/// one coming, an incident opened and resolved in it, and a plan with risks.
async fn last_weeks_story(db: &DatabaseConnection, owner: &CurrentUser) -> integrations::Model {
    let now = Utc::now();
    let week = weekly::due_week(now);
    let from = week.and_time(NaiveTime::MIN).and_utc();
    let i = moved(
        db,
        owner,
        "Stripe",
        from - Duration::days(30),
        (Stage::Planning, Stage::Implementation),
        from + Duration::days(2),
    )
    .await;
    // A move the week before is not this week's.
    stage_transitions::ActiveModel {
        integration_id: Set(i.id),
        from_stage: Set(Stage::OnHold),
        to_stage: Set(Stage::Planning),
        at: Set(from - Duration::days(3)),
        reason: Set(Some("Back on".into())),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let done = common::milestone(
        db,
        i.id,
        "Sandbox keys issued",
        week + Duration::days(3),
        app::planning::model::MilestoneStatus::Done,
    )
    .await;
    let mut m = milestones::Entity::find_by_id(done)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    m.completed_on = Set(Some(week + Duration::days(4)));
    m.update(db).await.unwrap();
    common::milestone(
        db,
        i.id,
        "Webhooks wired",
        week + Duration::days(10),
        app::planning::model::MilestoneStatus::InProgress,
    )
    .await;
    common::milestone(
        db,
        i.id,
        "Far-off launch",
        week + Duration::days(60),
        app::planning::model::MilestoneStatus::NotStarted,
    )
    .await;
    common::incident(db, i.id, "Refunds stuck").await;
    let mut inc = incidents::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    inc.opened_at = Set(from + Duration::days(1));
    inc.resolved_at = Set(Some(from + Duration::days(1) + Duration::hours(3)));
    inc.status = Set(app::choices::monitoring::IncidentStatus::Resolved);
    inc.update(db).await.unwrap();
    plans::ActiveModel {
        integration_id: Set(i.id),
        version: Set(1),
        state: Set(app::choices::planning::PlanState::Draft),
        technical_requirements: Set("REST".into()),
        expected_outcomes: Set(String::new()),
        risks: Set("- Rate limits at peak\n- 3DS flow changes".into()),
        dependencies: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    // Production was checked four times in the week, one failing; the failures just before
    // and just after it are not the week's.
    let env = app::implementation::service::create(
        db,
        owner,
        i.id,
        &app::implementation::model::EnvironmentForm {
            name: "production".into(),
            base_url: "https://api.example.com".into(),
            auth_scheme: "bearer".into(),
            health_path: "/health".into(),
            health_interval_seconds: "60".into(),
            health_timeout_ms: "500".into(),
            ..Default::default()
        },
    )
    .await
    .expect("environment");
    let until = from + Duration::days(7);
    let checks = [
        (from - Duration::minutes(1), 90, false),
        (from, 80, true),
        (from + Duration::days(3), 80, true),
        (from + Duration::days(5), 80, false),
        (until - Duration::minutes(1), 80, true),
        (until, 90, false),
    ];
    app::monitoring::service::import_history(db, env, &checks, 3)
        .await
        .expect("checks");
    // Events of the set-up are not the digest's.
    outbox_events::Entity::delete_many().exec(db).await.unwrap();
    i
}

/// An integration named `name` made at `made`, which `owner` moved from one stage to
/// another (`stages`) at `at`.
async fn moved(
    db: &DatabaseConnection,
    owner: &CurrentUser,
    name: &str,
    made: chrono::DateTime<Utc>,
    (from_stage, to_stage): (Stage, Stage),
    at: chrono::DateTime<Utc>,
) -> integrations::Model {
    let i = app::integrations::service::create(db, owner, &common::form(name, owner.id))
        .await
        .expect("integration");
    let mut model = integrations::Entity::find_by_id(i.id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    model.created_at = Set(made);
    model.stage = Set(to_stage);
    let i = model.update(db).await.unwrap();
    stage_transitions::ActiveModel {
        integration_id: Set(i.id),
        from_stage: Set(from_stage),
        to_stage: Set(to_stage),
        actor_id: Set(Some(owner.id)),
        at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    i
}

/// An integration made long ago and retired on `at`.
async fn retired(
    db: &DatabaseConnection,
    owner: &CurrentUser,
    name: &str,
    at: chrono::DateTime<Utc>,
) -> integrations::Model {
    let made = at - Duration::days(90);
    moved(db, owner, name, made, (Stage::Live, Stage::Retired), at).await
}

#[tokio::test]
async fn the_weekly_digest_tells_each_follower_of_their_week_once_and_is_an_event_per_integration()
{
    let db = common::db().await;
    let coord = common::user(&db, "coord@example.com", Role::Coordinator).await;
    let sam = common::user(&db, "sam@example.com", Role::Stakeholder).await;
    let eve = common::user(&db, "eve@example.com", Role::Engineer).await;
    app::mail::service::switch_on(&db, "t@example.com", "https://t.example.com")
        .await
        .unwrap();
    let i = last_weeks_story(&db, &coord).await;
    follows::set(&db, sam.id, i.id, "yes").await.unwrap();
    // Made this week: not in last week's digest, nor its event.
    let adyen = app::integrations::service::create(&db, &coord, &common::form("Adyen", coord.id))
        .await
        .expect("integration");
    follows::set(&db, sam.id, adyen.id, "yes").await.unwrap();
    // Retired before the week began: left out of it. Retired in it: its last week is told.
    let from = weekly::due_week(Utc::now())
        .and_time(NaiveTime::MIN)
        .and_utc();
    let gone = retired(&db, &coord, "Gone Pay", from - Duration::days(2)).await;
    let going = retired(&db, &coord, "Going Pay", from + Duration::days(2)).await;
    follows::set(&db, sam.id, gone.id, "yes").await.unwrap();
    outbox_events::Entity::delete_many()
        .exec(&db)
        .await
        .unwrap();
    let before = notifications::Entity::find().count(&db).await.unwrap();

    let now = Utc::now();
    assert_eq!(weekly::send_due(&db, now).await.unwrap(), 1, "sam only");
    assert_eq!(weekly::send_due(&db, now).await.unwrap(), 0, "once a week");
    assert_eq!(weekly_digests::Entity::find().count(&db).await.unwrap(), 1);
    let week = weekly::due_week(now);

    let mails: Vec<_> = mails_of(&db, &sam)
        .await
        .into_iter()
        .filter(|m| m.kind == Some(Kind::WeeklyDigest))
        .collect();
    assert_eq!(
        mails.len(),
        1,
        "the stakeholder's default takes it by email"
    );
    let m = &mails[0];
    assert_eq!(m.kind, Some(Kind::WeeklyDigest));
    assert_eq!(
        m.subject,
        format!("[Tollgate] Your weekly digest: the week of {week}")
    );
    for part in [&m.text_body, &m.html_body] {
        for said in [
            "Stripe (Implementation)",
            "Stage moves: Planning → Implementation by coord@example.com",
            "Gates passed: Planning → Implementation",
            "Milestones done: Sandbox keys issued",
            "Milestones coming: Webhooks wired (due",
            "Incidents opened: Refunds stuck",
            "Incidents resolved: Refunds stuck",
            "Open risks: Rate limits at peak; 3DS flow changes",
            "Uptime: production 75.00%",
            "https://t.example.com/digest",
        ] {
            assert!(part.contains(said), "{said} not in {part}");
        }
        for not in [
            "Far-off launch",
            "Adyen",
            "On hold",
            "Gone Pay",
            "Going Pay",
        ] {
            assert!(!part.contains(not), "{not} in {part}");
        }
    }
    assert!(
        !mails_of(&db, &eve)
            .await
            .iter()
            .any(|m| m.kind == Some(Kind::WeeklyDigest)),
        "follows nothing"
    );
    assert_eq!(
        notifications::Entity::find().count(&db).await.unwrap(),
        before + 1
    );

    let events = outbox_events::Entity::find()
        .order_by_asc(outbox_events::Column::Id)
        .all(&db)
        .await
        .unwrap();
    let about: Vec<Option<i32>> = events.iter().map(|e| e.integration_id).collect();
    assert_eq!(
        about,
        [Some(going.id), Some(i.id)],
        "by name; not Adyen (made this week) nor Gone Pay (retired before it)"
    );
    assert!(
        events
            .iter()
            .all(|e| e.event_type == EventType::DigestWeekly)
    );
    let events = &events[1..];
    let payload: serde_json::Value = serde_json::from_str(
        &app::outbox::service::payload(&events[0], "https://t.example.com", now).unwrap(),
    )
    .unwrap();
    assert_eq!(payload["data"]["week_of"], week.to_string());
    assert!(
        payload["data"]["summary"]
            .as_str()
            .unwrap()
            .contains("Milestones done: Sandbox keys issued"),
        "{payload}"
    );
    // Handed on, the digest event tells no one again: each reader had theirs.
    app::webhooks::worker::fan_out(&db, now).await.unwrap();
    assert_eq!(
        notifications::Entity::find().count(&db).await.unwrap(),
        before + 1
    );

    // The preview: the last seven days of what sam follows; nothing for eve.
    let preview = weekly::preview(&db, &sam, now).await.unwrap();
    let names: Vec<&str> = preview
        .integrations
        .iter()
        .map(|w| w.integration.name.as_str())
        .collect();
    assert_eq!(names, ["Adyen", "Stripe"]);
    assert!(preview.week_of.is_none());
    assert!(
        weekly::preview(&db, &eve, now)
            .await
            .unwrap()
            .integrations
            .is_empty()
    );
}
