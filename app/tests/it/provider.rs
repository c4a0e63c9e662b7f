//! Provider contacts in escalation order, support tickets linked to incidents, and user
//! feedback with its summary: validation naming the field, roles, and the trail.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common;

use app::auth::model::{CurrentUser, Role};
use app::error::AppError;
use app::integrations::model::Integration;
use app::provider::model::{
    ContactForm, FeedbackForm, FeedbackSource, FeedbackStatus, TicketForm, TicketStatus,
};
use app::provider::service::{
    add_contact, add_feedback, add_ticket, delete_contact, page, set_feedback_status, update_ticket,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

/// Two integrations, one provider desk each, and who works at them.
struct Desk {
    db: DatabaseConnection,
    eng: CurrentUser,
    qa: CurrentUser,
    stake: CurrentUser,
    i: Integration,
    other: Integration,
}

#[tokio::test]
async fn contacts_tickets_and_feedback_are_kept_with_their_rules() {
    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let eng = common::user(&db, "eng@example.com", Role::Engineer).await;
    let qa = common::user(&db, "qa@example.com", Role::Qa).await;
    let stake = common::user(&db, "stake@example.com", Role::Stakeholder).await;
    let i = app::integrations::service::create(&db, &admin, &common::form("Stripe", admin.id))
        .await
        .expect("integration");
    let other = app::integrations::service::create(&db, &admin, &common::form("Onfido", admin.id))
        .await
        .expect("other");
    let d = Desk {
        db,
        eng,
        qa,
        stake,
        i,
        other,
    };

    contacts_are_ordered_and_a_blank_order_goes_last(&d).await;
    tickets_link_this_integrations_incidents_and_closing_records_the_day(&d).await;
    feedback_is_recorded_by_all_but_stakeholders_and_summed_exactly(&d).await;

    let db = &d.db;
    let trail = |kind: &'static str| async move {
        app::entities::activity::Entity::find()
            .filter(app::entities::activity::Column::EntityKind.eq(kind))
            .count(db)
            .await
            .expect("trail")
    };
    assert_eq!(
        trail("provider_contact").await,
        4,
        "three added, one removed"
    );
    assert_eq!(trail("support_ticket").await, 3);
    assert_eq!(trail("feedback").await, 4);
}

async fn contacts_are_ordered_and_a_blank_order_goes_last(d: &Desk) {
    let Desk { db, eng, qa, i, .. } = d;
    let contact = |name: &str, email: &str, phone: &str, order: &str| ContactForm {
        name: name.into(),
        role: "Support".into(),
        email: email.into(),
        phone: phone.into(),
        escalation_order: order.into(),
    };
    assert_eq!(
        add_contact(db, qa, i.id, &contact("Ana", "ana@stripe.example", "", ""))
            .await
            .expect_err("qa"),
        AppError::Forbidden
    );
    assert_eq!(
        common::fields(
            add_contact(db, eng, i.id, &contact("", "not-an-email", "call me", "0"))
                .await
                .expect_err("bad")
        ),
        ["name", "email", "phone", "escalation_order"]
    );
    assert_eq!(
        common::fields(
            add_contact(db, eng, i.id, &contact("Ana", "", "", ""))
                .await
                .expect_err("no way to reach")
        ),
        ["email"]
    );
    add_contact(db, eng, i.id, &contact("Ana", "ana@stripe.example", "", ""))
        .await
        .expect("ana");
    let ben = add_contact(db, eng, i.id, &contact("Ben", "", "+44 20 7946 0000", ""))
        .await
        .expect("ben");
    add_contact(db, eng, i.id, &contact("Cy", "cy@stripe.example", "", "1"))
        .await
        .expect("cy");
    let p = page(db, &i.slug).await.expect("page");
    let order: Vec<_> = p
        .contacts
        .iter()
        .map(|c| (c.name.as_str(), c.escalation_order))
        .collect();
    assert_eq!(order, [("Ana", 1), ("Cy", 1), ("Ben", 2)]);
    delete_contact(db, eng, ben).await.expect("delete");
    assert_eq!(page(db, &i.slug).await.expect("page").contacts.len(), 2);
}

