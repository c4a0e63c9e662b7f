//! Lifecycle stages and evidence-based gates: which moves exist, what each gate demands, the
//! one function that performs every move, and the stage timeline.

pub mod api;
#[cfg(feature = "ssr")]
pub mod gates;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
