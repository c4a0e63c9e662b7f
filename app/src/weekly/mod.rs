//! The weekly stakeholder digest: for each person, the integrations they follow, and for
//! each the week's stage moves and gates passed, milestones done and coming, incidents and
//! uptime, and open risks. Sent every Monday (by email and in Tollgate, for those who keep
//! the kind on) with a `digest.weekly` event per integration for webhooks and chat; the
//! digest page previews it, and the follow button on an integration's page is here. Above the
//! rooms it reads (lifecycle, planning, monitoring) and below the pages that show the button.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
pub mod views;
