//! Webhooks: endpoints that receive Tollgate's events (the outbox's), signed to the Standard
//! Webhooks specification, retried on a backoff schedule, each attempt logged. Admins and
//! coordinators manage them; the worker (`worker`) delivers.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod signature;
#[cfg(feature = "ssr")]
pub mod slack;
pub mod views;
#[cfg(feature = "ssr")]
pub mod worker;
