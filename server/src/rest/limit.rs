//! The per-token rate limit: an allowance per bearer token, in this process's memory, of
//! `TOLLGATE_API_RATE_LIMIT` requests, refilled at that many per minute (`allowance`). A
//! request over the limit gets 429 with `Retry-After`.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::auth::bearer;
use super::problem::ApiError;
use crate::allowance::Allowance;

/// The limit of every token seen, keyed by a hash of the token.
pub type RateLimiter = Allowance<[u8; 32]>;

/// Middleware: counts each bearer-token request against its token's bucket.
pub async fn limit(State(limiter): State<RateLimiter>, req: Request, next: Next) -> Response {
    if let Some(token) = req.headers().get(header::AUTHORIZATION).and_then(bearer) {
        let key: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        if let Err(seconds) = limiter.take(&key, 1) {
            return ApiError::Http {
                status: StatusCode::TOO_MANY_REQUESTS,
                detail: format!(
                    "This token made more than {} requests in a minute. Retry in {seconds} s.",
                    limiter.per_minute()
                ),
                retry_after: Some(seconds),
            }
            .into_response();
        }
    }
    next.run(req).await
}
