//! REST API v1. Every route is registered once, in [`Api::routes`], through a builder that
//! also lists it, so a test can compare the router with the OpenAPI document generated from
//! the handlers' annotations ([`ApiDoc`]), both ways. Conventions:
//! - a caller is a bearer token or the browser session ([`auth::Caller`]);
//! - errors are RFC 9457 problem details ([`problem`]);
//! - single resources carry an `ETag` that `If-Match` is checked against; lists carry `Link`
//!   and `X-Total-Count` ([`reply`]);
//! - bodies are capped at 1 MiB and tokens are rate limited ([`limit`]).

pub mod audits;
pub mod auth;
pub mod dashboard;
pub mod events;
pub mod implementation;
pub mod integrations;
pub mod limit;
pub mod people;
pub mod planning;
pub mod problem;
pub mod records;
pub mod reply;
pub mod specs;
pub mod testing;

use axum::Extension;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, Query};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, on};
use axum::{Json, Router, middleware};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, RefOr, ResponseBuilder};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};

use app::auth::access::Action;
use app::state::AppState;
use problem::{ApiError, Problem};

/// The path of the OpenAPI document.
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

/// The `{slug}` of an integration in a path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct Slug {
    /// The integration's slug, such as `stripe-payments`.
    pub slug: String,
}

/// The `{id}` of a record in a path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct Id {
    /// The record's id.
    pub id: i32,
}

/// Path parameters; one that does not parse names no record, so it is a 404.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| ApiPath(v))
            .map_err(|e| {
                ApiError::http(
                    StatusCode::NOT_FOUND,
                    format!("No such record: {}.", e.body_text()),
                )
            })
    }
}

/// Query parameters; a malformed query string is a 400.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|e| ApiError::http(StatusCode::BAD_REQUEST, e.body_text()))
    }
}

/// The API's router, and the (method, path, action) of every route in it.
pub struct Api {
    router: Router<AppState>,
    routes: Vec<(Method, &'static str, Action)>,
}

impl Api {
    fn new() -> Self {
        Self {
            router: Router::new(),
            routes: Vec::new(),
        }
    }

    /// Adds a route that needs `action` (checked by [`auth::Caller`] before the body is
    /// read) and takes a body of up to `limit` bytes.
    fn route<H, T>(
        mut self,
        method: Method,
        path: &'static str,
        action: Action,
        handler: H,
        limit: usize,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
        let route = crate::guards::capped(on(filter, handler), limit).layer(Extension(action));
        self.router = self.router.route(path, route);
        self.routes.push((method, path, action));
        self
    }

    fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, a: Action, h: H) -> Self {
        self.route(Method::GET, path, a, h, app::limits::BODY_BYTES)
    }
    fn post<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        a: Action,
        h: H,
    ) -> Self {
        self.route(Method::POST, path, a, h, app::limits::BODY_BYTES)
    }
    /// A POST whose body may exceed the API's 1 MiB default, up to `limit` bytes (a larger
    /// declared length is refused before it is read, as on every route).
    fn post_large<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        a: Action,
        h: H,
        limit: usize,
    ) -> Self {
        self.route(Method::POST, path, a, h, limit)
    }
    fn put<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, a: Action, h: H) -> Self {
        self.route(Method::PUT, path, a, h, app::limits::BODY_BYTES)
    }
    fn patch<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        a: Action,
        h: H,
    ) -> Self {
        self.route(Method::PATCH, path, a, h, app::limits::BODY_BYTES)
    }
    fn delete<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        a: Action,
        h: H,
    ) -> Self {
        self.route(Method::DELETE, path, a, h, app::limits::BODY_BYTES)
    }

    /// Every route of the API.
    pub fn routes() -> Self {
        use integrations as i;
        use people as p;
        use planning as pl;
        Self::new()
            .get(OPENAPI_PATH, Action::Public, openapi_json)
            .get("/api/v1/me", Action::Account, p::me)
            .get("/api/v1/users", Action::Administer, p::list_users)
            .post("/api/v1/users", Action::Administer, p::create_user)
            .patch("/api/v1/users/{id}", Action::Administer, p::update_user)
            .get("/api/v1/activity", Action::Read, p::activity)
            .get("/api/v1/integrations", Action::Read, i::list)
            .post("/api/v1/integrations", Action::EditIntegrations, i::create)
            .get("/api/v1/integrations/{slug}", Action::Read, i::get)
            .patch(
                "/api/v1/integrations/{slug}",
                Action::EditIntegrations,
                i::update,
            )
            .delete(
                "/api/v1/integrations/{slug}",
                Action::EditIntegrations,
                i::delete,
            )
            .get(
                "/api/v1/integrations/{slug}/lifecycle",
                Action::Read,
                i::lifecycle,
            )
            .post(
                "/api/v1/integrations/{slug}/transitions",
                Action::MoveStage,
                i::transition,
            )
            .get(
                "/api/v1/integrations/{slug}/objectives",
                Action::Read,
                pl::objective::list,
            )
            .post(
                "/api/v1/integrations/{slug}/objectives",
                Action::Plan,
                pl::objective::create,
            )
            .get("/api/v1/objectives/{id}", Action::Read, pl::objective::get)
            .patch(
                "/api/v1/objectives/{id}",
                Action::Plan,
                pl::objective::update,
            )
            .delete(
                "/api/v1/objectives/{id}",
                Action::Plan,
                pl::objective::delete,
            )
            .get(
                "/api/v1/integrations/{slug}/milestones",
                Action::Read,
                pl::milestone::list,
            )
            .post(
                "/api/v1/integrations/{slug}/milestones",
                Action::Plan,
                pl::milestone::create,
            )
            .get("/api/v1/milestones/{id}", Action::Read, pl::milestone::get)
            .patch(
                "/api/v1/milestones/{id}",
                Action::WorkAssigned,
                pl::milestone::update,
            )
            .delete(
                "/api/v1/milestones/{id}",
                Action::Plan,
                pl::milestone::delete,
            )
            .get(
                "/api/v1/integrations/{slug}/vendors",
                Action::Read,
                pl::candidate::list,
            )
            .post(
                "/api/v1/integrations/{slug}/vendors",
                Action::Plan,
                pl::candidate::create,
            )
            .get(
                "/api/v1/vendor-candidates/{id}",
                Action::Read,
                pl::candidate::get,
            )
            .patch(
                "/api/v1/vendor-candidates/{id}",
                Action::Plan,
                pl::candidate::update,
            )
            .delete(
                "/api/v1/vendor-candidates/{id}",
                Action::Plan,
                pl::candidate::delete,
            )
            .put(
                "/api/v1/vendor-candidates/{id}/scores",
                Action::Plan,
                pl::score,
            )
            .get("/api/v1/integrations/{slug}/plan", Action::Read, pl::plan)
            .put(
                "/api/v1/integrations/{slug}/plan",
                Action::Plan,
                pl::save_plan,
            )
            .post(
                "/api/v1/integrations/{slug}/plan/submit",
                Action::Plan,
                pl::submit_plan,
            )
            .post(
                "/api/v1/integrations/{slug}/plan/review",
                Action::ReviewPlan,
                pl::review_plan,
            )
            .get(
                "/api/v1/integrations/{slug}/meetings",
                Action::Read,
                pl::meeting::list,
            )
            .post(
                "/api/v1/integrations/{slug}/meetings",
                Action::Plan,
                pl::meeting::create,
            )
            .get("/api/v1/meetings/{id}", Action::Read, pl::meeting::get)
            .patch("/api/v1/meetings/{id}", Action::Plan, pl::meeting::update)
            .delete("/api/v1/meetings/{id}", Action::Plan, pl::meeting::delete)
            .post(
                "/api/v1/meetings/{id}/action-items",
                Action::Plan,
                pl::add_item,
            )
            .patch(
                "/api/v1/action-items/{id}",
                Action::WorkAssigned,
                pl::set_item_done,
            )
            .get(
                "/api/v1/integrations/{slug}/environments",
                Action::Read,
                implementation::environment::list,
            )
            .post(
                "/api/v1/integrations/{slug}/environments",
                Action::Build,
                implementation::environment::create,
            )
            .get(
                "/api/v1/environments/{id}",
                Action::Read,
                implementation::environment::get,
            )
            .patch(
                "/api/v1/environments/{id}",
                Action::Build,
                implementation::environment::update,
            )
            .delete(
                "/api/v1/environments/{id}",
                Action::Build,
                implementation::environment::delete,
            )
            .get(
                "/api/v1/integrations/{slug}/credentials",
                Action::ReadCredentials,
                implementation::credential::list,
            )
            .post(
                "/api/v1/integrations/{slug}/credentials",
                Action::Build,
                implementation::credential::create,
            )
            .get(
                "/api/v1/credentials/{id}",
                Action::ReadCredentials,
                implementation::credential::get,
            )
            .patch(
                "/api/v1/credentials/{id}",
                Action::Build,
                implementation::credential::update,
            )
            .delete(
                "/api/v1/credentials/{id}",
                Action::Build,
                implementation::credential::delete,
            )
            .post(
                "/api/v1/credentials/{id}/rotations",
                Action::Build,
                implementation::rotate,
            )
            .post(
                "/api/v1/credentials/{id}/grants",
                Action::Grant,
                implementation::grant,
            )
            .post(
                "/api/v1/grants/{id}/revocation",
                Action::Grant,
                implementation::revoke,
            )
            .get(
                "/api/v1/integrations/{slug}/mapping",
                Action::Read,
                implementation::mapping_row::list,
            )
            .post(
                "/api/v1/integrations/{slug}/mapping",
                Action::Build,
                implementation::mapping_row::create,
            )
            .get(
                "/api/v1/mapping-rows/{id}",
                Action::Read,
                implementation::mapping_row::get,
            )
            .patch(
                "/api/v1/mapping-rows/{id}",
                Action::Build,
                implementation::mapping_row::update,
            )
            .delete(
                "/api/v1/mapping-rows/{id}",
                Action::Build,
                implementation::mapping_row::delete,
            )
            .post(
                "/api/v1/integrations/{slug}/mapping/review",
                Action::Build,
                implementation::review_mapping,
            )
            .post(
                "/api/v1/integrations/{slug}/mapping/preview",
                Action::Read,
                implementation::preview_mapping,
            )
            .get(
                "/api/v1/integrations/{slug}/checklist-items",
                Action::Read,
                implementation::checklist_item::list,
            )
            .post(
                "/api/v1/integrations/{slug}/checklist-items",
                Action::Build,
                implementation::checklist_item::create,
            )
            .get(
                "/api/v1/checklist-items/{id}",
                Action::Read,
                implementation::checklist_item::get,
            )
            .patch(
                "/api/v1/checklist-items/{id}",
                Action::Build,
                implementation::checklist_item::update,
            )
            .delete(
                "/api/v1/checklist-items/{id}",
                Action::Build,
                implementation::checklist_item::delete,
            )
            .post(
                "/api/v1/integrations/{slug}/checklist-items/template",
                Action::Build,
                implementation::apply_template,
            )
            .get(
                "/api/v1/integrations/{slug}/test-plan",
                Action::Read,
                testing::plan,
            )
            .put(
                "/api/v1/integrations/{slug}/test-plan",
                Action::WriteTests,
                testing::save_plan,
            )
            .post(
                "/api/v1/integrations/{slug}/test-plan/template",
                Action::WriteTests,
                testing::apply_template,
            )
            .get(
                "/api/v1/integrations/{slug}/test-cases",
                Action::Read,
                testing::test_case::list,
            )
            .post(
                "/api/v1/integrations/{slug}/test-cases",
                Action::WriteTests,
                testing::test_case::create,
            )
            .get(
                "/api/v1/test-cases/{id}",
                Action::Read,
                testing::test_case::get,
            )
            .patch(
                "/api/v1/test-cases/{id}",
                Action::WriteTests,
                testing::test_case::update,
            )
            .delete(
                "/api/v1/test-cases/{id}",
                Action::WriteTests,
                testing::test_case::delete,
            )
            .get(
                "/api/v1/integrations/{slug}/test-runs",
                Action::Read,
                testing::list_runs,
            )
            .post(
                "/api/v1/integrations/{slug}/test-runs",
                Action::WriteTests,
                testing::create_run,
            )
            .get("/api/v1/test-runs/{id}", Action::Read, testing::get_run)
            .get(
                "/api/v1/test-runs/{id}/results.csv",
                Action::Read,
                testing::results_csv,
            )
            .get(
                "/api/v1/integrations/{slug}/audits",
                Action::Read,
                audits::audit::list,
            )
            .post(
                "/api/v1/integrations/{slug}/audits",
                Action::Plan,
                audits::audit::create,
            )
            .get("/api/v1/audits/{id}", Action::Read, audits::audit::get)
            .patch("/api/v1/audits/{id}", Action::Plan, audits::audit::update)
            .delete("/api/v1/audits/{id}", Action::Plan, audits::audit::delete)
            .post(
                "/api/v1/audits/{id}/runs",
                Action::Audit,
                audits::record_run,
            )
            .post(
                "/api/v1/audit-runs/{id}/findings",
                Action::Audit,
                audits::add_finding,
            )
            .post(
                "/api/v1/audit-findings/{id}/resolution",
                Action::Audit,
                audits::resolve_finding,
            )
            .get("/api/v1/dashboard", Action::Read, dashboard::dashboard)
            .get(
                "/api/v1/reports/portfolio.csv",
                Action::Read,
                dashboard::portfolio_csv,
            )
            .get(
                "/api/v1/reports/portfolio.md",
                Action::Read,
                dashboard::portfolio_markdown,
            )
            .get(
                "/api/v1/integrations/{slug}/overview",
                Action::Read,
                dashboard::overview,
            )
            .get(
                "/api/v1/integrations/{slug}/report.csv",
                Action::Read,
                dashboard::status_csv,
            )
            .get(
                "/api/v1/integrations/{slug}/report.md",
                Action::Read,
                dashboard::status_markdown,
            )
            .get(
                "/api/v1/integrations/{slug}/specs",
                Action::Read,
                specs::list,
            )
            .post_large(
                "/api/v1/integrations/{slug}/specs",
                Action::EditSpecs,
                specs::import,
                app::limits::SPEC_BYTES,
            )
            .post_large(
                "/api/v1/integrations/{slug}/events",
                Action::Build,
                events::ingest,
                app::limits::EVENT_BODY_BYTES,
            )
            .get(
                "/api/v1/integrations/{slug}/error-groups",
                Action::Read,
                events::groups,
            )
            .patch(
                "/api/v1/error-groups/{id}",
                Action::Build,
                events::set_status,
            )
            .get(
                "/api/v1/spec-versions/{id}/operations",
                Action::Read,
                specs::catalogue,
            )
            .get(
                "/api/v1/spec-versions/{id}/changes",
                Action::Read,
                specs::changes,
            )
            .put(
                "/api/v1/executions/{id}/result",
                Action::RecordResults,
                testing::record_result,
            )
            .post(
                "/api/v1/test-runs/{id}/signoffs",
                Action::WriteTests,
                testing::sign_off,
            )
            .post_large(
                "/api/v1/test-runs/{id}/junit",
                Action::RecordResults,
                testing::import_junit,
                app::limits::JUNIT_BYTES,
            )
            .get(
                "/api/v1/integrations/{slug}/defects",
                Action::Read,
                testing::defect::list,
            )
            .post(
                "/api/v1/integrations/{slug}/defects",
                Action::WriteTests,
                testing::defect::create,
            )
            .get("/api/v1/defects/{id}", Action::Read, testing::defect::get)
            .patch(
                "/api/v1/defects/{id}",
                Action::RecordResults,
                testing::defect::update,
            )
            .delete(
                "/api/v1/defects/{id}",
                Action::WriteTests,
                testing::defect::delete,
            )
    }

    /// The (method, path) of every route.
    pub fn table(&self) -> Vec<(String, String)> {
        self.routes
            .iter()
            .map(|(m, p, _)| (m.as_str().to_string(), (*p).to_string()))
            .collect()
    }

    /// The (method, path, action) of every route, for the authorisation matrix.
    pub fn actions(&self) -> &[(Method, &'static str, Action)] {
        &self.routes
    }

    /// The router: the routes, a 1 MiB body cap, the rate limit, and problem-detail answers
    /// for unknown paths under /api/v1.
    pub fn into_router(self, limiter: limit::RateLimiter) -> Router<AppState> {
        self.router
            .route("/api/v1/{*rest}", axum::routing::any(unknown))
            .layer(DefaultBodyLimit::max(app::limits::BODY_BYTES))
            .layer(middleware::from_fn_with_state(limiter, limit::limit))
    }
}

