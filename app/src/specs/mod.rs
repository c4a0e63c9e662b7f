//! (ssr) Provider API specifications: reading OpenAPI 2.0, 3.0 and 3.1 documents (JSON or
//! YAML), indexing their operations, and classifying the changes between two versions with
//! oasdiff's rule identifiers and levels.

pub mod diff;
pub mod document;
pub mod index;
pub mod render;
pub mod schema;
pub mod service;
