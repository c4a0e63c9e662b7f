//! The portfolio dashboard over HTTP: the server-rendered home page for a stakeholder, the
//! JSON over REST, and the report's CSV and Markdown downloads, by token and by session.

use app::auth::model::Role;

use crate::api_v1::Client;
use crate::helpers::{location, spawn_app};

#[tokio::test]
async fn a_stakeholder_sees_the_portfolio_rendered_on_the_server() {
    let app = spawn_app().await;
    let admin = app
        .user("admin@example.com", Role::Admin)
        .await
        .as_current();
    app.user("stake@example.com", Role::Stakeholder).await;
    let stripe = app.stripe(&admin).await;

    let (status, _) = app.page(&app.client, "/").await;
    assert_eq!(status, 302, "signed out");
    app.login_as(&app.client, "stake@example.com").await;
    let (status, html) = app.page(&app.client, "/").await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1>Portfolio</h1>"), "{html}");
    // Each stage's count links to the filtered list.
    assert!(
        html.contains(
            r#"<a href="/integrations?stage=planning"><span class="pipeline-count">1</span> <span class="pipeline-stage">Planning</span></a>"#
        ),
        "{html}"
    );
    assert!(
        html.contains(
            r#"<a href="/integrations?stage=live"><span class="pipeline-count">0</span> <span class="pipeline-stage">Live</span></a>"#
        )
    );
    assert!(html.contains(&format!(
        r#"<a href="/integrations/{}">Stripe</a>"#,
        stripe.slug
    )));
    assert!(html.contains("Not monitored"));
    assert!(html.contains("No milestone done yet"));
    // The chart's data table behind its toggle, and the sortable headers on this page.
    assert!(html.contains("<summary>Show the data</summary>"));
    assert!(html.contains(r#"href="/?sort=name&amp;dir=asc""#), "{html}");
    // The newest trail entry: Stripe's creation.
    assert!(html.contains("Admin user · create integration"), "{html}");

    // The server function the hydrated page calls, as the browser sends it: no parameters,
    // or the list's parameters flat.
    let res = app.call("get_dashboard", &[]).await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let res = app
        .call("get_dashboard", &[("sort", "name"), ("dir", "desc")])
        .await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["query"]["dir"], "desc");
    assert_eq!(body["rows"][0]["integration"]["name"], "Stripe");

    // A filter in the URL narrows the table, as on the list.
    let (_, html) = app.page(&app.client, "/?stage=live").await;
    assert!(
        html.contains("No integration matches these filters."),
        "{html}"
    );
}

#[tokio::test]
async fn the_dashboard_and_its_report_are_served_over_rest_to_tokens_and_sessions() {
    let app = spawn_app().await;
    let reader = Client::new(&app, "stake@example.com", Role::Stakeholder, "read").await;
    let admin = app
        .user("admin@example.com", Role::Admin)
        .await
        .as_current();
    app.stripe(&admin).await;

    let d = Client::ok(&reader.get("/api/v1/dashboard").await, 200);
    assert_eq!(d["pipeline"][0]["stage"], "planning");
    assert_eq!(d["pipeline"][0]["count"], 1);
    assert_eq!(d["rows"][0]["integration"]["name"], "Stripe");
    assert_eq!(d["rows"][0]["health"], "not_monitored");
    assert_eq!(d["figures"]["qa_pass_rate"]["whole"], 0);

    let http = reqwest::Client::new();
    let csv = http
        .get(app.url("/api/v1/reports/portfolio.csv"))
        .bearer_auth(&reader.token)
        .send()
        .await
        .expect("csv");
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        csv.headers()["content-disposition"],
        "attachment; filename=\"portfolio.csv\""
    );
    let body = csv.text().await.expect("body");
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 2, "{body}");
    assert!(lines[1].starts_with("Stripe,stripe,Stripe,"), "{body}");

    // Signed out, the report is refused; signed in, the browser downloads it.
    let anonymous = http
        .get(app.url("/api/v1/reports/portfolio.md"))
        .send()
        .await
        .expect("md");
    assert_eq!(anonymous.status(), 401);
    app.login_as(&app.client, "admin@example.com").await;
    let md = app
        .client
        .get(app.url("/api/v1/reports/portfolio.md"))
        .send()
        .await
        .expect("md");
    assert_eq!(md.status(), 200, "{}", location(&md));
    assert_eq!(md.headers()["content-type"], "text/markdown; charset=utf-8");
    let text = md.text().await.expect("text");
    assert!(text.starts_with("# Portfolio report"), "{text}");
    assert!(text.contains("- Planning: 1"), "{text}");
}

