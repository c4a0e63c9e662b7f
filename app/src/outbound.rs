//! (ssr) The outbound guard. Every server-side fetch (a spec imported by URL now, health
//! probes later) goes through it. After name resolution it refuses loopback, private, shared
//! (carrier-grade NAT), link-local (which holds the cloud metadata address 169.254.169.254),
//! unspecified, multicast and broadcast addresses, and their IPv6 counterparts, so nobody can
//! aim Tollgate at its own network. Hosts named in `TOLLGATE_OUTBOUND_ALLOW` are let through
//! (tests and the demo allow 127.0.0.1). The connection goes to the address that was checked,
//! so a second lookup cannot rebind it; redirects are not followed; the body is read up to a
//! cap and within a time limit. Every outbound client is built by [`client_builder`], which
//! ignores `HTTP(S)_PROXY` and `ALL_PROXY`: a proxy would connect on Tollgate's behalf to
//! whatever address it resolves, past the pinning.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use crate::error::{AppError, Result};

/// Which hosts may be fetched although their addresses are internal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Guard {
    allow: Vec<String>,
}

/// Why an address is refused, or `None` when it is public.
pub fn refused(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => refused_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => refused_v4(v4),
            None => refused_v6(v6),
        },
    }
}

/// The start of every outbound HTTP client: no proxy from the environment.
pub fn client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder().no_proxy()
}

fn refused_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, ..] = ip.octets();
    if ip.is_loopback() {
        Some("a loopback address")
    } else if ip.is_private() {
        Some("a private address")
    } else if ip == Ipv4Addr::new(169, 254, 169, 254) {
        Some("the cloud metadata address")
    } else if ip.is_link_local() {
        Some("a link-local address")
    } else if a == 100 && (64..128).contains(&b) {
        Some("a shared (carrier-grade NAT) address")
    } else if a == 198 && (18..20).contains(&b) {
        Some("a benchmarking address")
    } else if ip.is_unspecified() || a == 0 {
        Some("an unspecified address")
    } else if ip.is_multicast() || ip.is_broadcast() || a >= 240 {
        Some("a multicast or reserved address")
    } else {
        None
    }
}

fn refused_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let seg = ip.segments();
    let first = seg[0];
    if seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        // 64:ff9b::/96: NAT64 translates it to the IPv4 address in its last 32 bits.
        Some("a NAT64 address")
    } else if first == 0x2002 {
        // 2002::/16: 6to4 tunnels to the IPv4 address in bits 16 to 48.
        Some("a 6to4 address")
    } else if seg[..6] == [0; 6] && !ip.is_loopback() && !ip.is_unspecified() {
        // ::a.b.c.d, the deprecated IPv4-compatible form.
        Some("an IPv4-compatible address")
    } else if first & 0xffc0 == 0xfec0 {
        Some("a site-local address")
    } else if ip.is_loopback() {
        Some("a loopback address")
    } else if ip.is_unspecified() {
        Some("an unspecified address")
    } else if first & 0xfe00 == 0xfc00 {
        // fc00::/7, which holds AWS's metadata address fd00:ec2::254.
        Some("a private address")
    } else if first & 0xffc0 == 0xfe80 {
        Some("a link-local address")
    } else if ip.is_multicast() {
        Some("a multicast or reserved address")
    } else {
        None
    }
}

impl Guard {
    /// A guard letting through the hosts or addresses in `allow`.
    pub fn new(allow: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Guard {
            allow: allow
                .into_iter()
                .map(|h| h.into().trim().to_ascii_lowercase())
                .filter(|h| !h.is_empty())
                .collect(),
        }
    }

    fn allows(&self, host: &str, ip: IpAddr) -> bool {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        self.allow
            .iter()
            .any(|a| a.eq_ignore_ascii_case(host) || *a == ip.to_string())
    }

