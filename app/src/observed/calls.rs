//! (ssr) Provider calls in what an SDK sent, pure: the `http.client` spans of a Sentry
//! transaction, or of a container of streamed spans (sentry-sdk 3), as calls (method, URL,
//! latency, whether it failed, when), and which operation of the
//! provider's spec a call made on an environment is: same origin as the environment's base
//! URL, then method and path against each operation's path template, a literal segment
//! beating a parameter (`/v1/charges/search` before `/v1/charges/{charge}`). Bounded: a
//! transaction gives at most [`SPANS`] calls.

use chrono::{DateTime, TimeZone, Utc};
use reqwest::Url;
use serde_json::Value;

/// The most spans read from one transaction (Sentry's SDKs keep 1,000).
pub const SPANS: usize = 1_000;

/// One call to a provider, as a span recorded it.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// Upper case.
    pub method: String,
    pub url: String,
    pub millis: f64,
    pub failed: bool,
    pub at: DateTime<Utc>,
}

/// An operation of the integration's specs (their latest versions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub spec_id: i32,
    /// Upper case.
    pub method: String,
    /// As the spec writes it: `/v1/charges/{charge}`.
    pub path: String,
    /// With parameter names erased: `/v1/charges/{}`.
    pub template: String,
}

/// A time as Sentry writes one: seconds since the epoch, or RFC 3339.
fn time(v: &Value) -> Option<DateTime<Utc>> {
    match v {
        Value::Number(n) => {
            let s = n.as_f64()?;
            if !(0.0..=1e11).contains(&s) {
                return None;
            }
            #[allow(clippy::cast_possible_truncation)]
            Utc.timestamp_micros((s * 1e6) as i64).single()
        }
        Value::String(s) => DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc)),
        _ => None,
    }
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// A span's fields that make a call, whichever form it came in.
struct Fields<'a> {
    op: Option<&'a str>,
    /// `GET https://…` (a transaction's span's `description`, a streamed span's `name`).
    description: &'a str,
    method: Option<&'a str>,
    url: Option<&'a str>,
    code: Option<&'a Value>,
    status: Option<&'a str>,
    start: Option<&'a Value>,
    end: Option<&'a Value>,
}

/// A span of a transaction (`op`, `description`, `data`, `timestamp`).
fn of_transaction(s: &Value) -> Fields<'_> {
    let data = s.get("data").unwrap_or(&Value::Null);
    Fields {
        op: text(s, "op"),
        description: text(s, "description").unwrap_or_default(),
        method: text(data, "http.request.method").or_else(|| text(data, "http.method")),
        url: text(data, "url").or_else(|| text(data, "url.full")),
        code: data
            .get("http.response.status_code")
            .or_else(|| data.get("status_code")),
        status: text(s, "status"),
        start: s.get("start_timestamp"),
        end: s.get("timestamp"),
    }
}

/// A streamed span (`{"version": 2, "items": [...]}`, what sentry-sdk 3 sends): its
/// attributes are `{"value": ..., "type": ...}`.
fn of_stream(s: &Value) -> Fields<'_> {
    let attr = |key: &str| {
        s.get("attributes")
            .and_then(|a| a.get(key))
            .and_then(|a| a.get("value"))
    };
    let attr_text = |key: &str| attr(key).and_then(Value::as_str);
    Fields {
        op: attr_text("sentry.op"),
        description: text(s, "name").unwrap_or_default(),
        method: attr_text("http.request.method").or_else(|| attr_text("http.method")),
        url: attr_text("url.full").or_else(|| attr_text("url")),
        code: attr("http.response.status_code"),
        status: text(s, "status"),
        start: s.get("start_timestamp"),
        end: s.get("end_timestamp"),
    }
}

