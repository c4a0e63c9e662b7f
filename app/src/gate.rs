//! (ssr) What a gate criterion is and what its check finds: the types every stage's criteria
//! are written in (`planning::gates`, `implementation::gates`, `testing::gates`) and that the
//! lifecycle's registry (`lifecycle::gates`) and engine read. A leaf: it names no stage.

use std::future::Future;
use std::pin::Pin;

use sea_orm::DatabaseTransaction;

use crate::entities::integrations;
use crate::error::Result;

/// What a criterion found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub met: bool,
    /// One line: what was found, or what is missing.
    pub explanation: String,
}

impl Outcome {
    /// A met criterion.
    pub fn met(explanation: impl Into<String>) -> Self {
        Outcome {
            met: true,
            explanation: explanation.into(),
        }
    }

    /// An unmet criterion.
    pub fn unmet(explanation: impl Into<String>) -> Self {
        Outcome {
            met: false,
            explanation: explanation.into(),
        }
    }
}

/// A boxed future borrowing the transaction and the integration.
pub type CheckFuture<'a> = Pin<Box<dyn Future<Output = Result<Outcome>> + Send + 'a>>;

/// A criterion's check: a function of the database state, read inside the caller's
/// transaction so that a move sees exactly what it commits against.
pub type Check = for<'a> fn(
    &'a DatabaseTransaction,
    &'a integrations::Model,
    &'a GateContext,
) -> CheckFuture<'a>;

/// What the instance's settings say the criteria ask for, handed to every check (from the
/// application state; the default in tests and the demo).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GateContext {
    /// How many consecutive successful production health checks the gate to live asks for
    /// (`TOLLGATE_GATE_HEALTH_SUCCESSES`).
    pub health_successes: i32,
}

impl Default for GateContext {
    fn default() -> Self {
        Self {
            health_successes: 5,
        }
    }
}

/// One gate criterion.
pub struct Criterion {
    /// Stable identifier, for the API and tests.
    pub key: &'static str,
    /// What must be true, as the gate panel lists it.
    pub label: &'static str,
    /// The page (below the integration's own) where the user fixes it, e.g. `planning/vendors`.
    pub fix_path: &'static str,
    pub check: Check,
}
