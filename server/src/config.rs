//! Typed settings, read once by clap from flags or the environment (and `.env` in
//! development). Every variable is documented in `.env.example`, the README and `--help`; a bad
//! value stops start-up with a message naming the variable.

use std::net::SocketAddr;

use anyhow::{Context, Result, bail};

/// Everything the server needs to know about its surroundings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `DATABASE_URL`: `sqlite://...` or `postgres://...`.
    pub database_url: String,
    /// `TOLLGATE_LISTEN`: the address to serve on.
    pub listen: SocketAddr,
    /// `TOLLGATE_SECURE_COOKIES`: mark the session cookie `Secure` and send HSTS (serve over
    /// HTTPS); on by default unless `listen` is a loopback address.
    pub secure_cookies: bool,
    /// `TOLLGATE_LOG`: a tracing filter such as `info` or `tollgate=debug,info`.
    pub log_filter: String,
    /// `TOLLGATE_SESSION_IDLE_MINUTES`: sign out after this long without a request.
    pub session_idle_minutes: i64,
    /// `TOLLGATE_SITE_ROOT`: where the built site (`pkg/`, public assets) lives.
    pub site_root: String,
    /// `TOLLGATE_API_RATE_LIMIT`: requests per minute each API token may make (0: no limit).
    pub api_rate_limit: u32,
    /// `TOLLGATE_INGEST_RATE_LIMIT`: events per minute each DSN may send to the Sentry
    /// ingest (0: no limit).
    pub ingest_rate_limit: u32,
    /// `TOLLGATE_OUTBOUND_ALLOW`: comma-separated hosts or addresses that server-side fetches
    /// may reach although they are internal (loopback, private, link-local).
    pub outbound_allow: Vec<String>,
    /// `TOLLGATE_MONITOR`: run the health-check scheduler in this process (default true).
    pub monitor: bool,
    /// `TOLLGATE_DOWN_AFTER`: consecutive failed checks before an environment is down.
    pub down_after: i32,
    /// `TOLLGATE_GATE_HEALTH_SUCCESSES`: consecutive successful production checks the
    /// testing -> live gate asks for.
    pub gate_health_successes: i32,
    /// `TOLLGATE_PROBE_RETENTION_DAYS`: days raw health-check results are kept; their hourly
    /// and daily roll-ups are kept for good.
    pub probe_retention_days: i32,
    /// `TOLLGATE_DEMO_SIMULATOR`: an address where this process also serves the provider
    /// simulator the demo's environments point at (`make demo` sets 127.0.0.1:4010).
    pub demo_simulator: Option<SocketAddr>,
    /// `TOLLGATE_MONITOR_CA_FILE`: a PEM file of certificate authorities health checks trust
    /// besides the public ones, for providers behind a private CA.
    pub monitor_ca_file: Option<String>,
    /// `TOLLGATE_TRAIL_KEY`: the key that signs the trail's checkpoints (32+ characters);
    /// without it, the key file.
    pub trail_key: Option<String>,
    /// `TOLLGATE_TRAIL_KEY_FILE`: where the trail key is kept (created on first start);
    /// beside the SQLite file by default (see [`trail_files`]).
    pub trail_key_file: String,
    /// `TOLLGATE_TRAIL_CHECKPOINTS`: the file checkpoints are appended to, outside the
    /// database.
    pub trail_checkpoint_file: String,
    /// `TOLLGATE_TRAIL_CHECKPOINT_EVERY`: appends between checkpoints (also one at shutdown).
    pub trail_checkpoint_every: i32,
    /// `TOLLGATE_TRUSTED_PROXIES`: comma-separated addresses or ranges (`10.0.0.0/8`) of the
    /// reverse proxies in front of Tollgate. Only a request from one of them may name its
    /// client in `X-Forwarded-For`; otherwise the peer address is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// `TOLLGATE_ONE_PERSON_TEAM`: let a plan's author approve their own version (a team of
    /// one); each such approval says so in the trail. Off by default: four eyes.
    pub one_person_team: bool,
    /// `TOLLGATE_TOKEN_MAX_DAYS`: the longest an API token may live (365 unless set).
    pub token_max_days: i64,
    /// `TOLLGATE_PUBLIC_URL`: the address people reach this Tollgate at, for the links in
    /// webhooks and emails (default: `http://` and the address it serves on).
    pub public_url: Option<String>,
    /// `TOLLGATE_WEBHOOKS`: run the delivery worker in this process (default true).
    pub webhooks: bool,
    /// `TOLLGATE_WEBHOOK_RETRIES`: the waits after each failed attempt, in seconds
    /// (default 5, 300, 1800, 7200, 18000, 36000).
    pub webhook_retries: Vec<chrono::Duration>,
    /// `TOLLGATE_WEBHOOK_TIMEOUT_SECONDS`: how long one attempt may take (default 10).
    pub webhook_timeout_seconds: i32,
    /// `TOLLGATE_WEBHOOK_DISABLE_AFTER_HOURS`: how long an endpoint may fail every attempt
    /// before it is disabled (default 120, five days).
    pub webhook_disable_after_hours: i32,
    /// `TOLLGATE_SMTP_URL` and `TOLLGATE_MAIL_FROM`: the SMTP server email goes through and
    /// the sender's address; with none, Tollgate sends no email and offers none.
    pub mail: Option<(app::mail::smtp::Smtp, String)>,
}

