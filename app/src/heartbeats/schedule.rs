//! (ssr) Schedules and check-ins, pure: when a monitor's next run is due (every N minutes,
//! or a five-field cron expression in UTC, read by `croner`), a schedule in words, and what a
//! Sentry cron check-in says (its `monitor_slug`, `status` and `monitor_config`), bounded as
//! every parser of outside input is.

use chrono::{DateTime, Duration, Utc};
use croner::Cron;
use serde_json::Value;

use super::model::{CheckIn, Ping, Schedule};

/// The grace a monitor gets when none is given (minutes).
pub const GRACE_MINUTES: i32 = 5;
/// How long a started run may take when nothing says (minutes; Sentry's default too).
pub const MAX_RUNTIME_MINUTES: i32 = 30;
/// The longest interval, grace or run time: a year of minutes.
pub const MAX_MINUTES: i32 = 525_600;
/// The longest cron expression.
pub const CRON_CHARS: usize = 100;
/// The longest slug.
pub const SLUG_CHARS: usize = 64;

/// `text` as a slug: lower case letters, digits, `-` and `_`, at most [`SLUG_CHARS`]; other
/// characters become `-`. None when nothing is left.
pub fn slug(text: &str) -> Option<String> {
    let mut s = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '-'
        };
        if !(c == '-' && (s.is_empty() || s.ends_with('-'))) {
            s.push(c);
        }
    }
    let s: String = s.trim_end_matches('-').chars().take(SLUG_CHARS).collect();
    (!s.is_empty()).then_some(s)
}

/// `text` read as a cron expression: five fields (minute, hour, day of month, month, day of
/// week) or an alias such as `@daily`, that comes round at least once.
///
/// # Errors
/// What is wrong with it, to show beside the field.
pub fn cron(text: &str) -> Result<Cron, String> {
    let text = text.trim();
    if text.chars().count() > CRON_CHARS {
        return Err(format!("Use at most {CRON_CHARS} characters."));
    }
    if !text.starts_with('@') && text.split_whitespace().count() != 5 {
        return Err(
            "Enter five fields: minute, hour, day of month, month and day of week (such as 0 3 * * *)."
                .into(),
        );
    }
    let parsed: Cron = text
        .parse()
        .map_err(|e| format!("This is not a cron expression: {e}."))?;
    parsed
        .find_next_occurrence(&Utc::now(), false)
        .map_err(|_| "This expression never comes round.".to_string())?;
    Ok(parsed)
}

/// When a job on `s` is next expected after `after`.
pub fn next_run(s: &Schedule, after: DateTime<Utc>) -> DateTime<Utc> {
    let every = |minutes: i32| after + Duration::minutes(i64::from(minutes.max(1)));
    match (&s.cron, s.interval_minutes) {
        (Some(expression), _) => cron(expression)
            .ok()
            .and_then(|c| c.find_next_occurrence(&after, false).ok())
            // Checked when saved; should a stored one stop parsing, a day's wait.
            .unwrap_or_else(|| every(24 * 60)),
        (None, minutes) => every(minutes.unwrap_or(24 * 60)),
    }
}

/// When a job on `s` that last reported at `after` counts as missed.
pub fn deadline(s: &Schedule, after: DateTime<Utc>) -> DateTime<Utc> {
    next_run(s, after) + Duration::minutes(i64::from(s.grace_minutes))
}

/// `s` in words.
pub fn describe(s: &Schedule) -> String {
    match (&s.cron, s.interval_minutes) {
        (Some(c), _) => format!("cron {c} (UTC)"),
        (None, Some(1)) => "every minute".into(),
        (None, Some(m)) if m % (24 * 60) == 0 => match m / (24 * 60) {
            1 => "every day".into(),
            d => format!("every {d} days"),
        },
        (None, Some(m)) if m % 60 == 0 => match m / 60 {
            1 => "every hour".into(),
            h => format!("every {h} hours"),
        },
        (None, Some(m)) => format!("every {m} minutes"),
        (None, None) => "no schedule".into(),
    }
}

fn minutes(v: Option<&Value>, default: i32) -> i32 {
    v.and_then(Value::as_i64)
        .map_or(default, |m| m.clamp(0, i64::from(MAX_MINUTES)) as i32)
}