async fn unknown() -> ApiError {
    ApiError::http(
        StatusCode::NOT_FOUND,
        "There is no such API endpoint. The document is at /api/v1/openapi.json.",
    )
}

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "Meta", security(()),
    responses((status = 200, description = "This document.", content_type = "application/json")))]
pub async fn openapi_json() -> Response {
    Json(ApiDoc::openapi()).into_response()
}

/// The OpenAPI document, generated from the handlers' annotations.
#[derive(OpenApi)]
#[openapi(
    info(title = "Tollgate API", version = "1",
        description = "Plan, build, test and run third-party API integrations. Authenticate with a personal API token (`Authorization: Bearer tg_...`, created on your account page or with `tollgate token create`) or, from the browser, the session. Errors are RFC 9457 problem details. Request fields are strings, as a form sends them; the server validates them and names the field of any mistake (422)."),
    paths(
        openapi_json,
        people::me, people::list_users, people::create_user, people::update_user, people::activity,
        integrations::list, integrations::create, integrations::get, integrations::update,
        integrations::delete, integrations::lifecycle, integrations::transition,
        planning::objective::list, planning::objective::create, planning::objective::get,
        planning::objective::update, planning::objective::delete,
        planning::milestone::list, planning::milestone::create, planning::milestone::get,
        planning::milestone::update, planning::milestone::delete,
        planning::candidate::list, planning::candidate::create, planning::candidate::get,
        planning::candidate::update, planning::candidate::delete, planning::score,
        planning::plan, planning::save_plan, planning::submit_plan, planning::review_plan,
        planning::meeting::list, planning::meeting::create, planning::meeting::get,
        planning::meeting::update, planning::meeting::delete,
        planning::add_item, planning::set_item_done,
        implementation::environment::list, implementation::environment::create,
        implementation::environment::get, implementation::environment::update,
        implementation::environment::delete,
        implementation::credential::list, implementation::credential::create,
        implementation::credential::get, implementation::credential::update,
        implementation::credential::delete, implementation::rotate,
        implementation::grant, implementation::revoke,
        implementation::mapping_row::list, implementation::mapping_row::create,
        implementation::mapping_row::get, implementation::mapping_row::update,
        implementation::mapping_row::delete, implementation::review_mapping,
        implementation::preview_mapping,
        implementation::checklist_item::list, implementation::checklist_item::create,
        implementation::checklist_item::get, implementation::checklist_item::update,
        implementation::checklist_item::delete, implementation::apply_template,
        testing::plan, testing::save_plan, testing::apply_template,
        testing::test_case::list, testing::test_case::create, testing::test_case::get,
        testing::test_case::update, testing::test_case::delete,
        testing::list_runs, testing::create_run, testing::get_run, testing::record_result,
        testing::sign_off, testing::import_junit, testing::results_csv,
        dashboard::dashboard, dashboard::portfolio_csv, dashboard::portfolio_markdown,
        dashboard::overview, dashboard::status_csv, dashboard::status_markdown,
        specs::list, specs::import, specs::catalogue, specs::changes,
        events::ingest, events::groups, events::set_status,
        testing::defect::list, testing::defect::create, testing::defect::get,
        testing::defect::update, testing::defect::delete,
        audits::audit::list, audits::audit::create, audits::audit::get, audits::audit::update,
        audits::audit::delete, audits::record_run, audits::add_finding, audits::resolve_finding,
    ),
    components(schemas(Problem)),
    modifiers(&Conventions),
)]
pub struct ApiDoc;

