//! (ssr) A Sentry event (what an SDK sends as an `event` item, or to the legacy store
//! endpoint) as an error event of Tollgate's: its level, its exception's type and value (or
//! its message), its time, the provider's answer when the SDK saw one, and a context that
//! keeps the stack's innermost frames, the latest breadcrumbs, the tags, the release and the
//! SDK's own fingerprint, within the context's limit. The user (and so their IP address) is
//! not kept. Pure and total: whatever JSON arrives, an event comes out, and the events room
//! checks it and redacts its secrets as it does every other.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::events::model::EventIn;
use crate::limits::EVENT_CONTEXT_BYTES;

/// The most stack frames kept (the innermost, where it failed).
pub const FRAMES_KEPT: usize = 30;
/// The most breadcrumbs kept (the latest).
pub const BREADCRUMBS_KEPT: usize = 30;

/// `s` with its control characters (bar tab and newline) made spaces, cut to `max`
/// characters: an SDK's text is kept, never refused for its form.
fn clean(s: &str, max: usize) -> String {
    s.trim()
        .chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n') {
                ' '
            } else {
                c
            }
        })
        .take(max)
        .collect()
}

/// The string at `v`, if it is one.
fn text<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// The exception raised: the last of `exception.values` (or of `exception`, the older form).
fn exception(v: &Value) -> Option<&Value> {
    let list = v.get("exception")?;
    let values = list.get("values").unwrap_or(list).as_array()?;
    values.last()
}

/// The level as Tollgate names it: fatal and error are errors, debug and log are info.
fn level(v: &Value) -> &'static str {
    match v.get("level").and_then(Value::as_str).unwrap_or("error") {
        "warning" => "warning",
        "info" | "debug" | "log" => "info",
        _ => "error",
    }
}

/// The event's time as RFC 3339, from seconds since the epoch or RFC 3339; none (the time
/// it arrived) when absent, unreadable or later than `now` (clocks drift).
fn time(v: &Value, now: DateTime<Utc>) -> Option<String> {
    let at = match v.get("timestamp")? {
        Value::Number(n) => {
            let secs = n.as_f64()?;
            #[allow(clippy::cast_possible_truncation)]
            DateTime::from_timestamp_millis((secs * 1000.0) as i64)?
        }
        Value::String(s) => DateTime::parse_from_rfc3339(s).ok()?.with_timezone(&Utc),
        _ => return None,
    };
    (at <= now).then(|| at.to_rfc3339())
}

