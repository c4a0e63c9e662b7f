//! REST API v1: the registry and stage moves over plain JSON, with tokens and the session.

use app::auth::model::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn token(app: &TestApp, email: &str, role: Role, scope: &str) -> String {
    let user = app.user(email, role).await.as_current();
    app::tokens::service::create(&app.db, &user, "test", scope, "", 365)
        .await
        .expect("token")
        .secret
}

async fn integration(app: &TestApp, owner_email: &str) {
    let owner = app::entities::users::Entity::find()
        .all(&app.db)
        .await
        .expect("users")
        .into_iter()
        .find(|u| u.email == owner_email)
        .expect("owner");
    let owner = app::auth::service::to_current(&owner).expect("current");
    app.stripe(&owner).await;
}

use sea_orm::EntityTrait;

#[tokio::test]
async fn the_registry_reads_with_the_list_pages_filters_and_unknown_slugs_are_json_404s() {
    let app = spawn_app().await;
    let secret = token(&app, "coord@example.com", Role::Coordinator, "read").await;
    integration(&app, "coord@example.com").await;
    let http = crate::helpers::plain_client();
    let page: Value = http
        .get(app.url("/api/v1/integrations?stage=planning&sort=name"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["slug"], "stripe");
    let none: Value = http
        .get(app.url("/api/v1/integrations?stage=live"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(none["total"], 0);
    let res = http
        .get(app.url("/api/v1/integrations/nope"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 404);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["status"], 404);
    assert_eq!(body["type"], "about:blank");
    let one: Value = http
        .get(app.url("/api/v1/integrations/stripe"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(one["integration"]["stage"], "planning");
}

#[tokio::test]
async fn a_transition_needs_a_write_scope_and_a_closed_gate_answers_409_with_the_unmet_criteria() {
    let app = spawn_app().await;
    let read = token(&app, "coord@example.com", Role::Coordinator, "read").await;
    integration(&app, "coord@example.com").await;
    let write = {
        let coord = app::entities::users::Entity::find()
            .all(&app.db)
            .await
            .expect("users")[0]
            .clone();
        let coord = app::auth::service::to_current(&coord).expect("current");
        app::tokens::service::create(&app.db, &coord, "rw", "read-write", "", 365)
            .await
            .expect("token")
            .secret
    };
    let http = crate::helpers::plain_client();
    let url = app.url("/api/v1/integrations/stripe/transitions");
    let res = http
        .post(&url)
        .bearer_auth(&read)
        .json(&json!({"to": "on_hold", "reason": "x"}))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 403, "a read-only token cannot write");

    let res = http
        .post(&url)
        .bearer_auth(&write)
        .json(&json!({"to": "implementation"}))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 409);
    let body: Value = res.json().await.expect("json");
    let unmet = body["unmet"].as_array().expect("unmet list");
    assert_eq!(unmet.len(), 4);
    assert!(unmet.contains(&json!("A vendor selected with a rationale")));

    let res = http
        .post(&url)
        .bearer_auth(&write)
        .json(&json!({"to": "on_hold", "reason": "Contract review"}))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 201);
    let moved: Value = res.json().await.expect("json");
    assert_eq!(
        (moved["from"].as_str(), moved["to"].as_str()),
        (Some("planning"), Some("on_hold"))
    );

    let res = http
        .post(&url)
        .bearer_auth(&write)
        .json(&json!({"to": "somewhere"}))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["errors"][0]["field"], "to");

    let engineer = token(&app, "eng@example.com", Role::Engineer, "read-write").await;
    let res = http
        .post(&url)
        .bearer_auth(&engineer)
        .json(&json!({"to": "planning"}))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 403, "the token acts with its owner's role");
}

#[tokio::test]
async fn a_session_write_must_come_from_this_site() {
    let app = spawn_app().await;
    app.user("coord@example.com", Role::Coordinator).await;
    integration(&app, "coord@example.com").await;
    app.login_as(&app.client, "coord@example.com").await;
    let url = app.url("/api/v1/integrations/stripe/transitions");
    let body = json!({"to": "on_hold", "reason": "Budget freeze"});
    let forged = app
        .client
        .post(&url)
        .header("Origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), 403);
    let bare = app
        .client
        .post(&url)
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(bare.status(), 403, "no Origin or Referer: refused");
    let own = app
        .client
        .post(&url)
        .header("Origin", app.address.clone())
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(own.status(), 201);
}
