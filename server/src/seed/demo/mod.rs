//! (ssr) A small, realistic portfolio for SayPro Classified, with a user for every role.
//! Idempotent: running it twice adds nothing the second time. What it holds is in
//! [`portfolio`]; this turns it into records through the services, then gives it a past.

mod life;
mod portfolio;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

use app::auth::model::CurrentUser;
use app::auth::service::to_current;
use app::entities::{integrations, stage_transitions, users};
use app::error::Result;
use app::integrations::model::{IntegrationForm, Stage};
use app::users::model::NewUser;
use portfolio::{INTEGRATIONS, PLANS, PlanSpec, USERS};

/// The password every demo account gets. Demo data only: never seed a real instance.
pub const DEMO_PASSWORD: &str = "tollgate-demo-password";

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
        life::live(db, coordinator, integration_id, production, spec.slug).await?;
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
    use app::testing::{runs, service as testing, signoffs};
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
    signoffs::sign_off(db, &qa, run, "Release 1.0 meets the test plan.").await?;
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
