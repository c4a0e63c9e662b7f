//! File uploads from the pages, as plain multipart forms that work before (and without) the
//! WebAssembly: the browser posts, the handler calls the same service the REST API calls,
//! and answers with a redirect back to the page, carrying what happened in the query.

use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Extension, Router};

use crate::form_reply::failed;
use crate::guards::capped;
use app::auth::access::Action;
use app::components::query_value;
use app::error::AppError;
use app::state::AppState;
use app::testing::junit;

use crate::rest::ApiPath;
use crate::rest::auth::Caller;
use crate::rest::problem::ApiError;

/// How many unmatched names the redirect carries; the rest are counted.
const UNMATCHED_SHOWN: usize = 20;

/// The upload routes, with room for the largest file plus the multipart framing (a larger
/// declared length is refused before it is read).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/integrations/{slug}/runs/{id}/junit",
            capped(post(junit_upload), app::limits::JUNIT_BYTES + FRAMING)
                .layer(Extension(Action::RecordResults)),
        )
        .route(
            "/integrations/{slug}/specs/upload",
            capped(post(spec_upload), app::limits::SPEC_BYTES + FRAMING)
                .layer(Extension(Action::EditSpecs)),
        )
}

/// Room for the multipart framing around the file.
const FRAMING: usize = 64 * 1024;

/// An upload form: its text fields and its `file`.
struct Upload {
    fields: Vec<(String, String)>,
    file: Vec<u8>,
}

impl Upload {
    fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// Reads a multipart form whose `file` may be `max` bytes; `what` names the file expected.
async fn upload_of(
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
    max: usize,
    what: &str,
) -> Result<Upload, AppError> {
    let mut form = form.map_err(|_| AppError::field("file", "Send the file as a form upload."))?;
    let too_large = || {
        AppError::field(
            "file",
            format!("The file is larger than {} MB.", max / (1024 * 1024)),
        )
    };
    let mut fields = Vec::new();
    loop {
        let field = form.next_field().await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                AppError::field("file", "The upload was cut short; send the file again.")
            }
        })?;
        let Some(field) = field else {
            return Err(AppError::field("file", format!("Choose {what}.")));
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let bytes = field.bytes().await.map_err(|_| too_large())?;
            return Ok(Upload {
                fields,
                file: bytes.to_vec(),
            });
        }
        let text = field.text().await.map_err(|_| {
            AppError::field(&name, "This field was cut short; send the form again.")
        })?;
        fields.push((name, text));
    }
}

/// Imports an uploaded OpenAPI document as the next version of the named spec and goes back
/// to the specs page, saying what happened.
async fn spec_upload(
    c: Result<Caller, ApiError>,
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let page = format!("/integrations/{slug}/specs");
    let caller = match c {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let result = async {
        let i = app::integrations::lookup::integration(&state.db, &slug).await?;
        let upload = upload_of(form, app::limits::SPEC_BYTES, "an OpenAPI document").await?;
        app::specs::service::import(
            &state.db,
            &caller.user,
            i.id,
            upload.field("name"),
            &upload.file,
        )
        .await
    }
    .await;
    match result {
        Ok(r) => Redirect::to(&format!("{page}?{}", r.notice_query())).into_response(),
        Err(e) => failed(&page, "spec_error", e, &["name", "file"]),
    }
}

/// Imports an uploaded JUnit file into run `id` and goes back to the run's page.
async fn junit_upload(
    c: Result<Caller, ApiError>,
    State(state): State<AppState>,
    ApiPath((slug, id)): ApiPath<(String, i32)>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let page = format!("/integrations/{slug}/runs/{id}");
    let caller = match c {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let result = async {
        app::testing::runs::check_run_of(&state.db, &slug, id).await?;
        let upload = upload_of(form, app::limits::JUNIT_BYTES, "a JUnit XML file").await?;
        junit::import(&state.db, &caller.user, id, &upload.file).await
    }
    .await;
    match result {
        Ok(report) => {
            let mut to = format!(
                "{page}?test_cases={}&recorded={}",
                report.test_cases, report.recorded
            );
            for name in report.unmatched.iter().take(UNMATCHED_SHOWN) {
                to.push_str(&format!("&unmatched={}", query_value(name)));
            }
            if report.unmatched.len() > UNMATCHED_SHOWN {
                to.push_str(&format!(
                    "&unmatched_more={}",
                    report.unmatched.len() - UNMATCHED_SHOWN
                ));
            }
            Redirect::to(&to).into_response()
        }
        Err(e) => failed(&page, "junit_error", e, &["file"]),
    }
}
