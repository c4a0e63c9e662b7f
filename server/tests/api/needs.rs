//! Needs me over HTTP: the page, and the count beside its link in every page's navigation,
//! each reader's own on a page kept for every reader of their role.

use app::auth::model::Role;
use app::entities::action_items;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

use crate::helpers::spawn_app;

const WAITING_ONE: &str = r#"aria-label="1 waiting""#;

#[tokio::test]
async fn needs_me_lists_what_waits_and_each_navigation_counts_its_readers_own() {
    let app = spawn_app().await;
    let admin = app
        .user("admin@example.com", Role::Admin)
        .await
        .as_current();
    let qa = app.user("qa@example.com", Role::Qa).await;
    app.user("qa2@example.com", Role::Qa).await;
    let stripe = app.stripe(&admin).await;
    let item = action_items::ActiveModel {
        integration_id: Set(stripe.id),
        text: Set("Chase the DPA signature".into()),
        assignee_id: Set(Some(qa.id)),
        done: Set(false),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("action item");
    let other = crate::helpers::client();
    app.login_as(&app.client, "qa@example.com").await;
    app.login_as(&other, "qa2@example.com").await;

    let (status, needs) = app.page(&app.client, "/needs").await;
    assert_eq!(status, 200);
    assert!(needs.contains("Chase the DPA signature"), "{needs}");
    assert!(needs.contains(WAITING_ONE), "{needs}");
    // The dashboard is kept for every QA reader: each sees their own count, rendered or kept.
    for _ in 0..2 {
        let (_, mine) = app.page(&app.client, "/").await;
        assert!(mine.contains(WAITING_ONE), "{mine}");
        let (_, theirs) = app.page(&other, "/").await;
        assert!(!theirs.contains("waiting\""), "{theirs}");
    }

    // Done behind this server's back; a write of the reader's own then counts afresh.
    let mut done: action_items::ActiveModel = item.into();
    done.done = Set(true);
    done.update(&app.db).await.expect("done");
    let res = app
        .call_as(&app.client, "mark_notifications_read", &[])
        .await;
    assert_eq!(res.status(), 200);
    let (_, after) = app.page(&app.client, "/").await;
    assert!(!after.contains("waiting\""), "{after}");
    let (_, needs) = app.page(&app.client, "/needs").await;
    assert!(!needs.contains("Chase the DPA signature"), "{needs}");
}
