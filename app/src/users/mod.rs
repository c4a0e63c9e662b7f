//! User accounts: the admin's user management and each user's own password.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