async fn tickets_link_this_integrations_incidents_and_closing_records_the_day(d: &Desk) {
    let Desk {
        db,
        eng,
        stake,
        i,
        other,
        ..
    } = d;
    let incident = app::monitoring::incidents::create(
        db,
        eng,
        i.id,
        &app::monitoring::model::IncidentForm {
            title: "Payouts delayed".into(),
            severity: "major".into(),
            ..Default::default()
        },
    )
    .await
    .expect("incident");
    let elsewhere = app::monitoring::incidents::create(
        db,
        eng,
        other.id,
        &app::monitoring::model::IncidentForm {
            title: "Elsewhere".into(),
            severity: "minor".into(),
            ..Default::default()
        },
    )
    .await
    .expect("elsewhere");
    let ticket = |status: &str, incident_id: i32| TicketForm {
        reference: "https://support.stripe.example/cases/48213".into(),
        subject: "Payouts delayed since 09:00".into(),
        status: status.into(),
        opened_on: String::new(),
        incident_id: incident_id.to_string(),
    };
    assert_eq!(
        add_ticket(db, stake, i.id, &ticket("open", incident))
            .await
            .expect_err("stakeholder"),
        AppError::Forbidden
    );
    let bad = TicketForm {
        reference: String::new(),
        subject: "x".into(),
        status: "pending".into(),
        opened_on: "2999-01-01".into(),
        incident_id: elsewhere.to_string(),
    };
    assert_eq!(
        common::fields(add_ticket(db, eng, i.id, &bad).await.expect_err("bad")),
        ["reference", "status", "opened_on", "incident_id"]
    );
    let t = add_ticket(db, eng, i.id, &ticket("waiting_on_provider", incident))
        .await
        .expect("ticket");
    update_ticket(db, eng, t, &ticket("closed", incident))
        .await
        .expect("close");
    let p = page(db, &i.slug).await.expect("page");
    assert_eq!(p.tickets[0].status, TicketStatus::Closed);
    assert_eq!(
        p.tickets[0].closed_on,
        Some(chrono::Utc::now().date_naive())
    );
    assert_eq!(p.tickets[0].incident.as_ref().map(|x| x.0), Some(incident));
    update_ticket(db, eng, t, &ticket("open", incident))
        .await
        .expect("reopen");
    assert_eq!(
        page(db, &i.slug).await.expect("page").tickets[0].closed_on,
        None
    );
}

async fn feedback_is_recorded_by_all_but_stakeholders_and_summed_exactly(d: &Desk) {
    let Desk {
        db,
        eng,
        qa,
        stake,
        i,
        other,
        ..
    } = d;
    let fb = |source: &str, rating: &str| FeedbackForm {
        source: source.into(),
        rating: rating.into(),
        comment: "Refund took a week.".into(),
        feature_area: "refunds".into(),
    };
    assert_eq!(
        add_feedback(db, stake, i.id, &fb("survey", "4"))
            .await
            .expect_err("stakeholder"),
        AppError::Forbidden
    );
    assert_eq!(
        common::fields(
            add_feedback(db, qa, i.id, &fb("tweet", "6"))
                .await
                .expect_err("bad")
        ),
        ["source", "rating"]
    );
    let first = add_feedback(db, qa, i.id, &fb("support", "2"))
        .await
        .expect("one");
    add_feedback(db, eng, i.id, &fb("survey", "5"))
        .await
        .expect("two");
    add_feedback(db, eng, i.id, &fb("app_review", "4"))
        .await
        .expect("three");
    assert_eq!(
        set_feedback_status(db, qa, first, "planned")
            .await
            .expect_err("qa triage"),
        AppError::Forbidden
    );
    assert_eq!(
        common::fields(
            set_feedback_status(db, eng, first, "someday")
                .await
                .expect_err("status")
        ),
        ["status"]
    );
    set_feedback_status(db, eng, first, "planned")
        .await
        .expect("planned");
    let s = page(db, &i.slug).await.expect("page").summary;
    assert_eq!(s.count, 3);
    assert_eq!(s.mean_rating_x100, Some(367), "(2 + 5 + 4) / 3 = 3.67");
    assert_eq!(s.by_rating, [0, 1, 0, 1, 1]);
    assert_eq!(
        s.by_source,
        [
            (FeedbackSource::Support, 1),
            (FeedbackSource::Survey, 1),
            (FeedbackSource::AppReview, 1)
        ]
    );
    assert_eq!(
        s.by_status
            .iter()
            .find(|(k, _)| *k == FeedbackStatus::Planned)
            .map(|x| x.1),
        Some(1)
    );
    assert_eq!(
        page(db, &other.slug)
            .await
            .expect("page")
            .summary
            .mean_rating_x100,
        None
    );
}
