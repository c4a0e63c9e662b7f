//! (ssr) Email over SMTP: the server's SMTP settings (`TOLLGATE_SMTP_URL`), the queue of
//! emails owed (written in the transaction of what causes them), the letter each becomes
//! (a plain-text and an HTML part, a one-click `List-Unsubscribe`), and the worker that
//! claims them with leases and sends them, retrying on failure; and the daily digest that
//! gathers the emails someone chose to get once a day. Which notifications become
//! emails, and what an unsubscribe turns off, is `notifications`'.

pub mod digest;
pub mod letter;
pub mod service;
pub mod smtp;
pub mod worker;
