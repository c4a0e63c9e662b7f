//! (ssr) SeaORM entities, one file per table. They never cross the wire: services map them to
//! the types in each domain's `model.rs`.

pub mod activity;
pub mod integrations;
pub mod login_failures;
pub mod sessions;
pub mod users;
