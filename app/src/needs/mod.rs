//! "Needs me": what waits on the signed-in person, by what their role does. A coordinator's
//! closed gates, plans sent back, overdue milestones and open incidents on the integrations
//! they own; anyone's open action items and milestones; an engineer's failing environments;
//! QA's latest runs awaiting results or sign-off, or whose sign-off was superseded; a
//! reviewer's plans in review. Read from the records by `needs::service`; the page is
//! `account::needs`, above the shell, whose navigation shows the count (`needs::count`).

pub mod api;
#[cfg(feature = "ssr")]
pub mod count;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
