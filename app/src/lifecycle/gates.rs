//! (ssr) The gate registry: which criteria guard which forward move. This is the one place
//! criteria are registered; each room defines its own criteria in its own `gates` module and
//! adds them here, in the order the gate panel lists them, and the engine in
//! `lifecycle::service` evaluates whatever it finds without knowing what they check.

use crate::gate::Criterion;
use crate::integrations::model::Stage;

/// The criteria guarding the forward move `from` -> `to`, in order. Moves with no entry are
/// open.
pub fn criteria(from: Stage, to: Stage) -> impl Iterator<Item = &'static Criterion> {
    let lists: &[&'static [Criterion]] = match (from, to) {
        (Stage::Planning, Stage::Implementation) => &[crate::planning::gates::PLANNING_EXIT],
        (Stage::Implementation, Stage::Testing) => {
            &[crate::implementation::gates::IMPLEMENTATION_EXIT]
        }
        (Stage::Testing, Stage::Live) => &[
            crate::testing::gates::TESTING_EXIT,
            crate::implementation::gates::PRODUCTION_REGISTERED,
            crate::monitoring::gates::PRODUCTION_HEALTHY,
        ],
        _ => &[],
    };
    lists.iter().flat_map(|list| list.iter())
}