/// The innermost [`FRAMES_KEPT`] frames of `exception`, each with where it ran.
fn frames(exception: Option<&Value>) -> Vec<Value> {
    let Some(list) = exception
        .and_then(|e| e.pointer("/stacktrace/frames"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    list[list.len().saturating_sub(FRAMES_KEPT)..]
        .iter()
        .map(|f| {
            let mut kept = Map::new();
            for key in [
                "function", "module", "filename", "lineno", "colno", "in_app",
            ] {
                match f.get(key) {
                    Some(Value::String(s)) => {
                        kept.insert(key.into(), Value::String(clean(s, 300)));
                    }
                    Some(v @ (Value::Number(_) | Value::Bool(_))) => {
                        kept.insert(key.into(), v.clone());
                    }
                    _ => {}
                }
            }
            Value::Object(kept)
        })
        .collect()
}

/// The latest [`BREADCRUMBS_KEPT`] breadcrumbs, each with when, what kind and what it said.
fn breadcrumbs(v: &Value) -> Vec<Value> {
    let Some(list) = v
        .get("breadcrumbs")
        .and_then(|b| b.get("values").unwrap_or(b).as_array().map(Vec::as_slice))
    else {
        return Vec::new();
    };
    list[list.len().saturating_sub(BREADCRUMBS_KEPT)..]
        .iter()
        .map(|b| {
            let mut kept = Map::new();
            for key in ["timestamp", "category", "type", "level", "message"] {
                match b.get(key) {
                    Some(Value::String(s)) => {
                        kept.insert(key.into(), Value::String(clean(s, 500)));
                    }
                    Some(v @ Value::Number(_)) => {
                        kept.insert(key.into(), v.clone());
                    }
                    _ => {}
                }
            }
            Value::Object(kept)
        })
        .collect()
}

/// The tags, as (name, value) strings: SDKs send an object or a list of pairs.
fn tags(v: &Value) -> Map<String, Value> {
    let pairs: Vec<(String, String)> = match v.get("tags") {
        Some(Value::Object(m)) => m
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect(),
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|p| {
                let p = p.as_array()?;
                Some((
                    p.first()?.as_str()?.to_string(),
                    p.get(1)?.as_str()?.to_string(),
                ))
            })
            .collect(),
        _ => Vec::new(),
    };
    pairs
        .into_iter()
        .take(50)
        .map(|(k, v)| (clean(&k, 100), Value::String(clean(&v, 200))))
        .collect()
}

/// The context kept of `v`: what the group's page shows beside the message. Breadcrumbs and
/// then frames are dropped, oldest and outermost first, until it fits the context's limit.
fn context(v: &Value, exception: Option<&Value>) -> Value {
    let mut frames = frames(exception);
    let mut crumbs = breadcrumbs(v);
    let mut fingerprint: Vec<Value> = v
        .get("fingerprint")
        .and_then(Value::as_array)
        .map(|f| {
            f.iter()
                .filter_map(Value::as_str)
                .take(10)
                .map(|s| Value::String(clean(s, 200)))
                .collect()
        })
        .unwrap_or_default();
    let tags = tags(v);
    let short = |p: &str| text(v, p).map(|s| clean(s, 200));
    loop {
        let built = json!({
            "sentry": {
                "event_id": short("/event_id"),
                "platform": short("/platform"),
                "release": short("/release"),
                "environment": short("/environment"),
                "transaction": short("/transaction"),
                "sdk": short("/sdk/name").map(|n| format!("{n} {}", short("/sdk/version").unwrap_or_default())),
                "fingerprint": fingerprint,
                "tags": tags,
                "frames": frames,
                "breadcrumbs": crumbs,
            }
        });
        // Half the limit, so the leak guard's placeholders cannot push it over.
        if built.to_string().len() <= EVENT_CONTEXT_BYTES / 2 {
            return built;
        }
        if !crumbs.is_empty() {
            crumbs.remove(0);
        } else if !frames.is_empty() {
            frames.remove(0);
        } else {
            fingerprint.clear();
            return json!({"sentry": {"tags": {}, "frames": [], "breadcrumbs": []}});
        }
    }
}

/// The SDK's event `v`, arrived at `now`, as an error event of environment `environment`.
pub fn to_event(v: &Value, environment: &str, now: DateTime<Utc>) -> EventIn {
    let exception = exception(v);
    let error_type = exception
        .and_then(|e| text(e, "/type"))
        .map(|s| clean(s, 200))
        .unwrap_or_default();
    let message = exception
        .and_then(|e| text(e, "/value"))
        .or_else(|| text(v, "/logentry/formatted"))
        .or_else(|| text(v, "/logentry/message"))
        .or_else(|| text(v, "/message/formatted"))
        .or_else(|| text(v, "/message/message"))
        .or_else(|| text(v, "/message"))
        .map(|s| clean(s, 4000))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            if error_type.is_empty() {
                "(no message)".to_string()
            } else {
                error_type.clone()
            }
        });
    let operation = tags(v)
        .get("operation")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let http_status = v
        .pointer("/contexts/response/status_code")
        .and_then(Value::as_i64)
        .filter(|s| (100..=599).contains(s))
        .and_then(|s| i32::try_from(s).ok());
    EventIn {
        level: level(v).into(),
        message,
        error_type,
        operation,
        http_status,
        latency_ms: None,
        environment: clean(environment, 100),
        time: time(v, now),
        context: Some(context(v, exception)),
        fingerprint: v
            .get("fingerprint")
            .and_then(Value::as_array)
            .map(|f| {
                f.iter()
                    .filter_map(Value::as_str)
                    .map(|s| clean(s, 200))
                    .filter(|s| !s.is_empty())
                    .take(10)
                    .collect()
            })
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exception_becomes_its_type_value_frames_and_breadcrumbs() {
        let now = Utc::now();
        let v = json!({
            "event_id": "9ec79c33ec9942ab8353589fcb2e04dc",
            "level": "fatal",
            "platform": "python",
            "release": "shop@1.4.2",
            "timestamp": 1_780_000_000.5,
            "tags": {"operation": "POST /v1/charges", "region": "eu"},
            "fingerprint": ["card-declined"],
            "user": {"ip_address": "203.0.113.9"},
            "exception": {"values": [
                {"type": "KeyError", "value": "inner"},
                {"type": "CardDeclined", "value": "Card\u{0}declined for ch_123",
                 "stacktrace": {"frames": [
                    {"function": "main", "filename": "app.py", "lineno": 3},
                    {"function": "charge", "filename": "pay.py", "lineno": 42, "in_app": true,
                     "vars": {"key": "sk_live_secret"}}
                 ]}}
            ]},
            "breadcrumbs": {"values": [{"category": "http", "message": "POST /v1/charges 402"}]},
            "contexts": {"response": {"status_code": 402}}
        });
        let e = to_event(&v, "production", now);
        assert_eq!(e.level, "error");
        assert_eq!(e.error_type, "CardDeclined");
        assert_eq!(e.message, "Card declined for ch_123");
        assert_eq!(e.operation, "POST /v1/charges");
        assert_eq!(e.http_status, Some(402));
        assert_eq!(e.environment, "production");
        assert!(e.time.as_deref().unwrap().starts_with("2026-05-28"));
        let c = e.context.unwrap().to_string();
        for kept in [
            "pay.py",
            "\"lineno\":42",
            "POST /v1/charges 402",
            "card-declined",
            "shop@1.4.2",
            "region",
        ] {
            assert!(c.contains(kept), "{kept} not in {c}");
        }
        for dropped in ["203.0.113.9", "sk_live_secret", "vars"] {
            assert!(!c.contains(dropped), "{dropped} in {c}");
        }
    }

    #[test]
    fn a_message_event_and_a_huge_one_still_make_an_event_within_the_limits() {
        let now = Utc::now();
        let e = to_event(
            &json!({"message": "hello", "level": "debug", "timestamp": "2999-01-01T00:00:00Z"}),
            "staging",
            now,
        );
        assert_eq!(
            (e.message.as_str(), e.level.as_str(), e.time),
            ("hello", "info", None)
        );
        assert_eq!(to_event(&json!(null), "x", now).message, "(no message)");
        let frames: Vec<Value> = (0..5000)
            .map(|i| json!({"function": format!("f{i}"), "filename": "x".repeat(250)}))
            .collect();
        let crumbs: Vec<Value> = (0..5000)
            .map(|i| json!({"message": format!("{i}{}", "y".repeat(400))}))
            .collect();
        let v = json!({"exception": [{"type": "T", "value": "v".repeat(10_000), "stacktrace": {"frames": frames}}],
                       "breadcrumbs": crumbs});
        let e = to_event(&v, "production", now);
        assert_eq!(e.message.chars().count(), 4000);
        let c = e.context.unwrap().to_string();
        assert!(c.len() <= EVENT_CONTEXT_BYTES / 2, "{}", c.len());
        assert!(c.contains("f4999"), "the innermost frame is kept");
    }
}
