//! The outbox: every event Tollgate tells the outside world of (the catalogue), written in the
//! transaction of the change that causes it, so an event is never lost and never sent for a
//! change that rolled back. Below every room that changes something (they emit); the webhooks
//! room above reads it and delivers.

#[cfg(feature = "ssr")]
pub mod catalogue;
#[cfg(feature = "ssr")]
pub mod due;
#[cfg(feature = "ssr")]
pub mod service;

pub use crate::choices::webhooks::EventType;
