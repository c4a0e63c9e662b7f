//! Personal API tokens for scripts and pipelines: created on the account page or with
//! `tollgate token create`, shown once, stored only as a hash, revocable.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
