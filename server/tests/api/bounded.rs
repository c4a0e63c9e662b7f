//! Lists that grow with time stay bounded on their pages: with thousands of rows a page keeps
//! its size, says how many there are, and links to the paginated whole.

use app::activity::service::{NewActivity, begin, record};
use app::entities::{
    action_items, defects, error_groups, incidents, meetings, notifications, test_plans, test_runs,
};
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};

/// A new row's active model with its id left for the database to give.
trait ResetId {
    fn reset_id(self) -> Self;
}

macro_rules! reset_id {
    ($($m:ident),*) => {$(
        impl ResetId for $m::ActiveModel {
            fn reset_id(mut self) -> Self {
                self.id = NotSet;
                self
            }
        }
    )*};
}
reset_id!(
    meetings,
    action_items,
    notifications,
    error_groups,
    incidents,
    test_plans,
    test_runs,
    defects
);
use serde_json::{Value, json};

use crate::helpers::{TestApp, get_json, signed_in_with_stripe};

/// How many rows each list is given: enough that an unbounded page would be megabytes.
const MANY: i64 = 3_000;

/// Inserts `MANY` rows, `row(n)` for each n, in chunks (a statement's bind parameters are
/// limited), each with an id the database gives.
async fn insert_many<A>(app: &TestApp, row: impl Fn(i64) -> A)
where
    A: sea_orm::ActiveModelTrait + ResetId + Send,
{
    let rows: Vec<A> = (0..MANY).map(|n| row(n).reset_id()).collect();
    for chunk in rows.chunks(200) {
        <A::Entity as EntityTrait>::insert_many(chunk.to_vec())
            .exec(&app.db)
            .await
            .expect("insert");
    }
}

