//! The signed-in person's own pages: sign-in, first-run set-up, the account page (password,
//! sessions, API tokens), the notifications inbox, an email's unsubscribe page and Needs me.
//! Above the shell, which shows who is signed in, their unread count and how many things wait
//! on them, so `auth`, `notifications` and `needs` stay below it.

pub mod api;
pub mod needs;
pub mod notifications;
#[cfg(feature = "ssr")]
pub mod unsubscribe;
pub mod views;
