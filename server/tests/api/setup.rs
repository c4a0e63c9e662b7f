use app::auth::model::Role;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn setup_with_a_wrong_code_is_refused_and_creates_nobody() {
    let app = spawn_app().await;
    assert!(
        app.setup_code.is_some(),
        "a fresh instance prints a set-up code"
    );
    let res = app
        .call(
            "setup",
            &[
                ("setup_code", "WRONG-WRONG-WRONG-WRONG"),
                ("email", "a@example.com"),
                ("name", "A"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap_or_default().contains("setup_code"));
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test]
async fn setup_with_the_right_code_creates_an_admin_and_signs_them_in() {
    let app = spawn_app().await;
    let code = app.setup_code.clone().expect("code");
    let res = app
        .call(
            "setup",
            &[
                ("setup_code", &code),
                ("email", "Owner@Example.com"),
                ("name", "Owner"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "status {}", res.status());
    let me: serde_json::Value = app
        .call("current_user", &[])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["email"], "owner@example.com");
    assert_eq!(me["role"], "admin");
}

#[tokio::test]
async fn setup_is_refused_once_a_user_exists_even_with_the_code() {
    let app = spawn_app().await;
    let code = app.setup_code.clone().expect("code");
    app.user("existing@example.com", Role::Admin).await;
    let res = app
        .call(
            "setup",
            &[
                ("setup_code", &code),
                ("email", "x@example.com"),
                ("name", "X"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(app.count("users").await, 1);
}
