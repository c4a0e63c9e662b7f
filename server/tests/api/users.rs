use app::auth::model::Role;

use crate::helpers::{client, spawn_app};

#[tokio::test]
async fn a_deactivated_users_session_stops_working_at_once() {
    let app = spawn_app().await;
    app.user("admin@example.com", Role::Admin).await;
    let victim = app.user("eng@example.com", Role::Engineer).await;
    let eng = client();
    app.login_as(&eng, "eng@example.com").await;
    let ok = app.call_as(&eng, "list_integrations", &[]).await;
    assert_eq!(ok.status(), 200);

    app.login_as(&app.client, "admin@example.com").await;
    let id = victim.id.to_string();
    let res = app
        .call("set_user_active", &[("user_id", &id), ("active", "false")])
        .await;
    assert_eq!(res.status(), 200);

    let refused = app.call_as(&eng, "list_integrations", &[]).await;
    assert_eq!(refused.status(), 401);
    let again = app
        .call_as(
            &eng,
            "login",
            &[
                ("email", "eng@example.com"),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert_eq!(again.status(), 401, "a deactivated user cannot sign in");
}

#[tokio::test]
async fn only_admins_manage_users() {
    let app = spawn_app().await;
    app.user("coord@example.com", Role::Coordinator).await;
    app.login_as(&app.client, "coord@example.com").await;
    let res = app
        .call(
            "create_user",
            &[
                ("email", "x@example.com"),
                ("name", "X"),
                ("role", "admin"),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(app.count("users").await, 1);
    assert_eq!(app.call("list_users", &[]).await.status(), 403);
}

#[tokio::test]
async fn an_admin_creates_a_user_and_changes_their_role_with_field_errors_for_bad_input() {
    let app = spawn_app().await;
    app.user("admin@example.com", Role::Admin).await;
    app.login_as(&app.client, "admin@example.com").await;
    let bad = app
        .call(
            "create_user",
            &[
                ("email", "nope"),
                ("name", ""),
                ("role", "boss"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let body = bad.text().await.unwrap_or_default();
    for field in ["email", "name", "role", "password"] {
        assert!(
            body.contains(&format!("\"{field}\"")),
            "no error for {field}: {body}"
        );
    }
    let created: serde_json::Value = app
        .call(
            "create_user",
            &[
                ("email", "qa@example.com"),
                ("name", "Q"),
                ("role", "qa"),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await
        .json()
        .await
        .expect("json");
    let id = created["id"].to_string();
    let changed: serde_json::Value = app
        .call("change_role", &[("user_id", &id), ("role", "engineer")])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(changed["role"], "engineer");
    let dup = app
        .call(
            "create_user",
            &[
                ("email", "QA@example.com"),
                ("name", "Q"),
                ("role", "qa"),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert_eq!(dup.status(), 422);
}

#[tokio::test]
async fn changing_ones_own_password_needs_the_current_one() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    app.login_as(&app.client, "eng@example.com").await;
    let wrong = app
        .call(
            "change_password",
            &[
                ("current_password", "not-my-password"),
                ("new_password", "another-long-password"),
                ("confirm_password", "another-long-password"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    let ok = app
        .call(
            "change_password",
            &[
                ("current_password", crate::helpers::PASSWORD),
                ("new_password", "another-long-password"),
                ("confirm_password", "another-long-password"),
            ],
        )
        .await;
    assert_eq!(ok.status(), 200);
    app.call("logout", &[]).await;
    let res = app
        .call(
            "login",
            &[
                ("email", "eng@example.com"),
                ("password", "another-long-password"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn a_password_changed_without_javascript_says_so_on_the_account_page() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    app.login_as(&app.client, "eng@example.com").await;
    let res = app
        .post_from_page(
            &app.client,
            "/account?tab=password",
            "change_password",
            &[
                ("current_password", crate::helpers::PASSWORD),
                ("new_password", "another-long-password"),
                ("confirm_password", "another-long-password"),
            ],
        )
        .await;
    assert_eq!(res.status(), 302);
    let back = crate::helpers::location(&res);
    assert_eq!(back, "/account?tab=password&password_changed=1");
    let (status, html) = app.page(&app.client, &back).await;
    assert_eq!(status, 200);
    assert!(html.contains("Your password has been changed."), "{html}");
    let (_, before) = app.page(&app.client, "/account").await;
    assert!(!before.contains("Your password has been changed."));
}

#[tokio::test]
async fn a_password_change_signs_out_every_other_session_of_the_account_but_not_this_one() {
    let app = spawn_app().await;
    app.user("eng@example.com", Role::Engineer).await;
    app.user("qa@example.com", Role::Qa).await;
    let laptop = crate::helpers::client();
    let phone = crate::helpers::client();
    let colleague = crate::helpers::client();
    app.login_as(&laptop, "eng@example.com").await;
    app.login_as(&phone, "eng@example.com").await;
    app.login_as(&colleague, "qa@example.com").await;
    for c in [&laptop, &phone, &colleague] {
        assert_eq!(app.page(c, "/account").await.0, 200);
    }
    let changed = app
        .call_as(
            &laptop,
            "change_password",
            &[
                ("current_password", crate::helpers::PASSWORD),
                ("new_password", "another-long-password"),
                ("confirm_password", "another-long-password"),
            ],
        )
        .await;
    assert_eq!(changed.status(), 200);
    assert_eq!(
        app.page(&laptop, "/account").await.0,
        200,
        "this session stays"
    );
    let res = phone
        .get(app.url("/account"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 302, "the other session ended");
    assert!(
        crate::helpers::location(&res).starts_with("/login"),
        "{}",
        crate::helpers::location(&res)
    );
    assert_eq!(
        app.page(&colleague, "/account").await.0,
        200,
        "another account's session is untouched"
    );
}

#[tokio::test]
async fn an_admin_signs_a_user_out_everywhere_and_the_account_stays_active() {
    let app = spawn_app().await;
    app.user("admin@example.com", Role::Admin).await;
    let eng = app.user("eng@example.com", Role::Engineer).await;
    let laptop = client();
    let phone = client();
    app.login_as(&app.client, "admin@example.com").await;
    app.login_as(&laptop, "eng@example.com").await;
    app.login_as(&phone, "eng@example.com").await;
    let id = eng.id.to_string();
    let res = app
        .call_as(&laptop, "end_user_sessions", &[("user_id", &id)])
        .await;
    assert_eq!(res.status(), 403, "only admins");
    let res = app.call("end_user_sessions", &[("user_id", &id)]).await;
    assert_eq!(res.status(), 200);
    for c in [&laptop, &phone] {
        let res = c
            .get(app.url("/account"))
            .header("accept", "text/html")
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 302, "signed out");
    }
    assert_eq!(
        app.page(&app.client, "/account").await.0,
        200,
        "the admin is not"
    );
    let again = client();
    app.login_as(&again, "eng@example.com").await;
    assert_eq!(
        app.page(&again, "/account").await.0,
        200,
        "the account is active"
    );
    use app::entities::activity;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let trail = activity::Entity::find()
        .filter(activity::Column::EntityKind.eq("user"))
        .filter(activity::Column::EntityId.eq(id))
        .all(&app.db)
        .await
        .expect("trail");
    assert!(
        trail.iter().any(|e| e.action == "end_sessions"),
        "{trail:?}"
    );
}
