//! REST API v1. Every route is registered once, in [`Api::routes`], with its handler: the
//! handler's `#[utoipa::path]` gives the router its method and path and the OpenAPI document
//! its operation (`utoipa-axum`), so the two cannot disagree. Conventions:
//! - a caller is a bearer token or the browser session ([`auth::Caller`]);
//! - errors are RFC 9457 problem details ([`problem`]);
//! - single resources carry an `ETag` that `If-Match` is checked against; lists carry `Link`
//!   and `X-Total-Count` ([`reply`]);
//! - bodies are capped at 1 MiB and tokens are rate limited ([`limit`]).

pub mod audits;
pub mod auth;
pub mod dashboard;
pub mod events;
pub mod heartbeats;
pub mod implementation;
pub mod ingest;
pub mod integrations;
pub mod limit;
pub mod observed;
pub mod people;
pub mod planning;
pub mod problem;
pub mod records;
pub mod reply;
pub mod search;
pub mod specs;
pub mod testing;
pub mod webhooks;

use axum::Extension;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, Query};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router, middleware};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, RefOr, ResponseBuilder};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

use std::sync::LazyLock;

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

/// Which page of a list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The page, from 1 (the first when absent); a page past the end reads as the last.
    #[serde(default)]
    pub page: Option<String>,
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

/// The API's router with its document, and the (method, path, action) of every route in it.
pub struct Api {
    router: OpenApiRouter<AppState>,
    routes: Vec<(Method, String, Action)>,
}

impl Api {
    fn new() -> Self {
        Self {
            router: OpenApiRouter::with_openapi(ApiDoc::openapi()),
            routes: Vec::new(),
        }
    }

    /// Adds `route` (a handler from `routes!`: its `#[utoipa::path]` gives both the router's
    /// method and path and the document's operation, so the two cannot disagree), needing
    /// `action` (checked by [`auth::Caller`] before the body is read) and taking a body of up
    /// to `limit` bytes.
    fn add(mut self, action: Action, limit: usize, route: UtoipaMethodRouter<AppState>) -> Self {
        let (schemas, paths, method_router) = route;
        for (path, item) in &paths.paths {
            for method in methods(item) {
                self.routes.push((method, path.clone(), action));
            }
        }
        let method_router = crate::guards::capped(method_router, limit).layer(Extension(action));
        self.router = self.router.routes((schemas, paths, method_router));
        self
    }

    /// Adds `route` with the API's 1 MiB body cap.
    fn at(self, action: Action, route: UtoipaMethodRouter<AppState>) -> Self {
        self.add(action, app::limits::BODY_BYTES, route)
    }

    /// Adds a route whose body may exceed the API's 1 MiB default, up to `limit` bytes (a
    /// larger declared length is refused before it is read, as on every route).
    fn large(self, action: Action, limit: usize, route: UtoipaMethodRouter<AppState>) -> Self {
        self.add(action, limit, route)
    }

