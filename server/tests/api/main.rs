//! HTTP tests: the real application on port 0 with its own database, driven over real HTTP.
//! On SQLite by default; on PostgreSQL (one fresh database per test) when TEST_DATABASE_URL is
//! set.

// A failed set-up step should stop the test with its message; that is what expect is for here.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod helpers;

mod access;
mod api_resources;
mod api_v1;
mod audit;
mod audits_api;
mod auth;
mod bounded;
mod dashboard;
mod demo;
mod environments;
mod events;
mod guards;
mod health;
mod heartbeats;
mod hostile;
mod integrations;
mod leak_guard;
mod mail;
mod monitoring;
mod needs;
mod pages;
mod planning;
mod rest;
mod search;
mod sentry;
mod setup;
mod spec_cli;
mod spec_pages;
mod specs;
mod testing;
mod testing_pages;
mod tokens;
mod users;
mod webhooks;
mod weekly;
