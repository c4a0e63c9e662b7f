//! The implementation stage: how each integration is wired. This part holds its
//! environments (connection settings and health-check definitions).

pub mod api;
#[cfg(feature = "ssr")]
pub mod gates;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