/// The settings as given, by flag or environment variable (clap reads both; a flag wins), before
/// they are checked: every one is text here, so that [`Settings::from_args`] can name the
/// variable whose value is wrong. `tollgate --help` lists them.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Settings (each flag or its environment variable)")]
pub struct SettingsArgs {
    /// `sqlite://...` or `postgres://...` (default: a SQLite file under data/).
    #[arg(long, env = "DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// The address to serve on (default 127.0.0.1:3000).
    #[arg(long, env = "TOLLGATE_LISTEN", value_name = "ADDRESS")]
    pub listen: Option<String>,
    /// Mark the session cookie Secure and send HSTS (default: unless served on loopback).
    #[arg(long, env = "TOLLGATE_SECURE_COOKIES", value_name = "BOOL")]
    pub secure_cookies: Option<String>,
    /// A tracing filter such as info or tollgate=debug,info (default info).
    #[arg(long, env = "TOLLGATE_LOG", value_name = "FILTER")]
    pub log: Option<String>,
    /// Sign out after this long without a request (default 480).
    #[arg(long, env = "TOLLGATE_SESSION_IDLE_MINUTES", value_name = "MINUTES")]
    pub session_idle_minutes: Option<String>,
    /// Where the built site lives (default target/site).
    #[arg(long, env = "TOLLGATE_SITE_ROOT", value_name = "DIR")]
    pub site_root: Option<String>,
    /// Requests per minute each API token may make, 0 for no limit (default 600).
    #[arg(long, env = "TOLLGATE_API_RATE_LIMIT", value_name = "PER_MINUTE")]
    pub api_rate_limit: Option<String>,
    /// Events per minute each DSN may send to the Sentry ingest, 0 for no limit (default
    /// 600000).
    #[arg(long, env = "TOLLGATE_INGEST_RATE_LIMIT", value_name = "PER_MINUTE")]
    pub ingest_rate_limit: Option<String>,
    /// Comma-separated internal hosts server-side fetches may reach.
    #[arg(long, env = "TOLLGATE_OUTBOUND_ALLOW", value_name = "HOSTS")]
    pub outbound_allow: Option<String>,
    /// Run the health-check scheduler in this process (default true).
    #[arg(long, env = "TOLLGATE_MONITOR", value_name = "BOOL")]
    pub monitor: Option<String>,
    /// Consecutive failed checks before an environment is down (default 3).
    #[arg(long, env = "TOLLGATE_DOWN_AFTER", value_name = "CHECKS")]
    pub down_after: Option<String>,
    /// Consecutive successful production checks the go-live gate asks for (default 5).
    #[arg(long, env = "TOLLGATE_GATE_HEALTH_SUCCESSES", value_name = "CHECKS")]
    pub gate_health_successes: Option<String>,
    /// Days raw health-check results are kept (default 30).
    #[arg(long, env = "TOLLGATE_PROBE_RETENTION_DAYS", value_name = "DAYS")]
    pub probe_retention_days: Option<String>,
    /// Also serve the demo's provider simulator here.
    #[arg(long, env = "TOLLGATE_DEMO_SIMULATOR", value_name = "ADDRESS")]
    pub demo_simulator: Option<String>,
    /// A PEM file of extra certificate authorities health checks trust.
    #[arg(long, env = "TOLLGATE_MONITOR_CA_FILE", value_name = "FILE")]
    pub monitor_ca_file: Option<String>,
    /// The key that signs the trail's checkpoints (32+ characters).
    #[arg(
        long,
        env = "TOLLGATE_TRAIL_KEY",
        value_name = "KEY",
        hide_env_values = true
    )]
    pub trail_key: Option<String>,
    /// Where the trail key is kept (default: beside the database).
    #[arg(long, env = "TOLLGATE_TRAIL_KEY_FILE", value_name = "FILE")]
    pub trail_key_file: Option<String>,
    /// The file checkpoints are appended to.
    #[arg(long, env = "TOLLGATE_TRAIL_CHECKPOINTS", value_name = "FILE")]
    pub trail_checkpoints: Option<String>,
    /// Appends between checkpoints (default 100).
    #[arg(long, env = "TOLLGATE_TRAIL_CHECKPOINT_EVERY", value_name = "APPENDS")]
    pub trail_checkpoint_every: Option<String>,
    /// Comma-separated addresses or ranges of the reverse proxies in front.
    #[arg(long, env = "TOLLGATE_TRUSTED_PROXIES", value_name = "RANGES")]
    pub trusted_proxies: Option<String>,
    /// Let a plan's author approve their own version (default false).
    #[arg(long, env = "TOLLGATE_ONE_PERSON_TEAM", value_name = "BOOL")]
    pub one_person_team: Option<String>,
    /// The longest an API token may live (default 365).
    #[arg(long, env = "TOLLGATE_TOKEN_MAX_DAYS", value_name = "DAYS")]
    pub token_max_days: Option<String>,
    /// The address people reach this Tollgate at, for links in webhooks and emails.
    #[arg(long, env = "TOLLGATE_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Run the webhook delivery worker in this process (default true).
    #[arg(long, env = "TOLLGATE_WEBHOOKS", value_name = "BOOL")]
    pub webhooks: Option<String>,
    /// Seconds to wait after each failed delivery attempt (default 5,300,1800,7200,18000,36000).
    #[arg(long, env = "TOLLGATE_WEBHOOK_RETRIES", value_name = "SECONDS")]
    pub webhook_retries: Option<String>,
    /// How long one delivery attempt may take (default 10).
    #[arg(long, env = "TOLLGATE_WEBHOOK_TIMEOUT_SECONDS", value_name = "SECONDS")]
    pub webhook_timeout_seconds: Option<String>,
    /// Hours an endpoint may fail every attempt before it is disabled (default 120).
    #[arg(
        long,
        env = "TOLLGATE_WEBHOOK_DISABLE_AFTER_HOURS",
        value_name = "HOURS"
    )]
    pub webhook_disable_after_hours: Option<String>,
    /// The SMTP server for email: smtp://user:password@host:587 (STARTTLS), smtps://... (TLS),
    /// ?tls=none for a local relay. Unset: no email.
    #[arg(long, env = "TOLLGATE_SMTP_URL", value_name = "URL")]
    pub smtp_url: Option<String>,
    /// The sender of Tollgate's email, such as "Tollgate <tollgate@example.com>".
    #[arg(long, env = "TOLLGATE_MAIL_FROM", value_name = "ADDRESS")]
    pub mail_from: Option<String>,
}

