//! One integration at a glance: its page section, its status report (printable page,
//! Markdown, CSV) and the REST resource, all built from `service::overview`. Everyone signed
//! in reads it; nothing here writes.

pub mod api;
pub mod model;
pub mod report;
#[cfg(feature = "ssr")]
pub mod review;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
