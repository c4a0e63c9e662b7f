//! (ssr) Provider contacts, support tickets and user feedback: validated, stored with the
//! trail (through `records`), and read as one page. Engineers, coordinators and admins keep
//! contacts and tickets; everyone but stakeholders records feedback.

use crate::auth::access::Action;
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionSession, TransactionTrait,
};
use serde_json::json;

use super::model::{
    Contact, ContactForm, Feedback, FeedbackForm, FeedbackSource, FeedbackStatus, FeedbackSummary,
    ProviderView, Ticket, TicketForm, TicketStatus,
};
use crate::activity::service as activity;
use crate::auth::model::CurrentUser;
use crate::entities::{feedback, incidents, provider_contacts, support_tickets, users};
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::lookup::{integration, integration_by_id, reference};
use crate::records::{self};
use crate::validate::{optional, optional_id, required};

crate::integration_record!(provider_contacts, "provider_contact", |m| {
    json!({"name": m.name, "role": m.role, "email": m.email, "phone": m.phone, "escalation_order": m.escalation_order})
});

crate::integration_record!(support_tickets, "support_ticket", |m| {
    json!({"reference": m.reference, "subject": m.subject, "status": m.status, "opened_on": m.opened_on.to_string(), "closed_on": m.closed_on.map(|d| d.to_string()), "incident_id": m.incident_id})
});

crate::integration_record!(feedback, "feedback", |m| {
    json!({"source": m.source, "rating": m.rating, "feature_area": m.feature_area, "status": m.status})
});

/// Adds a contact to integration `integration_id`; a blank escalation order puts them last.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation`.
pub async fn add_contact(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &ContactForm,
) -> Result<i32> {
    actor.may(Action::Build)?;
    let mut e = FieldErrors::default();
    let name = required(&mut e, "name", &form.name, "the name", 120);
    let role = optional(&mut e, "role", &form.role, 120);
    let email = optional(&mut e, "email", &form.email, 200);
    let looks_like_email = email.contains('@')
        && email.rsplit('@').next().is_some_and(|d| d.contains('.'))
        && !email.contains(' ');
    if !email.is_empty() && !looks_like_email {
        e.add(
            "email",
            "Enter an email address such as support@provider.com.",
        );
    }
    let phone = optional(&mut e, "phone", &form.phone, 40);
    if !phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c))
    {
        e.add("phone", "Use digits, spaces and + - ( ) only.");
    }
    if email.is_empty() && phone.is_empty() {
        e.add("email", "Give an email address or a phone number.");
    }
    let order = match form.escalation_order.trim() {
        "" => None,
        t => match t.parse::<i32>() {
            Ok(n) if (1..=99).contains(&n) => Some(n),
            _ => {
                e.add("escalation_order", "A whole number from 1 to 99.");
                None
            }
        },
    };
    e.into_result()?;
    let txn = activity::begin(db).await?;
    integration_by_id(&txn, integration_id).await?;
    let order = match order {
        Some(n) => n,
        None => provider_contacts::Entity::find()
            .filter(provider_contacts::Column::IntegrationId.eq(integration_id))
            .order_by_desc(provider_contacts::Column::EscalationOrder)
            .one(&txn)
            .await?
            .map_or(1, |c| c.escalation_order + 1),
    };
    let m = records::insert::<provider_contacts::Entity>(
        &txn,
        actor,
        provider_contacts::ActiveModel {
            integration_id: Set(integration_id),
            name: Set(name),
            role: Set(role),
            email: Set(email),
            phone: Set(phone),
            escalation_order: Set(order),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m.id)
}

/// Removes contact `id`.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn delete_contact(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    crate::records::delete::<provider_contacts::Entity>(db, actor, Action::Build, id).await
}

struct ValidTicket {
    reference: String,
    subject: String,
    status: TicketStatus,
    opened_on: NaiveDate,
    incident_id: Option<i32>,
}

