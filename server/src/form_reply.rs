//! How a plain form (an upload, the token form) that a page posted without WebAssembly is
//! answered when the service refuses it: back to the page, the message in the query.

use axum::response::{IntoResponse, Redirect, Response};

use app::components::query_value;
use app::error::AppError;

use crate::rest::problem::ApiError;

/// Where to go back to after a failed upload (or form): `page` with the error under `key`.
pub fn failed(page: &str, key: &str, e: AppError, fields: &[&str]) -> Response {
    match e {
        AppError::Validation(_) | AppError::Conflict(_) => {
            let message = fields
                .iter()
                .find_map(|f| e.field_message(f))
                .unwrap_or_else(|| e.form_message());
            let join = if page.contains('?') { '&' } else { '?' };
            Redirect::to(&format!("{page}{join}{key}={}", query_value(&message))).into_response()
        }
        e => ApiError::App(e).into_response(),
    }
}