/// `count` edits of integration `id`'s business objective by `actor` in its trail, the n-th
/// from "Card payments, take n." to "... take n+1.".
async fn edit(app: &TestApp, actor: i32, id: i32, count: i64) {
    let txn = begin(&app.db).await.expect("begin");
    for n in 0..count {
        record(
            &txn,
            NewActivity {
                actor_id: Some(actor),
                action: "update",
                entity_kind: "integration",
                entity_id: id.to_string(),
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
}

/// `app`'s page `path` (as the signed-in client), asserting a 200.
async fn page(app: &TestApp, path: &str) -> String {
    let (status, html) = app.page(&app.client, path).await;
    assert_eq!(status, 200, "{path}");
    html
}

#[tokio::test]
async fn notifications_error_groups_and_incidents_are_paged_and_the_pages_keep_their_size() {
    let (app, coordinator, stripe) = signed_in_with_stripe().await;
    let paths = [
        "/notifications",
        "/integrations/stripe/errors",
        "/integrations/stripe/health",
        "/integrations/stripe/testing",
        "/integrations/stripe",
    ];
    let mut before = Vec::new();
    for path in paths {
        before.push(page(&app, path).await.len());
    }

    let now = Utc::now();
    let at = |n: i64| now - Duration::minutes(MANY - n);
    insert_many(&app, |n| {
        notifications::Model {
            id: 0,
            user_id: coordinator.id,
            integration_id: Some(stripe.id),
            kind: app::notifications::model::Kind::IncidentOpened,
            title: format!("Notice {n}"),
            body: "Stripe's production environment is down.".into(),
            link: "/integrations/stripe/health".into(),
            created_at: at(n),
            read_at: None,
        }
        .into_active_model()
    })
    .await;
    insert_many(&app, |n| {
        error_groups::Model {
            id: 0,
            integration_id: stripe.id,
            fingerprint: format!("{n:064}"),
            error_type: "CardError".into(),
            operation: format!("POST /v1/charges/{n}"),
            message: format!("Group {n}: the card was declined"),
            level: app::events::model::EventLevel::Error,
            status: app::events::model::GroupStatus::Unresolved,
            regressed: false,
            count: 1,
            first_seen: at(n),
            last_seen: at(n),
            resolved_at: None,
        }
        .into_active_model()
    })
    .await;
    insert_many(&app, |n| {
        incidents::Model {
            id: 0,
            integration_id: stripe.id,
            environment_id: None,
            title: format!("Incident {n}: checkout is failing"),
            severity: app::monitoring::model::IncidentSeverity::Major,
            status: app::monitoring::model::IncidentStatus::Open,
            automatic: false,
            opened_at: at(n),
            resolved_at: None,
            ticket_ref: None,
            root_cause: None,
            postmortem: None,
            created_by: Some(coordinator.id),
            heartbeat_id: None,
        }
        .into_active_model()
    })
    .await;

    let plan = test_plans::Entity::insert(
        test_plans::Model {
            id: 0,
            integration_id: stripe.id,
            browsers: "chrome".into(),
            devices: "desktop".into(),
            required_categories: String::new(),
            created_at: now,
            updated_at: now,
        }
        .into_active_model()
        .reset_id(),
    )
    .exec(&app.db)
    .await
    .expect("plan")
    .last_insert_id;
    insert_many(&app, |n| {
        test_runs::Model {
            id: 0,
            plan_id: plan,
            name: format!("Run {n}"),
            build: format!("build-{n}"),
            environment_id: None,
            started_by: coordinator.id,
            started_at: at(n),
        }
        .into_active_model()
    })
    .await;
    insert_many(&app, |n| {
        defects::Model {
            id: 0,
            integration_id: stripe.id,
            execution_id: None,
            title: format!("Defect {n}: the receipt is blank"),
            severity: app::testing::model::Severity::Minor,
            status: app::testing::model::DefectStatus::Open,
            tracker_url: String::new(),
            created_by: coordinator.id,
            created_at: at(n),
            updated_at: at(n),
        }
        .into_active_model()
    })
    .await;

    // Rows written behind the trail's back: one trail row makes the kept pages read afresh.
    edit(&app, coordinator.id, stripe.id, 1).await;

    for (path, small) in paths.into_iter().zip(before) {
        let big = page(&app, path).await;
        eprintln!(
            "{path}: {small} bytes empty, {} with {MANY} rows",
            big.len()
        );
        assert!(
            big.len() < small + 100_000,
            "{MANY} rows each grew {path} from {small} to {} bytes",
            big.len()
        );
    }
    let html = page(&app, "/notifications").await;
    assert!(html.contains("3000 notifications, 3000 unread."), "{html}");
    assert!(
        html.contains("Notice 2999") && !html.contains("Notice 2974"),
        "newest 25 first"
    );
    assert!(html.contains(r#"href="/notifications?page=2" rel="next""#));
    let html = page(&app, "/notifications?page=120").await;
    assert!(html.contains("Notice 0") && html.contains("Page 120 of 120"));

    let html = page(&app, "/integrations/stripe/errors").await;
    assert!(
        html.contains("3000 groups, most recently seen first"),
        "{html}"
    );
    assert!(html.contains("Group 2999:") && !html.contains("Group 2974:"));
    let html = page(&app, "/integrations/stripe/errors?status=unresolved&page=2").await;
    assert!(
        html.contains("Group 2974:") && html.contains("Page 2 of 120"),
        "{html}"
    );
    assert!(
        html.contains(
            r#"href="/integrations/stripe/errors?page=3&amp;status=unresolved" rel="next""#
        ),
        "{html}"
    );

    let html = page(&app, "/integrations/stripe/health").await;
    assert!(html.contains("3000 incidents, newest first"), "{html}");
    assert!(html.contains("Page 1 of 150"));
    assert!(html.contains("The newest 20 events;"));

    let html = page(&app, "/integrations/stripe/testing").await;
    assert!(
        html.contains("3000 runs, newest first") && html.contains("3000 defects"),
        "{html}"
    );
    assert!(
        html.contains(">Run 2999<") && !html.contains(">Run 2979<"),
        "newest 20 runs"
    );
    let html = page(&app, "/integrations/stripe/testing?runs=150&defects=2").await;
    assert!(
        html.contains(">Run 0<") && html.contains("Page 150 of 150"),
        "{html}"
    );
    assert!(
        html.contains("Page 2 of 150"),
        "the defects' second page: {html}"
    );

    let html = page(&app, "/integrations/stripe").await;
    assert!(
        html.contains("3000; newest: "),
        "the state counts every open incident: {html}"
    );
    assert!(html.contains("The first 10 of 3000."), "{html}");
    // Over REST, the same lists a page at a time, with their count and links.
    for (path, per_page, last, first) in [
        (
            "/api/v1/integrations/stripe/error-groups?status=unresolved",
            25,
            120,
            "Group 2999: the card was declined",
        ),
        ("/api/v1/integrations/stripe/test-runs", 20, 150, "Run 2999"),
    ] {
        let res = app.client.get(app.url(path)).send().await.expect("list");
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["x-total-count"], "3000", "{path}");
        let link = res.headers()["link"]
            .to_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            link.contains(&format!("page={last}>; rel=\"last\"")),
            "{link}"
        );
        assert!(link.contains("page=2>; rel=\"next\""), "{link}");
        let body: Value = res.json().await.expect("json");
        let items = body.as_array().expect("an array");
        assert_eq!(items.len(), per_page, "{path}");
        let named = |v: &Value| {
            v.get("message")
                .or_else(|| v.get("name"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(named(&items[0]), first, "{path}");
        let sep = if path.contains('?') { '&' } else { '?' };
        let res = app
            .client
            .get(app.url(&format!("{path}{sep}page=999")))
            .send()
            .await
            .expect("list");
        let body: Value = res.json().await.expect("json");
        assert_eq!(
            body.as_array().map(Vec::len),
            Some(3000 - (last - 1) * per_page),
            "the last page"
        );
        let res = app
            .client
            .get(app.url(&format!("{path}{sep}page=0")))
            .send()
            .await
            .expect("list");
        assert_eq!(res.status(), 422, "{path}");
    }
    for path in [
        "/notifications?page=0",
        "/integrations/stripe/errors?page=x",
        "/integrations/stripe/health?page=-1",
        "/integrations/stripe/testing?runs=0",
    ] {
        let (status, html) = app.page(&app.client, path).await;
        assert_eq!(status, 422, "{path}");
        assert!(html.contains("Give a page number from 1."), "{path}");
    }
}

#[tokio::test]
async fn an_integration_page_shows_its_newest_history_and_links_to_the_paginated_rest() {
    let (app, coordinator, stripe) = signed_in_with_stripe().await;
    let (status, small) = app.page(&app.client, "/integrations/stripe").await;
    assert_eq!(status, 200);
    assert!(small.contains("The newest 1 of 1 entries."), "{small}");

    edit(&app, coordinator.id, stripe.id, 3_000).await;

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
    let (app, _, _) = signed_in_with_stripe().await;
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

#[tokio::test]
async fn meetings_are_paged_with_their_action_items_and_a_meeting_opens_its_page() {
    let (app, coordinator, stripe) = signed_in_with_stripe().await;
    let path = "/integrations/stripe/planning/meetings";
    let small = page(&app, path).await;
    assert!(small.contains("No meetings recorded yet."));

    let now = Utc::now();
    let at = |n: i64| now - Duration::hours(MANY - n);
    insert_many(&app, |n| {
        meetings::Model {
            id: 0,
            integration_id: stripe.id,
            starts_at: at(n),
            title: format!("Weekly sync {n}:"),
            attendee_ids: format!("[{}]", coordinator.id),
            outside_attendees: String::new(),
            agenda: "Status.".into(),
            notes: "Went through the open items.".into(),
            decisions: String::new(),
            created_by: Some(coordinator.id),
            created_at: now,
        }
        .into_active_model()
    })
    .await;
    let ids: Vec<i32> = meetings::Entity::find()
        .filter(meetings::Column::IntegrationId.eq(stripe.id))
        .order_by_asc(meetings::Column::StartsAt)
        .all(&app.db)
        .await
        .expect("meetings")
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(ids.len() as i64, MANY);
    insert_many(&app, |n| {
        action_items::Model {
            id: 0,
            integration_id: stripe.id,
            meeting_id: Some(ids[usize::try_from(n).unwrap_or_default()]),
            text: format!("Follow-up {n}."),
            assignee_id: None,
            due_date: None,
            done: false,
            done_at: None,
            created_at: now,
        }
        .into_active_model()
    })
    .await;
    edit(&app, coordinator.id, stripe.id, 1).await;

    let big = page(&app, path).await;
    eprintln!(
        "{path}: {} bytes empty, {} with {MANY} meetings",
        small.len(),
        big.len()
    );
    assert!(big.len() < small.len() + 100_000, "{} bytes", big.len());
    assert!(big.contains("3000 meetings, newest first"), "{big}");
    assert!(big.contains("Page 1 of 300"));
    assert_eq!(big.matches(r#"class="card meeting""#).count(), 10);
    assert!(big.contains("Weekly sync 2999:") && !big.contains("Weekly sync 2989:"));
    assert!(
        big.contains("Follow-up 2999."),
        "each meeting with its items"
    );
    assert!(big.contains(&format!(r#"href="{path}?page=2" rel="next""#)));
    // The link search gives a meeting opens the page that holds it.
    let old = ids[1234];
    let html = page(&app, &format!("{path}?meeting={old}")).await;
    assert!(html.contains("Page 177 of 300"), "{html}");
    assert!(html.contains(&format!(r#"id="meeting-{old}""#)) && html.contains("Weekly sync 1234:"));
    for bad in ["?page=0", "?meeting=x", "?meeting=999999"] {
        let (status, html) = app.page(&app.client, &format!("{path}{bad}")).await;
        assert_eq!(status, 422, "{bad}");
        assert!(
            html.contains("Give a page number from 1.")
                || html.contains("Choose one of this integration"),
            "{bad}"
        );
    }
    // Over REST: the same page, and the page holding a meeting.
    let (status, body) = get_json(
        &app,
        &format!("/api/v1/integrations/stripe/meetings?meeting={old}"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            body["page"].as_u64(),
            body["pages"].as_u64(),
            body["total"].as_u64()
        ),
        (Some(177), Some(300), Some(3000))
    );
    assert_eq!(body["meetings"].as_array().map(Vec::len), Some(10));
}

#[tokio::test]
async fn a_spec_card_lists_its_newest_versions_and_says_how_many() {
    let (app, coordinator, stripe) = signed_in_with_stripe().await;
    for n in 1..=12 {
        let doc = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '{n}'}}\npaths:\n  /v{n}/charges:\n    \
             get:\n      responses: {{'200': {{description: ok}}}}\n"
        );
        app::specs::service::import(&app.db, &coordinator, stripe.id, "Charges", doc.as_bytes())
            .await
            .expect("import");
    }
    let html = page(&app, "/integrations/stripe/specs").await;
    assert!(
        html.contains("The newest 10 of 12 versions; compare any two from the changes page."),
        "{html}"
    );
    assert!(
        html.contains(">v12<") && html.contains(">v3<") && !html.contains(">v2<"),
        "{html}"
    );
}
