//! The implementation stage: how each integration is wired. This part holds its
//! environments (connection settings and health-check definitions) and credential
//! references (where each secret lives, never the secret).

pub mod api;
pub mod credential_views;
#[cfg(feature = "ssr")]
pub mod credentials;
#[cfg(feature = "ssr")]
pub mod gates;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
