//! The per-token rate limit: a token bucket per bearer token, in this process's memory,
//! holding `TOLLGATE_API_RATE_LIMIT` requests and refilled at that many per minute. A request
//! over the limit gets 429 with `Retry-After`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::auth::bearer;
use super::problem::ApiError;

/// The buckets of every token seen, keyed by a hash of the token.
#[derive(Clone)]
pub struct RateLimiter {
    per_minute: u32,
    buckets: Arc<Mutex<HashMap<[u8; 32], Bucket>>>,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimiter {
    /// A limiter allowing `per_minute` requests per token (0 turns it off).
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            buckets: Arc::default(),
        }
    }

    /// Takes one request from `key`'s bucket: `Ok` or the whole seconds until one is free.
    fn take(&self, key: [u8; 32]) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let now = Instant::now();
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() > 100_000 {
            // Forget full buckets so a flood of made-up tokens cannot grow the map for ever.
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.at).as_secs_f64() * per_second < capacity
            });
        }
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        bucket.tokens = (bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * per_second)
            .min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / per_second).ceil().max(1.0) as u64)
        }
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
