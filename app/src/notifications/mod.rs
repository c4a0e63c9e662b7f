//! Notifications: what Tollgate tells a user about their integrations (an environment down,
//! an incident, a breaking provider change), delivered on each channel (in-app for now) for
//! the kinds the user chose, with a count in the navigation bar and a page to read them.

pub mod api;
#[cfg(feature = "ssr")]
pub mod channels;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
