//! The demo portfolio's content: its people, its eight integrations, how far each has come and
//! when, and the spec that changed under Stripe. `super` turns it into records.

use app::auth::model::Role;
use app::integrations::model::Stage;

pub(super) const USERS: &[(&str, &str, Role)] = &[
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

pub(super) const INTEGRATIONS: &[(&str, &str, &str, &str, &str, &str)] = &[
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
        "IPinfo geolocation",
        "IPinfo",
        "geolocation",
        "medium",
        "Guess a visitor's city from their IP address, so listings near them come first.",
        "ip, search",
    ),
    (
        "PayFast payouts",
        "Network International",
        "payments",
        "high",
        "Pay sellers out by instant EFT when an escrowed item is delivered.",
        "payouts, escrow",
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

/// Planning records for a demo integration: (metric, unit, baseline, target, current), two
/// candidates (name, provider) with scores per default criterion, and where it ends up.
pub(super) struct PlanSpec {
    pub(super) slug: &'static str,
    pub(super) problem: &'static str,
    pub(super) objective: (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ),
    pub(super) candidates: [(&'static str, &'static str, [&'static str; 4]); 2],
    /// Stages to move through after planning, in order (with a reason where one is needed),
    /// and how many days ago each move was.
    pub(super) path: &'static [(Stage, &'static str, i64)],
    /// How many days ago the integration was created.
    pub(super) created_days_ago: i64,
    /// How many days ago its milestones (the three-month template) started; none for an
    /// integration retired before it was planned.
    pub(super) milestones_from: Option<u64>,
    /// Whether the plan is approved (otherwise it is left in review).
    pub(super) approved: bool,
}

pub(super) const PLANS: &[PlanSpec] = &[
    PlanSpec {
        slug: "stripe-payments",
        problem: "Sellers cannot pay for featured listings online; sales staff take payments by EFT and reconcile by hand.",
        objective: (
            "Featured-listing checkout completion",
            "%",
            "61",
            "75",
            "72",
        ),
        candidates: [
            ("Stripe Payments", "Stripe", ["5", "5", "4", "3"]),
            ("PayFast", "Network International", ["4", "4", "3", "5"]),
        ],
        path: &[
            (Stage::Implementation, "", 120),
            (Stage::Testing, "", 75),
            (Stage::Live, "", 50),
        ],
        created_days_ago: 150,
        milestones_from: Some(145),
        approved: true,
    },
    PlanSpec {
        slug: "onfido-identity-verification",
        problem: "Fraudulent vehicle and property listings come from sellers whose identity was never checked.",
        objective: (
            "Fraudulent listings reported per month",
            "count",
            "140",
            "30",
            "95",
        ),
        candidates: [
            ("Onfido", "Entrust", ["4", "5", "4", "3"]),
            ("Smile ID", "Smile Identity", ["4", "4", "4", "4"]),
        ],
        path: &[(Stage::Implementation, "", 70), (Stage::Testing, "", 12)],
        created_days_ago: 105,
        milestones_from: Some(100),
        approved: true,
    },
    PlanSpec {
        slug: "google-maps-geolocation",
        problem: "Buyers cannot see how far a listing is from them, so they contact sellers they will never visit.",
        objective: ("Listings with a geocoded address", "%", "40", "95", "55"),
        candidates: [
            ("Google Maps Platform", "Google", ["5", "4", "5", "2"]),
            ("Mapbox", "Mapbox", ["4", "4", "4", "4"]),
        ],
        path: &[(Stage::Implementation, "", 20)],
        created_days_ago: 50,
        milestones_from: Some(45),
        approved: true,
    },
    PlanSpec {
        slug: "twilio-verify",
        problem: "Fake accounts sign up with numbers nobody owns and flood categories with spam.",
        objective: ("Spam accounts created per week", "count", "900", "150", ""),
        candidates: [
            ("Twilio Verify", "Twilio", ["5", "4", "5", "3"]),
            ("Clickatell", "Clickatell", ["4", "4", "3", "4"]),
        ],
        path: &[],
        created_days_ago: 35,
        milestones_from: Some(30),
        approved: false,
    },
    PlanSpec {
        slug: "auth0-authentication",
        problem: "Business sellers want to sign in with their company accounts.",
        objective: ("Business sellers using single sign-on", "%", "0", "60", ""),
        candidates: [
            ("Auth0", "Okta", ["5", "5", "4", "2"]),
            ("Keycloak", "Red Hat", ["4", "4", "2", "5"]),
        ],
        path: &[(
            Stage::OnHold,
            "Waiting for the business-seller programme to be approved.",
            40,
        )],
        created_days_ago: 60,
        milestones_from: Some(58),
        approved: false,
    },
    PlanSpec {
        slug: "ipinfo-geolocation",
        problem: "Visitors who are not signed in see listings from the whole country first.",
        objective: (
            "Visitors shown listings from their own city first",
            "%",
            "0",
            "70",
            "64",
        ),
        candidates: [
            ("IPinfo", "IPinfo", ["4", "5", "4", "4"]),
            ("MaxMind GeoIP2", "MaxMind", ["4", "4", "4", "3"]),
        ],
        path: &[
            (Stage::Implementation, "", 90),
            (Stage::Testing, "", 60),
            (Stage::Live, "", 30),
        ],
        created_days_ago: 110,
        milestones_from: Some(105),
        approved: true,
    },
    PlanSpec {
        slug: "payfast-payouts",
        problem: "Sellers wait up to five days for escrow payouts by manual bank transfer.",
        objective: ("Median payout time", "hours", "96", "2", ""),
        candidates: [
            ("PayFast", "Network International", ["4", "4", "4", "4"]),
            ("Ozow", "Ozow", ["4", "3", "4", "5"]),
        ],
        path: &[],
        created_days_ago: 10,
        milestones_from: Some(7),
        approved: false,
    },
    PlanSpec {
        slug: "clearbit-enrichment",
        problem: "Business seller profiles lack company size and industry.",
        objective: ("Business profiles with an industry", "%", "10", "80", ""),
        candidates: [
            ("Clearbit", "HubSpot", ["4", "4", "5", "2"]),
            ("Apollo", "Apollo.io", ["3", "3", "4", "4"]),
        ],
        path: &[(
            Stage::Retired,
            "Clearbit's free API was withdrawn after the HubSpot acquisition; not pursued.",
            70,
        )],
        created_days_ago: 90,
        milestones_from: None,
        approved: false,
    },
];

/// Two versions of a small excerpt of a payments API: the second removes refunds without
/// deprecating them (a breaking change) and adds payouts.
pub(super) const SPEC_BEFORE: &str = "openapi: 3.0.0
info: {title: Payments, version: '2024-01-01'}
paths:
  /v1/payment_intents:
    post: {operationId: createPaymentIntent, responses: {'200': {description: Created}}}
  /v1/refunds:
    post: {operationId: createRefund, responses: {'200': {description: Created}}}
";
pub(super) const SPEC_AFTER: &str = "openapi: 3.0.0
info: {title: Payments, version: '2024-06-01'}
paths:
  /v1/payment_intents:
    post: {operationId: createPaymentIntent, responses: {'200': {description: Created}}}
  /v1/payouts:
    post: {operationId: createPayout, responses: {'200': {description: Created}}}
";
