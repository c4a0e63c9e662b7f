//! The email channel over HTTP: the notifications page offers email only while SMTP is
//! configured; an email's unsubscribe link asks on GET and turns the email off on a POST that
//! carries no session and no Origin (RFC 8058's one-click, from a mail client); an unknown
//! link is a 404 page, never a 500. (Real SMTP is `scripts/mail.sh`'s.)

use app::auth::model::Role;
use app::entities::mail_messages;
use app::notifications::model::{Kind, Message};
use sea_orm::EntityTrait;

use crate::helpers::{spawn_app, spawn_with};

#[tokio::test]
async fn email_is_offered_only_with_smtp_and_an_unsubscribe_link_works_without_a_session() {
    let off = spawn_app().await;
    off.user("sam@example.com", Role::Stakeholder).await;
    off.login_as(&off.client, "sam@example.com").await;
    let (_, page) = off.page(&off.client, "/notifications").await;
    assert!(
        page.contains("In Tollgate") && !page.contains("By email"),
        "no SMTP, no email"
    );

    let smtp = app::mail::smtp::Smtp::parse("smtp://127.0.0.1:9?tls=none").expect("smtp");
    let app = spawn_with(|s| s.mail = Some((smtp, "Tollgate <t@example.com>".into()))).await;
    let sam = app.user("sam@example.com", Role::Stakeholder).await;
    app.login_as(&app.client, "sam@example.com").await;
    let (_, page) = app.page(&app.client, "/notifications").await;
    assert!(
        page.contains("By email"),
        "with SMTP, email is a channel to choose"
    );

    app::notifications::service::notify(
        &app.db,
        vec![sam.id],
        &Message {
            kind: Kind::IncidentOpened,
            integration_id: None,
            title: "Refunds stuck",
            body: "Since 09:00.",
            link: "/incidents/1",
        },
    )
    .await
    .expect("notify");
    let m = mail_messages::Entity::find()
        .one(&app.db)
        .await
        .expect("read")
        .expect("queued");
    let link = app.url(&format!("/unsubscribe/{}", m.unsubscribe_token));
    assert!(
        m.text_body.contains(&link),
        "links under the address it serves on"
    );

    // A mail client: no cookie, no Origin.
    let client = reqwest::Client::new();
    let asked = client.get(&link).send().await.expect("get");
    assert_eq!(asked.status(), 200);
    let html = asked.text().await.expect("html");
    assert!(html.contains("Stop these emails") && html.contains("An incident was opened"));
    let done = client
        .post(&link)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("post");
    assert_eq!(done.status(), 200);
    assert!(
        done.text()
            .await
            .expect("html")
            .contains("no longer email you")
    );
    let prefs = app::notifications::service::preferences(&app.db, &sam.as_current())
        .await
        .expect("prefs");
    let email = &prefs.channels[1];
    assert_eq!(email.0, app::notifications::model::Channel::Email);
    assert!(!email.1.contains(&Kind::IncidentOpened));

    for junk in ["nope", "0123456789abcdef0123456789abcdef", "%00"] {
        let res = client
            .post(app.url(&format!("/unsubscribe/{junk}")))
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), 404, "{junk}");
    }
}
