//! (ssr) A small, realistic portfolio for SayPro Classified, with a user for every role.
//! Idempotent: running it twice adds nothing the second time.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};

use crate::auth::model::{CurrentUser, Role};
use crate::auth::service::to_current;
use crate::entities::{integrations, users};
use crate::error::Result;
use crate::integrations::model::IntegrationForm;
use crate::users::model::NewUser;

/// The password every demo account gets. Demo data only: never seed a real instance.
pub const DEMO_PASSWORD: &str = "tollgate-demo-password";

const USERS: &[(&str, &str, Role)] = &[
    ("Amina Dlamini", "admin@saypro.example", Role::Admin),
    (
        "Thabo Nkosi",
        "coordinator@saypro.example",
        Role::Coordinator,
    ),
    ("Lerato Mokoena", "engineer@saypro.example", Role::Engineer),
    ("Sipho Khumalo", "qa@saypro.example", Role::Qa),
    (
        "Naledi Mahlangu",
        "stakeholder@saypro.example",
        Role::Stakeholder,
    ),
];

const INTEGRATIONS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "Stripe payments",
        "Stripe",
        "payments",
        "critical",
        "Take card payments for featured and promoted listings in ZAR and USD.",
        "cards, checkout, payouts",
    ),
    (
        "Onfido identity verification",
        "Onfido",
        "identity_verification",
        "high",
        "Verify sellers' identity documents before they can list vehicles or property.",
        "kyc, trust-and-safety",
    ),
    (
        "Google Maps geolocation",
        "Google",
        "geolocation",
        "high",
        "Geocode listing addresses and show distance from the buyer.",
        "maps, search",
    ),
    (
        "Twilio Verify",
        "Twilio",
        "messaging",
        "medium",
        "Confirm phone numbers by SMS one-time code at sign-up.",
        "sms, otp",
    ),
    (
        "Auth0 authentication",
        "Okta",
        "authentication",
        "medium",
        "Offer social sign-in and single sign-on for business sellers.",
        "sso, oauth",
    ),
    (
        "Clearbit enrichment",
        "HubSpot",
        "data_enrichment",
        "low",
        "Enrich business seller profiles with company size and industry.",
        "b2b, crm",
    ),
];

/// What the seed created.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub users_created: usize,
    pub integrations_created: usize,
}

/// Loads the demo portfolio.
///
/// # Errors
/// Database failures.
pub async fn seed(db: &(impl ConnectionTrait + TransactionTrait)) -> Result<DemoSummary> {
    let mut summary = DemoSummary::default();
    for (name, email, role) in USERS {
        let exists = users::Entity::find()
            .filter(users::Column::Email.eq(*email))
            .one(db)
            .await?;
        if exists.is_none() {
            let input = NewUser {
                email: (*email).into(),
                name: (*name).into(),
                role: role.as_str().into(),
                password: DEMO_PASSWORD.into(),
            };
            crate::users::service::create_user(db, None, input).await?;
            summary.users_created += 1;
        }
    }
    let coordinator: CurrentUser = match users::Entity::find()
        .filter(users::Column::Email.eq("coordinator@saypro.example"))
        .one(db)
        .await?
    {
        Some(u) => to_current(&u)?,
        None => return Ok(summary),
    };
    for (name, provider, category, priority, objective, tags) in INTEGRATIONS {
        let slug = crate::integrations::service::slugify(name);
        let exists = integrations::Entity::find()
            .filter(integrations::Column::Slug.eq(&slug))
            .one(db)
            .await?;
        if exists.is_none() {
            let form = IntegrationForm {
                name: (*name).into(),
                slug,
                provider: (*provider).into(),
                category: (*category).into(),
                owner_id: coordinator.id.to_string(),
                business_objective: (*objective).into(),
                priority: (*priority).into(),
                tags: (*tags).into(),
            };
            crate::integrations::service::create(db, &coordinator, &form).await?;
            summary.integrations_created += 1;
        }
    }
    Ok(summary)
}