/// Parses `TOLLGATE_SMTP_URL` and `TOLLGATE_MAIL_FROM`: both or neither.
///
/// # Errors
/// Either alone, or a value that does not parse, named (never the password).
fn parse_mail(
    url: Option<String>,
    from: Option<String>,
) -> Result<Option<(app::mail::smtp::Smtp, String)>> {
    match (url, from) {
        (None, None) => Ok(None),
        (Some(_), None) => bail!(
            "TOLLGATE_MAIL_FROM must be set with TOLLGATE_SMTP_URL: the sender's address, such as \"Tollgate <tollgate@example.com>\""
        ),
        (None, Some(_)) => bail!("TOLLGATE_MAIL_FROM is set but TOLLGATE_SMTP_URL is not"),
        (Some(url), Some(from)) => {
            let smtp = app::mail::smtp::Smtp::parse(&url)
                .map_err(|why| anyhow::anyhow!("TOLLGATE_SMTP_URL: {why}"))?;
            let from = from.trim().to_string();
            if from.parse::<lettre::message::Mailbox>().is_err() {
                bail!(
                    "TOLLGATE_MAIL_FROM must be an address such as \"Tollgate <tollgate@example.com>\", not {from:?}"
                );
            }
            Ok(Some((smtp, from)))
        }
    }
}

