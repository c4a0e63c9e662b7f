//! Allowances kept in this process's memory: `per_minute` units per key, refilled at that
//! many a minute (`governor`'s GCRA, the token bucket's equivalent). The REST API's limit per
//! token and the Sentry ingest's quota per DSN are both one.

use std::hash::Hash;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

/// How many keys' states are kept before those back at a full allowance are forgotten.
const KEPT: usize = 100_000;

/// The allowance of every key seen.
#[derive(Clone)]
pub struct Allowance<K: Hash + Eq + Clone> {
    per_minute: u32,
    limits: Option<Arc<RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock>>>,
}

impl<K: Hash + Eq + Clone> Allowance<K> {
    /// `per_minute` units per key (0 turns the allowance off).
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            limits: NonZeroU32::new(per_minute)
                .map(|n| Arc::new(RateLimiter::keyed(Quota::per_minute(n)))),
        }
    }

    /// The units each key has a minute (0: no limit).
    pub fn per_minute(&self) -> u32 {
        self.per_minute
    }

    /// Takes `n` units from `key`'s allowance: `Ok`, or the whole seconds until they are
    /// there (a minute when `n` is more than a minute's allowance).
    pub fn take(&self, key: &K, n: u32) -> Result<(), u64> {
        let (Some(limits), Some(n)) = (&self.limits, NonZeroU32::new(n)) else {
            return Ok(());
        };
        if limits.len() > KEPT {
            // Forget full allowances so a flood of made-up keys cannot grow the map for ever.
            limits.retain_recent();
        }
        match limits.check_key_n(key, n) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(not_until)) => {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                Err(wait.as_secs_f64().ceil().max(1.0) as u64)
            }
            Err(_) => Err(60),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_allowance_empties_then_asks_to_wait() {
        let allowance = Allowance::new(3);
        assert!(allowance.take(&1, 1).is_ok());
        assert!(allowance.take(&1, 2).is_ok());
        assert_eq!(allowance.take(&1, 1), Err(20));
        assert!(allowance.take(&2, 3).is_ok(), "allowances are per key");
        assert_eq!(allowance.take(&3, 4), Err(60), "more than a minute's");
        assert!(allowance.take(&3, 0).is_ok());
        assert!(Allowance::new(0).take(&1, 1000).is_ok(), "0 turns it off");
    }
}