fn call(f: &Fields<'_>) -> Option<Call> {
    if f.op != Some("http.client") {
        return None;
    }
    let (method_in_description, url_in_description) =
        f.description.split_once(' ').unwrap_or(("", f.description));
    let method = f
        .method
        .unwrap_or(method_in_description)
        .trim()
        .to_ascii_uppercase();
    let url = f.url.unwrap_or(url_in_description).trim();
    let (start, end) = (time(f.start?)?, time(f.end?)?);
    if method.is_empty() || method.len() > 10 || url.is_empty() || end < start {
        return None;
    }
    let code = f
        .code
        .and_then(|c| c.as_i64().or_else(|| c.as_str()?.parse().ok()));
    let failed = match code {
        Some(code) => code >= 400,
        None => f.status.is_some_and(|st| st != "ok"),
    };
    #[allow(clippy::cast_precision_loss)]
    let millis = (end - start).num_microseconds()? as f64 / 1000.0;
    Some(Call {
        method,
        url: url.chars().take(2_000).collect(),
        millis,
        failed,
        at: end,
    })
}

/// The `http.client` spans in `v` as calls: a transaction's `spans`, or a container of
/// streamed spans' `items`. A span without a method and URL, or its times, is left out.
pub fn calls(v: &Value) -> Vec<Call> {
    let list = |key: &str| v.get(key).and_then(Value::as_array);
    if let Some(spans) = list("spans") {
        spans
            .iter()
            .take(SPANS)
            .filter_map(|s| call(&of_transaction(s)))
            .collect()
    } else if let Some(items) = list("items") {
        items
            .iter()
            .take(SPANS)
            .filter_map(|s| call(&of_stream(s)))
            .collect()
    } else {
        Vec::new()
    }
}

/// How many literal segments `pattern` (a spec path) matches `path` with; none when it does
/// not match. `{name}` stands for one segment, or part of one (`/files/{name}.json`).
fn score(pattern: &str, path: &str) -> Option<usize> {
    let (ps, xs): (Vec<&str>, Vec<&str>) = (
        pattern.trim_end_matches('/').split('/').collect(),
        path.trim_end_matches('/').split('/').collect(),
    );
    if ps.len() != xs.len() {
        return None;
    }
    let mut literal = 0;
    for (p, x) in ps.iter().zip(&xs) {
        match (p.find('{'), p.rfind('}')) {
            (Some(open), Some(close)) if open < close => {
                let (prefix, suffix) = (&p[..open], &p[close + 1..]);
                if x.len() <= prefix.len() + suffix.len()
                    || !x.starts_with(prefix)
                    || !x.ends_with(suffix)
                {
                    return None;
                }
            }
            _ if p == x => literal += 1,
            _ => return None,
        }
    }
    Some(literal)
}

