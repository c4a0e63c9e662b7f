//! (ssr) The calendar due dates are kept in: today in UTC, and how far ahead "due soon" looks.
//! A leaf: the dashboard, audits, milestones and credentials all read it.

use chrono::{NaiveDate, Utc};

/// How many days ahead something counts as due soon (the dashboard's look-ahead, an audit's
/// "due" state).
pub const LOOK_AHEAD_DAYS: i64 = 14;

/// Today in UTC, the calendar every due date is compared against.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}