async fn validate_ticket(
    db: &impl ConnectionTrait,
    integration_id: i32,
    form: &TicketForm,
) -> Result<ValidTicket> {
    let mut e = FieldErrors::default();
    let reference = required(
        &mut e,
        "reference",
        &form.reference,
        "the provider's ticket id or link",
        300,
    );
    let subject = required(&mut e, "subject", &form.subject, "the subject", 200);
    let status = match form.status.trim() {
        "" => Some(TicketStatus::Open),
        s => TicketStatus::parse(s),
    };
    if status.is_none() {
        e.add(
            "status",
            format!("Choose one of: {}.", TicketStatus::names()),
        );
    }
    let today = Utc::now().date_naive();
    let opened_on = match form.opened_on.trim() {
        "" => Some(today),
        d => crate::validate::optional_date(&mut e, "opened_on", d),
    };
    if opened_on.is_some_and(|d| d > today) {
        e.add("opened_on", "The ticket cannot be opened in the future.");
    }
    let incident_id = optional_id(&mut e, "incident_id", &form.incident_id);
    if let Some(id) = incident_id {
        let known = incidents::Entity::find_by_id(id)
            .one(db)
            .await?
            .is_some_and(|i| i.integration_id == integration_id);
        if !known {
            e.add("incident_id", "Choose an incident of this integration.");
        }
    }
    e.into_result()?;
    Ok(ValidTicket {
        reference,
        subject,
        status: status.unwrap_or(TicketStatus::Open),
        opened_on: opened_on.unwrap_or(today),
        incident_id,
    })
}

