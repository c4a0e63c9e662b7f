//! In-app notifications: what Tollgate tells a user about their integrations (a breaking
//! provider change, for one), with a count in the navigation bar and a page to read them.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