#[tokio::test]
async fn an_integrations_overview_and_status_report_are_rendered_and_served() {
    let app = spawn_app().await;
    let reader = Client::new(&app, "stake@example.com", Role::Stakeholder, "read").await;
    let admin = app
        .user("admin@example.com", Role::Admin)
        .await
        .as_current();
    let stripe = app.stripe(&admin).await;

    // Over REST, by token: the overview, then the report's two downloads.
    let o = Client::ok(
        &reader
            .get(&format!("/api/v1/integrations/{}/overview", stripe.slug))
            .await,
        200,
    );
    assert_eq!(o["stage"], "planning");
    assert_eq!(o["health"], "not_monitored");
    assert_eq!(o["gate"]["to"], "implementation");
    assert_eq!(o["milestones"].as_array().map(Vec::len), Some(0));
    let missing = reader.get("/api/v1/integrations/nobody/overview").await;
    assert_eq!(missing.status.as_u16(), 404);
    let http = reqwest::Client::new();
    let csv = http
        .get(app.url(&format!("/api/v1/integrations/{}/report.csv", stripe.slug)))
        .bearer_auth(&reader.token)
        .send()
        .await
        .expect("csv");
    assert_eq!(csv.status(), 200);
    assert_eq!(
        csv.headers()["content-disposition"],
        format!("attachment; filename=\"{}-status.csv\"", stripe.slug)
    );
    let body = csv.text().await.expect("body");
    assert!(
        body.lines().any(|l| l == "section,Criterion,Met,Finding"),
        "{body}"
    );
    let anonymous = http
        .get(app.url(&format!("/api/v1/integrations/{}/report.md", stripe.slug)))
        .send()
        .await
        .expect("md");
    assert_eq!(anonymous.status(), 401);

    // In the browser: the overview on the integration's page and the printable report.
    app.login_as(&app.client, "stake@example.com").await;
    let (status, html) = app
        .page(&app.client, &format!("/integrations/{}", stripe.slug))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("<h2>Overview</h2>"), "{html}");
    assert!(html.contains("No objective set."), "{html}");
    assert!(
        html.contains(&format!(r#"href="/integrations/{}/report""#, stripe.slug)),
        "{html}"
    );
    let (status, html) = app
        .page(
            &app.client,
            &format!("/integrations/{}/report", stripe.slug),
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Status report: Stripe"), "{html}");
    assert!(html.contains("Gate to Implementation"), "{html}");
    assert!(html.contains("Download CSV"), "{html}");
    let (status, _) = app.page(&app.client, "/integrations/nobody/report").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_kept_dashboard_page_follows_the_trail_its_reader_and_a_deactivation() {
    let app = spawn_app().await;
    let admin = app
        .user("admin@example.com", Role::Admin)
        .await
        .as_current();
    let stake = app.user("stake@example.com", Role::Stakeholder).await;
    app.user("qa@example.com", Role::Qa).await;
    app.stripe(&admin).await;
    let qa = crate::helpers::client();
    app.login_as(&app.client, "stake@example.com").await;
    app.login_as(&qa, "qa@example.com").await;
    let nonce = |html: &str| {
        html.split_once("nonce=\"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(n, _)| n.to_string())
    };

    let (_, first) = app.page(&app.client, "/").await;
    let (status, again) = app.page(&app.client, "/").await;
    assert_eq!(status, 200);
    assert!(
        again.contains("Stakeholder user<!> · <!>Stakeholder"),
        "{again}"
    );
    // The same page, with a nonce of its own.
    assert_ne!(nonce(&first), nonce(&again));
    assert!(nonce(&again).is_some());
    assert_eq!(
        first.replace(&nonce(&first).unwrap_or_default(), ""),
        again.replace(&nonce(&again).unwrap_or_default(), "")
    );
    // The kept page's policy names the nonce of this response, not the one it was kept with.
    let res = app.client.get(app.url("/")).send().await.expect("request");
    let policy = res
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let html = res.text().await.unwrap_or_default();
    let served = nonce(&html).unwrap_or_default();
    assert!(
        policy.contains(&format!("'nonce-{served}'")),
        "{policy} / {served}"
    );
    assert_ne!(Some(served), nonce(&first));
    // Another reader gets their own navigation, not the kept one.
    let (_, theirs) = app.page(&qa, "/").await;
    assert!(theirs.contains("QA user<!> · <!>QA"), "{theirs}");
    assert!(
        !theirs.contains("Stakeholder user<!> · <!>Stakeholder</span>"),
        "{theirs}"
    );

    // A notification leaves no trail row, but its reader's count is part of the key. Stored
    // behind this server's back (as another process stores one), it shows within a second.
    assert!(!again.contains("unread\""), "{again}");
    notify(&app.db, stake.id, "Stripe is down").await;
    reader_read_again().await;
    let (_, counted) = app.page(&app.client, "/").await;
    assert!(counted.contains(r#"aria-label="1 unread""#), "{counted}");

    // A change moves the trail: the next load shows it.
    let form = app::integrations::model::IntegrationForm {
        name: "Onfido".into(),
        provider: "Onfido".into(),
        category: "identity_verification".into(),
        owner_id: admin.id.to_string(),
        business_objective: "KYC.".into(),
        priority: "high".into(),
        ..Default::default()
    };
    app::integrations::service::create(&app.db, &admin, &form)
        .await
        .expect("integration");
    tokio::time::sleep(app::changes::HEAD_FOR + std::time::Duration::from_millis(50)).await;
    let (_, after) = app.page(&app.client, "/").await;
    assert!(
        after.contains(r#"<a href="/integrations/onfido">Onfido</a>"#),
        "{after}"
    );

    // A session that has expired is not served the kept page: its reader signs in again.
    let (status, _) = app.page(&qa, "/").await;
    assert_eq!(status, 200);
    {
        use sea_orm::sea_query::Expr;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        app::entities::sessions::Entity::update_many()
            .col_expr(
                app::entities::sessions::Column::ExpiresAt,
                Expr::val(chrono::Utc::now() - chrono::Duration::minutes(1)),
            )
            .filter(app::entities::sessions::Column::UserId.ne(stake.id))
            .exec(&app.db)
            .await
            .expect("expire");
    }
    reader_read_again().await;
    let (status, _) = app.page(&qa, "/").await;
    assert_eq!(status, 302, "an expired session gets no page");
    let (status, _) = app.page(&app.client, "/").await;
    assert_eq!(status, 200, "another reader's session still does");

    // A deactivated reader is signed out, kept page or not.
    app::users::service::set_active(&app.db, &admin, stake.id, false)
        .await
        .expect("deactivate");
    reader_read_again().await;
    let (status, _) = app.page(&app.client, "/").await;
    assert_eq!(status, 302);
}

/// Waits until what the server keeps about a reader is read again: a change made behind its
/// back (as another process, a replica or the command line, makes one) shows by then.
async fn reader_read_again() {
    tokio::time::sleep(app::shared_pages::READER_FOR + std::time::Duration::from_millis(50)).await;
}

#[tokio::test]
async fn a_coordinator_saves_the_review_a_stakeholder_reads_it_and_views_are_saved_per_user() {
    let app = spawn_app().await;
    let admin = app
        .user("admin@example.com", Role::Admin)
        .await
        .as_current();
    app.user("coord@example.com", Role::Coordinator).await;
    app.user("stake@example.com", Role::Stakeholder).await;
    let stripe = app.stripe(&admin).await;
    let stake = crate::helpers::client();
    app.login_as(&app.client, "coord@example.com").await;
    app.login_as(&stake, "stake@example.com").await;
    let path = format!("/integrations/{}/review", stripe.slug);

    // The draft from the records fills the editor until a review is saved.
    let (status, html) = app.page(&app.client, &path).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Post-implementation review: Stripe"),
        "{html}"
    );
    assert!(html.contains("Not saved yet"), "{html}");
    assert!(
        html.contains("- Not live yet, and no milestone planned it."),
        "{html}"
    );
    let id = stripe.id.to_string();
    let res = app
        .call_as(
            &stake,
            "save_review",
            &[("integration_id", &id), ("body", "Mine")],
        )
        .await;
    assert_eq!(res.status(), 403);
    let res = app
        .call("save_review", &[("integration_id", &id), ("body", "")])
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .call(
            "save_review",
            &[
                ("integration_id", &id),
                ("body", "Went live late; load-test earlier."),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let (_, html) = app.page(&stake, &path).await;
    assert!(html.contains("Last saved by Coordinator user"), "{html}");
    assert!(
        html.contains("Went live late; load-test earlier."),
        "{html}"
    );
    assert!(!html.contains("Save review"), "a stakeholder only reads it");

    // Saved views: each user's own, listed on the page they reproduce.
    let res = app
        .call_as(
            &stake,
            "save_view",
            &[
                ("page", "dashboard"),
                ("name", "Testing"),
                ("query", "?stage=testing"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let (_, html) = app.page(&stake, "/").await;
    assert!(
        html.contains(r#"<a href="/?stage=testing">Testing</a>"#),
        "{html}"
    );
    let (_, html) = app.page(&app.client, "/").await;
    assert!(
        !html.contains(r#"<a href="/?stage=testing">Testing</a>"#),
        "another user's"
    );
    assert!(html.contains("No saved view yet."), "{html}");
    let res = app
        .call_as(
            &stake,
            "save_view",
            &[("page", "dashboard"), ("name", "Testing"), ("query", "")],
        )
        .await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn a_stakeholder_reads_the_overview_and_report_without_credential_references() {
    use app::implementation::model::{CredentialForm, EnvironmentForm};
    let app = spawn_app().await;
    let admin = app
        .user("admin@example.com", Role::Admin)
        .await
        .as_current();
    let stripe = app.stripe(&admin).await;
    let env = app::implementation::service::create(
        &app.db,
        &admin,
        stripe.id,
        &EnvironmentForm {
            name: "sandbox".into(),
            base_url: "https://api.stripe.com".into(),
            auth_scheme: "bearer".into(),
            ..Default::default()
        },
    )
    .await
    .expect("env");
    app::implementation::credentials::create(
        &app.db,
        &admin,
        stripe.id,
        &CredentialForm {
            environment_id: env.to_string(),
            name: "secret key".into(),
            kind: "api_key".into(),
            reference: "vault://kv/payments/stripe#secret_key".into(),
            owner_id: admin.id.to_string(),
            rotation_days: "90".into(),
            ..Default::default()
        },
    )
    .await
    .expect("credential");
    let reference = "vault://kv/payments/stripe#secret_key";
    let engineer = Client::new(&app, "eng@example.com", Role::Engineer, "read").await;
    let stake = Client::new(&app, "stake@example.com", Role::Stakeholder, "read").await;
    let path = format!("/api/v1/integrations/{}/overview", stripe.slug);
    let theirs = Client::ok(&engineer.get(&path).await, 200);
    assert_eq!(theirs["credentials"][0]["reference"], reference);
    let o = Client::ok(&stake.get(&path).await, 200);
    assert_eq!(o["credentials"], serde_json::json!([]), "{o}");
    assert!(!o.to_string().contains("vault://"), "{o}");
    for name in ["report.md", "report.csv"] {
        for (who, shown) in [(&engineer, true), (&stake, false)] {
            let body = reqwest::Client::new()
                .get(app.url(&format!("/api/v1/integrations/{}/{name}", stripe.slug)))
                .bearer_auth(&who.token)
                .send()
                .await
                .expect("report")
                .text()
                .await
                .expect("body");
            assert_eq!(body.contains("secret key"), shown, "{name}: {body}");
            if !shown {
                assert!(!body.contains("vault://"), "{name}: {body}");
            }
        }
    }
}

/// An unread notification for `user_id`, stored as the notifier stores one (it leaves no trail
/// row).
async fn notify(db: &sea_orm::DatabaseConnection, user_id: i32, title: &str) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    app::entities::notifications::ActiveModel {
        user_id: Set(user_id),
        kind: Set(app::notifications::model::Kind::IncidentOpened),
        title: Set(title.into()),
        body: Set(String::new()),
        link: Set("/integrations/stripe-payments".into()),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("notification");
}

/// The text between `from` and `to` in `html` (empty when either is missing).
fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    html.split_once(from)
        .and_then(|(_, rest)| rest.split_once(to))
        .map_or("", |(inside, _)| inside)
}

#[tokio::test]
async fn readers_of_two_roles_share_the_figures_but_never_see_each_others_name_links_or_count() {
    let app = spawn_app().await;
    let coord = app
        .user("coord@example.com", Role::Coordinator)
        .await
        .as_current();
    let admin = app.user("admin@example.com", Role::Admin).await;
    let stake = app.user("stake@example.com", Role::Stakeholder).await;
    app.stripe(&coord).await;
    {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
        // A name the page must escape, as it escapes any text.
        let mut named: app::entities::users::ActiveModel =
            app::entities::users::Entity::find_by_id(stake.id)
                .one(&app.db)
                .await
                .expect("read")
                .expect("stakeholder")
                .into();
        named.name = Set("Stake <b>& Co</b>".into());
        named.update(&app.db).await.expect("rename");
    }
    for title in ["Stripe is down", "Stripe is up"] {
        notify(&app.db, admin.id, title).await;
    }
    let admins = crate::helpers::client();
    app.login_as(&admins, "admin@example.com").await;
    app.login_as(&app.client, "stake@example.com").await;

    // Loaded at once, again and again: the first loads make the kept pages, the rest share them.
    for path in [
        "/",
        "/",
        "/integrations",
        "/integrations/stripe",
        "/integrations/stripe",
    ] {
        let (a1, s1, a2, s2) = tokio::join!(
            app.page(&admins, path),
            app.page(&app.client, path),
            app.page(&admins, path),
            app.page(&app.client, path),
        );
        for (status, page) in [&a1, &a2] {
            assert_eq!(*status, 200);
            let nav = between(page, r#"<header class="topbar">"#, "</header>");
            assert!(nav.contains("Admin user<!> · <!>Admin"), "{nav}");
            assert!(nav.contains(r#"href="/admin/users""#), "{nav}");
            assert!(nav.contains(r#"aria-label="2 unread""#), "{nav}");
            assert!(!nav.contains("Stake"), "{nav}");
        }
        for (status, page) in [&s1, &s2] {
            assert_eq!(*status, 200);
            let nav = between(page, r#"<header class="topbar">"#, "</header>");
            assert!(
                nav.contains("Stake &lt;b&gt;&amp; Co&lt;/b&gt;<!> · <!>Stakeholder"),
                "{nav}"
            );
            assert!(!nav.contains("/admin/users"), "{nav}");
            assert!(!nav.contains("unread"), "{nav}");
            assert!(!nav.contains("Admin"), "{nav}");
        }
        for (_, page) in [&a1, &s1, &a2, &s2] {
            assert!(!page.contains(app::auth::session::STAND_IN_NAME), "{page}");
            assert!(
                !page.contains(&app::auth::session::STAND_IN_UNREAD.to_string()),
                "{page}"
            );
        }
        // What the page shows is the same for both.
        let main = |page: &str| between(page, "<main", "</main>").to_string();
        assert!(main(&a1.1).contains("Stripe"), "{}", a1.1);
        // Except what an admin may do that a stakeholder may not.
        let admins_only = match path {
            "/integrations/stripe" => Some("Put on hold"),
            "/integrations" => Some("New integration"),
            _ => None,
        };
        match admins_only {
            Some(control) => {
                assert!(main(&a1.1).contains(control), "{}", a1.1);
                assert!(!main(&s1.1).contains(control), "{}", s1.1);
            }
            None => assert_eq!(main(&a1.1), main(&s1.1), "{path}"),
        }
        // Loaded again with nothing changed, the page is the kept one, on either database
        // (once more if the minute turned since, which moves every page's stamp).
        let load = || async { app.client.get(app.url(path)).send().await.expect("page") };
        let mut again = load().await;
        if again.headers()["x-cache"] != "hit" {
            again = load().await;
        }
        assert_eq!(again.headers()["x-cache"], "hit", "{path}");
    }

    // A reader's saved views are theirs: a page that shows them is rendered for them alone.
    // Saved through the page's server function, the reader's next load shows it.
    let saved = app
        .call(
            "save_view",
            &[
                ("page", "dashboard"),
                ("name", "Payments only"),
                ("query", "category=payments"),
            ],
        )
        .await;
    assert!(saved.status().is_success(), "{}", saved.status());
    let (_, mine) = app.page(&app.client, "/").await;
    let (_, theirs) = app.page(&admins, "/").await;
    assert!(mine.contains("Payments only"), "{mine}");
    assert!(
        between(&mine, r#"<header class="topbar">"#, "</header>").contains("Stake &lt;b&gt;"),
        "{mine}"
    );
    assert!(!theirs.contains("Payments only"), "{theirs}");
}

#[tokio::test]
async fn a_kept_page_shows_a_change_made_here_at_once_and_one_made_elsewhere_soon() {
    let app = spawn_app().await;
    let coord = app
        .user("coord@example.com", Role::Coordinator)
        .await
        .as_current();
    let stake = app.user("stake@example.com", Role::Stakeholder).await;
    let stripe = app.stripe(&coord).await;
    let writer = Client::new(&app, "eng@example.com", Role::Coordinator, "read-write").await;
    app.login_as(&app.client, "stake@example.com").await;
    let cache =
        |res: &reqwest::Response| res.headers()["x-cache"].to_str().unwrap_or("").to_string();
    for path in ["/", "/integrations/stripe"] {
        app.page(&app.client, path).await;
        let kept = app.client.get(app.url(path)).send().await.expect("page");
        assert_eq!(cache(&kept), "hit", "{path}");
    }

    // Renamed through this server (by someone else): the reader's next load shows it, on
    // both pages, with no wait.
    let renamed = writer
        .patch(
            &format!("/api/v1/integrations/{}", stripe.slug),
            serde_json::json!({"name": "Stripe Connect"}),
            None,
        )
        .await;
    Client::ok(&renamed, 200);
    for path in ["/", "/integrations/stripe"] {
        let (_, page) = app.page(&app.client, path).await;
        assert!(page.contains("Stripe Connect"), "{path}: {page}");
    }

    // Changed through another process (here, the service behind the server's back): shown
    // once the head is read again, a tenth of a second later.
    let form = app::integrations::model::IntegrationForm {
        name: "Stripe Billing".into(),
        slug: stripe.slug.clone(),
        provider: "Stripe".into(),
        category: "payments".into(),
        owner_id: coord.id.to_string(),
        business_objective: "Card payments.".into(),
        priority: "high".into(),
        ..Default::default()
    };
    app::integrations::service::update(&app.db, &coord, stripe.id, &form)
        .await
        .expect("update");
    tokio::time::sleep(app::changes::HEAD_FOR + std::time::Duration::from_millis(50)).await;
    for path in ["/", "/integrations/stripe"] {
        let (_, page) = app.page(&app.client, path).await;
        assert!(page.contains("Stripe Billing"), "{path}: {page}");
    }

    // A notification for the reader, stored as the notifier stores one (no trail row, no
    // write through this server): their count shows within a second.
    notify(&app.db, stake.id, "Stripe is down").await;
    reader_read_again().await;
    let (_, page) = app.page(&app.client, "/").await;
    let nav = between(&page, r#"<header class="topbar">"#, "</header>");
    assert!(nav.contains(r#"aria-label="1 unread""#), "{nav}");

    // Signed out, the session's cookie no longer opens the kept page, at once.
    let plain = crate::helpers::plain_client();
    let login = plain
        .post(app.url("/api/login"))
        .header("origin", &app.address)
        .form(&[
            ("email", "stake@example.com"),
            ("password", crate::helpers::PASSWORD),
        ])
        .send()
        .await
        .expect("login");
    let cookie = login.headers()[reqwest::header::SET_COOKIE]
        .to_str()
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .to_string();
    let load = || async {
        plain
            .get(app.url("/"))
            .header(reqwest::header::COOKIE, &cookie)
            .send()
            .await
            .expect("page")
    };
    load().await;
    let kept = load().await;
    assert_eq!(
        (kept.status().as_u16(), cache(&kept).as_str()),
        (200, "hit")
    );
    let out = plain
        .post(app.url("/api/logout"))
        .header("origin", &app.address)
        .header(reqwest::header::COOKIE, &cookie)
        .send()
        .await
        .expect("logout");
    assert!(out.status().is_success(), "{}", out.status());
    let after = load().await;
    assert!(
        after.headers().get("x-cache").is_none(),
        "{:?}",
        after.headers()
    );
    assert_eq!(crate::helpers::location(&after), "/login");
}
