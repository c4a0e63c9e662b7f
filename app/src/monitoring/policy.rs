//! (ssr) What an environment asks of whoever calls it, as its settings say: a timeout, retries
//! after a transient failure with a backoff doubled each time, and a rate limit, which this
//! process keeps per environment ([`Limits`]). [`super::probe::Prober::probe`] applies it.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use crate::entities::environments;

/// The longest wait between two attempts.
const MAX_BACKOFF_MS: u64 = 60_000;

/// What an environment asks of whoever calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub timeout_ms: i32,
    pub retry_attempts: i32,
    pub retry_backoff_ms: i32,
    /// (requests, per seconds).
    pub rate_limit: Option<(u32, u32)>,
}

impl Policy {
    /// The policy environment `env` stores.
    pub fn of(env: &environments::Model) -> Self {
        let positive = |n: i32| u32::try_from(n).ok().filter(|n| *n > 0);
        Policy {
            timeout_ms: env.timeout_ms.max(1),
            retry_attempts: env.retry_attempts.max(0),
            retry_backoff_ms: env.retry_backoff_ms.max(0),
            rate_limit: env
                .rate_limit_requests
                .and_then(positive)
                .zip(env.rate_limit_period_seconds.and_then(positive)),
        }
    }

    /// The wait before retry number `n` (from 1): the backoff, doubled for each retry before.
    pub fn backoff(&self, n: u32) -> Duration {
        let base = u64::try_from(self.retry_backoff_ms).unwrap_or(0);
        let factor = 1u64.checked_shl(n.saturating_sub(1)).unwrap_or(u64::MAX);
        Duration::from_millis(base.saturating_mul(factor).min(MAX_BACKOFF_MS))
    }
}

/// Each environment's rate limit in this process, made when first needed and made again when
/// the environment's limit changes. Cheap to clone.
#[derive(Clone, Default)]
pub struct Limits(Arc<Mutex<HashMap<i32, Limit>>>);

struct Limit {
    of: (u32, u32),
    left: Arc<DefaultDirectRateLimiter>,
}

impl Limits {
    /// What environment `id`'s limit of `requests` per `seconds` allows.
    pub fn of(
        &self,
        id: i32,
        (requests, seconds): (u32, u32),
    ) -> Option<Arc<DefaultDirectRateLimiter>> {
        let burst = NonZeroU32::new(requests)?;
        let quota =
            Quota::with_period(Duration::from_secs(seconds.into()) / requests)?.allow_burst(burst);
        let mut limits = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let limit = limits.entry(id).or_insert_with(|| Limit {
            of: (requests, seconds),
            left: Arc::new(RateLimiter::direct(quota)),
        });
        if limit.of != (requests, seconds) {
            *limit = Limit {
                of: (requests, seconds),
                left: Arc::new(RateLimiter::direct(quota)),
            };
        }
        Some(Arc::clone(&limit.left))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_from_the_first_retry_and_stops_at_a_minute() {
        let p = Policy {
            timeout_ms: 1000,
            retry_attempts: 3,
            retry_backoff_ms: 500,
            rate_limit: None,
        };
        assert_eq!(p.backoff(1), Duration::from_millis(500));
        assert_eq!(p.backoff(2), Duration::from_millis(1000));
        assert_eq!(p.backoff(3), Duration::from_millis(2000));
        assert_eq!(p.backoff(40), Duration::from_millis(MAX_BACKOFF_MS));
    }
}
