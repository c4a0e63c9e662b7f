//! The email channel: queued only while SMTP is configured, to whom their role's defaults or
//! their choices say, with both parts and the unsubscribe link; one click turns off that
//! kind's email for that reader only; kinds chosen for the daily digest wait for it and come
//! as one email; the worker retries a refused connection on its schedule
//! and fails after the last try, and one claim holds an email to one process. (What a real
//! SMTP server receives is `scripts/mail.sh`'s, with aiosmtpd.)

use app::auth::model::Role;
use app::choices::notifications::MailState;
use app::entities::{mail_messages, notifications};
use app::mail::service as mail;
use app::mail::worker::{self, Config};
use app::notifications::model::{Channel, Kind, Message};
use app::notifications::service::{self as notices, Stops, notify};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::common;

fn message(kind: Kind) -> Message<'static> {
    Message {
        kind,
        integration_id: None,
        title: "Stripe: incident opened, Refunds stuck",
        body: "Since 09:00.",
        link: "/incidents/7",
    }
}

async fn to(db: &sea_orm::DatabaseConnection) -> Vec<String> {
    let mut all: Vec<String> = mail_messages::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| {
            format!(
                "{}:{}",
                m.to_address,
                m.kind.map(|k| k.as_str()).unwrap_or("")
            )
        })
        .collect();
    all.sort();
    all
}

#[tokio::test]
async fn email_is_queued_only_while_on_by_role_defaults_and_choices() {
    let db = common::db().await;
    let sam = common::user(&db, "sam@example.com", Role::Stakeholder).await;
    let eve = common::user(&db, "eve@example.com", Role::Engineer).await;
    let ada = common::user(&db, "ada@example.com", Role::Admin).await;
    let everyone = vec![sam.id, eve.id, ada.id];

    // Off: nothing is emailed and no email choice is offered.
    notify(&db, everyone.clone(), &message(Kind::IncidentOpened))
        .await
        .unwrap();
    assert_eq!(mail_messages::Entity::find().count(&db).await.unwrap(), 0);
    assert_eq!(notifications::Entity::find().count(&db).await.unwrap(), 3);
    let prefs = notices::preferences(&db, &sam).await.unwrap();
    assert_eq!(
        prefs.channels.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
        vec![Channel::InApp]
    );
    assert_eq!(
        common::fields(
            notices::set_preferences(&db, &sam, None, Some(&[]), &[])
                .await
                .unwrap_err()
        ),
        vec!["email"]
    );

    mail::switch_on(
        &db,
        "Tollgate <t@example.com>",
        "https://tollgate.example.com/",
    )
    .await
    .unwrap();
    notify(&db, everyone.clone(), &message(Kind::IncidentOpened))
        .await
        .unwrap();
    notify(&db, everyone.clone(), &message(Kind::EnvironmentDown))
        .await
        .unwrap();
    assert_eq!(
        to(&db).await,
        vec![
            "eve@example.com:environment_down",
            "eve@example.com:incident_opened",
            "sam@example.com:incident_opened",
        ],
        "engineers get outages, stakeholders incidents, admins neither by default"
    );
    let m = mail_messages::Entity::find()
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        m.subject,
        "[Tollgate] Stripe: incident opened, Refunds stuck"
    );
    let unsubscribe = format!(
        "https://tollgate.example.com/unsubscribe/{}",
        m.unsubscribe_token
    );
    for part in [&m.text_body, &m.html_body] {
        assert!(
            part.contains("https://tollgate.example.com/incidents/7"),
            "{part}"
        );
        assert!(part.contains(&unsubscribe), "{part}");
    }
    let prefs = notices::preferences(&db, &sam).await.unwrap();
    let email = &prefs
        .channels
        .iter()
        .find(|(c, _)| *c == Channel::Email)
        .unwrap()
        .1;
    assert_eq!(
        email,
        &vec![
            Kind::IncidentOpened,
            Kind::IncidentResolved,
            Kind::StageChanged,
            Kind::PlanApproved,
            Kind::WeeklyDigest
        ]
    );

    // A choice beats the default; a deactivated person gets nothing.
    notices::set_preferences(&db, &sam, None, Some(&[]), &[])
        .await
        .unwrap();
    notices::set_preferences(&db, &ada, None, Some(&["incident_opened".into()]), &[])
        .await
        .unwrap();
    app::users::service::set_active(&db, &ada, eve.id, false)
        .await
        .expect("deactivate");
    mail_messages::Entity::delete_many()
        .exec(&db)
        .await
        .unwrap();
    notify(&db, everyone, &message(Kind::IncidentOpened))
        .await
        .unwrap();
    assert_eq!(to(&db).await, vec!["ada@example.com:incident_opened"]);

    // Switched off again (a server without SMTP started): nothing more is queued.
    mail::switch_off(&db).await.unwrap();
    notify(&db, vec![ada.id], &message(Kind::IncidentOpened))
        .await
        .unwrap();
    assert_eq!(mail_messages::Entity::find().count(&db).await.unwrap(), 1);
}

