//! `spawn_app()` and friends.

use std::sync::atomic::{AtomicU64, Ordering};

use app::auth::model::Role;
use app::users::model::NewUser;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use server::Application;
use server::config::Settings;

pub const PASSWORD: &str = "a-long-test-password";

/// A running application and a cookie-keeping client for it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    pub database_url: String,
    pub setup_code: Option<String>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("tollgate_test_{}_{}_{}", std::process::id(), n, nanos)
}

/// A fresh, empty database URL: a new PostgreSQL database when TEST_DATABASE_URL is set,
/// otherwise a new SQLite file.
pub async fn fresh_database_url() -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            let admin = Database::connect(&base)
                .await
                .expect("connect to TEST_DATABASE_URL");
            let name = unique_name();
            admin
                .execute_raw(Statement::from_string(
                    admin.get_database_backend(),
                    format!("CREATE DATABASE \"{name}\""),
                ))
                .await
                .expect("create test database");
            let (prefix, _) = base.rsplit_once('/').expect("database URL has a path");
            format!("{prefix}/{name}")
        }
        _ => {
            let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
            format!("sqlite://{}?mode=rwc", path.display())
        }
    }
}

pub fn settings(database_url: &str) -> Settings {
    Settings {
        database_url: database_url.to_string(),
        listen: "127.0.0.1:0".parse().expect("address"),
        secure_cookies: false,
        log_filter: "warn".into(),
        session_idle_minutes: 60,
        site_root: "target/site".into(),
        api_rate_limit: 0,
        ingest_rate_limit: 0,
        outbound_allow: Vec::new(),
        // The monitoring tests turn the scheduler on; elsewhere it would probe the made-up
        // environments the tests register.
        monitor: false,
        down_after: 3,
        gate_health_successes: 5,
        probe_retention_days: 30,
        demo_simulator: None,
        monitor_ca_file: None,
        trail_key: None,
        // Where the `tollgate` binary, given only DATABASE_URL, looks too.
        trail_key_file: server::config::trail_files(database_url).0,
        trail_checkpoint_file: server::config::trail_files(database_url).1,
        trail_checkpoint_every: 100,
        trusted_proxies: Vec::new(),
        one_person_team: false,
        token_max_days: 365,
        public_url: None,
        // The webhook tests turn the worker on.
        webhooks: false,
        webhook_retries: app::webhooks::worker::default_retries(),
        webhook_timeout_seconds: 10,
        webhook_disable_after_hours: 120,
        mail: None,
    }
}

/// Removes a test database's files: a SQLite file and its journals, and the trail key and
/// checkpoints beside it (PostgreSQL databases are dropped by `scripts/pg-clean.sh`).
pub fn remove_database_files(database_url: &str) {
    let (key, checkpoints) = server::config::trail_files(database_url);
    let _ = std::fs::remove_file(key);
    let _ = std::fs::remove_file(checkpoints);
    if let Some(path) = database_url
        .strip_prefix("sqlite://")
        .and_then(|rest| rest.split('?').next())
    {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
}

/// A database's files, removed when dropped even when the test fails
/// ([`remove_database_files`]).
pub struct ScratchDatabase(pub String);

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        remove_database_files(&self.0);
    }
}

/// A fresh directory under the temporary directory, removed with all it holds when dropped,
/// even when the test fails.
pub struct ScratchDir(pub std::path::PathBuf);

impl ScratchDir {
    pub fn new(prefix: &str) -> Self {
        let path = std::env::temp_dir().join(format!("{prefix}-{}", unique_name()));
        std::fs::create_dir_all(&path).expect("dir");
        Self(path)
    }

    /// Writes `text` to `name` inside and returns its path.
    pub fn write(&self, name: &str, text: impl AsRef<[u8]>) -> String {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("dir");
        }
        std::fs::write(&path, text).expect("write");
        path.display().to_string()
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        remove_database_files(&self.database_url);
    }
}

/// Starts the application with its own database.
pub async fn spawn_app() -> TestApp {
    spawn_with(|_| {}).await
}

/// An app with a coordinator (coord@example.com) who owns Stripe, signed in on the app's
/// client.
pub async fn signed_in_with_stripe() -> (
    TestApp,
    app::auth::model::CurrentUser,
    app::integrations::model::Integration,
) {
    let app = spawn_app().await;
    let coordinator = app
        .user("coord@example.com", app::auth::model::Role::Coordinator)
        .await
        .as_current();
    let stripe = app.stripe(&coordinator).await;
    app.login_as(&app.client, "coord@example.com").await;
    (app, coordinator, stripe)
}

