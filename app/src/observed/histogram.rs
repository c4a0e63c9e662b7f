//! A latency histogram small enough to keep per operation and hour: counts in buckets whose
//! bounds grow by 10% (so a percentile read from it is within 5% of the true one), from 1 ms
//! to about 10 minutes; faster calls fall in bucket 0, slower ones in the last. Stored as
//! `bucket:count` pairs; two merge by adding counts.

use std::collections::BTreeMap;

/// Each bucket's upper bound is this times its lower bound.
const FACTOR: f64 = 1.1;
/// The last bucket (1.1^140 ms is about 10 minutes).
const LAST: u16 = 141;

/// Counts per bucket.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Histogram(BTreeMap<u16, u64>);

/// The bucket of a latency of `ms` milliseconds.
fn bucket(ms: f64) -> u16 {
    if !ms.is_finite() || ms < 1.0 {
        return 0;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let i = 1 + (ms.ln() / FACTOR.ln()).floor() as u64;
    u16::try_from(i).unwrap_or(LAST).min(LAST)
}

/// The value a bucket stands for: its bounds' geometric middle.
fn value(i: u16) -> f64 {
    if i == 0 {
        0.5
    } else {
        FACTOR.powi(i32::from(i) - 1) * FACTOR.sqrt()
    }
}

impl Histogram {
    /// Counts one latency of `ms` milliseconds.
    pub fn add(&mut self, ms: f64) {
        *self.0.entry(bucket(ms)).or_default() += 1;
    }

    /// Adds `other`'s counts.
    pub fn merge(&mut self, other: &Histogram) {
        for (i, n) in &other.0 {
            let c = self.0.entry(*i).or_default();
            *c = c.saturating_add(*n);
        }
    }

    /// How many latencies it holds.
    pub fn count(&self) -> u64 {
        self.0.values().fold(0u64, |a, n| a.saturating_add(*n))
    }

    /// The `q` quantile (0 to 1) in milliseconds; none when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let total = self.count();
        if total == 0 {
            return None;
        }
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let rank = ((q.clamp(0.0, 1.0) * total as f64).ceil() as u64).max(1);
        let mut seen = 0u64;
        for (i, n) in &self.0 {
            seen = seen.saturating_add(*n);
            if seen >= rank {
                return Some(value(*i));
            }
        }
        self.0.keys().next_back().map(|i| value(*i))
    }

    /// As stored: `bucket:count` pairs joined by commas.
    pub fn encode(&self) -> String {
        self.0
            .iter()
            .map(|(i, n)| format!("{i}:{n}"))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// A stored histogram; pairs that do not read (or name no bucket) are left out.
    pub fn decode(text: &str) -> Self {
        let mut h = Histogram::default();
        for pair in text.split(',').take(usize::from(LAST) + 1) {
            if let Some((i, n)) = pair.split_once(':')
                && let (Ok(i), Ok(n)) = (i.trim().parse::<u16>(), n.trim().parse::<u64>())
                && i <= LAST
            {
                let c = h.0.entry(i).or_default();
                *c = c.saturating_add(n);
            }
        }
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_within_five_percent() {
        let mut h = Histogram::default();
        for ms in 1..=1000 {
            h.add(f64::from(ms));
        }
        for (q, truth) in [(0.5, 500.0), (0.95, 950.0), (0.99, 990.0)] {
            let got = h.quantile(q).unwrap();
            assert!(
                (got - truth).abs() / truth < 0.05,
                "p{q}: {got} for {truth}"
            );
        }
        assert_eq!(h.count(), 1000);
        assert_eq!(Histogram::default().quantile(0.5), None);
    }

    #[test]
    fn a_histogram_survives_storage_and_merges() {
        let mut a = Histogram::default();
        a.add(0.2);
        a.add(12.0);
        a.add(f64::INFINITY);
        a.add(1e12);
        let stored = a.encode();
        assert_eq!(Histogram::decode(&stored), a);
        let mut b = Histogram::decode("x,3:2,999:5,4:-1,");
        assert_eq!(b.count(), 2, "only what reads");
        b.merge(&a);
        assert_eq!(b.count(), 6);
    }
}
