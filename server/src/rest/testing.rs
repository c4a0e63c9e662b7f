//! The testing stage over REST: the test plan and its cases, runs and their results,
//! sign-offs, and defects. Every handler calls the service the pages call, which checks the
//! role.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use serde_json::Value;

use app::state::AppState;
use app::testing::junit::ImportReport;
use app::testing::model::{
    Defect, DefectForm, Execution, ResultForm, RunDetail, SignoffForm, TestCase, TestCaseForm,
    TestPlanForm, TestPlanView, TestRun, TestRunForm,
};
use app::testing::{defects, junit, runs, service as plans, signoffs};

use super::auth::Caller;
use super::problem::{ApiError, ApiJson};
use super::records::{child_resource, same};
use super::reply::{ApiResult, check_if_match, merge_form, no_content, paged, tagged};
use super::{ApiPath, ApiQuery, Id, PageQuery, Slug};

/// How many template cases were added.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CasesAdded {
    pub added: usize,
}

/// The integration's test plan: its configuration matrix, required categories and cases.
#[utoipa::path(get, path = "/api/v1/integrations/{slug}/test-plan", tag = "Testing", params(Slug),
    responses((status = 200, description = "The plan.", body = TestPlanView, headers(("etag" = String)))))]
pub async fn plan(
    _: Caller,
    State(state): State<AppState>,
    ApiPath(Slug { slug }): ApiPath<Slug>,
) -> ApiResult {
    let page = plans::page(&state.db, &slug).await?;
    Ok(tagged(StatusCode::OK, &page, &page))
}

/// Saves the plan's browsers, devices and required categories (QA and admins).
#[utoipa::path(put, path = "/api/v1/integrations/{slug}/test-plan", tag = "Testing", params(Slug),
    request_body = TestPlanForm,
    responses((status = 200, description = "Saved; the plan.", body = TestPlanView, headers(("etag" = String)))))]
pub async fn save_plan(
    c: Caller,
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(Slug { slug }): ApiPath<Slug>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let current = plans::page(&state.db, &slug).await?;
    check_if_match(&headers, &current)?;
    let form = merge_form(&TestPlanForm::default(), body)?;
    plans::save_plan(&state.db, &c.user, current.integration.id, &form).await?;
    let page = plans::page(&state.db, &slug).await?;
    Ok(tagged(StatusCode::OK, &page, &page))
}

/// Adds the category's template cases that are not in the plan (QA and admins).
#[utoipa::path(post, path = "/api/v1/integrations/{slug}/test-plan/template", tag = "Testing", params(Slug),
    responses((status = 200, description = "How many cases were added.", body = CasesAdded)))]
pub async fn apply_template(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Slug { slug }): ApiPath<Slug>,
) -> ApiResult {
    let integration = app::integrations::lookup::integration(&state.db, &slug).await?;
    let added = CasesAdded {
        added: plans::apply_template(&state.db, &c.user, integration.id).await?,
    };
    Ok(tagged(StatusCode::OK, &added, &added))
}

child_resource!(
    test_case,
    tag = "Testing",
    collection = "/api/v1/integrations/{slug}/test-cases",
    item = "/api/v1/test-cases/{id}",
    page = TestPlanView,
    record = TestCase,
    form = TestCaseForm,
    list = plans::page,
    create = plans::create_case,
    created_id = same,
    get = plans::get_case,
    update = plans::update_case,
    delete = plans::delete_case,
    what = "test case",
    editors = "QA and admins; a change to a required case supersedes live sign-offs"
);

/// One page of the integration's test runs (20 a page), newest first.
#[utoipa::path(get, path = "/api/v1/integrations/{slug}/test-runs", tag = "Testing", params(Slug, PageQuery),
    responses((status = 200, description = "One page of runs.", body = Vec<TestRun>,
        headers(("link" = String, description = "first, prev, next and last pages"),
                ("x-total-count" = u64, description = "runs in all")))))]
pub async fn list_runs(
    _: Caller,
    State(state): State<AppState>,
    uri: Uri,
    ApiPath(Slug { slug }): ApiPath<Slug>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult {
    let page = app::paging::page_number(query.page.as_deref())?;
    let found = runs::summaries_page(&state.db, &slug, plans::PER_PAGE, page).await?;
    let list: Vec<TestRun> = found.items.into_iter().map(|s| s.run).collect();
    Ok(paged(
        &list,
        &uri.to_string(),
        found.page,
        found.pages,
        found.total,
    ))
}

/// Starts a run: one execution per case, times the plan's configurations for compatibility
/// cases (QA and admins); 409 when the plan has no cases.
#[utoipa::path(post, path = "/api/v1/integrations/{slug}/test-runs", tag = "Testing", params(Slug),
    request_body = TestRunForm,
    responses((status = 201, description = "Started; the run with its executions.", body = RunDetail, headers(("etag" = String)))))]
