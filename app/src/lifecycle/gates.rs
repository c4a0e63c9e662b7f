//! (ssr) The gate registry: which criteria guard which forward move. This is the one place
//! criteria are registered; each capability defines its own criteria in its own module (the
//! planning criteria live in `planning::gates`) and adds them here, and the engine in
//! `lifecycle::service` evaluates whatever it finds without knowing what they check.

use std::future::Future;
use std::pin::Pin;

use sea_orm::DatabaseTransaction;

use crate::entities::integrations;
use crate::error::Result;
use crate::integrations::model::Stage;

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
pub type Check = for<'a> fn(&'a DatabaseTransaction, &'a integrations::Model) -> CheckFuture<'a>;

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

/// The criteria guarding the forward move `from` -> `to`. Moves with no entry are open.
pub fn criteria(from: Stage, to: Stage) -> &'static [Criterion] {
    match (from, to) {
        (Stage::Planning, Stage::Implementation) => crate::planning::gates::PLANNING_EXIT,
        (Stage::Implementation, Stage::Testing) => {
            crate::implementation::gates::IMPLEMENTATION_EXIT
        }
        (Stage::Testing, Stage::Live) => crate::testing::gates::TESTING_EXIT,
        _ => &[],
    }
}
