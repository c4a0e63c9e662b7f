//! The Tollgate server: configuration, router, sessions and start-up, shared by the binary and
//! the HTTP tests (which build the real application on port 0).
#![recursion_limit = "256"]

pub mod access;
pub mod allowance;
pub mod assets;
pub mod cli;
pub mod config;
pub mod db;
pub mod form_reply;
pub mod guards;
pub mod heartbeat_pings;
pub mod page_cache;
pub mod rest;
pub mod seed;
pub mod sentry_ingest;
pub mod telemetry;
pub mod token_form;
pub mod unsubscribe;
pub mod uploads;
pub mod webhook_forms;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer, session_store::ExpiredDeletion};

use app::auth::session::DbSessionStore;
use app::error::AppError;
use app::state::AppState;
use config::Settings;

/// The name of the session cookie over plain HTTP (loopback, or Secure switched off).
pub const SESSION_COOKIE: &str = "tollgate_session";
/// The name of the session cookie when it is Secure: the `__Host-` prefix makes the browser
/// refuse it unless it is Secure, for this exact host (no `Domain`) and path `/`, so a sibling
/// subdomain or a plain-HTTP page cannot plant or overwrite it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-tollgate_session";

/// Leptos options from our settings (not from Cargo.toml, so the binary runs anywhere).
pub fn leptos_options(settings: &Settings) -> LeptosOptions {
    // cargo-leptos writes hash.txt beside the binary when it hashes file names.
    let hashed = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").exists()))
        .unwrap_or(false);
    LeptosOptions::builder()
        .output_name("tollgate")
        .site_root(settings.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(settings.listen)
        .hash_files(hashed)
        .build()
}

/// Server functions answer errors with status 500 and the error in the body; this gives them
/// the status the error itself names (403 for a forbidden call, 422 for bad input...).
async fn server_fn_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != http::StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key("serverfnerror")
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = http::StatusCode::from_u16(err.status())
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        if let Some(seconds) = err.retry_after() {
            parts
                .headers
                .insert(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Pages carry what only their reader may see, and go stale the moment anyone records
/// something: no browser or proxy keeps a copy (a page after sign-out, or a back navigation,
/// comes from the server, never from a cache).
async fn no_store_pages(mut res: Response) -> Response {
    let html = res
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html && !res.headers().contains_key(http::header::CACHE_CONTROL) {
        res.headers_mut().insert(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
    }
    res
}

async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({"status": "ok"}))
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => Json(serde_json::json!({"status": "ready", "database": "ok"})).into_response(),
        Err(err) => {
            tracing::warn!(%err, "readiness check failed");
            (
                http::StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({"status": "unavailable", "database": "unreachable"})),
            )
                .into_response()
        }
    }
}

/// The page routes, listed once per process. Listing them renders the app with resource
/// loading suspended process-wide (a global flag in leptos_server), so a page rendering on
/// another router at that moment would wait forever for its data: the test suites build many
/// routers side by side, and once hung on exactly this.
fn page_routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// The health checks' HTTP client, trusting the CAs of `TOLLGATE_MONITOR_CA_FILE` too.
fn prober(
    settings: &Settings,
    outbound: &app::outbound::Guard,
) -> Result<app::monitoring::probe::Prober> {
    let pem = match &settings.monitor_ca_file {
        Some(path) => std::fs::read(path)
            .with_context(|| format!("could not read TOLLGATE_MONITOR_CA_FILE {path}"))?,
        None => Vec::new(),
    };
    app::monitoring::probe::Prober::trusting(outbound.clone(), &pem).map_err(|e| {
        anyhow::anyhow!(
            "TOLLGATE_MONITOR_CA_FILE {}: {e}",
            settings.monitor_ca_file.as_deref().unwrap_or_default()
        )
    })
}

