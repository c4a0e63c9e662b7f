//! Service tests: the application's services on a fresh database per test, built by the real
//! migrations. In-memory SQLite by default; a fresh PostgreSQL database when
//! TEST_DATABASE_URL is set, so the same tests run on both backends. One binary, one module
//! per part of the application; `fuzz.rs` is apart, run by `scripts/fuzz.sh`.

// A failed set-up step should stop the test with its message; that is what expect is for here.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod audits;
mod call_policy;
mod common;
mod credentials;
mod dashboard;
mod environments;
mod events;
mod heartbeats;
mod kept_dashboard;
mod leak_guard;
mod mail;
mod monitoring;
mod needs;
mod observed;
mod planning;
mod provider;
mod search;
mod sentry;
mod services;
mod spec_rules;
mod specs;
mod testing;
mod tokens;
mod webhooks;
mod weekly;
mod wiring;
