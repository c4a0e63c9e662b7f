//! The spec pages as a browser without WebAssembly uses them: the upload form with its
//! redirect back, the catalogue with marking used operations (a server function), the change
//! report with its downloads, and the notification a breaking change raises.

use app::auth::model::Role;

use crate::helpers::{TestApp, client, location, spawn_app};

const V1: &str = "openapi: 3.0.3
info: {title: Orders, version: '1.0'}
paths:
  /orders/{id}:
    get: {operationId: getOrder, summary: Read an order, tags: [orders], parameters: [{name: id, in: path, required: true, schema: {type: string}}], responses: {'200': {description: ok}}}
  /refunds:
    post: {operationId: createRefund, summary: Refund, tags: [refunds], responses: {'201': {description: made}}}
";

const V2: &str = "openapi: 3.0.3
info: {title: Orders, version: '2.0'}
paths:
  /refunds:
    post: {operationId: createRefund, summary: Refund, tags: [refunds], responses: {'201': {description: made}}}
";

#[tokio::test]
async fn specs_are_uploaded_marked_used_and_a_breaking_change_is_reported_and_notified() {
    let app = spawn_app().await;
    let coord = app
        .user("coord@example.com", Role::Coordinator)
        .await
        .as_current();
    let i = app.stripe(&coord).await;
    app.user("eng@example.com", Role::Engineer).await;
    app.user("stake@example.com", Role::Stakeholder).await;
    let eng = client();
    app.login_as(&eng, "eng@example.com").await;
    let stake = client();
    app.login_as(&stake, "stake@example.com").await;
    let owner = client();
    app.login_as(&owner, "coord@example.com").await;
    let upload_path = "/integrations/stripe/specs/upload";

    a_bad_upload_is_refused_and_saves_nothing(&app, &eng, &stake, upload_path).await;
    an_upload_imports_version_one(&app, &eng, upload_path).await;
    engineers_mark_the_operations_in_use(&app, &eng, &stake).await;
    a_breaking_version_is_reported_on_the_changes_page(&app, &eng, upload_path).await;
    the_owner_is_notified_and_the_engineer_is_not(&app, &eng, &owner).await;
    let _ = i;
}

async fn a_bad_upload_is_refused_and_saves_nothing(
    app: &TestApp,
    eng: &reqwest::Client,
    stake: &reqwest::Client,
    upload_path: &str,
) {
    let (status, html) = app.page(eng, "/integrations/stripe/specs").await;
    assert_eq!(status, 200);
    assert!(html.contains("No specifications yet."), "{html}");
    assert!(html.contains("enctype=\"multipart/form-data\""), "{html}");
    let (_, html) = app.page(stake, "/integrations/stripe/specs").await;
    assert!(
        !html.contains("Import a document"),
        "stakeholders only read"
    );

    let forged = app
        .upload(
            eng,
            upload_path,
            &[("name", "Orders API")],
            ("v1.yaml", V1),
            false,
        )
        .await;
    assert_eq!(
        forged.status(),
        403,
        "an upload from another site is refused"
    );
    let res = app
        .upload(
            stake,
            upload_path,
            &[("name", "Orders API")],
            ("v1.yaml", V1),
            true,
        )
        .await;
    assert_eq!(res.status(), 403, "a stakeholder cannot import");
    let res = app
        .upload(eng, upload_path, &[("name", "")], ("v1.yaml", V1), true)
        .await;
    assert!(location(&res).contains("spec_error="), "{}", location(&res));
    let res = app
        .upload(
            eng,
            upload_path,
            &[("name", "Orders API")],
            ("bad.yaml", "openapi: 3.0.0\npaths: ["),
            true,
        )
        .await;
    let back = location(&res);
    assert!(
        back.contains("spec_error=The%20document%20is%20not%20valid%20YAML%3A%20line"),
        "{back}"
    );
    let (_, html) = app.page(eng, &back).await;
    assert!(
        html.contains("The document was not imported: The document is not valid YAML: line"),
        "{html}"
    );
    assert_eq!(app.count("spec_versions").await, 0, "nothing saved");
}

async fn an_upload_imports_version_one(app: &TestApp, eng: &reqwest::Client, upload_path: &str) {
    let res = app
        .upload(
            eng,
            upload_path,
            &[("name", "Orders API")],
            ("v1.yaml", V1),
            true,
        )
        .await;
    let back = location(&res);
    assert!(back.contains("imported=1&created=1&operations=2"), "{back}");
    let (_, html) = app.page(eng, &back).await;
    assert!(
        html.contains("Imported as version 1, with 2 operations."),
        "{html}"
    );
    assert!(html.contains("Orders API"), "{html}");
    let spec_id: i64 = app.count("api_specs").await;
    assert_eq!(spec_id, 1);
}

async fn engineers_mark_the_operations_in_use(
    app: &TestApp,
    eng: &reqwest::Client,
    stake: &reqwest::Client,
) {
    let catalogue = "/integrations/stripe/specs/1";
    let (status, html) = app.page(eng, catalogue).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("GET /orders/{id}") && html.contains("Mark as used"),
        "{html}"
    );
    let (_, html) = app.page(eng, &format!("{catalogue}?q=refund")).await;
    assert!(
        html.contains("1 matching operation(s).") && !html.contains("GET /orders"),
        "{html}"
    );
    let mark = [
        ("spec_id", "1"),
        ("method", "GET"),
        ("path", "/orders/{id}"),
        ("note", "Order page"),
    ];
    assert_eq!(
        app.call_as(stake, "mark_operation_used", &mark)
            .await
            .status(),
        403
    );
    let mut wrong = mark;
    wrong[2] = ("path", "/nowhere");
    assert_eq!(
        app.call_as(eng, "mark_operation_used", &wrong)
            .await
            .status(),
        422
    );
    let res = app.call_as(eng, "mark_operation_used", &mark).await;
    assert_eq!(res.status(), 200);
    let (_, html) = app.page(eng, &format!("{catalogue}?used=1")).await;
    assert!(
        html.contains("1 matching operation(s).") && html.contains("Order page"),
        "{html}"
    );
}

