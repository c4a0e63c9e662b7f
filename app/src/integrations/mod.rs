//! The integrations registry: every third-party API integration and its basic facts.

pub mod api;
#[cfg(feature = "ssr")]
pub mod lookup;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
