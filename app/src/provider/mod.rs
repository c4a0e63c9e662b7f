//! Working with the provider and hearing from users: the provider's contacts in escalation
//! order, support tickets (linked to incidents), and user feedback with its summary.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
