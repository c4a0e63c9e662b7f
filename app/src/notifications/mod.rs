//! Notifications: what Tollgate tells a user about their integrations (an environment down,
//! an incident, a breaking provider change), delivered on each channel (in-app for now) for
//! the kinds the user chose. The count in the navigation bar is the layout's; the page to read
//! them is `account`'s.

pub mod api;
#[cfg(feature = "ssr")]
pub mod channels;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
