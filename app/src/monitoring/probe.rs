//! (ssr) One run of a health check. Every check shares one HTTP client (its connections are
//! kept alive between runs), whose name resolver applies the outbound guard; an address given
//! as a literal IP is checked before the request. Redirects are followed only on the same
//! host, the body is read up to [`MAX_BODY`], and the whole exchange has the check's timeout.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::model::ErrorClass;
use super::policy::{Limits, Policy};
use crate::entities::environments;
use crate::error::{AppError, Result};
use crate::implementation::model::{HealthCheck, HealthMethod};
use crate::outbound::Guard;

/// How much of a body is read for the assertion.
pub const MAX_BODY: usize = 64 * 1024;
const MAX_MESSAGE: usize = 300;

/// A name that did not resolve, or resolved to an address the guard refuses.
#[derive(Debug)]
struct Unresolved {
    blocked: bool,
    message: String,
}

impl std::fmt::Display for Unresolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Unresolved {}

struct GuardedResolver(Guard);

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = self.0.clone();
        Box::pin(async move {
            let host = name.as_str().to_string();
            let not_found = || Unresolved {
                blocked: false,
                message: format!("The host {host} was not found."),
            };
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|_| not_found())?
                .collect();
            if addrs.is_empty() {
                return Err(not_found().into());
            }
            if let Some(message) = addrs.iter().find_map(|a| guard.refusal(&host, a.ip())) {
                return Err(Unresolved {
                    blocked: true,
                    message,
                }
                .into());
            }
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status_code: Option<i32>,
    pub latency_ms: i32,
    /// Why it failed; `None` when the environment answered as expected.
    pub error: Option<(ErrorClass, String)>,
    /// When the certificate the provider presented expires (HTTPS only).
    pub tls_expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Outcome {
    /// The check passed.
    pub fn up(&self) -> bool {
        self.error.is_none()
    }

    /// A one-line account: the failure, or the status and latency.
    pub fn message(&self) -> String {
        match &self.error {
            Some((_, m)) => m.clone(),
            None => format!(
                "Answered {} in {} ms.",
                self.status_code.unwrap_or_default(),
                self.latency_ms
            ),
        }
    }
}

/// The shared client of every health check.
#[derive(Clone)]
pub struct Prober {
    client: reqwest::Client,
    guard: Guard,
    /// What each environment's rate limit still allows (see [`super::policy`]).
    limits: Limits,
}

fn clip(s: &str) -> String {
    match s.char_indices().nth(MAX_MESSAGE) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The innermost cause of `e`, which says the most.
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

fn classify(e: &reqwest::Error, timeout: Duration) -> (ErrorClass, String) {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    let mut chain = String::new();
    while let Some(err) = cur {
        if let Some(u) = err.downcast_ref::<Unresolved>() {
            let class = if u.blocked {
                ErrorClass::Blocked
            } else {
                ErrorClass::Dns
            };
            return (class, u.message.clone());
        }
        chain.push_str(&format!("{err:?} "));
        cur = err.source();
    }
    let cause = root_cause(e);
    if e.is_timeout() {
        (
            ErrorClass::Timeout,
            format!("No complete answer within {} ms.", timeout.as_millis()),
        )
    } else if chain.contains("rustls")
        || chain.contains("Certificate")
        || chain.contains("certificate")
        || chain.contains("HandshakeFailure")
        || chain.contains("tls")
    {
        (ErrorClass::Tls, clip(&format!("TLS failed: {cause}")))
    } else if e.is_redirect() {
        (ErrorClass::Status, "Too many redirects.".into())
    } else {
        (
            ErrorClass::Connect,
            clip(&format!("Could not connect: {cause}")),
        )
    }
}

/// Whether `body` satisfies the check's assertion; the failure's message otherwise.
fn assertion(c: &HealthCheck, body: &[u8]) -> Option<String> {
    if let Some(k) = c.keyword.as_deref().filter(|k| !k.is_empty()) {
        let text = String::from_utf8_lossy(body);
        return (!text.contains(k)).then(|| format!("The body does not contain \"{k}\"."));
    }
    let pointer = c.pointer.as_deref().filter(|p| !p.is_empty())?;
    let want = c.pointer_value.as_deref().unwrap_or_default();
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Some(format!(
            "The body is not JSON, so {pointer} cannot be read."
        ));
    };
    match json.pointer(pointer) {
        None => Some(format!("The body has nothing at {pointer}.")),
        Some(serde_json::Value::String(s)) if s == want => None,
        // A number or boolean is compared as its JSON text (`true`, `200`).
        Some(v) if !v.is_string() && v.to_string().as_str() == want => None,
        Some(v) => Some(clip(&format!("{pointer} is {v}, expected {want}."))),
    }
}

/// The most idle connections the monitor keeps open to one host.
const IDLE_PER_HOST: usize = 8;

impl Prober {
    /// A prober whose requests pass `guard`.
    ///
    /// # Errors
    /// `Internal` when the HTTP client cannot be built.
    pub fn new(guard: Guard) -> Result<Self> {
        Self::trusting(guard, &[])
    }

    /// A prober that also trusts the certificate authorities in `ca_pem` (PEM, any number of
    /// certificates), for providers whose certificates a private CA signed
    /// (`TOLLGATE_MONITOR_CA_FILE`).
    ///
    /// # Errors
    /// `Validation` on `ca` when the PEM holds no certificate; `Internal` when the HTTP client
    /// cannot be built.
    pub fn trusting(guard: Guard, ca_pem: &[u8]) -> Result<Self> {
        let mut builder = crate::outbound::client_builder();
        if !ca_pem.is_empty() {
            let roots = reqwest::Certificate::from_pem_bundle(ca_pem)
                .ok()
                .filter(|r| !r.is_empty())
                .ok_or_else(|| AppError::field("ca", "No PEM certificate could be read."))?;
            for root in roots {
                builder = builder.add_root_certificate(root);
            }
        }
        let client = builder
            .dns_resolver(Arc::new(GuardedResolver(guard.clone())))
            .redirect(reqwest::redirect::Policy::custom(|attempt| {
                let same_host = attempt
                    .previous()
                    .first()
                    .is_some_and(|first| first.host_str() == attempt.url().host_str());
                if attempt.previous().len() > 5 {
                    attempt.error("too many redirects")
                } else if same_host {
                    attempt.follow()
                } else {
                    attempt.stop()
                }
            }))
            .user_agent(concat!("Tollgate-monitor/", env!("CARGO_PKG_VERSION")))
            // Each environment is checked about once a minute: a few connections kept per
            // host serve that, where a tick's burst of checks to one provider would otherwise
            // keep hundreds open (and their buffers) between checks.
            .pool_max_idle_per_host(IDLE_PER_HOST)
            .tls_info(true)
            .build()
            .map_err(|e| AppError::internal("probe client", e))?;
        Ok(Prober {
            client,
            guard,
            limits: Limits::default(),
        })
    }

    /// Runs check `c` against the environment at `base_url`.
    pub async fn check(&self, base_url: &str, c: &HealthCheck) -> Outcome {
        let timeout = Duration::from_millis(u64::try_from(c.timeout_ms.max(1)).unwrap_or(5_000));
        let start = Instant::now();
        let failed = |class, message: String, start: Instant| Outcome {
            status_code: None,
            latency_ms: elapsed_ms(start),
            error: Some((class, message)),
            tls_expires_at: None,
        };
        let url = if c.path.starts_with('/') {
            format!("{}{}", base_url.trim_end_matches('/'), c.path)
        } else {
            c.path.clone()
        };
        let Ok(parsed) = reqwest::Url::parse(&url) else {
            return failed(
                ErrorClass::Connect,
                format!("{url} is not a valid address."),
                start,
            );
        };
        if let Some(host) = parsed.host_str() {
            let bare = host.trim_start_matches('[').trim_end_matches(']');
            if let Ok(ip) = bare.parse::<IpAddr>()
                && let Some(message) = self.guard.refusal(host, ip)
            {
                return failed(ErrorClass::Blocked, message, start);
            }
        }
        let method = match c.method {
            HealthMethod::Get => reqwest::Method::GET,
            HealthMethod::Head => reqwest::Method::HEAD,
            HealthMethod::Post => reqwest::Method::POST,
        };
        let sent = self
            .client
            .request(method, parsed)
            .timeout(timeout)
            .send()
            .await;
        let mut res = match sent {
            Ok(res) => res,
            Err(e) => {
                let (class, message) = classify(&e, timeout);
                return failed(class, message, start);
            }
        };
        let status = i32::from(res.status().as_u16());
        let tls_expires_at = res
            .extensions()
            .get::<reqwest::tls::TlsInfo>()
            .and_then(reqwest::tls::TlsInfo::peer_certificate)
            .and_then(super::tls::not_after);
        let mut body = Vec::new();
        loop {
            match res.chunk().await {
                Ok(Some(chunk)) => {
                    let room = MAX_BODY - body.len();
                    body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    if body.len() >= MAX_BODY {
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let (class, message) = classify(&e, timeout);
                    return Outcome {
                        status_code: Some(status),
                        tls_expires_at,
                        ..failed(class, message, start)
                    };
                }
            }
        }
        let latency_ms = elapsed_ms(start);
        let error = if status != c.expected_status {
            let note = if (300..400).contains(&status) {
                " (a redirect to another host is not followed)"
            } else {
                ""
            };
            Some((
                ErrorClass::Status,
                format!("Answered {status}, expected {}{note}.", c.expected_status),
            ))
        } else {
            assertion(c, &body).map(|m| (ErrorClass::Assertion, m))
        };
        Outcome {
            status_code: Some(status),
            latency_ms,
            error,
            tls_expires_at,
        }
    }
}

fn elapsed_ms(start: Instant) -> i32 {
    i32::try_from(start.elapsed().as_millis()).unwrap_or(i32::MAX)
}

/// Whether another try may find the provider well: it was unreachable or slow, or said it
/// could not answer now (5xx, 429). A refused address, a bad certificate, a 4xx or a failed
/// assertion will fail again.
fn transient(o: &Outcome) -> bool {
    match &o.error {
        Some((ErrorClass::Dns | ErrorClass::Connect | ErrorClass::Timeout, _)) => true,
        Some((ErrorClass::Status, _)) => o.status_code.is_some_and(|s| s >= 500 || s == 429),
        _ => false,
    }
}

/// `o` with how many attempts it took, when it failed after more than one.
fn after(mut o: Outcome, attempts: u32, note: &str) -> Outcome {
    if let Some((_, message)) = o.error.as_mut()
        && attempts > 1
    {
        message.push_str(&format!(" (after {attempts} attempts{note})"));
    }
    o
}

impl Prober {
    /// Runs `check` against environment `env` as its settings say ([`Policy`]): within its
    /// timeout (or the check's own, when shorter); again after a transient failure, as many
    /// times as its retry attempts allow, waiting its backoff; and never more often than its
    /// rate limit.
    pub async fn probe(&self, env: &environments::Model, check: &HealthCheck) -> Outcome {
        let policy = Policy::of(env);
        let mut check = check.clone();
        check.timeout_ms = check.timeout_ms.min(policy.timeout_ms);
        let limit = policy.rate_limit.and_then(|r| self.limits.of(env.id, r));
        let wait = Duration::from_millis(u64::try_from(check.timeout_ms).unwrap_or(5_000));
        if let Some(limit) = &limit
            && tokio::time::timeout(wait, limit.until_ready())
                .await
                .is_err()
        {
            let (requests, seconds) = policy.rate_limit.unwrap_or_default();
            return Outcome {
                status_code: None,
                latency_ms: check.timeout_ms,
                error: Some((
                    ErrorClass::RateLimited,
                    format!(
                        "Not sent: the environment's rate limit ({requests} per {seconds} s) was used up for longer than the timeout."
                    ),
                )),
                tls_expires_at: None,
            };
        }
        let mut attempts = 1;
        loop {
            let outcome = self.check(&env.base_url, &check).await;
            if outcome.up() || attempts > policy.retry_attempts as u32 || !transient(&outcome) {
                return after(outcome, attempts, "");
            }
            tokio::time::sleep(policy.backoff(attempts)).await;
            if let Some(limit) = &limit
                && limit.check().is_err()
            {
                return after(outcome, attempts, "; the rate limit allows no more");
            }
            attempts += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(keyword: Option<&str>, pointer: Option<(&str, &str)>) -> HealthCheck {
        HealthCheck {
            method: HealthMethod::Get,
            path: "/health".into(),
            expected_status: 200,
            keyword: keyword.map(Into::into),
            pointer: pointer.map(|p| p.0.into()),
            pointer_value: pointer.map(|p| p.1.into()),
            interval_seconds: 60,
            timeout_ms: 1000,
        }
    }

    #[test]
    fn assertions_read_a_keyword_or_a_json_pointer() {
        let body = br#"{"status": "ok", "checks": {"db": true, "queue": 3}}"#;
        assert_eq!(assertion(&check(None, None), body), None);
        assert_eq!(assertion(&check(Some("\"ok\""), None), body), None);
        assert_eq!(
            assertion(&check(Some("healthy"), None), body).as_deref(),
            Some("The body does not contain \"healthy\".")
        );
        assert_eq!(assertion(&check(None, Some(("/status", "ok"))), body), None);
        assert_eq!(
            assertion(&check(None, Some(("/checks/db", "true"))), body),
            None
        );
        assert_eq!(
            assertion(&check(None, Some(("/checks/queue", "3"))), body),
            None
        );
        assert_eq!(
            assertion(&check(None, Some(("/status", "down"))), body).as_deref(),
            Some("/status is \"ok\", expected down.")
        );
        assert_eq!(
            assertion(&check(None, Some(("/missing", "x"))), body).as_deref(),
            Some("The body has nothing at /missing.")
        );
        assert_eq!(
            assertion(&check(None, Some(("/status", "ok"))), b"<html>").as_deref(),
            Some("The body is not JSON, so /status cannot be read.")
        );
    }

    #[tokio::test]
    async fn internal_addresses_are_blocked_before_any_request() {
        let prober = Prober::new(Guard::default()).expect("prober");
        let out = prober.check("http://127.0.0.1:9", &check(None, None)).await;
        assert_eq!(
            out.error.as_ref().map(|e| e.0),
            Some(ErrorClass::Blocked),
            "{out:?}"
        );
        let out = prober.check("http://localhost:9", &check(None, None)).await;
        assert_eq!(
            out.error.as_ref().map(|e| e.0),
            Some(ErrorClass::Blocked),
            "a name resolving to loopback: {out:?}"
        );
        let out = prober
            .check("http://no-such-host.invalid", &check(None, None))
            .await;
        assert_eq!(
            out.error.as_ref().map(|e| e.0),
            Some(ErrorClass::Dns),
            "{out:?}"
        );
    }
}
