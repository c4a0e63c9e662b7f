//! `tollgate audit verify` through the real binary.

use app::auth::model::Role;
use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::{spawn_app, tollgate};

#[tokio::test]
async fn audit_verify_passes_on_an_intact_trail_and_names_the_first_altered_row() {
    let app = spawn_app().await;
    app.user("a@example.com", Role::Admin).await;
    app.user("b@example.com", Role::Engineer).await;
    app.user("c@example.com", Role::Qa).await;
    let ok = tollgate(&app.database_url, &["audit", "verify"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("3 rows"));

    // Alter the second row behind the application's back.
    let second: i64 = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT id FROM activity ORDER BY id LIMIT 1 OFFSET 1",
        ))
        .await
        .expect("query")
        .expect("row")
        .try_get::<i32>("", "id")
        .map(i64::from)
        .expect("id");
    app.db
        .execute_raw(Statement::from_string(
            app.db.get_database_backend(),
            format!("UPDATE activity SET action = 'tampered' WHERE id = {second}"),
        ))
        .await
        .expect("tamper");
    let broken = tollgate(&app.database_url, &["audit", "verify"]);
    assert!(!broken.status.success());
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(stderr.contains(&format!("row {second}")), "{stderr}");
}

#[tokio::test]
async fn user_create_from_the_shell_makes_an_account_that_can_sign_in() {
    let app = spawn_app().await;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tollgate"))
        .args([
            "user",
            "create",
            "--email",
            "ops@example.com",
            "--name",
            "Ops",
            "--role",
            "admin",
            "--password-stdin",
        ])
        .env("DATABASE_URL", &app.database_url)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(crate::helpers::PASSWORD.as_bytes())
            .expect("write");
    }
    assert!(child.wait().expect("wait").success());
    app.login_as(&app.client, "ops@example.com").await;
    let bad = tollgate(
        &app.database_url,
        &[
            "user",
            "create",
            "--email",
            "x@example.com",
            "--name",
            "X",
            "--role",
            "boss",
        ],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("role"));
}

#[test]
fn bad_configuration_fails_at_start_naming_the_variable() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tollgate"))
        .arg("migrate")
        .env("TOLLGATE_LISTEN", "not-an-address")
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("TOLLGATE_LISTEN"));
}