/// The whole HTTP application.
pub fn router(state: AppState, settings: &Settings) -> Router {
    let routes = page_routes();
    let session_layer = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(if settings.secure_cookies {
            SECURE_SESSION_COOKIE
        } else {
            SESSION_COOKIE
        })
        .with_path("/")
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(settings.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(
            settings.session_idle_minutes,
        )));
    let context_state = state.clone();
    let options = state.leptos_options.clone();
    let tls = settings.secure_cookies;
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .merge(
            rest::Api::routes().into_router(rest::limit::RateLimiter::new(settings.api_rate_limit)),
        )
        .merge(rest::reference())
        .merge(uploads::routes())
        .merge(token_form::routes())
        .merge(webhook_forms::routes())
        .merge(unsubscribe::routes())
        .merge(heartbeat_pings::routes())
        .merge(sentry_ingest::routes(
            sentry_ingest::Quota::new(settings.ingest_rate_limit),
            app::sentry::writer::Writer::start(state.db.clone()),
        ))
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(context_state.clone());
                provide_context(app::auth::session::RequestUser::default());
            },
            move || app::shell(options.clone()),
        )
        .fallback(assets::fallback)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            access::server_fns,
        ))
        .layer(middleware::from_fn(guards::same_origin_writes))
        .layer(middleware::from_fn(guards::form_body_limit))
        .layer(middleware::from_fn(server_fn_status))
        .layer(middleware::map_response(no_store_pages))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            page_cache::kept_pages,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            page_cache::after_writes,
        ))
        .layer(session_layer)
        .layer(middleware::from_fn_with_state(
            std::sync::Arc::new(settings.trusted_proxies.clone()),
            guards::resolve_client,
        ))
        .layer(middleware::map_response(
            move |mut res: Response| async move {
                guards::secure_headers(res.headers_mut(), tls);
                res
            },
        ))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let route = req
                .extensions()
                .get::<MatchedPath>()
                .map_or_else(|| req.uri().path().to_string(), |m| m.as_str().to_string());
            tracing::info_span!("request", method = %req.method(), route)
        }))
        .with_state(state)
}

/// The SMTP transport the email worker sends through.
type Mailer = lettre::AsyncSmtpTransport<lettre::Tokio1Executor>;

/// A built application, bound and ready to serve.
pub struct Application {
    listener: TcpListener,
    router: Router,
    port: u16,
    /// The one-time set-up code when the instance has no user yet.
    pub setup_code: Option<String>,
    pub db: DatabaseConnection,
    outbound: app::outbound::Guard,
    monitor: Option<(
        app::monitoring::scheduler::Config,
        app::monitoring::probe::Prober,
    )>,
    simulator: Option<TcpListener>,
    webhooks: Option<(app::webhooks::worker::Config, app::webhooks::worker::Sender)>,
    mail: Option<(app::mail::worker::Config, Mailer)>,
    anchor: app::activity::anchor::Anchor,
    checkpoint_every: i32,
}

/// The trail's anchor from the settings; with `create`, the key file is made when missing.
///
/// # Errors
/// A key that cannot be read or made, with the file named.
pub fn trail_anchor(settings: &Settings, create: bool) -> Result<app::activity::anchor::Anchor> {
    app::activity::anchor::Anchor::open(
        settings.trail_key.as_deref(),
        std::path::Path::new(&settings.trail_key_file),
        settings.trail_checkpoint_file.clone().into(),
        create,
    )
    .map_err(|e| anyhow::anyhow!("the trail key ({}): {e}", settings.trail_key_file))?
    .ok_or_else(|| anyhow::anyhow!("no trail key at {}", settings.trail_key_file))
}

