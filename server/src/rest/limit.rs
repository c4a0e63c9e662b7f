//! The per-token rate limit: an allowance per bearer token, in this process's memory, of
//! `TOLLGATE_API_RATE_LIMIT` requests, refilled at that many per minute (`governor`). A
//! request over the limit gets 429 with `Retry-After`.

use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter as Gcra};
use sha2::{Digest, Sha256};

use super::auth::bearer;
use super::problem::ApiError;

/// One limit per key: the hash of a token.
type Keyed = Gcra<[u8; 32], DefaultKeyedStateStore<[u8; 32]>, DefaultClock>;

/// How many tokens' states are kept before those back at a full allowance are forgotten.
const KEPT: usize = 100_000;

/// The limit of every token seen, keyed by a hash of the token (`governor`'s GCRA, the
/// token bucket's equivalent: `per_minute` at once, then one every `60 / per_minute` s).
#[derive(Clone)]
pub struct RateLimiter {
    per_minute: u32,
    limits: Option<Arc<Keyed>>,
}

impl RateLimiter {
    /// A limiter allowing `per_minute` requests per token (0 turns it off).
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            limits: NonZeroU32::new(per_minute)
                .map(|n| Arc::new(Gcra::keyed(Quota::per_minute(n)))),
        }
    }

    /// Takes one request from `key`'s allowance: `Ok` or the whole seconds until one is free.
    fn take(&self, key: [u8; 32]) -> Result<(), u64> {
        let Some(limits) = &self.limits else {
            return Ok(());
        };
        if limits.len() > KEPT {
            // Forget full allowances so a flood of made-up tokens cannot grow the map for ever.
            limits.retain_recent();
        }
        limits.check_key(&key).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            wait.as_secs_f64().ceil().max(1.0) as u64
        })
    }
}

/// Middleware: counts each bearer-token request against its token's bucket.
pub async fn limit(State(limiter): State<RateLimiter>, req: Request, next: Next) -> Response {
    if let Some(token) = req.headers().get(header::AUTHORIZATION).and_then(bearer) {
        let key: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        if let Err(seconds) = limiter.take(key) {
            return ApiError::Http {
                status: StatusCode::TOO_MANY_REQUESTS,
                detail: format!(
                    "This token made more than {} requests in a minute. Retry in {seconds} s.",
                    limiter.per_minute
                ),
                retry_after: Some(seconds),
            }
            .into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_empties_then_asks_to_wait() {
        let limiter = RateLimiter::new(3);
        let key = [1; 32];
        assert!(limiter.take(key).is_ok());
        assert!(limiter.take(key).is_ok());
        assert!(limiter.take(key).is_ok());
        assert_eq!(limiter.take(key), Err(20));
        assert!(limiter.take([2; 32]).is_ok(), "buckets are per token");
        assert!(
            RateLimiter::new(0).take(key).is_ok(),
            "0 turns the limit off"
        );
    }
}
