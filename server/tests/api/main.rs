//! HTTP tests: the real application on port 0 with its own database, driven over real HTTP.
//! On SQLite by default; on PostgreSQL (one fresh database per test) when TEST_DATABASE_URL is
//! set.

mod helpers;

mod audit;
mod auth;
mod health;
mod integrations;
mod pages;
mod setup;
mod users;