    /// Resolves `url`'s host and checks every address; the addresses to connect to.
    ///
    /// # Errors
    /// `Validation` on `field`: not an http(s) URL, no such host, or an internal address.
    pub async fn check(&self, field: &str, url: &reqwest::Url) -> Result<Vec<SocketAddr>> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(AppError::field(
                field,
                "Give an address starting with https:// or http://.",
            ));
        }
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| AppError::field(field, "The address names no host."))?;
        let port = url.port_or_known_default().unwrap_or(443);
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let addrs: Vec<SocketAddr> = match bare.parse::<IpAddr>() {
            Ok(ip) => vec![SocketAddr::new(ip, port)],
            Err(_) => tokio::net::lookup_host((bare, port))
                .await
                .map_err(|_| AppError::field(field, format!("The host {host} was not found.")))?
                .collect(),
        };
        if addrs.is_empty() {
            return Err(AppError::field(
                field,
                format!("The host {host} was not found."),
            ));
        }
        for a in &addrs {
            if let Some(why) = self.refusal(host, a.ip()) {
                return Err(AppError::field(field, why));
            }
        }
        Ok(addrs)
    }

    /// Why `host` may not be reached at `ip`, or `None` when it may.
    pub fn refusal(&self, host: &str, ip: IpAddr) -> Option<String> {
        let why = refused(ip)?;
        (!self.allows(host, ip)).then(|| {
            format!(
                "Tollgate does not fetch from {host}: it resolves to {why} ({ip}). An administrator can allow the host with TOLLGATE_OUTBOUND_ALLOW."
            )
        })
    }

    /// GETs `url` through the guard: at most `max` bytes within `timeout`; redirects are
    /// refused, not followed.
    ///
    /// # Errors
    /// `Validation` on `field` naming what went wrong.
    pub async fn fetch(
        &self,
        field: &str,
        url: &str,
        max: usize,
        timeout: Duration,
    ) -> Result<Vec<u8>> {
        let parsed = reqwest::Url::parse(url.trim()).map_err(|_| {
            AppError::field(
                field,
                "Give a full address, such as https://example.com/openapi.yaml.",
            )
        })?;
        let addrs = self.check(field, &parsed).await?;
        let host = parsed.host_str().unwrap_or_default().to_string();
        let client = client_builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .resolve_to_addrs(&host, &addrs)
            .user_agent(concat!("Tollgate/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| AppError::internal("outbound client", e))?;
        let failed = |e: reqwest::Error| {
            let what = if e.is_timeout() {
                format!(
                    "{host} did not answer within {} seconds.",
                    timeout.as_secs()
                )
            } else if e.is_connect() {
                format!("Could not connect to {host}.")
            } else {
                format!("Fetching from {host} failed.")
            };
            AppError::field(field, what)
        };
        let mut res = client.get(parsed).send().await.map_err(failed)?;
        let status = res.status();
        if status.is_redirection() {
            return Err(AppError::field(
                field,
                format!("{host} answered with a redirect ({status}); give the final address."),
            ));
        }
        if !status.is_success() {
            return Err(AppError::field(field, format!("{host} answered {status}.")));
        }
        let too_large = || {
            AppError::field(
                field,
                format!("The document is larger than {} MB.", max / (1024 * 1024)),
            )
        };
        if res.content_length().is_some_and(|n| n > max as u64) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = res.chunk().await.map_err(failed)? {
            if body.len() + chunk.len() > max {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_refused_and_public_ones_pass() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "169.254.10.10",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00:ec2::254",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "198.18.0.1",
            "198.19.255.254",
            "64:ff9b::7f00:1",
            "64:ff9b::808:808",
            "2002:7f00:1::1",
            "2002:c0a8:101::1",
            "::127.0.0.1",
            "::10.0.0.1",
            "::8.8.8.8",
            "fec0::1",
            "feff::1",
        ] {
            let parsed: IpAddr = ip.parse().expect("ip");
            assert!(refused(parsed).is_some(), "{ip} should be refused");
        }
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "100.128.0.1",
            "198.17.255.255",
            "198.20.0.1",
            "2001:4860:4860::8888",
            "64:ff9c::1",
        ] {
            let parsed: IpAddr = ip.parse().expect("ip");
            assert_eq!(refused(parsed), None, "{ip} is public");
        }
        assert_eq!(
            refused("169.254.169.254".parse().expect("ip")),
            Some("the cloud metadata address")
        );
    }

    #[tokio::test]
    async fn the_allow_list_lifts_the_guard_for_named_hosts_only() {
        let url = |u: &str| reqwest::Url::parse(u).expect("url");
        let closed = Guard::default();
        let err = closed
            .check("url", &url("http://127.0.0.1:9/x"))
            .await
            .expect_err("loopback");
        assert!(
            err.field_message("url")
                .is_some_and(|m| m.contains("a loopback address (127.0.0.1)")),
            "{err:?}"
        );
        let err = closed
            .check("url", &url("http://169.254.169.254/latest/meta-data/"))
            .await
            .expect_err("metadata");
        assert!(
            err.field_message("url")
                .is_some_and(|m| m.contains("the cloud metadata address")),
            "{err:?}"
        );
        assert!(
            closed
                .check("url", &url("file:///etc/passwd"))
                .await
                .is_err()
        );
        let err = closed
            .check("url", &url("http://localhost:9/"))
            .await
            .expect_err("localhost resolves to loopback");
        assert!(err.field_message("url").is_some(), "{err:?}");
        let open = Guard::new(["127.0.0.1"]);
        assert!(
            open.check("url", &url("http://127.0.0.1:9/x"))
                .await
                .is_ok()
        );
        assert!(
            open.check("url", &url("http://10.0.0.1/x")).await.is_err(),
            "only the named host"
        );
    }
}
