//! (ssr) A small, realistic portfolio for SayPro Classified, with a user for every role.
//! Idempotent: running it twice adds nothing the second time.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

use app::auth::model::{CurrentUser, Role};
use app::auth::service::to_current;
use app::entities::{incident_updates, incidents, integrations, stage_transitions, users};
use app::error::Result;
use app::integrations::model::{IntegrationForm, Stage};
use app::users::model::NewUser;

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
struct PlanSpec {
    slug: &'static str,
    problem: &'static str,
    objective: (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ),
    candidates: [(&'static str, &'static str, [&'static str; 4]); 2],
    /// Stages to move through after planning, in order (with a reason where one is needed),
    /// and how many days ago each move was.
    path: &'static [(Stage, &'static str, i64)],
    /// How many days ago the integration was created.
    created_days_ago: i64,
    /// How many days ago its milestones (the three-month template) started; none for an
    /// integration retired before it was planned.
    milestones_from: Option<u64>,
    /// Whether the plan is approved (otherwise it is left in review).
    approved: bool,
}

const PLANS: &[PlanSpec] = &[
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

async fn plan(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
    coordinator: &CurrentUser,
    reviewer: &CurrentUser,
    integration_id: i32,
    spec: &PlanSpec,
) -> Result<()> {
    use app::planning::model::{CandidateForm, NeedsAssessment, ObjectiveForm, ScoreInput};
    use app::planning::service::{milestones, needs, objectives, plans, vendors};
    needs::save(
        db,
        coordinator,
        integration_id,
        &NeedsAssessment {
            problem: spec.problem.into(),
            affected: "Buyers and sellers on SayPro Classified, and the support team.".into(),
            scope_in: "Web and mobile web.".into(),
            scope_out: "Native apps (next year).".into(),
            platform_areas: "listings, accounts, checkout".into(),
            ..Default::default()
        },
    )
    .await?;
    let (metric, unit, baseline, target, current) = spec.objective;
    objectives::create(
        db,
        coordinator,
        integration_id,
        &ObjectiveForm {
            description: format!(
                "Move {} from {baseline} to {target} {unit}.",
                metric.to_lowercase()
            ),
            metric: metric.into(),
            unit: unit.into(),
            baseline: baseline.into(),
            target: target.into(),
            current: current.into(),
        },
    )
    .await?;
    let board_criteria = vendors::ranking(db, integration_id).await?.0;
    let mut first = None;
    for (name, provider, scores) in &spec.candidates {
        let c = vendors::add_candidate(
            db,
            coordinator,
            integration_id,
            &CandidateForm {
                name: (*name).into(),
                provider: (*provider).into(),
                docs_url: String::new(),
                pricing_notes: "Per-transaction pricing; volume discounts negotiable.".into(),
                pros: "Mature API and sandbox.".into(),
                cons: "Pricing in USD.".into(),
            },
        )
        .await?;
        let inputs: Vec<ScoreInput> = board_criteria
            .iter()
            .zip(scores)
            .map(|(criterion, score)| ScoreInput {
                criterion_id: criterion.id.to_string(),
                score: (*score).into(),
                note: String::new(),
            })
            .collect();
        vendors::score(db, coordinator, c.id, &inputs).await?;
        first.get_or_insert(c.id);
    }
    if let Some(id) = first {
        vendors::select(
            db,
            coordinator,
            id,
            "Highest weighted score, strongest security posture, and local support.",
        )
        .await?;
    }
    plans::save(db, coordinator, integration_id, &plans::PlanForm {
        technical_requirements: "- Server-side API calls only; no secrets in the browser\n- Webhooks verified by signature\n- Idempotent retries".into(),
        expected_outcomes: format!("{metric} reaches {target} {unit} within three months of go-live."),
        risks: "- **Provider outage**: degrade gracefully and queue retries\n- **Cost overrun**: monthly spend alert".into(),
        dependencies: "Platform team for webhook endpoint; finance for the contract.".into(),
    })
    .await?;
    plans::submit(db, coordinator, integration_id).await?;
    if spec.approved {
        plans::review(
            db,
            reviewer,
            integration_id,
            "approved",
            "Clear scope and measurable objective.",
            false,
        )
        .await?;
    }
    if let Some(days) = spec.milestones_from {
        let start = app::calendar::today() - chrono::Days::new(days);
        milestones::apply_template(db, coordinator, integration_id, &start.to_string()).await?;
    }
    if !spec.path.is_empty() {
        // Work that has moved on has done its past milestones; Twilio Verify keeps its overdue
        // ones, so the demo shows what overdue looks like.
        let slug = app::integrations::lookup::integration_by_id(db, integration_id)
            .await?
            .slug;
        for m in milestones::page(db, &slug).await?.milestones {
            if m.due_date < app::calendar::today() {
                let done = app::planning::model::MilestoneForm {
                    title: m.title,
                    description: m.description,
                    stage: m.stage.as_str().into(),
                    owner_id: m.owner.map(|o| o.id.to_string()).unwrap_or_default(),
                    due_date: m.due_date.to_string(),
                    status: "done".into(),
                    completed_on: m.due_date.to_string(),
                };
                milestones::update(db, coordinator, m.id, &done).await?;
            }
        }
    }
    let mut production = None;
    for (stage, reason, _) in spec.path {
        if *stage == Stage::Testing {
            sandbox(db, coordinator, integration_id, spec.slug).await?;
        }
        if *stage == Stage::Live {
            production = Some(tested(db, coordinator, integration_id, spec.slug).await?);
        }
        app::lifecycle::service::transition(
            db,
            coordinator,
            integration_id,
            &app::lifecycle::model::MoveRequest {
                to: stage.as_str().into(),
                reason: (*reason).into(),
                override_justification: String::new(),
            },
            &app::gate::GateContext::default(),
        )
        .await?;
    }
    backdate(db, integration_id, spec).await?;
    if let Some(production) = production {
        live(db, coordinator, integration_id, production, spec.slug).await?;
    }
    Ok(())
}

/// Gives the integration the past `spec` tells: created `created_days_ago` days ago, and each
/// stage move on its day, so the time spent in each stage reads as it would on an instance
/// that has been in use (the services stamp what they write with the present).
async fn backdate(db: &impl ConnectionTrait, integration_id: i32, spec: &PlanSpec) -> Result<()> {
    let now = chrono::Utc::now();
    let ago = |days: i64| now - chrono::Duration::days(days);
    integrations::Entity::update_many()
        .col_expr(
            integrations::Column::CreatedAt,
            Expr::value(ago(spec.created_days_ago)),
        )
        .filter(integrations::Column::Id.eq(integration_id))
        .exec(db)
        .await?;
    let moves = stage_transitions::Entity::find()
        .filter(stage_transitions::Column::IntegrationId.eq(integration_id))
        .order_by_asc(stage_transitions::Column::Id)
        .all(db)
        .await?;
    for (m, (_, _, days)) in moves.iter().zip(spec.path) {
        stage_transitions::Entity::update_many()
            .col_expr(stage_transitions::Column::At, Expr::value(ago(*days)))
            .filter(stage_transitions::Column::Id.eq(m.id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Puts incident `id` where its outage was: opened `opened_hours_ago`, and resolved (with its
/// updates) `resolved_hours_ago` when it is resolved, so the time to resolve reads as it was.
async fn backdate_incident(
    db: &impl ConnectionTrait,
    id: i32,
    opened_hours_ago: i64,
    resolved_hours_ago: i64,
) -> Result<()> {
    let now = chrono::Utc::now();
    let opened = now - chrono::Duration::hours(opened_hours_ago);
    let resolved = now - chrono::Duration::hours(resolved_hours_ago);
    incidents::Entity::update_many()
        .col_expr(incidents::Column::OpenedAt, Expr::value(opened))
        .filter(incidents::Column::Id.eq(id))
        .exec(db)
        .await?;
    incidents::Entity::update_many()
        .col_expr(incidents::Column::ResolvedAt, Expr::value(resolved))
        .filter(incidents::Column::Id.eq(id))
        .filter(incidents::Column::ResolvedAt.is_not_null())
        .exec(db)
        .await?;
    for u in incident_updates::Entity::find()
        .filter(incident_updates::Column::IncidentId.eq(id))
        .order_by_asc(incident_updates::Column::Id)
        .all(db)
        .await?
    {
        let at = if u.status == "resolved" {
            resolved
        } else {
            opened
        };
        incident_updates::Entity::update_many()
            .col_expr(incident_updates::Column::CreatedAt, Expr::value(at))
            .filter(incident_updates::Column::Id.eq(u.id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// A week of life after go-live: hourly checks with one outage, its incident (resolved on
/// Stripe, still being looked into elsewhere), user feedback, and for Stripe a spec that
/// changed under it.
async fn live(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
    coordinator: &CurrentUser,
    integration_id: i32,
    production: i32,
    slug: &str,
) -> Result<()> {
    use app::monitoring::model::{IncidentForm, IncidentUpdateForm};
    use app::monitoring::{incidents, service as monitoring};
    use app::provider::model::FeedbackForm;
    let now = chrono::Utc::now();
    let stripe = slug == "stripe-payments";
    let outage = if stripe { 50..=51 } else { 30..=32 };
    let week: Vec<_> = (25..=168)
        .map(|h| {
            let up = !outage.contains(&h);
            (
                now - chrono::Duration::hours(h),
                if up { 140 } else { 5000 },
                up,
            )
        })
        .collect();
    monitoring::import_history(db, production, &week, 3).await?;
    let incident = IncidentForm {
        title: if stripe {
            "Checkout returned 503 for two hours".into()
        } else {
            "Lookups timed out from the Cape Town region".into()
        },
        severity: if stripe { "major" } else { "minor" }.into(),
        environment_id: production.to_string(),
        note: "Production checks failed; customers reported it too.".into(),
    };
    let id = incidents::create(db, coordinator, integration_id, &incident).await?;
    let update = if stripe {
        IncidentUpdateForm {
            status: "resolved".into(),
            note: "Stripe rolled back a faulty edge deploy.".into(),
            ticket_ref: "STRIPE-58213".into(),
            root_cause: "A provider-side deploy to their edge network.".into(),
            postmortem: "Add a retry with backoff on 503 and alert after two failed checks.".into(),
        }
    } else {
        IncidentUpdateForm {
            status: "investigating".into(),
            note: "IPinfo support is looking at their Cape Town edge.".into(),
            ..Default::default()
        }
    };
    incidents::update(db, coordinator, id, &update).await?;
    // Opened when the outage began; Stripe's resolved when its checks came back.
    if stripe {
        backdate_incident(db, id, 51, 49).await?;
    } else {
        backdate_incident(db, id, 32, 32).await?;
    }
    let feedback: [(&str, &str, &str, &str); 3] = if stripe {
        [
            (
                "survey",
                "4",
                "Paying for a featured listing took a minute.",
                "checkout",
            ),
            (
                "support",
                "2",
                "My card was declined twice before it worked.",
                "checkout",
            ),
            ("app_review", "5", "Finally I can pay online.", "payments"),
        ]
    } else {
        [
            (
                "survey",
                "5",
                "Nearby listings first is a big help.",
                "search",
            ),
            (
                "support",
                "2",
                "It thinks I am in Johannesburg; I live in Durban.",
                "accuracy",
            ),
            ("app_review", "4", "Search feels local now.", "search"),
        ]
    };
    for (source, rating, comment, area) in feedback {
        let form = FeedbackForm {
            source: source.into(),
            rating: rating.into(),
            comment: comment.into(),
            feature_area: area.into(),
        };
        app::provider::service::add_feedback(db, coordinator, integration_id, &form).await?;
    }
    audits(db, coordinator, integration_id, stripe).await?;
    if stripe {
        for doc in [SPEC_BEFORE, SPEC_AFTER] {
            app::specs::service::import(
                db,
                coordinator,
                integration_id,
                "Stripe API (payments excerpt)",
                doc.as_bytes(),
            )
            .await?;
        }
    }
    Ok(())
}

/// The recurring checks of a live integration: on Stripe a quarterly PCI scope review run a
/// week ago with an open finding, and a monthly webhook-secret check due in five days; on the
/// others a data-retention check three days overdue.
async fn audits(
    db: &(impl ConnectionTrait + TransactionTrait),
    coordinator: &CurrentUser,
    integration_id: i32,
    stripe: bool,
) -> Result<()> {
    use app::audits::model::{AuditForm, FindingForm, RunForm};
    use app::audits::service as audits;
    let today = app::calendar::today();
    let day = |n: i64| today + chrono::Duration::days(n);
    let audit = |title: &str, checks: &str, every: &str, first: chrono::NaiveDate| AuditForm {
        title: title.into(),
        checks: checks.into(),
        interval_days: every.into(),
        first_due: first.to_string(),
        owner_id: coordinator.id.to_string(),
    };
    if !stripe {
        let form = audit(
            "Data-retention check",
            "Location lookups older than 30 days are purged; no raw IP addresses are kept.",
            "30",
            day(-3),
        );
        audits::create(db, coordinator, integration_id, &form).await?;
        return Ok(());
    }
    let pci = audits::create(
        db,
        coordinator,
        integration_id,
        &audit(
            "Quarterly PCI DSS scope review",
            "No card data is stored or logged; only Stripe Elements touches card numbers.",
            "91",
            day(-10),
        ),
    )
    .await?;
    let run = RunForm {
        performed_on: day(-7).to_string(),
        notes: "Reviewed the checkout flow, the logs and the payment tables.".into(),
    };
    let run_id = audits::record_run(db, coordinator, pci, &run, today).await?;
    let finding = FindingForm {
        summary: "The last four card digits and expiry appear in a debug log".into(),
        severity: "medium".into(),
        remediation: "Drop the payment method object from the checkout debug log.".into(),
        due_on: day(7).to_string(),
    };
    audits::add_finding(db, coordinator, run_id, &finding).await?;
    audits::create(
        db,
        coordinator,
        integration_id,
        &audit(
            "Webhook signing-secret check",
            "The webhook endpoint verifies signatures and the secret is the current one.",
            "30",
            day(5),
        ),
    )
    .await?;
    Ok(())
}

/// Two versions of a small excerpt of a payments API: the second removes refunds without
/// deprecating them (a breaking change) and adds payouts.
const SPEC_BEFORE: &str = "openapi: 3.0.0
info: {title: Payments, version: '2024-01-01'}
paths:
  /v1/payment_intents:
    post: {operationId: createPaymentIntent, responses: {'200': {description: Created}}}
  /v1/refunds:
    post: {operationId: createRefund, responses: {'200': {description: Created}}}
";
const SPEC_AFTER: &str = "openapi: 3.0.0
info: {title: Payments, version: '2024-06-01'}
paths:
  /v1/payment_intents:
    post: {operationId: createPaymentIntent, responses: {'200': {description: Created}}}
  /v1/payouts:
    post: {operationId: createPayout, responses: {'200': {description: Created}}}
";

/// Where the demo's environments point: the provider simulator `make demo` starts
/// (`TOLLGATE_DEMO_PROVIDER`, default http://127.0.0.1:4010), so the demo's probes are live
/// and never leave the machine.
pub fn provider() -> String {
    std::env::var("TOLLGATE_DEMO_PROVIDER")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "http://127.0.0.1:4010".into())
}

/// The sandbox environment the gate to testing asks for, with a health check.
async fn sandbox(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = sea_orm::DatabaseTransaction>),
    coordinator: &CurrentUser,
    integration_id: i32,
    slug: &str,
) -> Result<()> {
    let form = app::implementation::model::EnvironmentForm {
        name: "sandbox".into(),
        base_url: provider(),
        auth_scheme: "bearer".into(),
        retry_attempts: "3".into(),
        health_path: "/health".into(),
        ..Default::default()
    };
    let environment =
        app::implementation::service::create(db, coordinator, integration_id, &form).await?;
    // The gate to testing asks for a recent successful check; the demo's monitor has not
    // run yet, so the last hour's checks are recorded as the simulator would have answered.
    let now = chrono::Utc::now();
    let checks: Vec<_> = (0..12i32)
        .map(|n| {
            let ago = chrono::Duration::minutes(5 * i64::from(12 - n));
            (now - ago, 80 + n, true)
        })
        .collect();
    app::monitoring::service::import_history(db, environment, &checks, 3).await?;
    let key = app::implementation::model::CredentialForm {
        environment_id: environment.to_string(),
        name: "API key".into(),
        kind: "api_key".into(),
        reference: format!("vault://kv/integrations/{slug}/sandbox#api_key"),
        owner_id: coordinator.id.to_string(),
        rotation_days: "90".into(),
        ..Default::default()
    };
    let credential =
        app::implementation::credentials::create(db, coordinator, integration_id, &key).await?;
    let team = app::implementation::model::GrantForm {
        grantee_kind: "service".into(),
        grantee: "saypro-api (sandbox)".into(),
        reason: "Calls the provider from the sandbox deployment.".into(),
        ..Default::default()
    };
    app::implementation::grants::grant(db, coordinator, credential, &team).await?;
    wiring(db, coordinator, integration_id).await
}

/// A reviewed data mapping and closed checklists, which the gate to testing also asks for.
async fn wiring(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = sea_orm::DatabaseTransaction>),
    coordinator: &CurrentUser,
    integration_id: i32,
) -> Result<()> {
    use app::implementation::{checklist_service, mapping::MappingRowForm, mapping_service};
    let rows = [
        ("/data/id", "event.provider_id", "none", "", "on"),
        (
            "/data/status",
            "event.status",
            "enum_map",
            "succeeded=ok, failed=failed, pending=pending",
            "on",
        ),
        (
            "/data/created",
            "event.created_at",
            "unix_to_iso8601",
            "",
            "",
        ),
    ];
    for (from, to, transform, arg, required) in rows {
        let form = MappingRowForm {
            source_pointer: from.into(),
            target_field: to.into(),
            transform: transform.into(),
            transform_arg: arg.into(),
            required: required.into(),
            ..Default::default()
        };
        mapping_service::create(db, coordinator, integration_id, &form).await?;
    }
    mapping_service::review(db, coordinator, integration_id).await?;
    checklist_service::apply_template(db, coordinator, integration_id).await?;
    let slug = app::integrations::lookup::integration_by_id(db, integration_id)
        .await?
        .slug;
    for item in checklist_service::page(db, &slug).await?.items {
        let mut form = item.form();
        form.status = "done".into();
        form.evidence = "Checked in the implementation review.".into();
        checklist_service::update(db, coordinator, item.id, &form).await?;
    }
    Ok(())
}

/// What the go-live gate asks for: production registered with its credential, and the
/// payments template run, passed and signed off by QA.
async fn tested(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = sea_orm::DatabaseTransaction>),
    coordinator: &CurrentUser,
    integration_id: i32,
    slug: &str,
) -> Result<i32> {
    use app::testing::model::{ResultForm, TestRunForm};
    use app::testing::{runs, service as testing};
    let production = app::implementation::model::EnvironmentForm {
        name: "production".into(),
        base_url: provider(),
        auth_scheme: "bearer".into(),
        retry_attempts: "3".into(),
        health_path: "/health".into(),
        ..Default::default()
    };
    let environment =
        app::implementation::service::create(db, coordinator, integration_id, &production).await?;
    let key = app::implementation::model::CredentialForm {
        environment_id: environment.to_string(),
        name: "API key".into(),
        kind: "api_key".into(),
        reference: format!("vault://kv/integrations/{slug}/production#api_key"),
        owner_id: coordinator.id.to_string(),
        rotation_days: "90".into(),
        ..Default::default()
    };
    app::implementation::credentials::create(db, coordinator, integration_id, &key).await?;
    // A day of checks every ten minutes, one slow spell and no outage: the gate to live asks
    // for successful production checks in a row.
    let now = chrono::Utc::now();
    let history: Vec<_> = (1..=144)
        .map(|k| {
            let latency = if (60..66).contains(&k) {
                900
            } else {
                120 + (k * 37) % 90
            };
            (
                now - chrono::Duration::minutes(10 * k),
                i32::try_from(latency).unwrap_or(120),
                true,
            )
        })
        .collect();
    app::monitoring::service::import_history(db, environment, &history, 3).await?;
    let Some(qa) = users::Entity::find()
        .filter(users::Column::Email.eq("qa@saypro.example"))
        .one(db)
        .await?
    else {
        return Ok(environment);
    };
    let qa = to_current(&qa)?;
    testing::apply_template(db, &qa, integration_id).await?;
    let run = TestRunForm {
        name: "Release 1.0 acceptance".into(),
        build: "1.0.0".into(),
        environment_id: String::new(),
    };
    let run = runs::create_run(db, &qa, integration_id, &run).await?;
    for e in runs::run_page(db, run).await?.executions {
        let pass = ResultForm {
            status: "passed".into(),
            ..Default::default()
        };
        runs::record_result(db, &qa, e.id, &pass).await?;
    }
    runs::sign_off(db, &qa, run, "Release 1.0 meets the test plan.").await?;
    Ok(environment)
}

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
pub async fn seed(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
) -> Result<DemoSummary> {
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
            app::users::service::create_user(db, None, input).await?;
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
    let reviewer = match users::Entity::find()
        .filter(users::Column::Email.eq("stakeholder@saypro.example"))
        .one(db)
        .await?
    {
        Some(u) => Some(to_current(&u)?),
        None => None,
    };
    for (name, provider, category, priority, objective, tags) in INTEGRATIONS {
        let slug = app::integrations::service::slugify(name);
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
            let created = app::integrations::service::create(db, &coordinator, &form).await?;
            summary.integrations_created += 1;
            if let (Some(spec), Some(reviewer)) =
                (PLANS.iter().find(|p| p.slug == created.slug), &reviewer)
            {
                plan(db, &coordinator, reviewer, created.id, spec).await?;
            }
        }
    }
    Ok(summary)
}
