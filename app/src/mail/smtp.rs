//! (ssr) `TOLLGATE_SMTP_URL`: where and how to send email.
//!
//! - `smtp://user:pass@host:587`: STARTTLS, required (the connection fails rather than send
//!   in the clear); port 587 unless given;
//! - `smtps://user:pass@host:465`: implicit TLS; port 465 unless given;
//! - `?tls=opportunistic`: STARTTLS when the server offers it;
//! - `?tls=none`: plain text, for a relay on the same machine or network only.
//!
//! The user and password are optional (percent-encode special characters); they are never
//! logged.

use lettre::{AsyncSmtpTransport, Tokio1Executor};

/// How to reach the SMTP server.
#[derive(Clone)]
pub struct Smtp {
    /// The URL in lettre's form.
    url: String,
    /// The URL without its password, for logs and messages.
    pub shown: String,
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp").field("url", &self.shown).finish()
    }
}

impl Smtp {
    /// Parses `value`.
    ///
    /// # Errors
    /// What is wrong with it, in words (the password never repeated).
    pub fn parse(value: &str) -> Result<Self, String> {
        let mut url = reqwest::Url::parse(value.trim()).map_err(|_| {
            "give an address such as smtp://user:password@mail.example.com:587".to_string()
        })?;
        let implicit = match url.scheme() {
            "smtp" => false,
            "smtps" => true,
            other => return Err(format!("use smtp:// or smtps://, not {other}://")),
        };
        if url.host_str().is_none_or(str::is_empty) {
            return Err("name the SMTP server's host".into());
        }
        let tls = url
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        let tls = match (implicit, tls.as_deref()) {
            (true, None) => None,
            (true, Some(_)) => return Err("smtps:// is always TLS; leave tls= out".into()),
            (false, None | Some("required")) => Some("required"),
            (false, Some("opportunistic")) => Some("opportunistic"),
            (false, Some("none")) => None,
            (false, Some(other)) => {
                return Err(format!(
                    "tls={other} is not one of: required (the default), opportunistic, none"
                ));
            }
        };
        let port = url.port();
        url.set_query(None);
        if let Some(tls) = tls {
            url.set_query(Some(&format!("tls={tls}")));
        }
        if !implicit && port.is_none() {
            // lettre's plain smtp:// defaults to port 25; submission is 587.
            let _ = url.set_port(Some(587));
        }
        let mut shown = url.clone();
        if shown.password().is_some() {
            let _ = shown.set_password(Some("***"));
        }
        Ok(Smtp {
            url: url.to_string(),
            shown: shown.to_string(),
        })
    }

    /// A transport sending through it, each command within `timeout`.
    ///
    /// # Errors
    /// The TLS set-up failing.
    pub fn transport(
        &self,
        timeout: std::time::Duration,
    ) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        Ok(AsyncSmtpTransport::<Tokio1Executor>::from_url(&self.url)
            .map_err(|e| format!("SMTP settings: {e}"))?
            .timeout(Some(timeout))
            .build())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starttls_is_the_default_and_the_password_is_never_shown() {
        let s = Smtp::parse("smtp://me:s3cret@mail.example.com").unwrap();
        assert_eq!(s.url, "smtp://me:s3cret@mail.example.com:587?tls=required");
        assert!(!s.shown.contains("s3cret") && !format!("{s:?}").contains("s3cret"));
        let s = Smtp::parse("smtp://127.0.0.1:2525?tls=none").unwrap();
        assert_eq!(s.url, "smtp://127.0.0.1:2525");
        let s = Smtp::parse("smtps://mail.example.com").unwrap();
        assert_eq!(s.url, "smtps://mail.example.com");
        for bad in [
            "http://x",
            "smtp://x?tls=maybe",
            "smtps://x?tls=none",
            "nonsense",
            "smtp:///",
        ] {
            assert!(Smtp::parse(bad).is_err(), "{bad}");
        }
    }
}