/// Parses `TOLLGATE_WEBHOOK_RETRIES`: at most 20 waits, each from 0 to 86400 seconds
/// (fractions allowed); empty for no retries.
///
/// # Errors
/// The first entry that is not such a number, named.
pub fn parse_retries(value: &str) -> Result<Vec<chrono::Duration>> {
    let waits: Vec<chrono::Duration> = value
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| match entry.parse::<f64>() {
            Ok(s) if (0.0..=86_400.0).contains(&s) => {
                Ok(chrono::Duration::milliseconds((s * 1000.0).round() as i64))
            }
            _ => bail!(
                "TOLLGATE_WEBHOOK_RETRIES must list waits in seconds from 0 to 86400, like 5,300,1800, not {entry:?}"
            ),
        })
        .collect::<Result<_>>()?;
    if waits.len() > 20 {
        bail!("TOLLGATE_WEBHOOK_RETRIES may list at most 20 waits");
    }
    Ok(waits)
}

/// Parses `TOLLGATE_TRUSTED_PROXIES`: addresses (a single host) or ranges.
///
/// # Errors
/// The first entry that is neither, named.
pub fn parse_proxies(value: &str) -> Result<Vec<ipnet::IpNet>> {
    value
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<ipnet::IpNet>()
                .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    anyhow::anyhow!(
                        "TOLLGATE_TRUSTED_PROXIES must list addresses or ranges like 10.0.0.0/8, not {entry:?}"
                    )
                })
        })
        .collect()
}

/// The default trail key file and checkpoint file for `database_url`: beside a SQLite file
/// (`data/tollgate.db.trail-key`, `data/tollgate.db.checkpoints`), or under `data/` named
/// after a PostgreSQL database (`data/<name>.trail-key`).
pub fn trail_files(database_url: &str) -> (String, String) {
    let sqlite_file = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or_default())
        .filter(|path| !path.is_empty() && !path.contains(":memory:"));
    let base = match sqlite_file {
        Some(path) => path.to_string(),
        None => {
            let name = database_url
                .rsplit('/')
                .next()
                .and_then(|n| n.split('?').next())
                .filter(|n| !n.is_empty() && !n.contains(':'))
                .unwrap_or("tollgate");
            format!("data/{name}")
        }
    };
    (format!("{base}.trail-key"), format!("{base}.checkpoints"))
}

fn whole(
    name: &str,
    value: Option<String>,
    range: std::ops::RangeInclusive<i32>,
    default: i32,
) -> Result<i32> {
    match value {
        None => Ok(default),
        Some(v) => match v.trim().parse::<i32>() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => bail!(
                "{name} must be a whole number from {} to {}, not {v:?}",
                range.start(),
                range.end()
            ),
        },
    }
}

/// The default database: a SQLite file under `data/`, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/tollgate.db?mode=rwc";

/// A value given, unless blank (an empty variable is one not set).
fn given(value: &Option<String>) -> Option<String> {
    value.clone().filter(|v| !v.trim().is_empty())
}

fn parse_bool(name: &str, value: &str) -> Result<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        other => bail!("{name} must be true or false, not {other:?}"),
    }
}

/// A limit per minute from `value` (setting `name`, counting `what`), `default` when unset.
fn per_minute(value: &Option<String>, name: &str, what: &str, default: u32) -> Result<u32> {
    match given(value) {
        Some(v) => v.trim().parse::<u32>().map_err(|_| {
            anyhow::anyhow!(
                "{name} must be a whole number of {what} per minute (0 for no limit), not {v:?}"
            )
        }),
        None => Ok(default),
    }
}

