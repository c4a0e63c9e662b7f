//! Server functions of the testing pages, each calling one service function, which checks the
//! role. Ids arrive as text, as HTML forms post them; checkbox groups arrive as `name[]`.

use leptos::prelude::*;

use super::model::{DefectForm, Execution, RunDetail, TestRunForm, TestingOverview};
#[cfg(feature = "ssr")]
use super::{
    defects,
    model::{ResultForm, TestCaseForm, TestPlanForm},
    runs, service, signoffs,
};
#[cfg(feature = "ssr")]
use crate::auth::session::require_signed_in;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::db;

#[cfg(feature = "ssr")]
use crate::validate::form_id as id;

#[cfg(feature = "ssr")]
fn joined(values: Option<Vec<String>>) -> String {
    values.unwrap_or_default().join(",")
}

/// The testing page of integration `slug`, with page `runs` of its runs and `defects` of its
/// defects (each from 1; the first when empty).
#[server(endpoint = "get_testing")]
pub async fn get_testing(
    slug: String,
    runs: String,
    defects: String,
) -> Result<TestingOverview, AppError> {
    require_signed_in().await?;
    let runs = crate::paging::page_number(Some(&runs))?;
    let defects = crate::paging::page_number(Some(&defects))?;
    service::overview(&db()?, &slug, runs, defects).await
}

/// Saves the plan's configuration matrix and required categories.
#[server(endpoint = "save_test_plan")]
pub async fn save_test_plan(
    integration_id: String,
    browsers: Option<Vec<String>>,
    devices: Option<Vec<String>>,
    required_categories: Option<Vec<String>>,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    let form = TestPlanForm {
        browsers: joined(browsers),
        devices: joined(devices),
        required_categories: joined(required_categories),
    };
    service::save_plan(
        &db()?,
        &actor,
        id("integration_id", &integration_id)?,
        &form,
    )
    .await
}

/// Adds the category's template cases that the plan lacks.
#[server(endpoint = "apply_test_template")]
pub async fn apply_test_template(integration_id: String) -> Result<usize, AppError> {
    let actor = require_signed_in().await?;
    service::apply_template(&db()?, &actor, id("integration_id", &integration_id)?).await
}

/// Adds a case to the plan of integration `integration_id` when `case_id` is blank, or edits
/// case `case_id`.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "save_test_case")]
pub async fn save_test_case(
    integration_id: String,
    case_id: String,
    key: String,
    title: String,
    category: String,
    preconditions: String,
    steps: String,
    expected: String,
    priority: String,
    required: Option<String>,
    objective_ids: Option<Vec<String>>,
    operation_ids: Option<Vec<String>>,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    let form = TestCaseForm {
        key,
        title,
        category,
        preconditions,
        steps,
        expected,
        priority,
        required: required.unwrap_or_default(),
        objective_ids: joined(objective_ids),
        operation_ids: joined(operation_ids),
    };
    let db = db()?;
    if case_id.trim().is_empty() {
        let integration_id = id("integration_id", &integration_id)?;
        service::create_case(&db, &actor, integration_id, &form).await?;
        Ok(())
    } else {
        service::update_case(&db, &actor, id("case_id", &case_id)?, &form).await
    }
}

/// Deletes case `id` with its executions.
#[server(endpoint = "delete_test_case")]
pub async fn delete_test_case(id: i32) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    service::delete_case(&db()?, &actor, id).await
}

/// Starts a run and opens its page.
#[server(endpoint = "create_test_run")]
pub async fn create_test_run(
    integration_id: String,
    #[server(flatten)] form: TestRunForm,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    let db = db()?;
    let integration_id = id("integration_id", &integration_id)?;
    let run = runs::create_run(&db, &actor, integration_id, &form).await?;
    let slug = crate::integrations::lookup::integration_by_id(&db, integration_id)
        .await?
        .slug;
    leptos_axum::redirect(&format!("/integrations/{slug}/runs/{run}"));
    Ok(())
}

/// Run `id` of integration `slug`.
#[server(endpoint = "get_test_run")]
pub async fn get_test_run(slug: String, id: i32) -> Result<RunDetail, AppError> {
    require_signed_in().await?;
    let db = db()?;
    runs::check_run_of(&db, &slug, id).await?;
    runs::run_page(&db, id).await
}

/// Records the result of execution `execution_id`; answers the execution as stored.
#[server(endpoint = "record_test_result")]
pub async fn record_test_result(
    execution_id: String,
    status: String,
    actual: String,
    notes: String,
    evidence: String,
) -> Result<Execution, AppError> {
    let actor = require_signed_in().await?;
    let db = db()?;
    let execution_id = id("execution_id", &execution_id)?;
    let form = ResultForm {
        status,
        actual,
        notes,
        evidence,
    };
    runs::record_result(&db, &actor, execution_id, &form).await?;
    runs::execution(&db, execution_id).await
}

/// Signs run `run_id` off.
#[server(endpoint = "sign_off_test_run")]
pub async fn sign_off_test_run(run_id: String, statement: String) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    signoffs::sign_off(&db()?, &actor, id("run_id", &run_id)?, &statement).await?;
    Ok(())
}

/// Files a defect against integration `integration_id`.
#[server(endpoint = "file_defect")]
pub async fn file_defect(
    integration_id: String,
    #[server(flatten)] form: DefectForm,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    defects::create(
        &db()?,
        &actor,
        id("integration_id", &integration_id)?,
        &form,
    )
    .await?;
    Ok(())
}

/// Edits defect `defect_id`.
#[server(endpoint = "update_defect")]
pub async fn update_defect(
    defect_id: String,
    #[server(flatten)] form: DefectForm,
) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    defects::update(&db()?, &actor, id("defect_id", &defect_id)?, &form).await
}

/// Deletes defect `id`.
#[server(endpoint = "delete_defect")]
pub async fn delete_defect(id: i32) -> Result<(), AppError> {
    let actor = require_signed_in().await?;
    defects::delete(&db()?, &actor, id).await
}