impl Application {
    /// Connects, migrates, prepares state and binds (use port 0 in tests).
    ///
    /// # Errors
    /// Database, migration or bind failures, with context.
    pub async fn build(settings: Settings) -> Result<Self> {
        let db = db::connect(&settings.database_url).await?;
        db::migrate(&db).await?;
        let setup_code = if app::auth::service::needs_setup(&db)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
        {
            Some(app::auth::service::new_setup_code())
        } else {
            None
        };
        let listener = TcpListener::bind(settings.listen)
            .await
            .with_context(|| format!("could not listen on TOLLGATE_LISTEN {}", settings.listen))?;
        let port = listener.local_addr()?.port();
        let state = AppState {
            db: db.clone(),
            leptos_options: leptos_options(&settings),
            setup_code: Arc::new(Mutex::new(setup_code.clone())),
            outbound: app::outbound::Guard::new(settings.outbound_allow.clone()),
            kept: app::kept::Shelf::default(),
            one_person_team: settings.one_person_team,
            token_max_days: settings.token_max_days,
            gate: app::gate::GateContext {
                health_successes: settings.gate_health_successes,
            },
            public_url: public_url(&settings, port),
        };
        let outbound = state.outbound.clone();
        let anchor = trail_anchor(&settings, true)?;
        let monitor = match settings.monitor {
            true => Some((
                app::monitoring::scheduler::Config {
                    down_after: settings.down_after,
                    ..Default::default()
                },
                prober(&settings, &outbound)?,
            )),
            false => None,
        };
        let webhooks = settings.webhooks.then(|| {
            let config = app::webhooks::worker::Config {
                retries: settings.webhook_retries.clone(),
                timeout: std::time::Duration::from_secs(
                    u64::try_from(settings.webhook_timeout_seconds).unwrap_or(10),
                ),
                disable_after: chrono::Duration::hours(i64::from(
                    settings.webhook_disable_after_hours,
                )),
                public_url: public_url(&settings, port),
                // Twice an attempt's time and a margin: a lease outlives any attempt.
                lease: chrono::Duration::seconds(
                    2 * i64::from(settings.webhook_timeout_seconds) + 5,
                ),
                ..Default::default()
            };
            let sender = app::webhooks::worker::Sender::new(outbound.clone(), config.timeout);
            (config, sender)
        });
        // The instance's email channel is on while its servers have SMTP configured.
        let mail = match &settings.mail {
            Some((smtp, from)) => {
                let public_url = public_url(&settings, port);
                app::mail::service::switch_on(&db, from, &public_url)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                let transport = smtp
                    .transport(std::time::Duration::from_secs(30))
                    .map_err(|e| anyhow::anyhow!("TOLLGATE_SMTP_URL: {e}"))?;
                tracing::info!(smtp = %smtp.shown, "email is on");
                Some((app::mail::worker::Config::new(from, &public_url), transport))
            }
            None => {
                app::mail::service::switch_off(&db)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                None
            }
        };
        let simulator =
            match settings.demo_simulator {
                Some(addr) => Some(TcpListener::bind(addr).await.with_context(|| {
                    format!("could not listen on TOLLGATE_DEMO_SIMULATOR {addr}")
                })?),
                None => None,
            };
        Ok(Self {
            listener,
            router: router(state, &settings),
            port,
            setup_code,
            db,
            outbound,
            monitor,
            simulator,
            webhooks,
            mail,
            anchor,
            checkpoint_every: settings.trail_checkpoint_every,
        })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until ctrl-c or SIGTERM, finishing in-flight requests.
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until_stopped(self) -> Result<()> {
        use axum::serve::ListenerExt;
        // Without TCP_NODELAY, responses written in several pieces (streamed pages) wait for
        // delayed ACKs: measured at ~950 req/s and 44 ms p99 against ~19,600 req/s and 3 ms.
        let listener = self.listener.tap_io(|tcp| {
            if let Err(err) = tcp.set_nodelay(true) {
                tracing::warn!(%err, "could not set TCP_NODELAY");
            }
        });
        // Expired sessions are already ignored on load; this sweep keeps the table small.
        let sweeper = tokio::spawn(
            DbSessionStore::new(self.db.clone())
                .continuously_delete_expired(std::time::Duration::from_secs(15 * 60)),
        );
        let fetcher = tokio::spawn(fetch_specs(self.db.clone(), self.outbound.clone()));
        let failures = tokio::spawn(forget_login_failures(self.db.clone()));
        let weekly = tokio::spawn(send_weekly_digests(self.db.clone()));
        let anchoring = tokio::spawn(checkpoints(
            self.db.clone(),
            self.anchor.clone(),
            self.checkpoint_every,
        ));
        let simulator = self.simulator.map(|listener| {
            app::monitoring::simulator::spawn(
                listener,
                app::monitoring::simulator::Simulator::new(5_000),
            )
        });
        let (stop_monitor, monitor_stopped) = tokio::sync::oneshot::channel::<()>();
        // Late heartbeats are the monitor's work too: with it, or not at all.
        let heartbeats = self
            .monitor
            .is_some()
            .then(|| tokio::spawn(sweep_heartbeats(self.db.clone())));
        let monitor = match self.monitor {
            Some((config, prober)) => {
                // Ten ticks a second keep a check's start well within 250 ms of its time.
                Some(tokio::spawn(app::monitoring::scheduler::run(
                    self.db.clone(),
                    prober,
                    config,
                    std::time::Duration::from_millis(100),
                    async {
                        let _ = monitor_stopped.await;
                    },
                )))
            }
            None => None,
        };
        let (stop_webhooks, webhooks_stopped) = tokio::sync::oneshot::channel::<()>();
        let webhooks = self.webhooks.map(|(config, sender)| {
            // Four ticks a second: an event's first attempt starts within a quarter second.
            tokio::spawn(app::webhooks::worker::run(
                self.db.clone(),
                sender,
                config,
                std::time::Duration::from_millis(250),
                async {
                    let _ = webhooks_stopped.await;
                },
            ))
        });
        let (stop_mail, mail_stopped) = tokio::sync::oneshot::channel::<()>();
        let mail = self.mail.map(|(config, transport)| {
            tokio::spawn(app::mail::worker::run(
                self.db.clone(),
                transport,
                config,
                std::time::Duration::from_secs(1),
                async {
                    let _ = mail_stopped.await;
                },
            ))
        });
        let served = axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("serving");
        sweeper.abort();
        fetcher.abort();
        failures.abort();
        weekly.abort();
        anchoring.abort();
        if let Some(heartbeats) = heartbeats {
            heartbeats.abort();
        }
        // The last appends of this process are anchored before it goes.
        if let Err(err) = self.anchor.checkpoint(&self.db).await {
            tracing::error!(%err, "the shutdown checkpoint of the trail failed");
        }
        // The checks already started are recorded (the scheduler waits a bounded time).
        let _ = stop_monitor.send(());
        let _ = stop_webhooks.send(());
        let _ = stop_mail.send(());
        if let Some(monitor) = monitor {
            let _ = monitor.await;
        }
        if let Some(webhooks) = webhooks {
            let _ = webhooks.await;
        }
        if let Some(mail) = mail {
            let _ = mail.await;
        }
        if let Some(simulator) = simulator {
            simulator.abort();
        }
        served
    }
}

/// The address links to this Tollgate start with: `TOLLGATE_PUBLIC_URL`, or the address it
/// serves on.
fn public_url(settings: &Settings, port: u16) -> String {
    settings.public_url.clone().unwrap_or_else(|| {
        let ip = settings.listen.ip();
        let host = if ip.is_unspecified() {
            "127.0.0.1".to_string()
        } else if ip.is_ipv6() {
            format!("[{ip}]")
        } else {
            ip.to_string()
        };
        format!("http://{host}:{port}")
    })
}

/// Checkpoints the trail whenever `every` rows were appended since the last checkpoint,
/// looking every two seconds (see `app::activity::anchor`).
async fn checkpoints(db: DatabaseConnection, anchor: app::activity::anchor::Anchor, every: i32) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
    loop {
        tick.tick().await;
        if let Err(err) = anchor.checkpoint_if_due(&db, every).await {
            tracing::error!(%err, "checkpointing the trail failed");
        }
    }
}

