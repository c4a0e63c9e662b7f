//! Signing in and out, sessions, throttling and the permission table (the pages are
//! `account`'s).

pub mod access;
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session;
