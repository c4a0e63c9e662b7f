//! Audits: the recurring checks a live integration gets (a security review every quarter, a
//! data-retention check every month), each run with what it found and each finding's
//! remediation until it is resolved. When an audit is next due is computed from its interval
//! and its latest run, never typed in.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
