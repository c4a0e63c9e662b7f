//! (ssr) A small provider simulator for the demo, the browser tests and the benchmark: its
//! `/health` answers healthy (200 `{"status": "ok"}`), failing (503 `{"status": "down"}`) or
//! slow (healthy after `slow_ms`), as set by `PUT /mode` with one of those words; `GET /hits`
//! says how many health requests it has answered.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

use axum::{Json, Router, extract::State, http::StatusCode, routing::get};

/// How the simulator answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Healthy,
    Failing,
    Slow,
}

impl Mode {
    fn word(self) -> &'static str {
        match self {
            Mode::Healthy => "healthy",
            Mode::Failing => "failing",
            Mode::Slow => "slow",
        }
    }

    fn parse(s: &str) -> Option<Mode> {
        [Mode::Healthy, Mode::Failing, Mode::Slow]
            .into_iter()
            .find(|m| m.word() == s.trim())
    }
}

/// The simulator's switch and counter, shared with whoever drives it.
#[derive(Debug, Default)]
pub struct Simulator {
    mode: AtomicU8,
    /// How long a slow answer takes.
    pub slow_ms: AtomicU64,
    /// How many health requests it has answered.
    pub hits: AtomicU64,
    /// How many of the next health requests fail whatever the mode (503), as a provider
    /// with a passing hiccup does.
    pub fail_next: AtomicU64,
}

impl Simulator {
    /// A healthy simulator whose slow answers take `slow_ms`.
    pub fn new(slow_ms: u64) -> Arc<Self> {
        let s = Simulator::default();
        s.slow_ms.store(slow_ms, Ordering::Relaxed);
        Arc::new(s)
    }

    /// Switches how it answers.
    pub fn set(&self, mode: Mode) {
        self.mode.store(mode as u8, Ordering::Relaxed);
    }

    /// How it answers now.
    pub fn mode(&self) -> Mode {
        match self.mode.load(Ordering::Relaxed) {
            1 => Mode::Failing,
            2 => Mode::Slow,
            _ => Mode::Healthy,
        }
    }
}

async fn health(State(s): State<Arc<Simulator>>) -> (StatusCode, Json<serde_json::Value>) {
    s.hits.fetch_add(1, Ordering::Relaxed);
    let hiccup = s
        .fail_next
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
        .is_ok();
    let mode = if hiccup { Mode::Failing } else { s.mode() };
    match mode {
        Mode::Failing => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({"status": "down"})),
        ),
        mode => {
            if mode == Mode::Slow {
                let ms = s.slow_ms.load(Ordering::Relaxed);
                tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            }
            (StatusCode::OK, Json(serde_json::json!({"status": "ok"})))
        }
    }
}

async fn get_hits(State(s): State<Arc<Simulator>>) -> String {
    s.hits.load(Ordering::Relaxed).to_string()
}

async fn get_mode(State(s): State<Arc<Simulator>>) -> &'static str {
    s.mode().word()
}

async fn put_mode(State(s): State<Arc<Simulator>>, body: String) -> (StatusCode, &'static str) {
    match Mode::parse(&body) {
        Some(m) => {
            s.set(m);
            (StatusCode::OK, m.word())
        }
        None => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Send healthy, failing or slow.",
        ),
    }
}

/// The simulator's routes.
pub fn router(s: Arc<Simulator>) -> Router {
    Router::new()
        .route("/health", get(health).head(health).post(health))
        .route("/mode", get(get_mode).put(put_mode))
        .route("/hits", get(get_hits))
        .with_state(s)
}

/// Serves a simulator on `listener` in the background.
pub fn spawn(listener: tokio::net::TcpListener, s: Arc<Simulator>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, router(s)).await {
            tracing::warn!(%err, "the provider simulator stopped");
        }
    })
}

/// Starts a healthy simulator on a free loopback port: it and its base URL.
///
/// # Errors
/// When no port can be bound.
pub async fn start(slow_ms: u64) -> std::io::Result<(Arc<Simulator>, String)> {
    let s = Simulator::new(slow_ms);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = format!("http://{}", listener.local_addr()?);
    spawn(listener, s.clone());
    Ok((s, address))
}