/// Records a support ticket on integration `integration_id`.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation`.
pub async fn add_ticket(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &TicketForm,
) -> Result<i32> {
    actor.may(Action::Build)?;
    let v = validate_ticket(db, integration_id, form).await?;
    let txn = activity::begin(db).await?;
    integration_by_id(&txn, integration_id).await?;
    let closed = (v.status == TicketStatus::Closed).then(|| Utc::now().date_naive());
    let m = records::insert::<support_tickets::Entity>(
        &txn,
        actor,
        support_tickets::ActiveModel {
            integration_id: Set(integration_id),
            reference: Set(v.reference),
            subject: Set(v.subject),
            status: Set(v.status),
            opened_on: Set(v.opened_on),
            closed_on: Set(closed),
            incident_id: Set(v.incident_id),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m.id)
}

/// Updates ticket `id`; closing it records the day, reopening clears it.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation`.
pub async fn update_ticket(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    form: &TicketForm,
) -> Result<()> {
    actor.may(Action::Build)?;
    let before = records::find::<support_tickets::Entity>(db, id).await?;
    let v = validate_ticket(db, before.integration_id, form).await?;
    let txn = activity::begin(db).await?;
    let mut active: support_tickets::ActiveModel = before.clone().into();
    active.reference = Set(v.reference);
    active.subject = Set(v.subject);
    active.opened_on = Set(v.opened_on);
    active.incident_id = Set(v.incident_id);
    active.closed_on = Set(match (v.status, before.closed_on) {
        (TicketStatus::Closed, Some(d)) => Some(d),
        (TicketStatus::Closed, None) => Some(Utc::now().date_naive()),
        _ => None,
    });
    active.status = Set(v.status);
    records::save::<support_tickets::Entity>(&txn, actor, "update", &before, active).await?;
    txn.commit().await?;
    Ok(())
}

/// Records user feedback on integration `integration_id`.
///
/// # Errors
/// `Forbidden` (stakeholders read); `NotFound`; `Validation`.
pub async fn add_feedback(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &FeedbackForm,
) -> Result<i32> {
    actor.may(Action::Report)?;
    let mut e = FieldErrors::default();
    let source = FeedbackSource::parse(form.source.trim());
    if source.is_none() {
        e.add(
            "source",
            format!("Choose one of: {}.", FeedbackSource::names()),
        );
    }
    let rating = match form.rating.trim().parse::<i32>() {
        Ok(r) if (1..=5).contains(&r) => r,
        _ => {
            e.add("rating", "A rating from 1 to 5.");
            0
        }
    };
    let comment = optional(&mut e, "comment", &form.comment, 4000);
    let feature_area = optional(&mut e, "feature_area", &form.feature_area, 100);
    e.into_result()?;
    let txn = activity::begin(db).await?;
    integration_by_id(&txn, integration_id).await?;
    let m = records::insert::<feedback::Entity>(
        &txn,
        actor,
        feedback::ActiveModel {
            integration_id: Set(integration_id),
            source: Set(source.unwrap_or(FeedbackSource::Support)),
            rating: Set(rating),
            comment: Set(comment),
            feature_area: Set(feature_area),
            status: Set(FeedbackStatus::New),
            created_by: Set(actor.id),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m.id)
}

/// Sets feedback `id`'s status.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` on `status`.
pub async fn set_feedback_status(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    status: &str,
) -> Result<()> {
    actor.may(Action::Build)?;
    let status = FeedbackStatus::parse(status.trim()).ok_or_else(|| {
        AppError::field(
            "status",
            format!("Choose one of: {}.", FeedbackStatus::names()),
        )
    })?;
    let txn = activity::begin(db).await?;
    let before = records::find::<feedback::Entity>(&txn, id).await?;
    let mut active: feedback::ActiveModel = before.clone().into();
    active.status = Set(status);
    records::save::<feedback::Entity>(&txn, actor, "update", &before, active).await?;
    txn.commit().await?;
    Ok(())
}

/// The figures of `rows`.
pub fn summarize(rows: &[Feedback]) -> FeedbackSummary {
    let mut by_rating = [0usize; 5];
    for f in rows {
        if let Some(slot) = usize::try_from(f.rating - 1)
            .ok()
            .and_then(|i| by_rating.get_mut(i))
        {
            *slot += 1;
        }
    }
    let total: i64 = rows.iter().map(|f| i64::from(f.rating)).sum();
    let n = i64::try_from(rows.len()).unwrap_or(0);
    FeedbackSummary {
        count: rows.len(),
        mean_rating_x100: (n > 0).then(|| (total * 100 + n / 2) / n),
        by_rating,
        by_source: FeedbackSource::ALL
            .iter()
            .map(|s| (*s, rows.iter().filter(|f| f.source == *s).count()))
            .collect(),
        by_status: FeedbackStatus::ALL
            .iter()
            .map(|s| (*s, rows.iter().filter(|f| f.status == *s).count()))
            .collect(),
    }
}

/// Integration `slug`'s provider page.
///
/// # Errors
/// `NotFound`.
pub async fn page(db: &impl ConnectionTrait, slug: &str) -> Result<ProviderView> {
    let i = integration(db, slug).await?;
    let contacts = provider_contacts::Entity::find()
        .filter(provider_contacts::Column::IntegrationId.eq(i.id))
        .order_by_asc(provider_contacts::Column::EscalationOrder)
        .order_by_asc(provider_contacts::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| Contact {
            id: c.id,
            name: c.name,
            role: c.role,
            email: c.email,
            phone: c.phone,
            escalation_order: c.escalation_order,
        })
        .collect();
    let incidents: Vec<(i32, String)> = incidents::Entity::find()
        .filter(incidents::Column::IntegrationId.eq(i.id))
        .order_by_desc(incidents::Column::OpenedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            (
                m.id,
                format!("{} ({})", m.title, m.opened_at.format("%Y-%m-%d")),
            )
        })
        .collect();
    let tickets = support_tickets::Entity::find()
        .filter(support_tickets::Column::IntegrationId.eq(i.id))
        .order_by_desc(support_tickets::Column::OpenedOn)
        .order_by_desc(support_tickets::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|t| {
            Ok(Ticket {
                id: t.id,
                status: t.status,
                incident: t
                    .incident_id
                    .and_then(|id| incidents.iter().find(|(i, _)| *i == id).cloned()),
                reference: t.reference,
                subject: t.subject,
                opened_on: t.opened_on,
                closed_on: t.closed_on,
            })
        })
        .collect::<Result<_>>()?;
    let rows = feedback::Entity::find()
        .filter(feedback::Column::IntegrationId.eq(i.id))
        .order_by_desc(feedback::Column::CreatedAt)
        .all(db)
        .await?;
    let people = users::Entity::find()
        .filter(users::Column::Id.is_in(rows.iter().map(|r| r.created_by)))
        .all(db)
        .await?;
    let feedback: Vec<Feedback> = rows
        .into_iter()
        .map(|f| {
            Ok(Feedback {
                id: f.id,
                source: f.source,
                rating: f.rating,
                status: f.status,
                by: people
                    .iter()
                    .find(|p| p.id == f.created_by)
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
                at: f.created_at,
                comment: f.comment,
                feature_area: f.feature_area,
            })
        })
        .collect::<Result<_>>()?;
    Ok(ProviderView {
        integration: reference(&i),
        contacts,
        tickets,
        incidents,
        summary: summarize(&feedback),
        feedback,
    })
}
