//! Error events from the platform: reported over REST one at a time or in batches, grouped by
//! fingerprint with counts per hour, and triaged (unresolved, resolved, ignored); a resolved
//! group that recurs is flagged as a regression. A group's page (`detail`) shows its latest
//! event's stack trace, breadcrumbs and tags.

pub mod api;
#[cfg(feature = "ssr")]
pub mod detail;
#[cfg(feature = "ssr")]
pub mod fingerprint;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
