//! The implementation stage: how each integration is wired. Its environments (connection
//! settings and health-check definitions), credential references (where each secret lives,
//! never the secret) with their access grants, the data mapping from the provider's payload to
//! SayPro's fields, and the engineering checklists.

pub mod api;
pub mod checklist;
#[cfg(feature = "ssr")]
pub mod checklist_service;
pub mod checklist_views;
pub mod credential_views;
#[cfg(feature = "ssr")]
pub mod credentials;
#[cfg(feature = "ssr")]
pub mod gates;
#[cfg(feature = "ssr")]
pub mod grants;
pub mod mapping;
#[cfg(feature = "ssr")]
pub mod mapping_service;
pub mod mapping_views;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod transforms;
pub mod views;
