//! oasdiff's deprecation policy: how many days a deprecated endpoint, parameter or property
//! must still be served after the comparison, by its stability level (`tollgate spec diff
//! --deprecation-days-beta N --deprecation-days-stable N`; none by default, as in oasdiff's
//! library). A new deprecation without a sunset date, or with one sooner than that, breaks the
//! policy; a sunset that is not a date, or already past, always does.

use chrono::NaiveDate;

/// The days a deprecation must give, by stability level (draft and alpha need none).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Policy {
    pub beta_days: u32,
    pub stable_days: u32,
}

/// What a new deprecation broke of the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Breach {
    /// No sunset date, where the policy asks for one.
    Missing,
    /// A sunset that does not read as a date.
    NotADate(String),
    /// A sunset sooner than the policy's days from today: the date and the days asked.
    TooSoon(String, u32),
}

impl Policy {
    /// The days asked of something at `stability` (`x-stability-level`; none is stable).
    pub fn days(&self, stability: Option<&str>) -> u32 {
        match stability {
            Some("draft" | "alpha") => 0,
            Some("beta") => self.beta_days,
            _ => self.stable_days,
        }
    }

    /// What a deprecation made with `sunset`, at `stability`, on `today`, breaks; `None` when
    /// it keeps the policy.
    pub fn judge(
        &self,
        sunset: Option<&str>,
        stability: Option<&str>,
        today: NaiveDate,
    ) -> Option<Breach> {
        let days = self.days(stability);
        match sunset {
            None if days > 0 => Some(Breach::Missing),
            None => None,
            Some(s) => match sunset_day(s) {
                None => Some(Breach::NotADate(s.to_string())),
                Some(day) if day < today + chrono::Days::new(u64::from(days)) => {
                    Some(Breach::TooSoon(s.to_string(), days))
                }
                Some(_) => None,
            },
        }
    }
}

impl Breach {
    /// The message for `what` (`the endpoint`, `the query request parameter limit`).
    pub fn message(&self, what: &str) -> String {
        match self {
            Self::Missing => format!("{what} was deprecated without a sunset date"),
            Self::NotADate(s) => {
                format!("{what} was deprecated with a sunset date that is not a date: {s}")
            }
            Self::TooSoon(s, 0) => {
                format!("{what} was deprecated with the sunset date {s}, already past")
            }
            Self::TooSoon(s, days) => format!(
                "{what} was deprecated with the sunset date {s}, sooner than the {days} days the deprecation policy asks"
            ),
        }
    }
}

/// The day of a sunset date (`YYYY-MM-DD` or RFC 3339), if it reads as one.
pub fn sunset_day(sunset: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(sunset.get(..10)?, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deprecation_is_judged_by_its_stability_and_the_days_left() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).expect("day");
        let policy = Policy {
            beta_days: 31,
            stable_days: 180,
        };
        assert_eq!(policy.judge(None, None, today), Some(Breach::Missing));
        assert_eq!(policy.judge(None, Some("alpha"), today), None);
        assert_eq!(
            policy.judge(Some("2027-01-15"), None, today),
            Some(Breach::TooSoon("2027-01-15".into(), 180))
        );
        assert_eq!(policy.judge(Some("2027-01-15"), Some("beta"), today), None);
        assert_eq!(
            policy.judge(Some("soon"), Some("draft"), today),
            Some(Breach::NotADate("soon".into()))
        );
        assert_eq!(Policy::default().judge(None, None, today), None);
        assert_eq!(
            Policy::default().judge(Some("2027-01-01"), None, today),
            None
        );
        assert_eq!(
            Policy::default().judge(Some("2020-01-01"), None, today),
            Some(Breach::TooSoon("2020-01-01".into(), 0))
        );
    }
}