#[tokio::test]
async fn one_click_turns_off_that_kind_s_email_for_that_reader_only() {
    let db = common::db().await;
    let eve = common::user(&db, "eve@example.com", Role::Engineer).await;
    let sam = common::user(&db, "sam@example.com", Role::Stakeholder).await;
    mail::switch_on(&db, "t@example.com", "https://t.example.com")
        .await
        .unwrap();
    notify(&db, vec![eve.id, sam.id], &message(Kind::IncidentOpened))
        .await
        .unwrap();
    let eves = mail_messages::Entity::find()
        .filter(mail_messages::Column::UserId.eq(eve.id))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        notices::unsubscribe_target(&db, &eves.unsubscribe_token)
            .await
            .unwrap(),
        Some((eve.id, Stops::Kind(Kind::IncidentOpened)))
    );
    for _ in 0..2 {
        assert_eq!(
            notices::unsubscribe(&db, &eves.unsubscribe_token)
                .await
                .unwrap(),
            Some(Stops::Kind(Kind::IncidentOpened)),
            "and again, harmlessly"
        );
    }
    for junk in [
        "",
        "nope",
        "0123456789abcdef0123456789abcdeg",
        &"a".repeat(32),
    ] {
        assert_eq!(
            notices::unsubscribe(&db, junk).await.unwrap(),
            None,
            "{junk}"
        );
    }
    let of = |prefs: app::notifications::model::Preferences, c: Channel| {
        prefs.channels.into_iter().find(|(x, _)| *x == c).unwrap().1
    };
    let eve_email = of(
        notices::preferences(&db, &eve).await.unwrap(),
        Channel::Email,
    );
    assert!(!eve_email.contains(&Kind::IncidentOpened));
    assert!(
        eve_email.contains(&Kind::EnvironmentDown),
        "other kinds stay"
    );
    let eve_app = of(
        notices::preferences(&db, &eve).await.unwrap(),
        Channel::InApp,
    );
    assert!(eve_app.contains(&Kind::IncidentOpened), "in Tollgate stays");
    let sam_email = of(
        notices::preferences(&db, &sam).await.unwrap(),
        Channel::Email,
    );
    assert!(
        sam_email.contains(&Kind::IncidentOpened),
        "other readers stay"
    );

    // Sent or failed emails are forgotten after 90 days (and their links with them).
    assert_eq!(
        mail::prune(&db, Utc::now() + Duration::days(1))
            .await
            .unwrap(),
        0,
        "pending stay"
    );
}

