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

/// Runs `tollgate audit verify --json`: (success, verdict).
fn verdict(database_url: &str) -> (bool, serde_json::Value) {
    let out = tollgate(database_url, &["audit", "verify", "--json"]);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON: {} {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.success(), json)
}

/// Five trail rows (five accounts) and a checkpoint of the fifth, through the binary.
async fn checkpointed_trail() -> crate::helpers::TestApp {
    let app = spawn_app().await;
    for n in 1..=5 {
        app.user(&format!("u{n}@example.com"), Role::Engineer).await;
    }
    let out = tollgate(&app.database_url, &["audit", "checkpoint"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Checkpoint written: row 5"));
    let (ok, v) = verdict(&app.database_url);
    assert!(ok, "{v}");
    assert_eq!(
        (
            v["rows"].as_u64(),
            v["checkpoints_in_database"].as_u64(),
            v["checkpoints_in_file"].as_u64(),
            v["anchored_to"].as_i64()
        ),
        (Some(5), Some(1), Some(1), Some(5))
    );
    app
}

async fn sql(app: &crate::helpers::TestApp, statement: &str) {
    app.db
        .execute_raw(Statement::from_string(
            app.db.get_database_backend(),
            statement.to_string(),
        ))
        .await
        .expect(statement);
}

#[tokio::test]
async fn audit_verify_detects_a_cut_off_tail_by_its_signed_checkpoint() {
    let app = checkpointed_trail().await;
    // The chain alone cannot see this: rows 4 and 5 are gone, 1 to 3 still link.
    sql(&app, "DELETE FROM activity WHERE id >= 4").await;
    let (ok, v) = verdict(&app.database_url);
    assert!(!ok);
    assert_eq!(v["problem"]["row_id"], 4, "{v}");
    assert!(
        v["problem"]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("rows 4 to 5 were cut off")),
        "{v}"
    );
    // Deleting the database's checkpoints too does not help: the file keeps them.
    sql(&app, "DELETE FROM trail_checkpoints").await;
    let (ok, v) = verdict(&app.database_url);
    assert!(!ok, "{v}");
    assert_eq!(v["problem"]["row_id"], 4, "{v}");
}

#[tokio::test]
async fn audit_verify_names_a_deleted_middle_row() {
    let app = checkpointed_trail().await;
    sql(&app, "DELETE FROM activity WHERE id = 3").await;
    let out = tollgate(&app.database_url, &["audit", "verify"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("BROKEN at row 3") && stderr.contains("rows 3 to 3 are missing"),
        "{stderr}"
    );
}

#[tokio::test]
async fn audit_verify_detects_a_chain_rewritten_with_the_same_unkeyed_hash() {
    let app = checkpointed_trail().await;
    // An attacker with the database changes row 2 and recomputes every hash after it, so the
    // chain links again; only the checkpoint, signed with a key outside the database, knows.
    sql(&app, "UPDATE activity SET action = 'tampered' WHERE id = 2").await;
    use sea_orm::{EntityTrait, QueryOrder};
    let rows = app::entities::activity::Entity::find()
        .order_by_asc(app::entities::activity::Column::Id)
        .all(&app.db)
        .await
        .expect("rows");
    let mut prev = app::activity::service::GENESIS.to_string();
    for mut row in rows {
        row.prev_hash = prev.clone();
        row.hash = app::activity::service::row_hash(&row);
        sql(
            &app,
            &format!(
                "UPDATE activity SET prev_hash = '{}', hash = '{}' WHERE id = {}",
                row.prev_hash, row.hash, row.id
            ),
        )
        .await;
        prev = row.hash;
    }
    let chain = app::activity::service::verify(&app.db)
        .await
        .expect("chain");
    assert!(
        matches!(
            chain,
            app::activity::service::ChainStatus::Intact { rows: 5 }
        ),
        "the rewritten chain links: {chain:?}"
    );
    let (ok, v) = verdict(&app.database_url);
    assert!(!ok);
    assert_eq!(v["problem"]["row_id"], 5, "{v}");
    assert!(
        v["problem"]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("the chain was rewritten")),
        "{v}"
    );
    // A checkpoint forged in the database without the key is refused as well.
    sql(
        &app,
        &format!(
            "INSERT INTO trail_checkpoints (row_id, head_hash, at, mac) VALUES (5, '{prev}', '2026-12-04T00:00:00.000000Z', 'forged')"
        ),
    )
    .await;
    let (_, v) = verdict(&app.database_url);
    assert!(
        v["problem"]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("rewritten") || r.contains("not signed")),
        "{v}"
    );
}