impl Settings {
    /// Checks the settings as given by flags and environment variables.
    ///
    /// # Errors
    /// A message naming the variable whose value is invalid.
    pub fn from_args(a: &SettingsArgs) -> Result<Self> {
        let database_url = given(&a.database_url).unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            bail!("DATABASE_URL must start with sqlite: or postgres://, not {database_url:?}");
        }
        let (default_key_file, default_checkpoints) = trail_files(&database_url);
        let listen = given(&a.listen).unwrap_or_else(|| "127.0.0.1:3000".into());
        let listen = listen.parse().with_context(|| {
            format!("TOLLGATE_LISTEN must be an address like 127.0.0.1:3000, not {listen:?}")
        })?;
        // Secure unless said otherwise or served on loopback only (a laptop, a test): anywhere
        // else Tollgate is expected behind HTTPS.
        let secure_cookies = match given(&a.secure_cookies) {
            Some(v) => parse_bool("TOLLGATE_SECURE_COOKIES", &v)?,
            None => !std::net::SocketAddr::ip(&listen).is_loopback(),
        };
        let session_idle_minutes = match given(&a.session_idle_minutes) {
            Some(v) => match v.trim().parse::<i64>() {
                Ok(n) if (1..=60 * 24 * 30).contains(&n) => n,
                _ => bail!(
                    "TOLLGATE_SESSION_IDLE_MINUTES must be a whole number of minutes from 1 to 43200, not {v:?}"
                ),
            },
            None => 480,
        };
        let api_rate_limit = per_minute(
            &a.api_rate_limit,
            "TOLLGATE_API_RATE_LIMIT",
            "requests",
            600,
        )?;
        let ingest_rate_limit = per_minute(
            &a.ingest_rate_limit,
            "TOLLGATE_INGEST_RATE_LIMIT",
            "events",
            600_000,
        )?;
        if let Some(key) = given(&a.trail_key)
            && key.trim().len() < app::activity::anchor::MIN_KEY_LEN
        {
            bail!(
                "TOLLGATE_TRAIL_KEY must be at least {} characters",
                app::activity::anchor::MIN_KEY_LEN
            );
        }
        Ok(Self {
            api_rate_limit,
            ingest_rate_limit,
            database_url,
            listen,
            secure_cookies,
            log_filter: given(&a.log).unwrap_or_else(|| "info".into()),
            session_idle_minutes,
            site_root: given(&a.site_root).unwrap_or_else(|| "target/site".into()),
            outbound_allow: given(&a.outbound_allow)
                .map(|v| v.split(',').map(|h| h.trim().to_string()).collect())
                .unwrap_or_default(),
            monitor: match given(&a.monitor) {
                Some(v) => parse_bool("TOLLGATE_MONITOR", &v)?,
                None => true,
            },
            down_after: whole("TOLLGATE_DOWN_AFTER", given(&a.down_after), 1..=20, 3)?,
            gate_health_successes: whole(
                "TOLLGATE_GATE_HEALTH_SUCCESSES",
                given(&a.gate_health_successes),
                1..=1000,
                5,
            )?,
            probe_retention_days: whole(
                "TOLLGATE_PROBE_RETENTION_DAYS",
                given(&a.probe_retention_days),
                1..=3650,
                30,
            )?,
            demo_simulator: match given(&a.demo_simulator) {
                Some(v) => Some(v.trim().parse().with_context(|| {
                    format!(
                        "TOLLGATE_DEMO_SIMULATOR must be an address like 127.0.0.1:4010, not {v:?}"
                    )
                })?),
                None => None,
            },
            monitor_ca_file: given(&a.monitor_ca_file),
            trail_key: given(&a.trail_key),
            trail_key_file: given(&a.trail_key_file).unwrap_or(default_key_file),
            trail_checkpoint_file: given(&a.trail_checkpoints).unwrap_or(default_checkpoints),
            trail_checkpoint_every: whole(
                "TOLLGATE_TRAIL_CHECKPOINT_EVERY",
                given(&a.trail_checkpoint_every),
                1..=1_000_000,
                100,
            )?,
            trusted_proxies: parse_proxies(&given(&a.trusted_proxies).unwrap_or_default())?,
            one_person_team: match given(&a.one_person_team) {
                Some(v) => parse_bool("TOLLGATE_ONE_PERSON_TEAM", &v)?,
                None => false,
            },
            token_max_days: i64::from(whole(
                "TOLLGATE_TOKEN_MAX_DAYS",
                given(&a.token_max_days),
                1..=app::tokens::model::LONGEST_EXPIRY_DAYS,
                app::tokens::model::DEFAULT_MAX_EXPIRY_DAYS,
            )?),
            public_url: match given(&a.public_url) {
                Some(v) => {
                    let v = v.trim().trim_end_matches('/').to_string();
                    if !(v.starts_with("https://") || v.starts_with("http://"))
                        || v.parse::<http::Uri>()
                            .ok()
                            .and_then(|u| u.host().map(str::len))
                            .unwrap_or(0)
                            == 0
                    {
                        bail!(
                            "TOLLGATE_PUBLIC_URL must be an address like https://tollgate.example.com, not {v:?}"
                        );
                    }
                    Some(v)
                }
                None => None,
            },
            webhooks: match given(&a.webhooks) {
                Some(v) => parse_bool("TOLLGATE_WEBHOOKS", &v)?,
                None => true,
            },
            webhook_retries: match given(&a.webhook_retries) {
                Some(v) => parse_retries(&v)?,
                None => app::webhooks::worker::default_retries(),
            },
            webhook_timeout_seconds: whole(
                "TOLLGATE_WEBHOOK_TIMEOUT_SECONDS",
                given(&a.webhook_timeout_seconds),
                1..=60,
                10,
            )?,
            webhook_disable_after_hours: whole(
                "TOLLGATE_WEBHOOK_DISABLE_AFTER_HOURS",
                given(&a.webhook_disable_after_hours),
                1..=24 * 90,
                120,
            )?,
            mail: parse_mail(given(&a.smtp_url), given(&a.mail_from))?,
        })
    }
}

