//! Notifications: what Tollgate tells a user about their integrations (an environment down,
//! an incident, a breaking provider change), delivered on each channel (in Tollgate, and by
//! email when SMTP is configured) for the kinds the user chose or their role's defaults. The
//! count in the navigation bar is the layout's; the page to read them, and an email's
//! unsubscribe page, are `account`'s.

pub mod api;
#[cfg(feature = "ssr")]
pub mod channels;
#[cfg(feature = "ssr")]
pub mod follows;
#[cfg(feature = "ssr")]
pub mod from_outbox;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
