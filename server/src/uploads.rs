//! File uploads from the pages, as plain multipart forms that work before (and without) the
//! WebAssembly: the browser posts, the handler calls the same service the REST API calls,
//! and answers with a redirect back to the page, carrying what happened in the query.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;

use app::error::AppError;
use app::state::AppState;
use app::testing::junit;

use crate::rest::ApiPath;
use crate::rest::auth::Caller;
use crate::rest::problem::ApiError;

/// How many unmatched names the redirect carries; the rest are counted.
const UNMATCHED_SHOWN: usize = 20;

/// The upload routes, with room for the largest file plus the multipart framing.
pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/integrations/{slug}/runs/{id}/junit",
        post(junit_upload).layer(DefaultBodyLimit::max(junit::MAX_BYTES + 64 * 1024)),
    )
}

/// Percent-encodes everything but unreserved characters, for a query value.
fn query_value(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Reads the `file` field of the form.
async fn file_of(mut form: Multipart) -> Result<Vec<u8>, AppError> {
    let too_large = || {
        AppError::field(
            "file",
            format!(
                "The file is larger than {} MB.",
                junit::MAX_BYTES / (1024 * 1024)
            ),
        )
    };
    loop {
        let field = form.next_field().await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                AppError::field("file", "The upload was cut short; send the file again.")
            }
        })?;
        let Some(field) = field else {
            return Err(AppError::field("file", "Choose a JUnit XML file."));
        };
        if field.name() == Some("file") {
            let bytes = field.bytes().await.map_err(|_| too_large())?;
            return Ok(bytes.to_vec());
        }
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
        let form = form.map_err(|_| AppError::field("file", "Send the file as a form upload."))?;
        let bytes = file_of(form).await?;
        junit::import(&state.db, &caller.user, id, &bytes).await
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
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let message = e.field_message("file").unwrap_or_else(|| e.form_message());
            Redirect::to(&format!("{page}?junit_error={}", query_value(&message))).into_response()
        }
        Err(e) => ApiError::App(e).into_response(),
    }
}
