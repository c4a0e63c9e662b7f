//! Errors as RFC 9457 problem details (`application/problem+json`), and the JSON body
//! extractor whose every failure is one: malformed JSON 400, wrong media type 415, too large
//! 413, a value of the wrong type 422 naming the field.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use app::error::AppError;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the status says what kind of problem it is.
    #[serde(rename = "type")]
    pub kind: String,
    /// The status's reason phrase.
    pub title: String,
    pub status: u16,
    /// What went wrong and what to do about it.
    pub detail: String,
    /// For 422: one message per invalid field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// For a 409 on a closed gate: the criteria still unmet.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unmet: Vec<String>,
}

/// One invalid field.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// An error a REST handler answers with.
#[derive(Debug)]
pub enum ApiError {
    /// A service error, with the status it names.
    App(AppError),
    /// A protocol-level error: precondition failed, payload too large, unsupported media
    /// type, method not allowed, rate limited (with the seconds to wait).
    Http {
        status: StatusCode,
        detail: String,
        retry_after: Option<u64>,
    },
}

impl ApiError {
    pub fn http(status: StatusCode, detail: impl Into<String>) -> Self {
        Self::Http {
            status,
            detail: detail.into(),
            retry_after: None,
        }
    }

    /// A 422 for one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::App(AppError::field(field, message))
    }
}

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        Self::App(err)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, detail, errors, unmet, retry_after) = match self {
            Self::App(err) => {
                let status =
                    StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let errors = match &err {
                    AppError::Validation(fields) => fields
                        .0
                        .iter()
                        .map(|(field, message)| FieldProblem {
                            field: field.clone(),
                            message: message.clone(),
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let unmet = match &err {
                    AppError::GateClosed { missing, .. } => missing.clone(),
                    _ => Vec::new(),
                };
                let retry_after = err.retry_after();
                (status, err.to_string(), errors, unmet, retry_after)
            }
            Self::Http {
                status,
                detail,
                retry_after,
            } => (status, detail, Vec::new(), Vec::new(), retry_after),
        };
        let body = Problem {
            kind: "about:blank".into(),
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail,
            errors,
            unmet,
        };
        let mut res = (status, axum::Json(body)).into_response();
        let headers = res.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"tollgate\""),
            );
        }
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        res
    }
}

/// Parses `bytes` as JSON into `T`: nesting or values beyond `app::limits` are 422 on `body`
/// (checked before anything is built), syntax errors 400 with line and column, values of
/// the wrong shape 422 naming the field (its path, such as `scores[2].score`).
///
/// # Errors
/// As described.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    app::limits::check_json(bytes, app::limits::BODY_NODES)
        .map_err(|e| ApiError::field("body", e.message("The body")))?;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(shape_error)?;
    de.end().map_err(|e| {
        ApiError::http(
            StatusCode::BAD_REQUEST,
            format!("Malformed JSON: {e}. Send one JSON value."),
        )
    })?;
    Ok(value)
}

/// Converts an already-parsed JSON value into `T`, naming the field of a wrong value.
///
/// # Errors
/// 422 naming the field.
pub fn convert<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(shape_error)
}

fn shape_error<E: std::fmt::Display + Classify>(err: serde_path_to_error::Error<E>) -> ApiError {
    let path = err.path().to_string();
    let inner = err.into_inner();
    if inner.is_syntax() {
        return ApiError::http(StatusCode::BAD_REQUEST, format!("Malformed JSON: {inner}."));
    }
    let field = if path == "." { "body" } else { path.as_str() };
    ApiError::field(field, inner.to_string())
}

/// Tells a syntax error (400) from a wrong value (422).
trait Classify {
    fn is_syntax(&self) -> bool;
}

impl Classify for serde_json::Error {
    fn is_syntax(&self) -> bool {
        matches!(
            self.classify(),
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof
        )
    }
}

/// A JSON request body whose every failure is a problem response (see the module docs).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .is_some_and(|v| v == "application/json" || v.ends_with("+json"));
        if !json {
            return Err(ApiError::http(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Send the body as JSON with Content-Type: application/json.",
            ));
        }
        // A body over the route's limit is answered by `guards::capped`, naming the limit.
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::http(e.status(), e.body_text()))?;
        parse(&bytes).map(ApiJson)
    }
}
