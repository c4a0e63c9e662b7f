//! The live stage's monitoring: each environment's health check runs on a schedule (leases in
//! the database, so replicas run it once), an environment goes down after consecutive
//! failures and up after one success, and going down opens an incident that recovery resolves.

pub mod api;
mod display;
mod env_card;
#[cfg(feature = "ssr")]
pub mod gates;
#[cfg(feature = "ssr")]
pub mod incidents;
pub mod model;
#[cfg(feature = "ssr")]
pub mod policy;
#[cfg(feature = "ssr")]
pub mod probe;
#[cfg(feature = "ssr")]
pub mod rollups;
#[cfg(feature = "ssr")]
pub mod scheduler;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod simulator;
#[cfg(feature = "ssr")]
pub mod tls;
pub mod views;
#[cfg(feature = "ssr")]
pub mod windows;
