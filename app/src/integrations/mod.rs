//! The integrations registry, the kernel every room reads: each third-party API integration,
//! its basic facts, its reference and lookups by slug and id (the pages are `catalogue`'s).

pub mod api;
pub mod list_controls;
#[cfg(feature = "ssr")]
pub mod lookup;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
