//! Signing in and out, first-run set-up, sessions, throttling and the role check.

pub mod access;
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session;
pub mod views;
