//! The testing stage: the test plan (its cases, templates and configuration matrix), runs
//! that expand into executions, defects, and QA sign-offs that the go-live gate reads.

#[cfg(feature = "ssr")]
pub mod defects;
#[cfg(feature = "ssr")]
pub mod gates;
#[cfg(feature = "ssr")]
pub mod junit;
pub mod model;
#[cfg(feature = "ssr")]
pub mod runs;
#[cfg(feature = "ssr")]
pub mod service;
pub mod templates;
