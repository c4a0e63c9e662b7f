//! The activity trail: who did what to which record, when, with a before/after of the changed
//! fields, chained by SHA-256 so that a row altered behind the application's back is detected,
//! and anchored by signed checkpoints outside the database so that a cut-off tail or a
//! rewritten chain is detected too.

#[cfg(feature = "ssr")]
pub mod anchor;
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
