//! Observed provider performance: the `http.client` spans of the Sentry transactions an
//! integration's code sends are matched to the provider's spec operations by path template
//! (`calls`, pure), and kept per environment, operation and hour as calls, failures and a
//! latency histogram (`histogram`), from which p50/p95/p99 are read (`service`). An operation
//! seen in real traffic is marked used, so a spec change is judged against what the code
//! really calls.

pub mod api;
#[cfg(feature = "ssr")]
pub mod calls;
#[cfg(feature = "ssr")]
pub mod histogram;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