async fn a_breaking_version_is_reported_on_the_changes_page(
    app: &TestApp,
    eng: &reqwest::Client,
    upload_path: &str,
) {
    let res = app
        .upload(
            eng,
            upload_path,
            &[("name", "Orders API")],
            ("v2.yaml", V2),
            true,
        )
        .await;
    let back = location(&res);
    assert!(
        back.contains("imported=2&created=1&operations=1&breaking=1&retest=0"),
        "{back}"
    );
    let (_, html) = app.page(eng, &back).await;
    assert!(
        html.contains("1 breaking change(s) touch operations this integration uses"),
        "{html}"
    );
    assert!(
        html.contains("Orders API version 2 breaks 1 used operation"),
        "the maintenance item: {html}"
    );

    let (status, html) = app.page(eng, "/integrations/stripe/specs/1/changes").await;
    assert_eq!(status, 200);
    assert!(html.contains("changes from v1 to v2"), "{html}");
    assert!(
        html.contains("api-path-removed-without-deprecation"),
        "{html}"
    );
    assert!(
        html.contains("1 breaking change(s) touch operations this integration uses."),
        "{html}"
    );
    assert!(html.contains("format=markdown"), "{html}");
    let md = eng
        .get(app.url("/api/v1/spec-versions/2/changes?base=1&format=markdown"))
        .send()
        .await
        .expect("markdown");
    assert_eq!(md.status(), 200);
    assert!(md.text().await.expect("text").contains("GET /orders/{id}"));
}

async fn the_owner_is_notified_and_the_engineer_is_not(
    app: &TestApp,
    eng: &reqwest::Client,
    owner: &reqwest::Client,
) {
    let (_, html) = app.page(owner, "/notifications").await;
    assert!(
        html.contains("Stripe: Orders API version 2 breaks 1 used operation"),
        "{html}"
    );
    assert!(
        html.contains("1 unread"),
        "the navigation shows the count: {html}"
    );
    let (_, html) = app.page(eng, "/notifications").await;
    assert!(
        html.contains("Nothing yet."),
        "the engineer is neither owner nor QA: {html}"
    );
    assert_eq!(
        app.call_as(owner, "mark_notifications_read", &[])
            .await
            .status(),
        200
    );
    let (_, html) = app.page(owner, "/notifications").await;
    assert!(html.contains("0 unread."), "{html}");
}

/// Serves `V1` at /openapi.yaml on loopback, standing in for a provider.
async fn provider() -> String {
    let app = axum::Router::new().route("/openapi.yaml", axum::routing::get(|| async { V1 }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    address
}

#[tokio::test]
async fn a_spec_is_imported_from_an_address_only_where_the_outbound_guard_allows() {
    let doc = format!("{}/openapi.yaml", provider().await);
    let form = |slug: &'static str| {
        [
            ("slug", slug.to_string()),
            ("name", "Orders API".to_string()),
            ("url", doc.clone()),
            ("refetch", "weekly".to_string()),
        ]
    };
    let call =
        |app: &crate::helpers::TestApp, c: reqwest::Client, f: [(&'static str, String); 4]| {
            let fields: Vec<(&str, String)> = f.to_vec();
            let req = c
                .post(app.url("/api/import_spec_url"))
                .header("origin", app.address.clone())
                .form(&fields);
            async move { req.send().await.expect("request") }
        };

    let closed = spawn_app().await;
    let coord = closed
        .user("coord@example.com", Role::Coordinator)
        .await
        .as_current();
    closed.stripe(&coord).await;
    let c = client();
    closed.login_as(&c, "coord@example.com").await;
    let res = call(&closed, c, form("stripe")).await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("a loopback address (127.0.0.1)"),
        "the guard names why"
    );
    assert_eq!(closed.count("spec_versions").await, 0);

    let open = crate::helpers::spawn_with(|s| s.outbound_allow = vec!["127.0.0.1".into()]).await;
    let coord = open
        .user("coord@example.com", Role::Coordinator)
        .await
        .as_current();
    open.stripe(&coord).await;
    open.user("stake@example.com", Role::Stakeholder).await;
    let stake = client();
    open.login_as(&stake, "stake@example.com").await;
    assert_eq!(call(&open, stake, form("stripe")).await.status(), 403);
    let c = client();
    open.login_as(&c, "coord@example.com").await;
    let res = call(&open, c.clone(), form("stripe")).await;
    assert_eq!(res.status(), 200);
    assert!(
        location(&res).contains("imported=1&created=1&operations=2"),
        "{}",
        location(&res)
    );
    let (_, html) = open.page(&c, "/integrations/stripe/specs").await;
    assert!(
        html.contains(&format!(
            "Fetched from <code>{doc}</code>; fetched again weekly"
        )),
        "{html}"
    );
}
