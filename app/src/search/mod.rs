//! Search across every record an integration keeps (its planning, build, testing, health,
//! errors, provider, specs and audits), with the database's own full-text index, grouped by
//! kind and limited to what the searcher's role may read.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
