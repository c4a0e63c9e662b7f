//! Provider API specifications: reading OpenAPI 2.0, 3.0 and 3.1 documents (JSON or YAML),
//! indexing their operations, classifying the changes between two versions with oasdiff's
//! rule identifiers and levels, the operations an integration uses, and what a breaking
//! change on one of them sets off.

pub mod api;
pub mod catalogue_views;
pub mod change_views;
#[cfg(feature = "ssr")]
pub mod changes;
#[cfg(feature = "ssr")]
pub mod constraints;
#[cfg(feature = "ssr")]
pub mod deprecation;
#[cfg(feature = "ssr")]
pub mod diff;
#[cfg(feature = "ssr")]
pub mod document;
#[cfg(feature = "ssr")]
pub mod index;
#[cfg(feature = "ssr")]
pub mod maintenance;
#[cfg(feature = "ssr")]
pub mod media_names;
pub mod model;
#[cfg(feature = "ssr")]
pub mod narrow;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod parameter_properties;
#[cfg(feature = "ssr")]
pub mod pointers;
#[cfg(feature = "ssr")]
pub mod remote;
#[cfg(feature = "ssr")]
pub mod render;
#[cfg(feature = "ssr")]
pub mod schema;
#[cfg(feature = "ssr")]
pub mod schema_rules;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod stored;
#[cfg(feature = "ssr")]
pub mod usage;
#[cfg(feature = "ssr")]
pub mod versioning;
pub mod views;