pub async fn create_run(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Slug { slug }): ApiPath<Slug>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let form = merge_form(&TestRunForm::default(), body)?;
    let integration = app::integrations::lookup::integration(&state.db, &slug).await?;
    let id = runs::create_run(&state.db, &c.user, integration.id, &form).await?;
    let page = runs::run_page(&state.db, id).await?;
    Ok(tagged(StatusCode::CREATED, &page, &page))
}

/// One run: its executions, counts and sign-offs.
#[utoipa::path(get, path = "/api/v1/test-runs/{id}", tag = "Testing", params(Id),
    responses((status = 200, description = "The run.", body = RunDetail, headers(("etag" = String)))))]
pub async fn get_run(
    _: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult {
    let page = runs::run_page(&state.db, id).await?;
    Ok(tagged(StatusCode::OK, &page, &page))
}

/// Records an execution's result (QA, admins and engineers). A change supersedes the run's
/// live sign-off.
#[utoipa::path(put, path = "/api/v1/executions/{id}/result", tag = "Testing", params(Id),
    request_body = ResultForm,
    responses((status = 200, description = "Recorded; the execution.", body = Execution, headers(("etag" = String)))))]
pub async fn record_result(
    c: Caller,
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let current = runs::execution(&state.db, id).await?;
    check_if_match(&headers, &current)?;
    let form = merge_form(&ResultForm::default(), body)?;
    runs::record_result(&state.db, &c.user, id, &form).await?;
    let e = runs::execution(&state.db, id).await?;
    Ok(tagged(StatusCode::OK, &e, &e))
}

/// Signs a run off (QA and admins): keeps a SHA-256-hashed snapshot of every result; 409
/// while an execution is untested.
#[utoipa::path(post, path = "/api/v1/test-runs/{id}/signoffs", tag = "Testing", params(Id),
    request_body = SignoffForm,
    responses((status = 201, description = "Signed off; the run.", body = RunDetail, headers(("etag" = String)))))]
pub async fn sign_off(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let form = merge_form(&SignoffForm::default(), body)?;
    signoffs::sign_off(&state.db, &c.user, id, &form.statement).await?;
    let page = runs::run_page(&state.db, id).await?;
    Ok(tagged(StatusCode::CREATED, &page, &page))
}

child_resource!(
    defect,
    tag = "Testing",
    collection = "/api/v1/integrations/{slug}/defects",
    item = "/api/v1/defects/{id}",
    page = Vec<Defect>,
    record = Defect,
    form = DefectForm,
    list = defects::list,
    create = defects::create,
    created_id = same,
    get = defects::get,
    update = defects::update,
    delete = defects::delete,
    what = "defect",
    editors = "QA and admins file and delete; engineers update too; verifying needs a passed re-run"
);

/// Imports a JUnit XML report (cargo-nextest, pytest, Playwright, Maven Surefire) into a run
/// (QA, admins and engineers): test cases match plan cases by a `tollgate.case` property,
/// their name, `classname.name`, or a `[key]` at the end of the name; a
/// `tollgate.configuration` property narrows a result to one configuration. All or nothing;
/// unmatched test cases are listed. Up to 5 MB.
#[utoipa::path(post, path = "/api/v1/test-runs/{id}/junit", tag = "Testing", params(Id),
    request_body(content = String, content_type = "application/xml", description = "The JUnit XML file."),
    responses((status = 200, description = "What was recorded, and what matched nothing.", body = ImportReport)))]
pub async fn import_junit(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult {
    let bytes = body.map_err(|e| ApiError::http(e.status(), e.body_text()))?;
    let report = junit::import(&state.db, &c.user, id, &bytes).await?;
    Ok(tagged(StatusCode::OK, &report, &report))
}

/// A run's results as CSV, one line per execution with its defects (the summary report's
/// download). Text that a spreadsheet would run as a formula is defused.
#[utoipa::path(get, path = "/api/v1/test-runs/{id}/results.csv", tag = "Testing", params(Id),
    responses((status = 200, description = "The results.", content_type = "text/csv", body = String)))]
pub async fn results_csv(
    _: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let page = runs::run_page(&state.db, id).await?;
    let name = format!("attachment; filename=\"test-run-{id}.csv\"");
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_string(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, name),
        ],
        app::testing::report::csv(&page),
    )
        .into_response())
}
