//! The planning stage: needs assessment, objectives, vendor selection, the versioned plan,
//! milestones with the three-month template, meetings and action items. Together they are the
//! evidence the planning -> implementation gate reads (see `gates`).

pub mod api;
#[cfg(feature = "ssr")]
pub mod gates;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
