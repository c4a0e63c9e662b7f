//! (ssr) The gate registry: which criteria guard which forward move. This is the one place
//! criteria are registered; each capability defines its own criteria in its own module (the
//! planning criteria live in `planning::gates`) and adds them here, and the engine in
//! `lifecycle::service` evaluates whatever it finds without knowing what they check.

use crate::gate::Criterion;
use crate::integrations::model::Stage;

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
