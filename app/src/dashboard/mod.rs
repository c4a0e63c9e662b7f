//! The portfolio dashboard: the pipeline, a table of every integration with its gate, health
//! and next milestone, key figures, what is coming up and recent activity; and the portfolio
//! report built from the same figures. Everyone signed in reads it; nothing here writes.

pub mod api;
#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod figures;
pub mod model;
#[cfg(feature = "ssr")]
pub mod report;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
