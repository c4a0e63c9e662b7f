//! Heartbeat monitors: the scheduled jobs of an integration (a nightly data sync, a token
//! refresh) report each run, by a Sentry cron check-in through the ingest or a ping to their
//! own URL (`/start`, `/fail`, as healthchecks.io does); a run missed or failed opens an
//! incident through the monitoring room's path. The schedule (`schedule`, pure) is an
//! interval or a cron expression with a grace period; the rules are in `service`; the pings'
//! HTTP side is the server's `heartbeat_pings`.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod schedule;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
