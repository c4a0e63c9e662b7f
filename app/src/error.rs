//! One error type for the whole application. Each variant says what the user can do about it
//! and knows its HTTP status; internal failures are logged in full on the server and reach the
//! client only as `Internal`, never as a database message.

use leptos::prelude::*;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Messages for individual form fields, in the order the form shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<(String, String)>);

impl FieldErrors {
    /// Adds a message for `field`.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push((field.to_string(), message.into()));
    }

    /// The first message for `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    /// Whether no field has a message.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when empty, otherwise the messages as a validation error.
    ///
    /// # Errors
    /// `AppError::Validation` carrying every message.
    pub fn into_result(self) -> Result<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self))
        }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        write!(f, "{}", parts.join("; "))
    }
}

/// Everything that can go wrong, phrased for the person who has to act on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("That page or record does not exist.")]
    NotFound,
    #[error("{0}")]
    Unauthorized(String),
    #[error("Your role does not allow this.")]
    Forbidden,
    #[error("Please correct the highlighted fields: {0}")]
    Validation(FieldErrors),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    /// A forward move whose gate has unmet criteria.
    #[error("The gate to {to} is closed. Still missing: {}.", missing.join("; "))]
    GateClosed { to: String, missing: Vec<String> },
    /// Refused for now; `retry_after` seconds later it may pass (answered with `Retry-After`).
    #[error("{message}")]
    TooManyAttempts { message: String, retry_after: u64 },
    /// The server is at capacity for this kind of work (password hashing); try again shortly.
    #[error("{message}")]
    Busy { message: String, retry_after: u64 },
    #[error("Something went wrong on our side. It has been logged.")]
    Internal,
}

/// The application's result type.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized(_) => 401,
            AppError::Forbidden => 403,
            AppError::Validation(_) | AppError::BadRequest(_) => 422,
            AppError::Conflict(_) | AppError::GateClosed { .. } => 409,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Busy { .. } => 503,
            AppError::Internal => 500,
        }
    }

    /// The seconds a client should wait before trying again, for `Retry-After`.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::TooManyAttempts { retry_after, .. } | AppError::Busy { retry_after, .. } => {
                Some(*retry_after)
            }
            _ => None,
        }
    }

    /// A validation error for a single field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::default();
        errors.add(field, message);
        AppError::Validation(errors)
    }

    /// The message for `field` when this is a validation error.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            AppError::Validation(errors) => errors.get(field).map(str::to_string),
            _ => None,
        }
    }

    /// A message for the top of a form: field errors are shown next to their fields instead.
    pub fn form_message(&self) -> String {
        match self {
            AppError::Validation(_) => "Please correct the fields marked below.".to_string(),
            other => other.to_string(),
        }
    }

    /// Logs an internal failure in full and returns the opaque error the client sees.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, err: impl std::fmt::Display) -> Self {
        tracing::error!(%err, "{context}");
        AppError::Internal
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::MissingArg(msg) => {
                AppError::BadRequest(format!("The request was malformed: {msg}"))
            }
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => {
                AppError::BadRequest("Could not reach the server. Check your connection.".into())
            }
            _ => AppError::Internal,
        }
    }
}

/// Whether `err` is a unique constraint refusing a duplicate (a taken slug or email, a row
/// another process inserted first): the one check, on SQLite and PostgreSQL alike.
#[cfg(feature = "ssr")]
pub fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        AppError::internal("database error", err)
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(e) => e.into(),
            sea_orm::TransactionError::Transaction(e) => e,
        }
    }
}

/// The one error page: 404, 403, 500 and the rest. During server rendering it also sets the
/// response status, so crawlers and scripts see the same thing a person does.
#[component]
pub fn ErrorTemplate(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
            options.set_status(
                http::StatusCode::from_u16(error.status())
                    .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
            );
        }
    }
    let title = match &error {
        AppError::NotFound => "Not found",
        AppError::Forbidden => "Not allowed",
        AppError::Unauthorized(_) => "Please sign in",
        AppError::GateClosed { .. } => "The gate is closed",
        AppError::Internal => "Something went wrong",
        _ => "That did not work",
    };
    let status = error.status();
    view! {
        <section class="error-page" aria-labelledby="error-title">
            <p class="error-code">{status}</p>
            <h1 id="error-title">{title}</h1>
            <p>{error.to_string()}</p>
            <p>
                <a href="/integrations">"Back to integrations"</a>
            </p>
        </section>
    }
}