/// Deletes sign-in failures that no longer count, every five minutes.
async fn forget_login_failures(db: DatabaseConnection) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(5 * 60));
    loop {
        tick.tick().await;
        if let Err(err) = app::auth::service::forget_old_failures(&db, chrono::Utc::now()).await {
            tracing::warn!(%err, "forgetting old sign-in failures failed");
        }
    }
}

/// Sends the weekly digest once its week is due, looking every five minutes (see
/// `app::weekly::service`; a week already sent, by this server or another, is left alone).
async fn send_weekly_digests(db: DatabaseConnection) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(5 * 60));
    loop {
        tick.tick().await;
        if let Err(err) = app::weekly::service::send_due(&db, chrono::Utc::now()).await {
            tracing::warn!(%err, "sending the weekly digest failed");
        }
    }
}

/// Puts down the heartbeat monitors whose job is late, looking every 15 seconds (see
/// `app::heartbeats::service::sweep`; a monitor another server put down first is left alone).
async fn sweep_heartbeats(db: DatabaseConnection) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(15));
    loop {
        tick.tick().await;
        if let Err(err) = app::heartbeats::service::sweep(&db, chrono::Utc::now()).await {
            tracing::warn!(%err, "looking for late heartbeats failed");
        }
    }
}

/// Fetches the specs that are due again, every minute (see `app::specs::remote`).
async fn fetch_specs(db: DatabaseConnection, guard: app::outbound::Guard) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        if let Err(err) = app::specs::remote::run_due(&db, &guard, chrono::Utc::now()).await {
            tracing::warn!(%err, "scheduled spec fetches failed");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut sig) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            sig.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