/// Adds what every operation shares: the security schemes, and the error responses each
/// may give (all as problem details).
struct Conventions;

impl Modify for Conventions {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A personal API token, tg_..."))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::SESSION_COOKIE))),
        );
        let problem = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                            Problem::name(),
                        ))))
                        .build(),
                )
                .build()
        };
        for (path, item) in doc.paths.paths.iter_mut() {
            let public = path == OPENAPI_PATH;
            let ops = [
                (Method::GET, item.get.as_mut()),
                (Method::PUT, item.put.as_mut()),
                (Method::POST, item.post.as_mut()),
                (Method::DELETE, item.delete.as_mut()),
                (Method::PATCH, item.patch.as_mut()),
            ];
            for (method, op) in ops {
                let Some(op) = op else { continue };
                let mut errors: Vec<(&str, &str)> =
                    vec![("429", "Rate limited: wait for Retry-After seconds.")];
                if !public {
                    errors.push(("401", "No valid token or session."));
                    errors.push(("403", "Your role (or a read-only token, or a cross-site session write) does not allow this."));
                    errors.push(("404", "No such record."));
                    errors.push(("400", "Malformed request (JSON syntax, query string)."));
                    errors.push(("422", "Invalid fields; `errors` names each."));
                }
                if method != Method::GET && !public {
                    errors.push((
                        "409",
                        "Conflicts with the record's state (a closed gate lists `unmet`).",
                    ));
                    errors.push(("413", "The body is larger than 1 MiB."));
                    errors.push(("415", "The body is not JSON."));
                }
                if matches!(method, Method::PATCH | Method::PUT | Method::DELETE) {
                    errors.push(("412", "If-Match names an older version of the record."));
                }
                for (status, description) in errors {
                    op.responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| RefOr::T(problem(description)));
                }
                if public {
                    op.security = Some(Vec::new());
                }
            }
        }
        doc.security = Some(vec![
            utoipa::openapi::security::SecurityRequirement::new::<&str, [&str; 0], &str>(
                "token",
                [],
            ),
            utoipa::openapi::security::SecurityRequirement::new::<&str, [&str; 0], &str>(
                "session",
                [],
            ),
        ]);
    }
}

/// The interactive reference (Swagger UI, served from files built into the binary; no CDN).
pub fn reference() -> Router<AppState> {
    // The document itself is served by [`openapi_json`], one of the API's routes.
    Router::new().merge(
        utoipa_swagger_ui::SwaggerUi::new("/api/docs")
            .config(utoipa_swagger_ui::Config::from(OPENAPI_PATH)),
    )
}