    /// Every route of the API.
    pub fn routes() -> Self {
        use integrations as i;
        use people as p;
        use planning as pl;
        Self::new()
            .at(Action::Public, routes!(openapi_json))
            .at(Action::Account, routes!(p::me))
            .at(Action::Administer, routes!(p::list_users))
            .at(Action::Administer, routes!(p::create_user))
            .at(Action::Administer, routes!(p::update_user))
            .at(Action::Read, routes!(p::activity))
            .at(Action::Read, routes!(search::search))
            .at(Action::Read, routes!(i::list))
            .at(Action::EditIntegrations, routes!(i::create))
            .at(Action::Read, routes!(i::get))
            .at(Action::EditIntegrations, routes!(i::update))
            .at(Action::EditIntegrations, routes!(i::delete))
            .at(Action::Read, routes!(i::lifecycle))
            .at(Action::MoveStage, routes!(i::transition))
            .at(Action::Read, routes!(pl::objective::list))
            .at(Action::Plan, routes!(pl::objective::create))
            .at(Action::Read, routes!(pl::objective::get))
            .at(Action::Plan, routes!(pl::objective::update))
            .at(Action::Plan, routes!(pl::objective::delete))
            .at(Action::Read, routes!(pl::milestone::list))
            .at(Action::Plan, routes!(pl::milestone::create))
            .at(Action::Read, routes!(pl::milestone::get))
            .at(Action::WorkAssigned, routes!(pl::milestone::update))
            .at(Action::Plan, routes!(pl::milestone::delete))
            .at(Action::Read, routes!(pl::candidate::list))
            .at(Action::Plan, routes!(pl::candidate::create))
            .at(Action::Read, routes!(pl::candidate::get))
            .at(Action::Plan, routes!(pl::candidate::update))
            .at(Action::Plan, routes!(pl::candidate::delete))
            .at(Action::Plan, routes!(pl::score))
            .at(Action::Read, routes!(pl::plan))
            .at(Action::Plan, routes!(pl::save_plan))
            .at(Action::Plan, routes!(pl::submit_plan))
            .at(Action::ReviewPlan, routes!(pl::review_plan))
            .at(Action::Read, routes!(pl::meeting::list))
            .at(Action::Plan, routes!(pl::meeting::create))
            .at(Action::Read, routes!(pl::meeting::get))
            .at(Action::Plan, routes!(pl::meeting::update))
            .at(Action::Plan, routes!(pl::meeting::delete))
            .at(Action::Plan, routes!(pl::add_item))
            .at(Action::WorkAssigned, routes!(pl::set_item_done))
            .at(Action::Read, routes!(implementation::environment::list))
            .at(Action::Build, routes!(implementation::environment::create))
            .at(Action::Read, routes!(implementation::environment::get))
            .at(Action::Build, routes!(implementation::environment::update))
            .at(Action::Build, routes!(implementation::environment::delete))
            .at(Action::Build, routes!(ingest::dsn))
            .at(Action::Build, routes!(ingest::rotate))
            .at(
                Action::ReadCredentials,
                routes!(implementation::credential::list),
            )
            .at(Action::Build, routes!(implementation::credential::create))
            .at(
                Action::ReadCredentials,
                routes!(implementation::credential::get),
            )
            .at(Action::Build, routes!(implementation::credential::update))
            .at(Action::Build, routes!(implementation::credential::delete))
            .at(Action::Build, routes!(implementation::rotate))
            .at(Action::Grant, routes!(implementation::grant))
            .at(Action::Grant, routes!(implementation::revoke))
            .at(Action::Read, routes!(implementation::mapping_row::list))
            .at(Action::Build, routes!(implementation::mapping_row::create))
            .at(Action::Read, routes!(implementation::mapping_row::get))
            .at(Action::Build, routes!(implementation::mapping_row::update))
            .at(Action::Build, routes!(implementation::mapping_row::delete))
            .at(Action::Build, routes!(implementation::review_mapping))
            .at(Action::Read, routes!(implementation::preview_mapping))
            .at(Action::Read, routes!(implementation::checklist_item::list))
            .at(
                Action::Build,
                routes!(implementation::checklist_item::create),
            )
            .at(Action::Read, routes!(implementation::checklist_item::get))
            .at(
                Action::Build,
                routes!(implementation::checklist_item::update),
            )
            .at(
                Action::Build,
                routes!(implementation::checklist_item::delete),
            )
            .at(Action::Build, routes!(implementation::apply_template))
            .at(Action::Read, routes!(testing::plan))
            .at(Action::WriteTests, routes!(testing::save_plan))
            .at(Action::WriteTests, routes!(testing::apply_template))
            .at(Action::Read, routes!(testing::test_case::list))
            .at(Action::WriteTests, routes!(testing::test_case::create))
            .at(Action::Read, routes!(testing::test_case::get))
            .at(Action::WriteTests, routes!(testing::test_case::update))
            .at(Action::WriteTests, routes!(testing::test_case::delete))
            .at(Action::Read, routes!(testing::list_runs))
            .at(Action::WriteTests, routes!(testing::create_run))
            .at(Action::Read, routes!(testing::get_run))
            .at(Action::Read, routes!(testing::results_csv))
            .at(Action::Read, routes!(audits::audit::list))
            .at(Action::Plan, routes!(audits::audit::create))
            .at(Action::Read, routes!(audits::audit::get))
            .at(Action::Plan, routes!(audits::audit::update))
            .at(Action::Plan, routes!(audits::audit::delete))
            .at(Action::Audit, routes!(audits::record_run))
            .at(Action::Audit, routes!(audits::add_finding))
            .at(Action::Audit, routes!(audits::resolve_finding))
            .at(Action::Read, routes!(dashboard::dashboard))
            .at(Action::Read, routes!(dashboard::portfolio_csv))
            .at(Action::Read, routes!(dashboard::portfolio_markdown))
            .at(Action::Read, routes!(dashboard::overview))
            .at(Action::Read, routes!(dashboard::status_csv))
            .at(Action::Read, routes!(dashboard::status_markdown))
            .at(Action::Read, routes!(specs::list))
            .large(
                Action::EditSpecs,
                app::limits::SPEC_BYTES,
                routes!(specs::import),
            )
            .large(
                Action::Build,
                app::limits::EVENT_BODY_BYTES,
                routes!(events::ingest),
            )
            .at(Action::Read, routes!(heartbeats::heartbeat::list))
            .at(Action::Build, routes!(heartbeats::heartbeat::create))
            .at(Action::Read, routes!(heartbeats::heartbeat::get))
            .at(Action::Build, routes!(heartbeats::heartbeat::update))
            .at(Action::Build, routes!(heartbeats::heartbeat::delete))
            .at(Action::Read, routes!(observed::observed_operations))
            .at(Action::Read, routes!(events::groups))
            .at(Action::Read, routes!(events::group))
            .at(Action::Build, routes!(events::set_status))
            .at(Action::Read, routes!(specs::catalogue))
            .at(Action::Read, routes!(specs::changes))
            .at(Action::RecordResults, routes!(testing::record_result))
            .at(Action::WriteTests, routes!(testing::sign_off))
            .large(
                Action::RecordResults,
                app::limits::JUNIT_BYTES,
                routes!(testing::import_junit),
            )
            .at(Action::Read, routes!(testing::defect::list))
            .at(Action::WriteTests, routes!(testing::defect::create))
            .at(Action::Read, routes!(testing::defect::get))
            .at(Action::RecordResults, routes!(testing::defect::update))
            .at(Action::WriteTests, routes!(testing::defect::delete))
            .at(Action::ManageWebhooks, routes!(webhooks::list))
            .at(Action::ManageWebhooks, routes!(webhooks::create))
            .at(Action::ManageWebhooks, routes!(webhooks::get))
            .at(Action::ManageWebhooks, routes!(webhooks::update))
            .at(Action::ManageWebhooks, routes!(webhooks::delete))
            .at(Action::ManageWebhooks, routes!(webhooks::rotate))
            .at(Action::ManageWebhooks, routes!(webhooks::test))
            .at(Action::ManageWebhooks, routes!(webhooks::deliveries))
            .at(Action::ManageWebhooks, routes!(webhooks::retry))
    }

