//! The Sentry-compatible ingest: what the Sentry SDKs already in a team's code send, read as
//! they send it, with nothing but a DSN in their configuration. Each environment has its keys
//! (`keys`); an envelope (`envelope`, pure, bounded and fuzzed) is taken item by item
//! (`service`), its events mapped onto the events room's error events (`event`), so they join
//! the integration's error groups, written by one `writer` many envelopes at a time. The HTTP side is the server's `sentry_ingest`.

#[cfg(feature = "ssr")]
pub mod envelope;
#[cfg(feature = "ssr")]
pub mod event;
#[cfg(feature = "ssr")]
pub mod keys;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
#[cfg(feature = "ssr")]
pub mod writer;
