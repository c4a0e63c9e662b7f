//! (ssr) The test plan and its cases. QA and admins write them; everyone signed in reads. A
//! change to a required case supersedes the live sign-offs of the plan's runs, in the same
//! transaction.

use crate::auth::access::Action;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionSession, TransactionTrait,
};
use serde_json::json;

use super::model::{
    Browser, CaseCategory, Device, TestCase, TestCaseForm, TestPlan, TestPlanForm, TestPlanView,
    TestingOverview, joined,
};
use super::plans::{cases_of, names, plan_of, plan_wire};
use super::templates::template;
use crate::activity::service::{self as activity};
use crate::auth::model::CurrentUser;
use crate::entities::{objectives, test_cases, test_plans};
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::lookup::{integration, integration_by_id, reference};
use crate::integrations::model::Priority;
use crate::paging::Paged;
use crate::records;
use crate::validate::{id_list, ids_of, optional, required};

fn join<T: Copy>(values: &[T], name: fn(T) -> &'static str) -> String {
    let mut v: Vec<&str> = values.iter().map(|x| name(*x)).collect();
    v.dedup();
    v.join(",")
}

/// The plan, made on first write (Chrome on desktop, functional cases required).
async fn ensure_plan(txn: &impl ConnectionTrait, integration_id: i32) -> Result<test_plans::Model> {
    if let Some(p) = plan_of(txn, integration_id).await? {
        return Ok(p);
    }
    let now = Utc::now();
    Ok(test_plans::ActiveModel {
        integration_id: Set(integration_id),
        browsers: Set("chrome".into()),
        devices: Set("desktop".into()),
        required_categories: Set("functional".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

fn case_wire(m: test_cases::Model) -> Result<TestCase> {
    Ok(TestCase {
        id: m.id,
        category: m.category,
        priority: m.priority,
        objective_ids: ids_of(&m.objective_ids).collect(),
        operation_ids: ids_of(&m.operation_ids).collect(),
        retest_reason: m.retest_reason,
        key: m.key,
        title: m.title,
        preconditions: m.preconditions,
        steps: m.steps,
        expected: m.expected,
        required: m.required,
        template_key: m.template_key,
        position: m.position,
    })
}

/// The test plan page of integration `slug`.
///
/// # Errors
/// `NotFound`.
pub async fn page(db: &impl ConnectionTrait, slug: &str) -> Result<TestPlanView> {
    let i = integration(db, slug).await?;
    let (plan, cases) = match plan_of(db, i.id).await? {
        Some(p) => (plan_wire(&p), cases_of(db, p.id).await?),
        None => (
            TestPlan {
                id: 0,
                browsers: vec![Browser::Chrome],
                devices: vec![Device::Desktop],
                required_categories: vec![CaseCategory::Functional],
            },
            Vec::new(),
        ),
    };
    let template_missing = template(i.category)
        .iter()
        .filter(|t| {
            !cases
                .iter()
                .any(|c| c.template_key.as_deref() == Some(t.key))
        })
        .count();
    Ok(TestPlanView {
        integration: reference(&i),
        plan,
        cases: cases.into_iter().map(case_wire).collect::<Result<_>>()?,
        template_missing,
    })
}

/// Saves the plan's configuration matrix and required categories.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation`.
pub async fn save_plan(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &TestPlanForm,
) -> Result<()> {
    actor.may(Action::WriteTests)?;
    let mut e = FieldErrors::default();
    let browsers = names(
        &mut e,
        "browsers",
        &form.browsers,
        Browser::parse,
        &Browser::names(),
    );
    let devices = names(
        &mut e,
        "devices",
        &form.devices,
        Device::parse,
        &Device::names(),
    );
    if browsers.is_empty() && e.get("browsers").is_none() {
        e.add("browsers", "Choose at least one browser.");
    }
    if devices.is_empty() && e.get("devices").is_none() {
        e.add("devices", "Choose at least one device.");
    }
    let categories = names(
        &mut e,
        "required_categories",
        &form.required_categories,
        CaseCategory::parse,
        &CaseCategory::names(),
    );
    e.into_result()?;
    let txn = activity::begin(db).await?;
    integration_by_id(&txn, integration_id).await?;
    let before = ensure_plan(&txn, integration_id).await?;
    let mut active: test_plans::ActiveModel = before.clone().into();
    active.browsers = Set(join(&browsers, Browser::as_str));
    active.devices = Set(join(&devices, Device::as_str));
    active.required_categories = Set(join(&categories, CaseCategory::as_str));
    active.updated_at = Set(Utc::now());
    records::save::<test_plans::Entity>(&txn, actor, "update", &before, active).await?;
    txn.commit().await?;
    Ok(())
}

crate::integration_record!(test_plans, "test_plan", |m| {
    json!({"browsers": m.browsers, "devices": m.devices, "required_categories": m.required_categories})
});

crate::filed_record!(test_cases, CASE_KIND, |m| { snapshot(m) });

fn snapshot(m: &test_cases::Model) -> serde_json::Value {
    json!({
        "key": m.key, "title": m.title, "category": m.category, "priority": m.priority,
        "required": m.required, "preconditions": m.preconditions, "steps": m.steps,
        "expected": m.expected, "objective_ids": m.objective_ids,
        "operation_ids": m.operation_ids,
    })
}

const CASE_KIND: &str = "test_case";

struct Valid {
    key: String,
    title: String,
    category: CaseCategory,
    preconditions: String,
    steps: String,
    expected: String,
    priority: Priority,
    required: bool,
    objective_ids: Vec<i32>,
    operation_ids: Vec<i32>,
}

/// A key from a title: lowercase words joined by dots' cousin, the underscore.
fn key_from(title: &str) -> String {
    title
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

fn validate(form: &TestCaseForm) -> Result<Valid> {
    let mut e = FieldErrors::default();
    let title = required(&mut e, "title", &form.title, "what the case checks", 200);
    let key = if form.key.trim().is_empty() {
        key_from(&title)
    } else {
        optional(&mut e, "key", &form.key, 120)
    };
    if !key.is_empty()
        && !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-:/".contains(c))
    {
        e.add(
            "key",
            "Use letters, digits and . _ - : / only, so automation can name it.",
        );
    }
    let category = CaseCategory::parse(form.category.trim());
    if category.is_none() {
        e.add(
            "category",
            format!("Choose one of: {}.", CaseCategory::names()),
        );
    }
    let priority = if form.priority.trim().is_empty() {
        Some(Priority::Medium)
    } else {
        Priority::parse(form.priority.trim())
    };
    if priority.is_none() {
        e.add("priority", format!("Choose one of: {}.", Priority::names()));
    }
    let preconditions = optional(&mut e, "preconditions", &form.preconditions, 4000);
    let steps = optional(&mut e, "steps", &form.steps, 8000);
    let expected = optional(&mut e, "expected", &form.expected, 4000);
    let objective_ids = id_list(&mut e, "objective_ids", &form.objective_ids);
    let operation_ids = id_list(&mut e, "operation_ids", &form.operation_ids);
    e.into_result()?;
    Ok(Valid {
        key,
        title,
        category: category.unwrap_or(CaseCategory::Functional),
        preconditions,
        steps,
        expected,
        priority: priority.unwrap_or(Priority::Medium),
        required: matches!(
            form.required.trim().to_ascii_lowercase().as_str(),
            "on" | "true" | "yes" | "1"
        ),
        objective_ids,
        operation_ids,
    })
}

async fn check_case(
    txn: &impl ConnectionTrait,
    integration_id: i32,
    plan_id: i32,
    except: Option<i32>,
    v: &Valid,
) -> Result<()> {
    if cases_of(txn, plan_id)
        .await?
        .iter()
        .any(|c| Some(c.id) != except && c.key == v.key)
    {
        return Err(AppError::field(
            "key",
            format!("Another case already has the key {}.", v.key),
        ));
    }
    if !v.objective_ids.is_empty() {
        let found = objectives::Entity::find()
            .filter(objectives::Column::Id.is_in(v.objective_ids.clone()))
            .filter(objectives::Column::IntegrationId.eq(integration_id))
            .all(txn)
            .await?;
        if found.len() != v.objective_ids.len() {
            return Err(AppError::field(
                "objective_ids",
                "Link only this integration's objectives.",
            ));
        }
    }
    if !v.operation_ids.is_empty() {
        let used = super::plans::operations_used(txn, integration_id).await?;
        if v.operation_ids
            .iter()
            .any(|id| !used.iter().any(|(u, _)| u == id))
        {
            return Err(AppError::field(
                "operation_ids",
                "Link only operations this integration uses.",
            ));
        }
    }
    Ok(())
}

fn apply(active: &mut test_cases::ActiveModel, v: Valid) {
    active.key = Set(v.key);
    active.title = Set(v.title);
    active.category = Set(v.category);
    active.preconditions = Set(v.preconditions);
    active.steps = Set(v.steps);
    active.expected = Set(v.expected);
    active.priority = Set(v.priority);
    active.required = Set(v.required);
    active.objective_ids = Set(joined(&v.objective_ids));
    active.operation_ids = Set(joined(&v.operation_ids));
    active.updated_at = Set(Utc::now());
}

fn new_case(plan_id: i32, position: i32, template_key: Option<String>) -> test_cases::ActiveModel {
    test_cases::ActiveModel {
        plan_id: Set(plan_id),
        position: Set(position),
        template_key: Set(template_key),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
}

/// Adds a case to the plan of integration `integration_id`.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation`.
pub async fn create_case(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &TestCaseForm,
) -> Result<i32> {
    actor.may(Action::WriteTests)?;
    let v = validate(form)?;
    let txn = activity::begin(db).await?;
    integration_by_id(&txn, integration_id).await?;
    let plan = ensure_plan(&txn, integration_id).await?;
    check_case(&txn, integration_id, plan.id, None, &v).await?;
    let required = v.required;
    let last = cases_of(&txn, plan.id)
        .await?
        .last()
        .map_or(0, |c| c.position);
    let mut active = new_case(plan.id, last + 1, None);
    apply(&mut active, v);
    let m =
        records::insert_under::<test_cases::Entity>(&txn, actor, "create", integration_id, active)
            .await?;
    if required {
        super::signoffs::supersede_plan(
            &txn,
            actor,
            plan.id,
            &format!("Required case {} was added to the plan.", m.key),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(m.id)
}

/// Adds the template cases of the integration's category that are not in the plan (all
/// required); cases already there stay as they are.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn apply_template(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
) -> Result<usize> {
    actor.may(Action::WriteTests)?;
    let txn = activity::begin(db).await?;
    let i = integration_by_id(&txn, integration_id).await?;
    let plan = ensure_plan(&txn, integration_id).await?;
    let existing = cases_of(&txn, plan.id).await?;
    let mut position = existing.last().map_or(0, |c| c.position);
    let mut added = 0;
    for t in template(i.category) {
        if existing
            .iter()
            .any(|c| c.template_key.as_deref() == Some(t.key) || c.key == t.key)
        {
            continue;
        }
        position += 1;
        let mut active = new_case(plan.id, position, Some(t.key.into()));
        apply(
            &mut active,
            Valid {
                key: t.key.into(),
                title: t.title.into(),
                category: t.category,
                preconditions: String::new(),
                steps: String::new(),
                expected: t.expected.into(),
                priority: Priority::High,
                required: true,
                objective_ids: Vec::new(),
                operation_ids: Vec::new(),
            },
        );
        records::insert_under::<test_cases::Entity>(&txn, actor, "create", integration_id, active)
            .await?;
        added += 1;
    }
    if added > 0 {
        super::signoffs::supersede_plan(
            &txn,
            actor,
            plan.id,
            &format!("{added} required case(s) were added from the template."),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(added)
}

async fn case_and_integration(
    txn: &impl ConnectionTrait,
    id: i32,
) -> Result<(test_cases::Model, i32)> {
    let c = test_cases::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let plan = test_plans::Entity::find_by_id(c.plan_id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((c, plan.integration_id))
}

/// One case.
///
/// # Errors
/// `NotFound`.
pub async fn get_case(db: &impl ConnectionTrait, id: i32) -> Result<TestCase> {
    case_wire(
        test_cases::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?,
    )
}

/// Edits a case. Editing a required case (or making one required) supersedes the plan's
/// live sign-offs.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation`.
pub async fn update_case(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    form: &TestCaseForm,
) -> Result<()> {
    actor.may(Action::WriteTests)?;
    let v = validate(form)?;
    let txn = activity::begin(db).await?;
    let (before, integration_id) = case_and_integration(&txn, id).await?;
    check_case(&txn, integration_id, before.plan_id, Some(id), &v).await?;
    let mut active: test_cases::ActiveModel = before.clone().into();
    apply(&mut active, v);
    let after = records::save_under::<test_cases::Entity>(
        &txn,
        actor,
        "update",
        integration_id,
        &before,
        active,
    )
    .await?;
    let changed = snapshot(&before) != snapshot(&after);
    if changed && (before.required || after.required) {
        super::signoffs::supersede_plan(
            &txn,
            actor,
            after.plan_id,
            &format!("Required case {} changed.", after.key),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Deletes a case with its executions; deleting a required case supersedes the plan's live
/// sign-offs.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn delete_case(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    actor.may(Action::WriteTests)?;
    let txn = activity::begin(db).await?;
    let (before, integration_id) = case_and_integration(&txn, id).await?;
    super::signoffs::supersede_case(&txn, actor, &before).await?;
    records::remove_under::<test_cases::Entity>(&txn, actor, integration_id, before).await?;
    txn.commit().await?;
    Ok(())
}

/// Runs, and defects, a page of the testing page lists.
pub const PER_PAGE: u64 = 20;

/// The testing page of integration `slug`: the plan, page `runs_page` of the runs (newest
/// first) and `defects_page` of the defects, and the environments and objectives its forms
/// offer.
///
/// # Errors
/// `NotFound`.
pub async fn overview(
    db: &impl ConnectionTrait,
    slug: &str,
    runs_page: u64,
    defects_page: u64,
) -> Result<TestingOverview> {
    let plan = page(db, slug).await?;
    let integration_id = plan.integration.id;
    let environments = crate::entities::environments::Entity::find()
        .filter(crate::entities::environments::Column::IntegrationId.eq(integration_id))
        .order_by_asc(crate::entities::environments::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    let objectives = crate::planning::service::objectives::for_integration(db, integration_id)
        .await?
        .into_iter()
        .map(|o| (o.id, o.description))
        .collect();
    let operations = super::plans::operations_used(db, integration_id).await?;
    Ok(TestingOverview {
        runs: super::runs::summaries_page(db, slug, PER_PAGE, runs_page).await?,
        defects: Paged::cut(
            super::defects::list(db, slug).await?,
            PER_PAGE,
            defects_page,
        ),
        plan,
        environments,
        objectives,
        operations,
    })
}