#[cfg(test)]
mod trail_tests {
    use super::{parse_mail, parse_proxies, trail_files};

    #[test]
    fn trusted_proxies_are_addresses_or_ranges_and_anything_else_is_named() {
        let proxies = parse_proxies(" 10.0.0.0/8, 127.0.0.1 ,::1").unwrap_or_default();
        assert_eq!(proxies.len(), 3);
        assert!(
            proxies[1].contains(
                &"127.0.0.1"
                    .parse::<std::net::IpAddr>()
                    .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
            )
        );
        let err = parse_proxies("10.0.0.0/8, proxy.internal")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("\"proxy.internal\""), "{err}");
        assert!(parse_proxies("").unwrap_or_default().is_empty());
    }

    #[test]
    fn smtp_and_the_sender_come_together_and_a_bad_one_is_named_without_its_password() {
        let some = |s: &str| Some(s.to_string());
        assert!(matches!(parse_mail(None, None), Ok(None)));
        let (smtp, from) = parse_mail(
            some("smtp://me:pw@mail.example.com"),
            some(" Tollgate <t@example.com> "),
        )
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("both given"));
        assert_eq!(from, "Tollgate <t@example.com>");
        assert!(!smtp.shown.contains("pw"));
        let named = |url: Option<String>, from: Option<String>| {
            parse_mail(url, from)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert!(named(some("smtp://x"), None).starts_with("TOLLGATE_MAIL_FROM"));
        assert!(named(None, some("t@example.com")).contains("TOLLGATE_SMTP_URL is not"));
        let bad = named(some("http://me:hunter2@x"), some("t@example.com"));
        assert!(
            bad.starts_with("TOLLGATE_SMTP_URL") && !bad.contains("hunter2"),
            "{bad}"
        );
        assert!(named(some("smtp://x"), some("not an address")).starts_with("TOLLGATE_MAIL_FROM"));
    }

    #[test]
    fn the_trail_files_sit_beside_a_sqlite_file_or_are_named_after_a_postgres_database() {
        assert_eq!(
            trail_files("sqlite://data/tollgate.db?mode=rwc"),
            (
                "data/tollgate.db.trail-key".to_string(),
                "data/tollgate.db.checkpoints".to_string()
            )
        );
        assert_eq!(
            trail_files("postgres://u:p@db:5432/tollgate_prod").0,
            "data/tollgate_prod.trail-key"
        );
        assert_eq!(trail_files("sqlite::memory:").0, "data/tollgate.trail-key");
    }
}