/// GETs `path` with the app's client: (status, JSON body).
pub async fn get_json(app: &TestApp, path: &str) -> (u16, serde_json::Value) {
    let res = app.client.get(app.url(path)).send().await.expect("GET");
    let status = res.status().as_u16();
    (status, res.json().await.expect("json"))
}

/// Starts the application after adjusting its settings.
pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let database_url = fresh_database_url().await;
    let mut settings = settings(&database_url);
    adjust(&mut settings);
    let _ = server::telemetry::init("warn");
    let app = Application::build(settings)
        .await
        .expect("build application");
    let address = format!("http://127.0.0.1:{}", app.port());
    let setup_code = app.setup_code.clone();
    let db = app.db.clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: client(),
        db,
        database_url,
        setup_code,
    }
}

/// Runs the real `tollgate` binary against `database_url`.
pub fn tollgate(database_url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tollgate"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("TOLLGATE_LOG", "warn")
        .output()
        .expect("run tollgate")
}

/// A client that keeps cookies and does not follow redirects, so tests can see them.
pub fn client() -> reqwest::Client {
    builder().cookie_store(true).build().expect("client")
}

/// A client without cookies (for bearer-token calls).
pub fn plain_client() -> reqwest::Client {
    builder().build().expect("client")
}

/// Every test request gives up after 60 s: a page that never answers fails its test with a
/// timeout error instead of hanging the suite.
fn builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Calls a server function by its stable endpoint with form fields, as this site's pages
    /// do (with its Origin).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.call_as(&self.client, endpoint, form).await
    }

    pub async fn call_as(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("origin", &self.address)
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// Posts `form` to server function `endpoint` as a browser without JavaScript does from
    /// page `from`: asking for HTML, with the page as Referer.
    pub async fn post_from_page(
        &self,
        client: &reqwest::Client,
        from: &str,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("accept", "text/html")
            .header("referer", self.url(from))
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// Creates a user directly through the service.
    pub async fn user(&self, email: &str, role: Role) -> app::users::model::User {
        app::users::service::create_user(
            &self.db,
            None,
            NewUser {
                email: email.into(),
                name: format!("{} user", role.label()),
                role: role.as_str().into(),
                password: PASSWORD.into(),
            },
        )
        .await
        .expect("create user")
    }

    /// The "Stripe" payments integration (slug `stripe`), owned by `owner`.
    pub async fn stripe(
        &self,
        owner: &app::auth::model::CurrentUser,
    ) -> app::integrations::model::Integration {
        let form = app::integrations::model::IntegrationForm {
            name: "Stripe".into(),
            provider: "Stripe".into(),
            category: "payments".into(),
            owner_id: owner.id.to_string(),
            business_objective: "Card payments.".into(),
            priority: "high".into(),
            ..Default::default()
        };
        app::integrations::service::create(&self.db, owner, &form)
            .await
            .expect("integration")
    }

    /// Signs `client` in, asserting success.
    pub async fn login_as(&self, client: &reqwest::Client, email: &str) {
        let res = self
            .call_as(client, "login", &[("email", email), ("password", PASSWORD)])
            .await;
        assert_eq!(res.status(), 200, "login failed: {}", res.status());
    }

    /// GETs page `path` as a browser would: (status, HTML).
    pub async fn page(&self, c: &reqwest::Client, path: &str) -> (u16, String) {
        let res = c
            .get(self.url(path))
            .header("accept", "text/html")
            .send()
            .await
            .expect("page");
        (res.status().as_u16(), res.text().await.expect("html"))
    }

    /// Posts a multipart form as a page's upload form does: text `fields`, then `file` as
    /// (file name, content); with the browser's Origin header when `origin` is set.
    pub async fn upload(
        &self,
        c: &reqwest::Client,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &str),
        origin: bool,
    ) -> reqwest::Response {
        let boundary = "tollgate-test-boundary";
        let mut body = String::new();
        for (name, value) in fields {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ));
        }
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n{}\r\n--{boundary}--\r\n",
            file.0, file.1
        ));
        let mut req = c
            .post(self.url(path))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body);
        if origin {
            req = req.header("origin", self.address.clone());
        }
        req.send().await.expect("upload")
    }

    pub async fn count(&self, table: &str) -> i64 {
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                self.db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count")
            .expect("row");
        row.try_get::<i64>("", "n").expect("n")
    }
}

/// The Location header of a redirect.
pub fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}