#[tokio::test]
async fn the_worker_retries_a_refused_connection_then_fails_and_one_claim_holds() {
    let db = common::db().await;
    let eve = common::user(&db, "eve@example.com", Role::Engineer).await;
    mail::switch_on(&db, "Tollgate <t@example.com>", "https://t.example.com")
        .await
        .unwrap();
    notify(&db, vec![eve.id], &message(Kind::IncidentOpened))
        .await
        .unwrap();
    let config = Config {
        retries: vec![Duration::milliseconds(10)],
        ..Config::new("Tollgate <t@example.com>", "https://t.example.com")
    };
    // Two claimers: only one gets it while its lease holds.
    let now = Utc::now();
    let first = worker::claim(&db, "a", &config, 10, now).await.unwrap();
    assert_eq!(first.len(), 1);
    assert!(
        worker::claim(&db, "b", &config, 10, now)
            .await
            .unwrap()
            .is_empty()
    );
    // Recording by a process that lost the lease keeps nothing.
    assert!(
        !worker::record(&db, "b", &config, &first[0], Ok(()), now)
            .await
            .unwrap()
    );

    // Nothing listens on port 9 here: a refused connection, retried, then failed.
    let closed = app::mail::smtp::Smtp::parse("smtp://127.0.0.1:9?tls=none")
        .unwrap()
        .transport(std::time::Duration::from_secs(5))
        .unwrap();
    assert!(
        worker::run_one(&db, &closed, "a", &config, &first[0])
            .await
            .unwrap()
    );
    let m = mail_messages::Entity::find()
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((m.state, m.attempts), (MailState::Pending, 1));
    assert!(
        m.last_error
            .as_deref()
            .unwrap_or_default()
            .contains("did not take it"),
        "{m:?}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    assert_eq!(
        worker::run_due(&db, &closed, "a", &config).await.unwrap(),
        1
    );
    let m = mail_messages::Entity::find()
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (m.state, m.attempts),
        (MailState::Failed, 2),
        "after the last try"
    );
    assert_eq!(
        worker::run_due(&db, &closed, "a", &config).await.unwrap(),
        0
    );
    assert_eq!(
        mail::prune(&db, Utc::now() + Duration::days(1))
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn kinds_chosen_for_the_daily_digest_wait_and_come_as_one_email() {
    let db = common::db().await;
    let eve = common::user(&db, "eve@example.com", Role::Engineer).await;
    mail::switch_on(&db, "t@example.com", "https://t.example.com")
        .await
        .unwrap();
    let both = [
        "incident_opened".to_string(),
        "environment_down".to_string(),
    ];
    assert_eq!(
        common::fields(
            notices::set_preferences(&db, &eve, Some(&both), None, &both)
                .await
                .unwrap_err()
        ),
        vec!["daily"],
        "only email is gathered"
    );
    notices::set_preferences(&db, &eve, None, Some(&both), &["incident_opened".into()])
        .await
        .unwrap();
    let prefs = notices::preferences(&db, &eve).await.unwrap();
    assert_eq!(prefs.daily, vec![Kind::IncidentOpened]);

    notify(&db, vec![eve.id], &message(Kind::IncidentOpened))
        .await
        .unwrap();
    let second = Message {
        title: "Stripe: incident opened, Payouts late",
        ..message(Kind::IncidentOpened)
    };
    notify(&db, vec![eve.id], &second).await.unwrap();
    notify(&db, vec![eve.id], &message(Kind::EnvironmentDown))
        .await
        .unwrap();
    let all = mail_messages::Entity::find().all(&db).await.unwrap();
    let held: Vec<_> = all.iter().filter(|m| m.state == MailState::Held).collect();
    assert_eq!(held.len(), 2, "the incidents wait");
    assert_eq!(
        all.iter().filter(|m| m.state == MailState::Pending).count(),
        1,
        "the outage goes at once"
    );
    let due = held[0].next_attempt_at;
    use chrono::Timelike;
    assert_eq!(
        (due.hour(), due.minute(), due.second()),
        (8, 0, 0),
        "the 8:00 UTC digest"
    );
    assert!(due > Utc::now() && due <= Utc::now() + Duration::days(1));

    // Not yet due: nothing gathered; due: one digest listing both, the held ones gone.
    assert_eq!(
        app::mail::digest::gather(&db, due - Duration::seconds(1))
            .await
            .unwrap(),
        0
    );
    assert_eq!(app::mail::digest::gather(&db, due).await.unwrap(), 1);
    assert_eq!(
        app::mail::digest::gather(&db, due).await.unwrap(),
        0,
        "once"
    );
    let after = mail_messages::Entity::find().all(&db).await.unwrap();
    assert!(after.iter().all(|m| m.state == MailState::Pending));
    let digest = after.iter().find(|m| m.kind.is_none()).expect("the digest");
    assert_eq!(
        digest.subject,
        "[Tollgate] Your daily digest: 2 notifications"
    );
    for part in [&digest.text_body, &digest.html_body] {
        assert!(
            part.contains("Refunds stuck") && part.contains("Payouts late"),
            "{part}"
        );
        assert!(part.contains("https://t.example.com/incidents/7"), "{part}");
    }
    assert_eq!(
        digest.text_body.matches("Stop these emails").count(),
        1,
        "one footer"
    );

    // Its unsubscribe stops the digest's kinds' email, not the others'.
    assert_eq!(
        notices::unsubscribe(&db, &digest.unsubscribe_token)
            .await
            .unwrap(),
        Some(Stops::DailyDigest)
    );
    let prefs = notices::preferences(&db, &eve).await.unwrap();
    let email = &prefs
        .channels
        .iter()
        .find(|(c, _)| *c == Channel::Email)
        .unwrap()
        .1;
    assert_eq!(email, &vec![Kind::EnvironmentDown]);
    assert!(prefs.daily.is_empty());
}
