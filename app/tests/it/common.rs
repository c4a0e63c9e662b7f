//! Shared set-up for the service tests: a fresh database per test, built by the real
//! migrations. In-memory SQLite by default; a fresh PostgreSQL database when
//! TEST_DATABASE_URL is set, so the same tests run on both backends.

// A failed set-up step should stop the test with its message; that is what expect is for here.
#![allow(clippy::expect_used, clippy::unwrap_used, dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};

use app::auth::model::{CurrentUser, Role};
use app::integrations::model::IntegrationForm;
use app::users::model::NewUser;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement};

pub const PASSWORD: &str = "a-long-test-password";

static COUNTER: AtomicU64 = AtomicU64::new(0);

pub async fn db() -> DatabaseConnection {
    let url = match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            let admin = Database::connect(&base)
                .await
                .expect("connect to TEST_DATABASE_URL");
            let name = format!(
                "tollgate_svc_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.subsec_nanos())
                    .unwrap_or_default()
            );
            admin
                .execute_raw(Statement::from_string(
                    admin.get_database_backend(),
                    format!("CREATE DATABASE \"{name}\""),
                ))
                .await
                .expect("create test database");
            let (prefix, _) = base.rsplit_once('/').expect("database URL has a path");
            format!("{prefix}/{name}")
        }
        _ => "sqlite::memory:".to_string(),
    };
    let mut options = ConnectOptions::new(url.clone());
    options.sqlx_logging(false);
    if url.starts_with("sqlite") {
        // One connection: every connection to :memory: is its own database.
        options.max_connections(1).min_connections(1);
    } else {
        options.max_connections(4);
    }
    let db = Database::connect(options).await.expect("connect");
    Migrator::up(&db, None).await.expect("migrate");
    db
}

pub async fn user(db: &DatabaseConnection, email: &str, role: Role) -> CurrentUser {
    let u = app::users::service::create_user(
        db,
        None,
        NewUser {
            email: email.into(),
            name: email.into(),
            role: role.as_str().into(),
            password: PASSWORD.into(),
        },
    )
    .await
    .expect("user");
    u.as_current()
}

pub fn form(name: &str, owner: i32) -> IntegrationForm {
    IntegrationForm {
        name: name.into(),
        slug: String::new(),
        provider: "Acme".into(),
        category: "payments".into(),
        owner_id: owner.to_string(),
        business_objective: "Something measurable.".into(),
        priority: "medium".into(),
        tags: String::new(),
    }
}

/// The field names of a validation error (panics on any other error).
pub fn fields(err: app::error::AppError) -> Vec<String> {
    match err {
        app::error::AppError::Validation(f) => f.0.into_iter().map(|(k, _)| k).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// What the gate to testing asks for beyond the sandbox: a reviewed mapping and checklists
/// with no open item (every template item done).
pub async fn wired(db: &DatabaseConnection, actor: &CurrentUser, integration_id: i32) {
    use app::implementation::{checklist_service, mapping::MappingRowForm, mapping_service};
    let row = MappingRowForm {
        source_pointer: "/data/object/amount".into(),
        target_field: "payment.amount".into(),
        transform: "cents_to_decimal".into(),
        required: "on".into(),
        ..Default::default()
    };
    mapping_service::create(db, actor, integration_id, &row)
        .await
        .expect("mapping row");
    mapping_service::review(db, actor, integration_id)
        .await
        .expect("review");
    checklist_service::apply_template(db, actor, integration_id)
        .await
        .expect("template");
    let slug = app::integrations::lookup::integration_by_id(db, integration_id)
        .await
        .expect("integration")
        .slug;
    for item in checklist_service::page(db, &slug)
        .await
        .expect("page")
        .items
    {
        let mut form = item.form();
        form.status = "done".into();
        checklist_service::update(db, actor, item.id, &form)
            .await
            .expect("done");
    }
}

/// Records one successful health check of environment `env` at `at` through the monitoring
/// service's history import: the evidence the sandbox and production gates ask for.
pub async fn checked_at(
    db: &DatabaseConnection,
    env: i32,
    at: chrono::DateTime<chrono::Utc>,
    up: bool,
) {
    app::monitoring::service::import_history(db, env, &[(at, 42, up)], 3)
        .await
        .expect("check recorded");
}

/// A milestone of integration `integration` titled `title`, due `due`, in `status`: its id.
pub async fn milestone(
    db: &DatabaseConnection,
    integration: i32,
    title: &str,
    due: chrono::NaiveDate,
    status: app::planning::model::MilestoneStatus,
) -> i32 {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    app::entities::milestones::ActiveModel {
        integration_id: Set(integration),
        title: Set(title.into()),
        description: Set(String::new()),
        stage: Set(app::integrations::model::Stage::Planning),
        due_date: Set(due),
        status: Set(status),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("milestone")
    .id
}

/// An incident titled `title` opened by hand on integration `integration_id` (by an admin made
/// for it): the change that emits `incident.opened`.
pub async fn incident(db: &DatabaseConnection, integration_id: i32, title: &str) {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let admin = user(db, &format!("incident-admin-{n}@example.com"), Role::Admin).await;
    app::monitoring::incidents::create(
        db,
        &admin,
        integration_id,
        &app::monitoring::model::IncidentForm {
            title: title.into(),
            severity: "major".into(),
            environment_id: String::new(),
            note: "Since 09:00.".into(),
        },
    )
    .await
    .expect("incident");
}

/// An admin, the integration Stripe and its environment `production`.
pub async fn production(db: &DatabaseConnection) -> (app::auth::model::CurrentUser, i32) {
    let admin = user(db, "admin@example.com", Role::Admin).await;
    let i = app::integrations::service::create(db, &admin, &form("Stripe", admin.id))
        .await
        .expect("integration");
    let env_id = app::implementation::service::create(
        db,
        &admin,
        i.id,
        &app::implementation::model::EnvironmentForm {
            name: "production".into(),
            base_url: "https://api.example.com".into(),
            auth_scheme: "bearer".into(),
            ..Default::default()
        },
    )
    .await
    .expect("environment");
    (admin, env_id)
}
