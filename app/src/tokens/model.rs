//! Token types that cross the wire. The secret itself crosses once, at creation.

pub use crate::choices::tokens::TokenScope;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A token as its owner's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApiToken {
    pub id: i32,
    pub name: String,
    pub scope: TokenScope,
    /// The first characters, to tell tokens apart.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiToken {
    /// Whether the token still authenticates at `now`.
    pub fn usable(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }
}

/// A newly created token with its secret, which is shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewToken {
    pub token: ApiToken,
    pub secret: String,
}

/// The account page's token list. A new token's secret is never in it: it is shown by the
/// answer to the form that created it, and kept nowhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenList {
    pub tokens: Vec<ApiToken>,
}

/// Every token starts with this, so leaked tokens are easy to search for.
pub const TOKEN_PREFIX: &str = "tg_";

/// The lifetime of a token created without one: 90 days (OWASP ASVS 3.5).
pub const DEFAULT_EXPIRY_DAYS: i64 = 90;
/// The longest expiry accepted, in days, unless `TOLLGATE_TOKEN_MAX_DAYS` sets another.
pub const DEFAULT_MAX_EXPIRY_DAYS: i32 = 365;
/// The most `TOLLGATE_TOKEN_MAX_DAYS` may allow: ten years.
pub const LONGEST_EXPIRY_DAYS: i32 = 3650;
