//! The leak guard over HTTP, against the real binary: a pasted secret is refused with a
//! message naming the field, and it appears in no response, no row and no log line.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, ScratchDatabase, fresh_database_url, plain_client, tollgate};

const SECRET: &str = "sk_live_51HxQmZKx9aB7cD3eF5gH7iJ9kL1mN3oP";

#[tokio::test]
async fn a_pasted_secret_is_refused_and_never_stored_echoed_or_logged() {
    let database_url = fresh_database_url().await;
    let _removed = ScratchDatabase(database_url.clone());
    let token = a_coordinator_and_a_token_are_made_by_the_cli(&database_url);
    let (server, address, log_path) = the_server_starts_and_logs_at_debug(&database_url).await;
    the_api_refuses_a_secret_in_every_text_field_and_does_not_echo_it(&address, &token).await;
    the_pages_form_refuses_it_too(&address).await;
    neither_the_log_nor_the_database_holds_it(server, &log_path, &database_url).await;
}

fn a_coordinator_and_a_token_are_made_by_the_cli(database_url: &str) -> String {
    let mut create = Command::new(env!("CARGO_BIN_EXE_tollgate"))
        .args([
            "user",
            "create",
            "--email",
            "coord@example.com",
            "--name",
            "Coord",
            "--role",
            "coordinator",
            "--password-stdin",
        ])
        .env("DATABASE_URL", database_url)
        .env("TOLLGATE_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("user create");
    {
        use std::io::Write;
        let mut stdin = create.stdin.take().expect("stdin");
        writeln!(stdin, "{PASSWORD}").expect("password");
    }
    assert!(create.wait().expect("wait").success());
    let token = tollgate(
        database_url,
        &[
            "token",
            "create",
            "--email",
            "coord@example.com",
            "--name",
            "ci",
            "--scope",
            "read-write",
        ],
    );
    String::from_utf8_lossy(&token.stdout).trim().to_string()
}

async fn the_server_starts_and_logs_at_debug(database_url: &str) -> (Child, String, PathBuf) {
    let log_path = std::env::temp_dir().join(format!("tollgate-leak-{}.log", std::process::id()));
    let log = std::fs::File::create(&log_path).expect("log file");
    let server = Command::new(env!("CARGO_BIN_EXE_tollgate"))
        .env("DATABASE_URL", database_url)
        .env("TOLLGATE_LISTEN", "127.0.0.1:0")
        .env("TOLLGATE_LOG", "debug")
        .stdout(Stdio::from(log.try_clone().expect("log")))
        .stderr(Stdio::from(log))
        .spawn()
        .expect("start tollgate");
    let mut address = None;
    for _ in 0..100 {
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        if let Some(at) = text.find("running at http://") {
            address = text[at + 11..]
                .split_whitespace()
                .next()
                .map(str::to_string);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let address = address.expect("the server printed its address");
    (server, address, log_path)
}

async fn the_api_refuses_a_secret_in_every_text_field_and_does_not_echo_it(
    address: &str,
    token: &str,
) {
    let http = plain_client();
    let me: Value = http
        .get(format!("{address}/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");

    let res = http
        .post(format!("{address}/api/v1/integrations"))
        .bearer_auth(token)
        .json(&json!({"name": "Stripe", "provider": "Stripe", "category": "payments", "priority": "high",
                      "owner_id": me["id"].to_string(), "business_objective": format!("Use {SECRET} for payouts")}))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 422);
    let body = res.text().await.expect("body");
    assert!(
        body.contains("business_objective") && body.contains("Stripe secret key"),
        "{body}"
    );
    assert!(!body.contains(SECRET), "the error does not echo the secret");

    // The implementation records refuse it in every text field too.
    let res = http
        .post(format!("{address}/api/v1/integrations"))
        .bearer_auth(token)
        .json(&json!({"name": "Stripe", "provider": "Stripe", "category": "payments", "priority": "high",
                      "owner_id": me["id"].to_string(), "business_objective": "Take card payments."}))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 201);
    for (path, body) in [
        (
            "mapping",
            json!({"source_pointer": "/data/amount", "target_field": "payment.amount", "notes": format!("test with {SECRET}")}),
        ),
        (
            "mapping",
            json!({"source_pointer": "/data/amount", "target_field": "payment.amount", "transform": "default", "transform_arg": SECRET}),
        ),
        (
            "checklist-items",
            json!({"checklist": "security", "title": "TLS only", "evidence": SECRET}),
        ),
    ] {
        let res = http
            .post(format!("{address}/api/v1/integrations/stripe/{path}"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), 422, "{path}");
        let text = res.text().await.expect("body");
        assert!(
            text.contains("Stripe secret key") && !text.contains(SECRET),
            "{text}"
        );
    }
}

async fn the_pages_form_refuses_it_too(address: &str) {
    let browser = crate::helpers::client();
    let res = browser
        .post(format!("{address}/api/login"))
        .header("origin", address)
        .form(&[("email", "coord@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 200);
    let res = browser
        .post(format!("{address}/api/create_token"))
        .header("origin", address)
        .form(&[
            ("name", SECRET),
            ("scope", "read"),
            ("expires_in_days", ""),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 422);
    let body = res.text().await.expect("body");
    assert!(
        body.contains("Stripe secret key") && !body.contains(SECRET),
        "{body}"
    );
}

async fn neither_the_log_nor_the_database_holds_it(
    mut server: Child,
    log_path: &Path,
    database_url: &str,
) {
    let _ = server.kill();
    let _ = server.wait();
    let mut logged = String::new();
    std::fs::File::open(log_path)
        .expect("log")
        .read_to_string(&mut logged)
        .expect("read log");
    let _ = std::fs::remove_file(log_path);
    assert!(logged.contains("request"), "the log was captured: {logged}");
    assert!(!logged.contains(SECRET), "the secret reached the log");

    let db = sea_orm::Database::connect(database_url).await.expect("db");
    use sea_orm::{ConnectionTrait, Statement};
    for table in [
        "integrations",
        "activity",
        "api_tokens",
        "mapping_rows",
        "checklist_items",
    ] {
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT * FROM {table}"),
            ))
            .await
            .expect("rows");
        assert!(
            !format!("{rows:?}").contains(SECRET),
            "{table} holds the secret"
        );
    }
}