    /// The (method, path, action) of every route, for the authorisation matrix.
    pub fn actions(&self) -> &[(Method, String, Action)] {
        &self.routes
    }

    /// The OpenAPI document of these routes, with what every operation shares.
    pub fn document(&self) -> utoipa::openapi::OpenApi {
        let mut doc = self.router.get_openapi().clone();
        Conventions.modify(&mut doc);
        doc.webhooks = Some(webhooks::catalogue());
        doc
    }

    /// The router: the routes, a 1 MiB body cap, the rate limit, and problem-detail answers
    /// for unknown paths under /api/v1.
    pub fn into_router(self, limiter: limit::RateLimiter) -> Router<AppState> {
        Router::from(self.router)
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
    static DOCUMENT: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(document);
    Json(&*DOCUMENT).into_response()
}

/// The OpenAPI document of the API.
pub fn document() -> utoipa::openapi::OpenApi {
    Api::routes().document()
}

/// The methods `item` has an operation for.
fn methods(item: &utoipa::openapi::PathItem) -> Vec<Method> {
    [
        (Method::GET, item.get.is_some()),
        (Method::PUT, item.put.is_some()),
        (Method::POST, item.post.is_some()),
        (Method::DELETE, item.delete.is_some()),
        (Method::PATCH, item.patch.is_some()),
    ]
    .into_iter()
    .filter_map(|(m, has)| has.then_some(m))
    .collect()
}

/// What the OpenAPI document says besides its operations (which each route adds as it is
/// registered, from its handler's annotation).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tollgate API",
        version = "1",
        description = "Plan, build, test and run third-party API integrations. Authenticate with a personal API token (`Authorization: Bearer tg_...`, created on your account page or with `tollgate token create`) or, from the browser, the session. Errors are RFC 9457 problem details. Request fields are strings, as a form sends them; the server validates them and names the field of any mistake (422)."
    ),
    components(schemas(Problem))
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