/// The operation of `ops` that a `method` call to `url` is, on an environment whose base URL
/// is `base`: none when the call goes elsewhere or matches no operation. A spec's paths may
/// include the base URL's path or not; both are tried.
pub fn operation_of<'a>(
    ops: &'a [Operation],
    base: &Url,
    method: &str,
    url: &str,
) -> Option<&'a Operation> {
    let called = Url::parse(url).ok()?;
    if called.scheme() != base.scheme()
        || called.host_str() != base.host_str()
        || called.port_or_known_default() != base.port_or_known_default()
    {
        return None;
    }
    let path = called.path();
    let prefix = base.path().trim_end_matches('/');
    let within = path
        .strip_prefix(prefix)
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))?;
    let within = if within.is_empty() { "/" } else { within };
    ops.iter()
        .filter(|o| o.method == method)
        .filter_map(|o| {
            let full = score(&o.path, path);
            let relative = score(&o.path, within);
            full.max(relative).map(|s| (s, o))
        })
        .max_by_key(|(s, o)| (*s, std::cmp::Reverse(o.path.len())))
        .map(|(_, o)| o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn op(method: &str, path: &str) -> Operation {
        Operation {
            spec_id: 1,
            method: method.into(),
            path: path.into(),
            template: crate::specs::model::template(path),
        }
    }

    #[test]
    fn a_call_is_matched_to_its_operation_by_path_template() {
        let ops = [
            op("POST", "/v1/charges"),
            op("GET", "/v1/charges/{charge}"),
            op("GET", "/v1/charges/search"),
            op("GET", "/v1/files/{name}.json"),
        ];
        let base = Url::parse("https://api.stripe.example").unwrap();
        let of = |m: &str, u: &str| operation_of(&ops, &base, m, u).map(|o| o.path.as_str());
        assert_eq!(
            of("POST", "https://api.stripe.example/v1/charges"),
            Some("/v1/charges")
        );
        assert_eq!(
            of(
                "GET",
                "https://api.stripe.example/v1/charges/ch_123?expand=x"
            ),
            Some("/v1/charges/{charge}")
        );
        assert_eq!(
            of("GET", "https://api.stripe.example/v1/charges/search"),
            Some("/v1/charges/search")
        );
        assert_eq!(
            of("GET", "https://api.stripe.example/v1/files/report.json"),
            Some("/v1/files/{name}.json")
        );
        assert_eq!(
            of("DELETE", "https://api.stripe.example/v1/charges"),
            None,
            "no such method"
        );
        assert_eq!(
            of("POST", "https://other.example/v1/charges"),
            None,
            "another host"
        );
        assert_eq!(
            of("POST", "http://api.stripe.example/v1/charges"),
            None,
            "another scheme"
        );
        assert_eq!(
            of("GET", "https://api.stripe.example/v1/charges/ch_1/refunds"),
            None
        );
        // A base URL with a path: the spec's paths may leave it out.
        let base = Url::parse("https://api.example.com/payments/").unwrap();
        let ops = [op("POST", "/v1/charges")];
        assert!(
            operation_of(
                &ops,
                &base,
                "POST",
                "https://api.example.com/payments/v1/charges"
            )
            .is_some()
        );
        assert!(operation_of(&ops, &base, "POST", "https://api.example.com/v1/charges").is_none());
    }

    #[test]
    fn http_client_spans_become_calls() {
        let t = json!({"type": "transaction", "spans": [
            {"op": "http.client", "description": "POST https://api.stripe.example/v1/charges",
             "start_timestamp": 1_780_000_000.0, "timestamp": 1_780_000_000.25,
             "data": {"http.response.status_code": 402}},
            {"op": "http.client", "description": "GET https://api.stripe.example/v1/charges/ch_1",
             "start_timestamp": "2026-05-28T20:26:40Z", "timestamp": "2026-05-28T20:26:40.040Z",
             "data": {"url": "https://api.stripe.example/v1/charges/ch_1", "http.method": "get"}, "status": "ok"},
            {"op": "db.query", "description": "SELECT 1", "start_timestamp": 1.0, "timestamp": 2.0},
            {"op": "http.client", "description": "GET", "start_timestamp": 1.0, "timestamp": 2.0},
            {"op": "http.client", "description": "GET https://x.example/", "start_timestamp": 3.0, "timestamp": 2.0},
        ]});
        let c = calls(&t);
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].method.as_str(), c[0].failed), ("POST", true));
        assert!((c[0].millis - 250.0).abs() < 0.01);
        assert_eq!((c[1].method.as_str(), c[1].failed), ("GET", false));
        assert!((c[1].millis - 40.0).abs() < 0.01);
        assert!(calls(&json!({"spans": "no"})).is_empty());
        // Streamed, as sentry-sdk 3 sends them.
        let streamed = json!({"version": 2, "items": [
            {"name": "GET http://127.0.0.1:9/v1/refunds/re_1", "status": "ok", "start_timestamp": 1_796_684_501.0, "end_timestamp": 1_796_684_501.5,
             "attributes": {"sentry.op": {"value": "http.client", "type": "string"}, "http.request.method": {"value": "GET", "type": "string"},
                "url.full": {"value": "http://127.0.0.1:9/v1/refunds/re_1", "type": "string"}, "http.response.status_code": {"value": 503, "type": "integer"}}},
            {"name": "refund-sync", "status": "ok", "is_segment": true, "start_timestamp": 1.0, "end_timestamp": 2.0, "attributes": {}},
        ]});
        let c = calls(&streamed);
        assert_eq!(c.len(), 1);
        assert_eq!(
            (c[0].method.as_str(), c[0].url.as_str(), c[0].failed),
            ("GET", "http://127.0.0.1:9/v1/refunds/re_1", true)
        );
        assert!((c[0].millis - 500.0).abs() < 0.01);
    }
}
