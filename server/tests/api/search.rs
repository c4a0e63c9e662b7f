//! The search page and `GET /api/v1/search` over HTTP: the header's box on every page is a
//! plain GET form, the page finds a meeting by the words of its notes with them marked (and
//! the rest escaped), the API answers the same as JSON, and a bad parameter is a 422 naming
//! it on both.

use app::auth::model::Role;
use app::planning::model::MeetingForm;
use serde_json::Value;

use crate::helpers::{get_json, signed_in_with_stripe, spawn_app};

#[tokio::test]
async fn the_page_and_the_api_find_a_meeting_by_its_notes_and_name_a_bad_field() {
    let app = spawn_app().await;
    let coordinator = app
        .user("coord@example.com", Role::Coordinator)
        .await
        .as_current();
    let stripe = app.stripe(&coordinator).await;
    let meeting = app::planning::service::meetings::create(
        &app.db,
        &coordinator,
        stripe.id,
        &MeetingForm {
            starts_at: "2026-12-01T10:00".into(),
            title: "Acquirer choice".into(),
            notes: "We chose Adyen <b>over</b> Worldpay for card payments.".into(),
            ..Default::default()
        },
    )
    .await
    .expect("meeting");
    app.login_as(&app.client, "coord@example.com").await;

    let (status, html) = app.page(&app.client, "/integrations").await;
    assert_eq!(status, 200);
    let header = html.split("</header>").next().unwrap_or_default();
    assert!(
        header.contains(r#"action="/search""#) && header.contains(r#"id="site-search""#),
        "the header has the search box: {header}"
    );
    assert!(html.contains(r#"aria-keyshortcuts="/""#));

    let (status, html) = app.page(&app.client, "/search?q=adyen").await;
    assert_eq!(status, 200);
    assert!(html.contains("<mark>Adyen</mark>"), "the word is marked");
    assert!(html.contains("Acquirer choice"));
    assert!(html.contains(&format!(
        "/integrations/stripe/planning/meetings?meeting={meeting}#meeting-{meeting}"
    )));
    assert!(
        html.contains("&lt;b&gt;over"),
        "the notes are escaped, never markup"
    );
    assert!(!html.contains("<b>over</b>"));
    assert!(html.contains(r#"value="adyen""#), "the box keeps the query");

    let (status, html) = app.page(&app.client, "/search").await;
    assert_eq!(status, 200);
    assert!(html.contains("Type words to find"));
    let (status, html) = app.page(&app.client, "/search?q=nothingmatchesthis").await;
    assert_eq!(status, 200);
    assert!(html.contains("Nothing matches"));

    let res = app
        .client
        .get(app.url("/api/v1/search?q=adyen%20worldpay"))
        .send()
        .await
        .expect("search");
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["total"], 1);
    let hit = &body["groups"][0]["hits"][0];
    assert_eq!(body["groups"][0]["kind"], "meeting");
    assert_eq!(hit["id"], meeting);
    assert_eq!(hit["integration"]["slug"], "stripe");
    assert!(
        hit["snippet"]
            .as_array()
            .expect("pieces")
            .iter()
            .any(|p| p["hit"] == true)
    );

    for path in [
        "/api/v1/search?q=x&kind=planet",
        "/api/v1/search?q=x&page=0",
    ] {
        let res = app.client.get(app.url(path)).send().await.expect("search");
        assert_eq!(res.status(), 422, "{path}");
        let body: Value = res.json().await.expect("problem");
        let field = if path.contains("kind") {
            "kind"
        } else {
            "page"
        };
        assert_eq!(body["errors"][0]["field"], field, "{path}");
    }
    let (status, _) = app.page(&app.client, "/search?q=x&kind=planet").await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn beyond_the_newest_thousand_matches_the_page_and_the_api_say_more_than() {
    use app::entities::action_items;
    use app::search::model::CAP;
    use sea_orm::{ActiveValue::Set, EntityTrait};
    let (app, _, stripe) = signed_in_with_stripe().await;
    let items: Vec<action_items::ActiveModel> = (0..=CAP)
        .map(|n| action_items::ActiveModel {
            integration_id: Set(stripe.id),
            text: Set(format!("Kiwi follow-up number{n}")),
            done: Set(false),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        })
        .collect();
    for chunk in items.chunks(400) {
        action_items::Entity::insert_many(chunk.to_vec())
            .exec(&app.db)
            .await
            .expect("items");
    }

    let (status, html) = app.page(&app.client, "/search?q=kiwi").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("More than 1,000 match “kiwi”: the best of the newest 1,000 are shown."),
        "{html}"
    );
    assert!(
        html.contains(r#"<span class="badge">1000+</span>"#),
        "{html}"
    );
    assert!(html.contains(r#"href="/search?q=kiwi&amp;kind=action">More action items</a>"#));
    let (status, html) = app
        .page(&app.client, "/search?q=kiwi&kind=action&page=40")
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("More than 1,000 match in Action items: the newest 1,000, best first."),
        "{html}"
    );
    assert!(html.contains("Page 40 of 40"), "{html}");

    let (status, body) = get_json(&app, "/api/v1/search?q=kiwi").await;
    assert_eq!(status, 200);
    assert_eq!(
        (body["more"].as_bool(), body["total"].as_u64()),
        (Some(true), Some(CAP))
    );
    assert_eq!(body["groups"][0]["more"], true);
    // A second word narrows them to an exact count.
    let (_, body) = get_json(&app, "/api/v1/search?q=kiwi%20number7").await;
    assert_eq!(
        (body["more"].as_bool(), body["total"].as_u64()),
        (Some(false), Some(111))
    );
}
