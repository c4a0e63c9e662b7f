//! Roles and the signed-in user, as both targets see them.

pub use crate::choices::auth::Role;
use serde::{Deserialize, Serialize};

/// Who is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CurrentUser {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub role: Role,
}

/// One signed-in session of an account, as its owner sees it on the account page. The
/// session's id never leaves the server (it is the cookie's secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveSession {
    /// The browser and system, from the User-Agent at sign-in ("Firefox on Linux").
    pub device: String,
    /// The client address at sign-in.
    pub address: String,
    /// When it was signed in, and last seen (to the minute).
    pub signed_in: Option<chrono::DateTime<chrono::Utc>>,
    pub last_seen: Option<chrono::DateTime<chrono::Utc>>,
    /// The session viewing the page.
    pub current: bool,
}

/// The shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 12;

/// The one message for an unknown email, a wrong password or a deactivated account, so that
/// the answer does not reveal which accounts exist.
pub const BAD_CREDENTIALS: &str = "Email or password is incorrect.";