/// The schedule in a Sentry check-in's `monitor_config` (`{"schedule": {"type": "crontab",
/// "value": "0 3 * * *"}}` or `{"type": "interval", "value": 2, "unit": "hour"}`, with
/// `checkin_margin` and `max_runtime` in minutes). None when it has none Tollgate can keep.
pub fn from_sentry(config: &Value) -> Option<Schedule> {
    let schedule = config.get("schedule")?;
    let (interval_minutes, cron_text) = match schedule.get("type")?.as_str()? {
        "crontab" => {
            let text = schedule.get("value")?.as_str()?;
            cron(text).ok()?;
            (None, Some(text.trim().to_string()))
        }
        "interval" => {
            let n = schedule.get("value")?.as_i64()?;
            let unit = match schedule.get("unit")?.as_str()? {
                "minute" => 1,
                "hour" => 60,
                "day" => 24 * 60,
                "week" => 7 * 24 * 60,
                "month" => 30 * 24 * 60,
                "year" => 365 * 24 * 60,
                _ => return None,
            };
            let total = n.checked_mul(unit)?;
            (1..=i64::from(MAX_MINUTES))
                .contains(&total)
                .then_some((Some(total as i32), None))?
        }
        _ => return None,
    };
    Some(Schedule {
        interval_minutes,
        cron: cron_text,
        grace_minutes: minutes(config.get("checkin_margin"), GRACE_MINUTES),
        max_runtime_minutes: minutes(config.get("max_runtime"), MAX_RUNTIME_MINUTES).max(1),
    })
}

/// A Sentry `check_in` item's payload as a run's report; none when it names no monitor or
/// no status Tollgate knows.
pub fn check_in(v: &Value) -> Option<CheckIn> {
    let slug = slug(v.get("monitor_slug")?.as_str()?)?;
    let ping = match v.get("status")?.as_str()? {
        "in_progress" => Ping::Start,
        "ok" => Ping::Ok,
        "error" | "timeout" => Ping::Fail,
        _ => return None,
    };
    Some(CheckIn {
        slug,
        ping,
        config: v.get("monitor_config").and_then(from_sentry),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, h, m, 0).unwrap()
    }

    fn on(interval_minutes: Option<i32>, cron: Option<&str>) -> Schedule {
        Schedule {
            interval_minutes,
            cron: cron.map(str::to_string),
            grace_minutes: 5,
            max_runtime_minutes: 30,
        }
    }

    #[test]
    fn the_next_run_follows_the_interval_or_the_cron_expression() {
        assert_eq!(next_run(&on(Some(60), None), at(10, 7)), at(11, 7));
        assert_eq!(
            next_run(&on(None, Some("0 3 * * *")), at(10, 7)),
            Utc.with_ymd_and_hms(2026, 12, 8, 3, 0, 0).unwrap()
        );
        assert_eq!(
            next_run(&on(None, Some("*/15 * * * *")), at(10, 7)),
            at(10, 15)
        );
        assert_eq!(deadline(&on(Some(60), None), at(10, 7)), at(11, 12));
    }

    #[test]
    fn a_cron_expression_is_five_fields_that_come_round() {
        assert!(cron("0 3 * * *").is_ok());
        assert!(cron("@daily").is_ok());
        assert!(cron("0 3 * *").unwrap_err().contains("five fields"));
        assert!(cron("0 3 * * * *").unwrap_err().contains("five fields"));
        assert!(cron("61 3 * * *").unwrap_err().contains("not a cron"));
        assert!(cron("0 0 30 2 *").is_err());
        assert!(cron(&"1,".repeat(60)).unwrap_err().contains("at most"));
    }

    #[test]
    fn a_schedule_reads_in_words() {
        assert_eq!(describe(&on(Some(1), None)), "every minute");
        assert_eq!(describe(&on(Some(90), None)), "every 90 minutes");
        assert_eq!(describe(&on(Some(120), None)), "every 2 hours");
        assert_eq!(describe(&on(Some(1440), None)), "every day");
        assert_eq!(
            describe(&on(None, Some("0 3 * * *"))),
            "cron 0 3 * * * (UTC)"
        );
    }

    #[test]
    fn a_sentry_check_in_reads_with_its_schedule() {
        let c = check_in(&json!({"check_in_id": "x", "monitor_slug": "Nightly Sync", "status": "in_progress",
            "monitor_config": {"schedule": {"type": "interval", "value": 2, "unit": "hour"}, "checkin_margin": 10, "max_runtime": 60}}))
        .unwrap();
        assert_eq!(c.slug, "nightly-sync");
        assert_eq!(c.ping, Ping::Start);
        let s = c.config.unwrap();
        assert_eq!(
            (s.interval_minutes, s.grace_minutes, s.max_runtime_minutes),
            (Some(120), 10, 60)
        );
        let c = check_in(&json!({"monitor_slug": "sync", "status": "error",
            "monitor_config": {"schedule": {"type": "crontab", "value": "0 3 * * *"}}}))
        .unwrap();
        assert_eq!(c.ping, Ping::Fail);
        assert_eq!(c.config.unwrap().cron.as_deref(), Some("0 3 * * *"));
        assert!(check_in(&json!({"monitor_slug": "sync", "status": "maybe"})).is_none());
        assert!(check_in(&json!({"status": "ok"})).is_none());
        let huge = check_in(&json!({"monitor_slug": "sync", "status": "ok",
            "monitor_config": {"schedule": {"type": "interval", "value": i64::MAX, "unit": "year"}}})).unwrap();
        assert!(huge.config.is_none());
        assert_eq!(slug("  --A b!c--  ").as_deref(), Some("a-b-c"));
        assert_eq!(slug("!!!"), None);
    }
}
