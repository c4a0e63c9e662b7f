//! The testing stage: the test plan (its cases, templates and configuration matrix), runs
//! that expand into executions, defects, and QA sign-offs that the go-live gate reads.

pub mod api;
pub mod defect_views;
#[cfg(feature = "ssr")]
pub mod defects;
mod execution_row;
#[cfg(feature = "ssr")]
pub mod gates;
#[cfg(feature = "ssr")]
pub mod junit;
pub mod model;
pub mod plan_views;
#[cfg(feature = "ssr")]
pub mod plans;
pub mod report;
pub mod report_views;
#[cfg(feature = "ssr")]
pub mod retest;
pub mod run_list;
#[cfg(feature = "ssr")]
mod run_lookup;
pub mod run_views;
#[cfg(feature = "ssr")]
pub mod runs;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod signoffs;
pub mod templates;
