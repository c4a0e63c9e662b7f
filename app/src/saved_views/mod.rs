//! Saved views: a user's named filters and sort for the dashboard or the integrations list,
//! each a link that reproduces it. Everyone signed in keeps their own; nobody sees another's.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
