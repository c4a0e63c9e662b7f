//! The signed-in person's own pages: sign-in, first-run set-up, the account page (password,
//! sessions, API tokens) and the notifications inbox. Above the shell, which shows who is
//! signed in and their unread count, so `auth` and `notifications` stay below it.

pub mod api;
pub mod notifications;
pub mod views;
