//! Lists that grow with time stay bounded on their pages: with thousands of rows a page keeps
//! its size, says how many there are, and links to the paginated whole.

use app::activity::service::{NewActivity, begin, record};
use app::auth::model::Role;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test]
async fn an_integration_page_shows_its_newest_history_and_links_to_the_paginated_rest() {
    let app = spawn_app().await;
    let coordinator = app
        .user("coord@example.com", Role::Coordinator)
        .await
        .as_current();
    let stripe = app.stripe(&coordinator).await;
    app.login_as(&app.client, "coord@example.com").await;
    let (status, small) = app.page(&app.client, "/integrations/stripe").await;
    assert_eq!(status, 200);
    assert!(small.contains("The newest 1 of 1 entries."), "{small}");

    let txn = begin(&app.db).await.expect("begin");
    for n in 0..3_000 {
        record(
            &txn,
            NewActivity {
                actor_id: Some(coordinator.id),
                action: "update",
                entity_kind: "integration",
                entity_id: stripe.id.to_string(),
                before: Some(json!({ "business_objective": format!("Card payments, take {n}.") })),
                after: Some(
                    json!({ "business_objective": format!("Card payments, take {}.", n + 1) }),
                ),
            },
        )
        .await
        .expect("record");
    }
    txn.commit().await.expect("commit");

    let (status, big) = app.page(&app.client, "/integrations/stripe").await;
    assert_eq!(status, 200);
    assert!(
        big.len() < small.len() + 8_000,
        "3,000 more entries grew the page from {} to {} bytes",
        small.len(),
        big.len()
    );
    assert_eq!(big.matches(r#"class="history-entry""#).count(), 10);
    assert!(big.contains("The newest 10 of 3001 entries."), "{big}");
    assert!(big.contains(r#"<a href="/integrations/stripe/history">The whole history</a>"#));
    assert!(big.contains("take 3000."), "the newest entry first");

    // The whole history, 50 a page, newest first, to the first entry (the creation).
    let (status, first) = app.page(&app.client, "/integrations/stripe/history").await;
    assert_eq!(status, 200);
    assert!(first.contains("3001 entries, newest first"), "{first}");
    assert!(first.contains("Page 1 of 61"), "{first}");
    assert_eq!(first.matches(r#"class="history-entry""#).count(), 50);
    assert!(first.contains(r#"href="/integrations/stripe/history?page=2" rel="next""#));
    let (_, last) = app
        .page(&app.client, "/integrations/stripe/history?page=61")
        .await;
    assert_eq!(last.matches(r#"class="history-entry""#).count(), 1);
    assert!(last.contains(r#"href="/integrations/stripe/history?page=60" rel="prev""#));
    let (_, bad) = app
        .page(&app.client, "/integrations/stripe/history?page=0")
        .await;
    assert!(bad.contains("Give a page number from 1."), "{bad}");

    // The REST detail carries the same newest entries and the count.
    let detail: Value = app
        .client
        .get(app.url("/api/v1/integrations/stripe"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(detail["history"].as_array().map(Vec::len), Some(10));
    assert_eq!(detail["history_total"], 3001);
}

#[tokio::test]
async fn every_integration_page_has_the_sections_row_with_the_current_one_marked() {
    let app = spawn_app().await;
    let coordinator = app
        .user("coord@example.com", Role::Coordinator)
        .await
        .as_current();
    app.stripe(&coordinator).await;
    app.login_as(&app.client, "coord@example.com").await;
    let sections = app::components::sections::Section::ALL;
    for current in sections {
        let path = format!("/integrations/stripe{}", current.path());
        let (status, html) = app.page(&app.client, &path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            html.contains(r#"<nav aria-label="Integration sections" class="tabs sections">"#),
            "{path} has no sections row"
        );
        for s in sections {
            let href = format!("/integrations/stripe{}", s.path());
            let link = if s == current {
                format!(r#"<a href="{href}" aria-current="page">{}</a>"#, s.label())
            } else {
                format!(r#"<a href="{href}">{}</a>"#, s.label())
            };
            assert!(html.contains(&link), "{path} lacks {link}");
        }
    }
}
