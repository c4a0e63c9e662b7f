//! (ssr) When a provider's TLS certificate expires: its `notAfter`, read from the DER the
//! connection presented (by `x509-parser`), and the warnings due as it nears (21, 14 and 7
//! days before).

use chrono::{DateTime, Utc};

/// Days before expiry at which a warning is sent, widest first.
pub const WARN_DAYS: [i32; 3] = [21, 14, 7];

/// The certificate's `notAfter`, or `None` when `der` is not a certificate.
pub fn not_after(der: &[u8]) -> Option<DateTime<Utc>> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    DateTime::from_timestamp(cert.validity().not_after.timestamp(), 0)
}

/// The warning due for a certificate expiring at `expires` as of `now`, given the smallest
/// already sent: the narrowest threshold crossed, if it is narrower than `sent`.
pub fn warning_due(expires: DateTime<Utc>, now: DateTime<Utc>, sent: Option<i32>) -> Option<i32> {
    let left = (expires - now).num_days();
    let due = WARN_DAYS
        .iter()
        .copied()
        .filter(|d| left < i64::from(*d))
        .min()?;
    (due < sent.unwrap_or(i32::MAX)).then_some(due)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn the_expiry_is_read_from_utctime_and_generalizedtime_certificates() {
        let short = include_bytes!("../../tests/fixtures/certs/utctime-2026-12-29.der");
        assert_eq!(
            not_after(short),
            Some(Utc.with_ymd_and_hms(2026, 12, 29, 17, 36, 18).unwrap())
        );
        let long = include_bytes!("../../tests/fixtures/certs/generalizedtime-2054-04-16.der");
        assert_eq!(
            not_after(long),
            Some(Utc.with_ymd_and_hms(2054, 4, 16, 17, 36, 21).unwrap())
        );
        assert_eq!(not_after(b"not a certificate"), None);
        assert_eq!(not_after(&short[..40]), None, "truncated");
    }

    #[test]
    fn warnings_come_at_21_14_and_7_days_each_once() {
        let now = Utc::now();
        let at = |days: i64| now + Duration::days(days) + Duration::hours(1);
        assert_eq!(warning_due(at(30), now, None), None);
        assert_eq!(warning_due(at(20), now, None), Some(21));
        assert_eq!(warning_due(at(20), now, Some(21)), None, "sent already");
        assert_eq!(warning_due(at(13), now, Some(21)), Some(14));
        assert_eq!(warning_due(at(3), now, None), Some(7), "only the narrowest");
        assert_eq!(warning_due(at(3), now, Some(7)), None);
    }
}
