//! Specification import and diff: the real provider documents import with the operation
//! counts their README gives, and one small hand-written pair per rule family reports
//! exactly the oasdiff rule ids and levels expected (and pairs that changed nothing that
//! matters report nothing).

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::io::Read;

use app::auth::model::{CurrentUser, Role};
use app::error::AppError;
use app::integrations::model::Integration;
use app::notifications::service as notifications;
use app::specs::diff::{Change, Level, diff};
use app::specs::document::{Dialect, parse};
use app::specs::index::operations;
use app::specs::service::Imported;
use app::specs::{maintenance, pages, service, usage};
use app::testing::model::{ResultForm, TestCaseForm, TestRunForm};
use app::testing::{runs, service as testing, signoffs};
use sea_orm::DatabaseConnection;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/specs/{name}.gz",
        env!("CARGO_MANIFEST_DIR")
    );
    let file = std::fs::File::open(&path).expect("fixture");
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut bytes)
        .expect("gunzip");
    bytes
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 29).expect("date")
}

/// The (id, level, "METHOD path") of every change from `base` to `revision` (YAML).
fn changes(base: &str, revision: &str) -> Vec<(&'static str, &'static str, String)> {
    let b = parse(base.as_bytes()).expect("base");
    let r = parse(revision.as_bytes()).expect("revision");
    diff(&b, &r, today())
        .into_iter()
        .map(|c: Change| {
            (
                // Static, so the expectations below can be written as plain tuples.
                &*Box::leak(c.id.into_boxed_str()),
                c.level.as_str(),
                c.operation
                    .map(|o| format!("{} {}", o.method, o.path))
                    .unwrap_or_default(),
            )
        })
        .collect()
}

/// A 3.0 document with `paths` given as YAML (indented two spaces under `paths:`).
fn doc(paths: &str) -> String {
    format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}")
}

#[test]
fn every_provider_document_imports_with_its_operation_count() {
    for (name, dialect, count) in [
        ("stripe-spec3-2022-04-12.json", Dialect::OpenApi30, 417),
        ("stripe-spec3-2023-09-12.yaml", Dialect::OpenApi30, 468),
        ("twilio-verify-v2.json", Dialect::OpenApi30, 57),
        ("twilio-verify-v2.yaml", Dialect::OpenApi30, 57),
        ("adyen-checkout-v71.json", Dialect::OpenApi31, 28),
        ("adyen-legal-entity-v4.json", Dialect::OpenApi31, 34),
        ("paypal-checkout-orders-v2.json", Dialect::OpenApi30, 8),
        ("square-connect-swagger2.json", Dialect::Swagger2, 297),
    ] {
        let d = parse(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(d.dialect, dialect, "{name}");
        assert_eq!(operations(&d).len(), count, "{name}");
    }
    let json = parse(&fixture("twilio-verify-v2.json")).expect("json");
    let yaml = parse(&fixture("twilio-verify-v2.yaml")).expect("yaml");
    assert!(
        diff(&json, &yaml, today()).is_empty(),
        "the same document as JSON and YAML has no changes"
    );
    let square = parse(&fixture("square-connect-swagger2.json")).expect("square");
    assert!(
        square.dangling.contains(&"#/definitions/Sort".to_string()),
        "Square's document names schemas it does not define: {:?}",
        square.dangling
    );
    assert!(
        parse(&fixture("stripe-spec3-2022-04-12.json"))
            .expect("stripe")
            .dangling
            .is_empty()
    );
    assert!(
        operations(&square).iter().any(|o| o.deprecated),
        "Square marks operations with x-is-deprecated"
    );
}

#[test]
fn the_two_stripe_versions_differ_in_the_ways_stripe_documents() {
    let old = parse(&fixture("stripe-spec3-2022-04-12.json")).expect("2022");
    let new = parse(&fixture("stripe-spec3-2023-09-12.yaml")).expect("2023");
    let all = diff(&old, &new, today());
    let added = all.iter().filter(|c| c.id == "endpoint-added").count();
    assert!(added >= 468 - 417, "{added} endpoints added");
    assert!(all.iter().any(|c| c.level == Level::Err));
    assert!(
        all.windows(2).all(|w| w[0].level >= w[1].level),
        "errors first"
    );
}

#[test]
fn paths_and_operations_removed_with_and_without_deprecation_and_before_sunset() {
    let base = doc(
        "  /a:\n    get: {responses: {'200': {description: ok}}}\n    delete: {deprecated: true, responses: {'204': {description: ok}}}\n    put: {deprecated: true, x-sunset: '2099-01-01', responses: {'200': {description: ok}}}\n  /b:\n    get: {responses: {'200': {description: ok}}}\n  /c:\n    get: {deprecated: true, responses: {'200': {description: ok}}}\n",
    );
    let revision = doc(
        "  /a:\n    get: {responses: {'200': {description: ok}}}\n  /d:\n    post: {responses: {'201': {description: ok}}}\n",
    );
    assert_eq!(
        changes(&base, &revision),
        [
            (
                "api-path-removed-without-deprecation",
                "ERR",
                "GET /b".into()
            ),
            ("api-removed-before-sunset", "ERR", "PUT /a".into()),
            ("api-removed-with-deprecation", "INFO", "DELETE /a".into()),
            ("api-path-removed-with-deprecation", "INFO", "GET /c".into()),
            ("endpoint-added", "INFO", "POST /d".into()),
        ]
    );
    let deprecated = doc(
        "  /a:\n    get: {deprecated: true, responses: {'200': {description: ok}}}\n    delete: {deprecated: true, responses: {'204': {description: ok}}}\n    put: {deprecated: true, x-sunset: '2099-01-01', responses: {'200': {description: ok}}}\n  /b:\n    get: {responses: {'200': {description: ok}}}\n  /c:\n    get: {deprecated: true, responses: {'200': {description: ok}}}\n",
    );
    assert_eq!(
        changes(&base, &deprecated),
        [("endpoint-deprecated", "INFO", "GET /a".into())]
    );
}

#[test]
fn parameters_added_removed_made_required_or_optional_retyped_and_enums() {
    let base = doc(
        "  /items/{id}:\n    get:\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: limit, in: query, schema: {type: integer}}\n        - {name: sort, in: query, required: true, schema: {type: string, enum: [asc, desc]}}\n        - {name: expand, in: query, schema: {type: string}}\n        - {name: fields, in: query, schema: {type: string}}\n      responses: {'200': {description: ok}}\n",
    );
    let revision = doc(
        "  /items/{item_id}:\n    get:\n      parameters:\n        - {name: item_id, in: path, required: true, schema: {type: string}}\n        - {name: limit, in: query, schema: {type: string}}\n        - {name: sort, in: query, schema: {type: string, enum: [asc, newest]}}\n        - {name: expand, in: query, required: true, schema: {type: string}}\n        - {name: cursor, in: query, schema: {type: string}}\n        - {name: X-Tenant, in: header, required: true, schema: {type: string}}\n      responses: {'200': {description: ok}}\n",
    );
    let mut got = changes(&base, &revision);
    got.sort();
    let op = || "GET /items/{item_id}".to_string();
    let mut want = vec![
        ("new-required-request-parameter", "ERR", op()),
        ("request-parameter-became-required", "ERR", op()),
        ("request-parameter-type-changed", "ERR", op()),
        ("request-parameter-enum-value-removed", "ERR", op()),
        ("request-parameter-removed", "WARN", op()),
        ("new-optional-request-parameter", "INFO", op()),
        ("request-parameter-became-optional", "INFO", op()),
        ("request-parameter-enum-value-added", "INFO", op()),
    ];
    want.sort();
    assert_eq!(got, want, "a renamed path parameter is not a change");
}

#[test]
fn request_properties_added_removed_made_required_retyped_and_enums() {
    let body = |props: &str, required: &str| {
        doc(&format!(
            "  /orders:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/Order'}}\n      responses: {{'201': {{description: made}}}}\ncomponents:\n  schemas:\n    Order:\n      type: object\n      required: [{required}]\n      properties:\n{props}"
        ))
    };
    let base = body(
        "        amount: {type: integer}\n        currency: {type: string, enum: [usd, eur]}\n        note: {type: string}\n        tip: {type: integer}\n",
        "amount",
    );
    let revision = body(
        "        amount: {type: string}\n        currency: {type: string, enum: [usd, gbp]}\n        tip: {type: integer}\n        channel: {type: string}\n        buyer: {type: string}\n",
        "amount, tip, buyer",
    );
    let mut got = changes(&base, &revision);
    got.sort();
    let op = || "POST /orders".to_string();
    let mut want = vec![
        ("request-property-type-changed", "ERR", op()),
        ("request-property-enum-value-removed", "ERR", op()),
        ("request-property-became-required", "ERR", op()),
        ("new-required-request-property", "ERR", op()),
        ("request-property-removed", "WARN", op()),
        ("new-optional-request-property", "INFO", op()),
        ("request-property-enum-value-added", "INFO", op()),
    ];
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn response_properties_removed_made_optional_retyped_enums_and_statuses() {
    let resp = |props: &str, required: &str, extra: &str| {
        doc(&format!(
            "  /orders/{{id}}:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                required: [{required}]\n                properties:\n{props}{extra}"
        ))
    };
    let base = resp(
        "                  id: {type: string}\n                  status: {type: string, enum: [open, paid]}\n                  total: {type: integer}\n                  note: {type: string}\n                  refs: {type: array, items: {type: object, required: [ref], properties: {ref: {type: string}}}}\n",
        "id, total, refs",
        "        '404': {description: missing}\n        '202': {description: later}\n",
    );
    let revision = resp(
        "                  status: {type: string, enum: [open, paid, void]}\n                  total: {type: number}\n                  refs: {type: array, items: {type: object, properties: {ref: {type: string}}}}\n                  created: {type: string, format: date-time}\n",
        "total",
        "        '409': {description: conflict}\n",
    );
    let mut got = changes(&base, &revision);
    got.sort();
    let op = || "GET /orders/{id}".to_string();
    let mut want = vec![
        ("response-required-property-removed", "ERR", op()),
        ("response-property-type-generalized", "ERR", op()),
        ("response-property-became-optional", "ERR", op()),
        ("response-property-became-optional", "ERR", op()),
        ("response-success-status-removed", "ERR", op()),
        ("response-optional-property-removed", "INFO", op()),
        ("response-property-enum-value-added", "WARN", op()),
        ("response-optional-property-added", "INFO", op()),
        ("response-non-success-status-removed", "INFO", op()),
        ("response-non-success-status-added", "INFO", op()),
    ];
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn security_requirements_removed_and_added() {
    let sec = |global: &str, op: &str| {
        format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\nsecurity: {global}\npaths:\n  /a:\n    get:\n      security: {op}\n      responses: {{'200': {{description: ok}}}}\ncomponents:\n  securitySchemes:\n    key: {{type: apiKey, in: header, name: X-Key}}\n    oauth: {{type: http, scheme: bearer}}\n"
        )
    };
    assert_eq!(
        changes(
            &sec("[{key: []}]", "[{key: []}, {oauth: []}]"),
            &sec("[{oauth: []}]", "[{key: []}]")
        ),
        [
            ("api-global-security-removed", "ERR", String::new()),
            ("api-security-removed", "ERR", "GET /a".into()),
            ("api-global-security-added", "INFO", String::new()),
        ]
    );
}

#[test]
fn unchanged_documents_and_moved_base_paths_report_nothing() {
    let a = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://api.example.com/v2'}]\npaths:\n  /orders/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n";
    let b = "openapi: 3.0.0\ninfo: {title: t, version: '2', description: reworded}\nservers: [{url: 'https://api.example.com'}]\npaths:\n  /v2/orders/{order}:\n    get:\n      summary: Now with a summary\n      parameters: [{name: order, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: fine}}\n";
    assert_eq!(changes(a, a), []);
    assert_eq!(changes(a, b), [], "a base path moved into the paths");
    assert_eq!(changes(b, a), [], "and back");
}

#[test]
fn a_recursive_schema_diffs_without_looping() {
    let node = |extra: &str| {
        format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /tree:\n    get:\n      responses:\n        '200':\n          description: ok\n          content: {{application/json: {{schema: {{$ref: '#/components/schemas/Node'}}}}}}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      properties:\n        name: {{type: string}}\n        children: {{type: array, items: {{$ref: '#/components/schemas/Node'}}}}\n{extra}"
        )
    };
    assert_eq!(
        changes(&node(""), &node("        size: {type: integer}\n")),
        [(
            "response-optional-property-added",
            "INFO",
            "GET /tree".into()
        )]
    );
}

/// A document whose `GET /deep` answers `L0`, where each `Lk` refers to `Lk+1` through
/// `refs` properties, down to `L{levels}`, whose `amount` is of type `bottom`.
fn chain(levels: usize, refs: usize, bottom: &str) -> String {
    let mut schemas = String::new();
    for k in 0..levels {
        let props: Vec<String> = (0..refs)
            .map(|r| format!("p{r}: {{$ref: '#/components/schemas/L{}'}}", k + 1))
            .collect();
        schemas.push_str(&format!(
            "    L{k}: {{type: object, properties: {{{}}}}}\n",
            props.join(", ")
        ));
    }
    schemas.push_str(&format!(
        "    L{levels}: {{type: object, properties: {{amount: {{type: {bottom}}}}}}}\n"
    ));
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /deep:\n    get:\n      responses:\n        '200':\n          description: ok\n          content: {{application/json: {{schema: {{$ref: '#/components/schemas/L0'}}}}}}\ncomponents:\n  schemas:\n{schemas}"
    )
}

#[test]
fn a_change_thirty_references_down_is_found_once_where_it_is() {
    let found = [(
        "response-property-type-changed",
        "ERR",
        "GET /deep".to_string(),
    )];
    // One reference per level, then two: a change reached by 2^30 paths is one change.
    for refs in [1, 2] {
        let (base, revision) = (chain(30, refs, "integer"), chain(30, refs, "string"));
        assert_eq!(changes(&base, &revision), found, "{refs} per level");
        assert_eq!(changes(&base, &base), [], "{refs} per level");
        let b = parse(base.as_bytes()).expect("base");
        let r = parse(revision.as_bytes()).expect("revision");
        let all = diff(&b, &r, today());
        assert!(
            all[0]
                .message
                .contains("#/components/schemas/L30/properties/amount"),
            "{}",
            all[0].message
        );
    }
}

#[test]
fn a_change_in_a_shared_schema_is_one_report_listing_every_request_and_response_that_reaches_it() {
    use app::specs::diff::{Direction, Reach};
    // `Money` is answered by two operations (one of them under two statuses, one of them as
    // a property of an inline object) and sent by one: its `amount` changing type is one
    // response change with three ways to it and one request change with one.
    let doc = |ty: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /charges:\n    get:\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Money'}}}}}}}}\n        '201': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Money'}}}}}}}}\n    post:\n      requestBody: {{content: {{application/json: {{schema: {{$ref: '#/components/schemas/Money'}}}}}}}}\n      responses: {{'204': {{description: ok}}}}\n  /refunds/{{id}}:\n    get:\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{type: object, properties: {{total: {{$ref: '#/components/schemas/Money'}}}}}}}}}}}}\ncomponents:\n  schemas:\n    Money: {{type: object, properties: {{amount: {{type: {ty}}}, currency: {{type: string}}}}}}\n"
        )
    };
    let b = parse(doc("integer").as_bytes()).expect("base");
    let r = parse(doc("boolean").as_bytes()).expect("revision");
    let all = diff(&b, &r, today());
    let at = "#/components/schemas/Money/properties/amount";
    let way = |method: &str, path: &str, status: Option<&str>| Reach {
        method: method.into(),
        path: path.into(),
        direction: if status.is_some() {
            Direction::Response
        } else {
            Direction::Request
        },
        status: status.map(str::to_string),
        media_type: Some("application/json".into()),
    };
    let got: Vec<(&str, Option<&str>, &[Reach])> = all
        .iter()
        .map(|c| {
            (
                c.id.as_str(),
                c.location.as_deref(),
                c.reached_by.as_slice(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "response-property-type-changed",
                Some(at),
                &[
                    way("GET", "/charges", Some("200")),
                    way("GET", "/charges", Some("201")),
                    way("GET", "/refunds/{id}", Some("200")),
                ][..]
            ),
            (
                "request-property-type-changed",
                Some(at),
                &[way("POST", "/charges", None)][..]
            ),
        ]
    );
    // Used is any way to it: the refunds operation is reached third, not first.
    let rows = app::specs::usage::rows(all, &[("GET".into(), "/refunds/{}".into())]);
    let used: Vec<(&str, bool)> = rows.iter().map(|r| (r.id.as_str(), r.used)).collect();
    assert_eq!(
        used,
        [
            ("response-property-type-changed", true),
            ("request-property-type-changed", false)
        ]
    );
    // A change inside an operation's own inline schema has no location but still says how
    // it is reached.
    let inline = |ty: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{type: object, properties: {{n: {{type: {ty}}}}}}}}}}}}}\n"
        )
    };
    let b = parse(inline("integer").as_bytes()).expect("base");
    let r = parse(inline("boolean").as_bytes()).expect("revision");
    let all = diff(&b, &r, today());
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].location, None);
    assert_eq!(all[0].reached_by, [way("GET", "/a", Some("200"))]);
}

/// A random document: schemas `S0`..`Sn` whose properties are primitives, references to any
/// schema (itself too) and arrays of them, some required; `GET /r` answers `S0` and `POST /r`
/// takes it. With it, the schemas `S0` reaches and, of each, its primitive properties.
fn random_document(rng: &mut rand::rngs::StdRng) -> (serde_json::Value, Vec<(usize, String)>) {
    use rand::Rng;
    use serde_json::json;
    let n = rng.gen_range(1..12);
    let mut schemas = serde_json::Map::new();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut primitives: Vec<Vec<String>> = vec![Vec::new(); n];
    for (k, (to, prims)) in edges.iter_mut().zip(primitives.iter_mut()).enumerate() {
        let mut props = serde_json::Map::new();
        let mut required = Vec::new();
        for p in 0..rng.gen_range(1..6) {
            let name = format!("p{p}");
            let schema = match rng.gen_range(0..4) {
                0 | 1 => {
                    prims.push(name.clone());
                    let ty = ["integer", "string", "boolean"][rng.gen_range(0..3)];
                    json!({ "type": ty })
                }
                2 => {
                    let t = rng.gen_range(0..n);
                    to.push(t);
                    json!({"$ref": format!("#/components/schemas/S{t}")})
                }
                _ => {
                    let t = rng.gen_range(0..n);
                    to.push(t);
                    json!({"type": "array", "items": {"$ref": format!("#/components/schemas/S{t}")}})
                }
            };
            if rng.gen_bool(0.3) {
                required.push(name.clone());
            }
            props.insert(name, schema);
        }
        schemas.insert(
            format!("S{k}"),
            json!({"type": "object", "required": required, "properties": props}),
        );
    }
    let mut reached = vec![false; n];
    let mut stack = vec![0];
    while let Some(k) = stack.pop() {
        if !std::mem::replace(&mut reached[k], true) {
            stack.extend(edges[k].iter().copied());
        }
    }
    let body =
        json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}});
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/r": {
            "get": {"responses": {"200": {"description": "ok", "content": body["content"].clone()}}},
            "post": {"requestBody": body, "responses": {"204": {"description": "ok"}}}
        }},
        "components": {"schemas": schemas}
    });
    let mutable = (0..n)
        .filter(|k| reached[*k])
        .flat_map(|k| primitives[k].iter().map(move |p| (k, p.clone())))
        .collect();
    (doc, mutable)
}

#[test]
fn a_random_document_diffs_with_itself_to_nothing_and_one_change_is_reported_once() {
    use rand::{Rng, SeedableRng};
    let seeds: Vec<u64> = match std::env::var("TOLLGATE_PROPERTY_SEED") {
        Ok(s) => vec![s.parse().expect("a number")],
        Err(_) => (0..200).chain([rand::random()]).collect(),
    };
    for seed in seeds {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let (doc, mutable) = random_document(&mut rng);
        let text = doc.to_string();
        let replay = format!("seed {seed} (TOLLGATE_PROPERTY_SEED={seed} replays it)");
        assert_eq!(changes(&text, &text), [], "{replay}");
        if mutable.is_empty() {
            continue;
        }
        // One primitive property of a schema the operations reach changes its type.
        let (k, p) = &mutable[rng.gen_range(0..mutable.len())];
        let mut changed = doc.clone();
        let ty = &mut changed["components"]["schemas"][format!("S{k}")]["properties"][p]["type"];
        *ty = serde_json::json!(if *ty == "object" { "integer" } else { "object" });
        let found = changes(&text, &changed.to_string());
        assert_eq!(
            found,
            [
                (
                    "response-property-type-changed",
                    "ERR",
                    "GET /r".to_string()
                ),
                (
                    "request-property-type-changed",
                    "ERR",
                    "POST /r".to_string()
                ),
            ],
            "{replay}: S{k}.{p}"
        );
        let b = parse(text.as_bytes()).expect("base");
        let r = parse(changed.to_string().as_bytes()).expect("revision");
        let at = format!("#/components/schemas/S{k}/properties/{p}");
        assert!(
            diff(&b, &r, today())
                .iter()
                .all(|c| c.message.contains(&at)),
            "{replay}: reported at {at}"
        );
    }
}

use crate::common;

#[tokio::test]
async fn an_import_stores_a_version_once_and_versions_compare() {
    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let eng = common::user(&db, "eng@example.com", Role::Engineer).await;
    let stake = common::user(&db, "stake@example.com", Role::Stakeholder).await;
    let i = app::integrations::service::create(&db, &admin, &common::form("Stripe", admin.id))
        .await
        .expect("integration");
    let old = fixture("stripe-spec3-2022-04-12.json");
    let new = fixture("stripe-spec3-2023-09-12.yaml");

    let (first, second) =
        an_identical_document_adds_no_version(&db, &eng, &stake, &i, &old, &new).await;
    the_comparison_is_kept_and_read_back(&db, &first, &second).await;
    a_broken_document_saves_nothing(&db, &eng, &i).await;
    the_original_survives_compression_and_json_and_yaml_are_the_same_api(&db, &eng, &i, &first)
        .await;
}

async fn an_identical_document_adds_no_version(
    db: &DatabaseConnection,
    eng: &CurrentUser,
    stake: &CurrentUser,
    i: &Integration,
    old: &[u8],
    new: &[u8],
) -> (Imported, Imported) {
    use app::specs::service;

    assert_eq!(
        service::import(db, stake, i.id, "Stripe API", old)
            .await
            .expect_err("stakeholder"),
        AppError::Forbidden
    );
    let first = service::import(db, eng, i.id, "Stripe API", old)
        .await
        .expect("2022");
    assert!(first.created);
    assert_eq!((first.number, first.operations), (1, 417));
    let again = service::import(db, eng, i.id, "Stripe API", old)
        .await
        .expect("the same again");
    assert!(!again.created, "an identical document adds no version");
    assert_eq!(again.version_id, first.version_id);
    let second = service::import(db, eng, i.id, "Stripe API", new)
        .await
        .expect("2023");
    assert_eq!(
        (second.number, second.operations, second.spec_id),
        (2, 468, first.spec_id)
    );
    (first, second)
}

async fn the_comparison_is_kept_and_read_back(
    db: &DatabaseConnection,
    first: &Imported,
    second: &Imported,
) {
    use app::specs::service;
    use sea_orm::{EntityTrait, PaginatorTrait};
    let kept = app::entities::spec_changes::Entity::find()
        .all(db)
        .await
        .expect("kept");
    assert_eq!(
        kept.iter()
            .map(|k| (k.base_id, k.revision_id))
            .collect::<Vec<_>>(),
        [(first.version_id, second.version_id)]
    );
    let computed = service::compare(db, first.version_id, second.version_id)
        .await
        .expect("compare");
    assert!(!computed.is_empty());
    assert_eq!(
        usize::try_from(kept[0].change_count).ok(),
        Some(computed.len())
    );
    let marker = vec![app::specs::diff::Change {
        id: "kept-marker".into(),
        level: app::specs::model::Level::Info,
        operation: None,
        message: "read from the kept changes".into(),
        location: None,
        reached_by: Vec::new(),
    }];
    let mut row: app::entities::spec_changes::ActiveModel = kept[0].clone().into();
    row.changes = sea_orm::ActiveValue::Set(
        app::specs::stored::pack(&serde_json::to_vec(&marker).expect("json")).expect("pack"),
    );
    sea_orm::ActiveModelTrait::update(row, db)
        .await
        .expect("mark");
    assert_eq!(
        service::compare(db, first.version_id, second.version_id)
            .await
            .expect("compare"),
        marker,
        "a kept pair is read, not compared again"
    );
    // Any other pair is compared on first request, and kept from then on.
    let backwards = service::compare(db, second.version_id, first.version_id)
        .await
        .expect("backwards");
    assert!(!backwards.is_empty());
    assert_eq!(
        app::entities::spec_changes::Entity::find()
            .count(db)
            .await
            .expect("count"),
        2
    );
    assert_eq!(
        service::compare(db, second.version_id, first.version_id)
            .await
            .expect("again"),
        backwards
    );
}

async fn a_broken_document_saves_nothing(
    db: &DatabaseConnection,
    eng: &CurrentUser,
    i: &Integration,
) {
    use app::specs::service;
    use sea_orm::{EntityTrait, PaginatorTrait};
    let broken = service::import(db, eng, i.id, "Stripe API", b"openapi: 3.0.0\npaths: [")
        .await
        .expect_err("broken");
    assert!(
        broken
            .field_message("file")
            .is_some_and(|m| m.starts_with("The document is not valid YAML: line")),
        "{broken:?}"
    );
    assert_eq!(
        app::entities::spec_versions::Entity::find()
            .count(db)
            .await
            .expect("count"),
        2,
        "nothing saved from a broken document"
    );
    assert_eq!(
        app::entities::spec_operations::Entity::find()
            .count(db)
            .await
            .expect("count"),
        417 + 468
    );
}

async fn the_original_survives_compression_and_json_and_yaml_are_the_same_api(
    db: &DatabaseConnection,
    eng: &CurrentUser,
    i: &Integration,
    first: &Imported,
) {
    use app::specs::service;

    let stored = app::specs::stored::of_version(db, first.version_id)
        .await
        .expect("read back");
    assert_eq!(
        operations(&stored).len(),
        417,
        "the original survives compression"
    );
    let json = service::import(
        db,
        eng,
        i.id,
        "Twilio Verify",
        &fixture("twilio-verify-v2.json"),
    )
    .await
    .expect("twilio json");
    let yaml = service::import(
        db,
        eng,
        i.id,
        "Twilio Verify",
        &fixture("twilio-verify-v2.yaml"),
    )
    .await
    .expect("twilio yaml");
    assert_eq!(
        (json.number, yaml.number),
        (1, 2),
        "another spec counts its own versions"
    );
    assert_eq!(
        service::compare(db, json.version_id, yaml.version_id)
            .await
            .expect("compare"),
        [],
        "the same API as JSON and as YAML"
    );
    assert_eq!(
        common::fields(
            service::compare(db, first.version_id, json.version_id)
                .await
                .expect_err("different specs")
        ),
        ["revision"]
    );
    let trail = app::activity::service::history(db, i.id, 200)
        .await
        .expect("trail");
    assert_eq!(
        trail.iter().filter(|e| e.kind == "spec_version").count(),
        4,
        "each new version is in the trail; the repeated import is not"
    );
}

#[tokio::test]
async fn a_pair_is_compared_as_of_the_day_its_revision_was_imported() {
    use app::auth::model::Role;
    use app::specs::service;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let i = app::integrations::service::create(&db, &admin, &common::form("Stripe", admin.id))
        .await
        .expect("integration");
    let base = doc(
        "  /a:\n    get: {responses: {'200': {description: ok}}}\n    put: {deprecated: true, x-sunset: '2021-01-01', responses: {'200': {description: ok}}}\n",
    );
    let revision = doc("  /a:\n    get: {responses: {'200': {description: ok}}}\n");
    let v1 = service::import(&db, &admin, i.id, "API", base.as_bytes())
        .await
        .expect("v1");
    let v2 = service::import(&db, &admin, i.id, "API", revision.as_bytes())
        .await
        .expect("v2");
    // The revision reached us in 2020, before the sunset: that is what the removal was, and
    // it stays so although the sunset has passed since.
    let back = chrono::DateTime::parse_from_rfc3339("2020-06-01T00:00:00Z")
        .expect("date")
        .to_utc();
    let mut row: app::entities::spec_versions::ActiveModel =
        app::entities::spec_versions::Entity::find_by_id(v2.version_id)
            .one(&db)
            .await
            .expect("read")
            .expect("version")
            .into();
    row.imported_at = Set(back);
    row.update(&db).await.expect("backdate");
    app::entities::spec_changes::Entity::delete_many()
        .exec(&db)
        .await
        .expect("forget");
    let ids: Vec<String> = service::compare(&db, v1.version_id, v2.version_id)
        .await
        .expect("compare")
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, ["api-removed-before-sunset"]);
}

/// A small provider API: charges (read), refunds (create), balance (read).
const PROVIDER_V1: &str = "openapi: 3.0.3
info: {title: Provider, version: '2026-01'}
paths:
  /v1/charges/{charge}:
    get:
      operationId: GetCharge
      parameters: [{name: charge, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
  /v1/refunds:
    post:
      operationId: PostRefunds
      responses: {'200': {description: ok}}
  /v1/balance:
    get:
      operationId: GetBalance
      responses: {'200': {description: ok}}
";

/// The next version: the charge is read by another parameter name (the same operation), and
/// refunds and the balance are gone.
const PROVIDER_V2: &str = "openapi: 3.0.3
info: {title: Provider, version: '2026-06'}
paths:
  /v1/charges/{id}:
    get:
      operationId: GetCharge
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
";

/// An integration whose provider API changes under it, and who works on it.
struct Provider {
    db: DatabaseConnection,
    admin: CurrentUser,
    eng: CurrentUser,
    qa: CurrentUser,
    stake: CurrentUser,
    i: Integration,
}

fn case(key: &str, ops: String) -> TestCaseForm {
    TestCaseForm {
        key: key.into(),
        title: format!("Case {key}"),
        category: "functional".into(),
        required: "on".into(),
        operation_ids: ops,
        ..Default::default()
    }
}

fn release_one() -> TestRunForm {
    TestRunForm {
        name: "Release 1".into(),
        build: "1.0".into(),
        environment_id: String::new(),
    }
}

fn passed() -> ResultForm {
    ResultForm {
        status: "passed".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_breaking_change_on_a_used_operation_flags_cases_supersedes_signoff_notifies_and_opens_an_item()
 {
    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let eng = common::user(&db, "eng@example.com", Role::Engineer).await;
    let qa = common::user(&db, "qa@example.com", Role::Qa).await;
    let stake = common::user(&db, "stake@example.com", Role::Stakeholder).await;
    let i = app::integrations::service::create(&db, &admin, &common::form("Payments", admin.id))
        .await
        .expect("integration");
    let v1 = service::import(&db, &eng, i.id, "Provider API", PROVIDER_V1.as_bytes())
        .await
        .expect("v1");
    let p = Provider {
        db,
        admin,
        eng,
        qa,
        stake,
        i,
    };

    let (charge, refund) = engineers_mark_the_operations_the_integration_uses(&p, &v1).await;
    let run = qa_links_cases_to_used_operations_and_signs_off_a_run(&p, charge).await;
    let (spec, item) =
        a_breaking_import_flags_linked_cases_supersedes_the_signoff_and_notifies(&p, run, refund)
            .await;
    the_change_report_puts_the_used_operations_change_first(&p, spec).await;
    a_pass_clears_the_retest_flag(&p).await;
    unmarking_drops_the_links_and_an_item_is_closed_once(&p, charge, refund, item).await;
}

async fn engineers_mark_the_operations_the_integration_uses(
    p: &Provider,
    v1: &Imported,
) -> (i32, i32) {
    let Provider {
        db, eng, stake, i, ..
    } = p;
    assert_eq!(
        usage::mark(db, stake, v1.spec_id, "GET", "/v1/charges/{charge}", "")
            .await
            .expect_err("stakeholder"),
        AppError::Forbidden
    );
    assert_eq!(
        common::fields(
            usage::mark(db, eng, v1.spec_id, "DELETE", "/v1/charges/{charge}", "")
                .await
                .expect_err("no such operation")
        ),
        ["operation"]
    );
    let charge = usage::mark(
        db,
        eng,
        v1.spec_id,
        "get",
        "/v1/charges/{charge}",
        "Receipt page",
    )
    .await
    .expect("mark charge");
    let refund = usage::mark(db, eng, v1.spec_id, "POST", "/v1/refunds", "Refund button")
        .await
        .expect("mark refund");
    assert_eq!(
        usage::mark(
            db,
            eng,
            v1.spec_id,
            "GET",
            "/v1/charges/{charge}",
            "Receipt and admin"
        )
        .await
        .expect("again edits the note"),
        charge
    );
    let used = usage::used(db, i.id).await.expect("used");
    assert_eq!(
        used.iter()
            .map(|u| (u.method.as_str(), u.path.as_str(), u.note.as_str()))
            .collect::<Vec<_>>(),
        [
            ("GET", "/v1/charges/{charge}", "Receipt and admin"),
            ("POST", "/v1/refunds", "Refund button")
        ]
    );
    let only_used = service::catalogue(db, v1.version_id, "", true)
        .await
        .expect("catalogue");
    assert_eq!(only_used.len(), 2);
    assert!(only_used.iter().all(|e| e.used.is_some()));
    (charge, refund)
}

async fn qa_links_cases_to_used_operations_and_signs_off_a_run(p: &Provider, charge: i32) -> i32 {
    let Provider { db, qa, i, .. } = p;
    let (run_form, passed) = (release_one(), passed());
    assert_eq!(
        common::fields(
            testing::create_case(db, qa, i.id, &case("bogus", "999999".into()))
                .await
                .expect_err("unused operation")
        ),
        ["operation_ids"]
    );
    testing::create_case(db, qa, i.id, &case("receipt", charge.to_string()))
        .await
        .expect("receipt");
    testing::create_case(db, qa, i.id, &case("login", String::new()))
        .await
        .expect("login");
    let run = runs::create_run(db, qa, i.id, &run_form)
        .await
        .expect("run");
    for e in runs::run_page(db, run).await.expect("page").executions {
        runs::record_result(db, qa, e.id, &passed)
            .await
            .expect("pass");
    }
    signoffs::sign_off(db, qa, run, "All passed.")
        .await
        .expect("sign-off");
    run
}

async fn a_breaking_import_flags_linked_cases_supersedes_the_signoff_and_notifies(
    p: &Provider,
    run: i32,
    refund: i32,
) -> (i32, i32) {
    let Provider {
        db,
        admin,
        eng,
        qa,
        stake,
        i,
    } = p;
    let v2 = service::import(db, eng, i.id, "Provider API", PROVIDER_V2.as_bytes())
        .await
        .expect("v2");
    assert_eq!(
        (v2.breaking_on_used, v2.needs_retest),
        (1, 0),
        "only the used refunds' removal counts (no case links it yet); the renamed path \
         parameter is the same operation"
    );
    let page = testing::overview(db, &i.slug, 1, 1).await.expect("testing");
    let flagged: Vec<(&str, bool)> = page
        .plan
        .cases
        .iter()
        .map(|c| (c.key.as_str(), c.retest_reason.is_some()))
        .collect();
    assert_eq!(flagged, [("receipt", false), ("login", false)]);
    // The removed operation is refunds, which no case links; link one and import again.
    testing::update_case(
        db,
        qa,
        page.plan.cases[1].id,
        &case("login", refund.to_string()),
    )
    .await
    .expect("link login to refunds");
    let v3 = service::import(
        db,
        eng,
        i.id,
        "Provider API",
        format!("{PROVIDER_V1}\n# refunds are back\n").as_bytes(),
    )
    .await
    .expect("v1 again as v3");
    assert_eq!(
        (v3.number, v3.breaking_on_used),
        (3, 0),
        "adding back breaks nothing"
    );
    let v4 = service::import(
        db,
        eng,
        i.id,
        "Provider API",
        format!("{PROVIDER_V2}\n# the same API, reissued\n").as_bytes(),
    )
    .await
    .expect("v4");
    assert_eq!((v4.breaking_on_used, v4.needs_retest), (1, 1));
    let page = testing::overview(db, &i.slug, 1, 1).await.expect("testing");
    let login = page
        .plan
        .cases
        .iter()
        .find(|c| c.key == "login")
        .expect("login");
    assert!(
        login
            .retest_reason
            .as_deref()
            .is_some_and(|r| r.contains("Provider API version 4 breaks 1 used operation")),
        "{:?}",
        login.retest_reason
    );
    let latest = runs::run_page(db, run).await.expect("page");
    assert!(
        latest.signoffs[0]
            .superseded_reason
            .as_deref()
            .is_some_and(|r| r.contains("breaks 1 used operation")),
        "the live sign-off is superseded: {:?}",
        latest.signoffs[0]
    );
    let items = maintenance::of_integration(db, i.id).await.expect("items");
    assert_eq!(items.len(), 2, "one item per breaking import");
    assert!(
        items
            .iter()
            .all(|m| m.status == "open" && m.link.contains("/changes?base="))
    );
    assert!(
        items[0].detail.contains("POST /v1/refunds"),
        "{}",
        items[0].detail
    );
    for (who, expected) in [(&admin, 2), (&qa, 2), (&eng, 0), (&stake, 0)] {
        assert_eq!(
            notifications::unread(db, who).await.expect("unread"),
            expected,
            "{}",
            who.email
        );
    }
    notifications::mark_all_read(db, qa).await.expect("read");
    assert_eq!(notifications::unread(db, qa).await.expect("unread"), 0);
    assert_eq!(notifications::unread(db, admin).await.expect("unread"), 2);
    (v4.spec_id, items[0].id)
}

async fn the_change_report_puts_the_used_operations_change_first(p: &Provider, spec: i32) {
    let Provider { db, i, .. } = p;
    let report = pages::changes(db, &i.slug, spec, None, None)
        .await
        .expect("changes");
    assert_eq!((report.base.number, report.revision.number), (3, 4));
    assert!(report.changes[0].used, "{:?}", report.changes);
    assert_eq!(report.changes.iter().filter(|c| c.used).count(), 1);
    assert!(
        report.changes.len() >= 2,
        "the unused removal is listed too"
    );
}

async fn a_pass_clears_the_retest_flag(p: &Provider) {
    let Provider { db, qa, i, .. } = p;
    let (run_form, passed) = (release_one(), passed());
    let rerun = runs::create_run(db, qa, i.id, &run_form)
        .await
        .expect("rerun");
    let execution = runs::run_page(db, rerun)
        .await
        .expect("page")
        .executions
        .into_iter()
        .find(|e| e.case_key == "login")
        .expect("login execution");
    runs::record_result(db, qa, execution.id, &passed)
        .await
        .expect("pass");
    let page = testing::overview(db, &i.slug, 1, 1).await.expect("testing");
    assert!(page.plan.cases.iter().all(|c| c.retest_reason.is_none()));
}

async fn unmarking_drops_the_links_and_an_item_is_closed_once(
    p: &Provider,
    charge: i32,
    refund: i32,
    item: i32,
) {
    let Provider {
        db, eng, stake, i, ..
    } = p;
    usage::unmark(db, eng, refund).await.expect("unmark");
    let page = testing::overview(db, &i.slug, 1, 1).await.expect("testing");
    assert!(
        page.plan
            .cases
            .iter()
            .all(|c| c.operation_ids.is_empty() || c.operation_ids == [charge])
    );
    assert_eq!(
        maintenance::close(db, stake, item)
            .await
            .expect_err("stakeholder"),
        AppError::Forbidden
    );
    maintenance::close(db, eng, item).await.expect("close");
    assert!(matches!(
        maintenance::close(db, eng, item).await,
        Err(AppError::Conflict(_))
    ));
    let trail = app::activity::service::history(db, i.id, 200)
        .await
        .expect("trail");
    for kind in [
        "spec_operation_use",
        "maintenance_item",
        "test_case",
        "signoff",
    ] {
        assert!(
            trail.iter().any(|e| e.kind == kind),
            "no {kind} in the trail"
        );
    }
}

/// A provider on loopback serving its document at /openapi.yaml (whatever `doc` holds, or
/// 500 when it is empty), a redirect at /moved and nothing at /missing.
async fn provider(doc: std::sync::Arc<std::sync::Mutex<String>>) -> String {
    use axum::{Router, http::StatusCode, response::Redirect, routing::get};
    let app = Router::new()
        .route(
            "/openapi.yaml",
            get(move || {
                let doc = doc.lock().expect("doc").clone();
                async move {
                    if doc.is_empty() {
                        Err(StatusCode::INTERNAL_SERVER_ERROR)
                    } else {
                        Ok(doc)
                    }
                }
            }),
        )
        .route(
            "/moved",
            get(|| async { Redirect::temporary("/openapi.yaml") }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    address
}

#[tokio::test]
async fn a_spec_is_fetched_through_the_outbound_guard_and_again_when_due() {
    use app::auth::model::Role;
    use app::entities::api_specs;
    use app::outbound::Guard;
    use app::specs::remote::{import_url, run_due};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, PaginatorTrait};

    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let eng = common::user(&db, "eng@example.com", Role::Engineer).await;
    let i = app::integrations::service::create(&db, &admin, &common::form("Payments", admin.id))
        .await
        .expect("integration");
    let doc = std::sync::Arc::new(std::sync::Mutex::new(PROVIDER_V1.to_string()));
    let base = provider(doc.clone()).await;
    let url = format!("{base}/openapi.yaml");
    let open = Guard::new(["127.0.0.1"]);
    let message = |e: app::error::AppError, field: &str| e.field_message(field).unwrap_or_default();

    let refused = import_url(
        &db,
        &Guard::default(),
        &eng,
        i.id,
        ("Provider API", &url, "daily"),
    )
    .await
    .expect_err("loopback is refused");
    assert!(message(refused, "url").contains("a loopback address (127.0.0.1)"));
    let missing = import_url(
        &db,
        &open,
        &eng,
        i.id,
        ("Provider API", &format!("{base}/missing"), ""),
    )
    .await
    .expect_err("404");
    assert!(message(missing, "url").contains("answered 404"));
    let moved = import_url(
        &db,
        &open,
        &eng,
        i.id,
        ("Provider API", &format!("{base}/moved"), ""),
    )
    .await
    .expect_err("redirect");
    assert!(message(moved, "url").contains("redirect"));
    assert_eq!(
        common::fields(
            import_url(&db, &open, &eng, i.id, ("Provider API", &url, "hourly"))
                .await
                .expect_err("hourly")
        ),
        ["refetch"]
    );
    assert_eq!(
        api_specs::Entity::find().count(&db).await.expect("count"),
        0,
        "nothing saved"
    );

    let now = chrono::Utc::now();
    let first = import_url(&db, &open, &eng, i.id, ("Provider API", &url, "daily"))
        .await
        .expect("import");
    assert_eq!((first.number, first.operations), (1, 3));
    let spec = api_specs::Entity::find_by_id(first.spec_id)
        .one(&db)
        .await
        .expect("spec")
        .expect("spec");
    assert_eq!(
        (spec.source_url.as_str(), spec.refetch.as_str()),
        (url.as_str(), "daily")
    );
    let next = spec.next_fetch_at.expect("scheduled");
    assert!(next > now + chrono::Duration::hours(23) && next < now + chrono::Duration::hours(25));

    assert_eq!(run_due(&db, &open, now).await.expect("not due"), 0);
    *doc.lock().expect("doc") = PROVIDER_V2.to_string();
    let later = next + chrono::Duration::minutes(1);
    assert_eq!(run_due(&db, &open, later).await.expect("due"), 1);
    assert_eq!(
        service_versions(&db, first.spec_id).await,
        2,
        "the changed document is the next version"
    );
    assert_eq!(
        run_due(&db, &open, later).await.expect("claimed"),
        0,
        "fetched once"
    );

    // Two processes at once: each due spec is fetched by one of them.
    let mut active: api_specs::ActiveModel = api_specs::Entity::find_by_id(first.spec_id)
        .one(&db)
        .await
        .expect("spec")
        .expect("spec")
        .into();
    active.next_fetch_at = Set(Some(now));
    active.update(&db).await.expect("due again");
    *doc.lock().expect("doc") = String::new();
    let (a, b) = tokio::join!(run_due(&db, &open, later), run_due(&db, &open, later));
    assert_eq!(a.expect("a") + b.expect("b"), 1);
    let spec = api_specs::Entity::find_by_id(first.spec_id)
        .one(&db)
        .await
        .expect("spec")
        .expect("spec");
    assert!(
        spec.last_fetch_error.contains("answered 500"),
        "{}",
        spec.last_fetch_error
    );
    assert!(
        spec.next_fetch_at.expect("still scheduled") > later,
        "a failure keeps the schedule"
    );
    assert_eq!(service_versions(&db, first.spec_id).await, 2);
}

async fn service_versions(db: &sea_orm::DatabaseConnection, spec_id: i32) -> usize {
    app::specs::service::versions(db, spec_id)
        .await
        .expect("versions")
        .len()
}

#[tokio::test]
async fn the_used_operations_response_fields_are_offered_as_json_pointers() {
    use app::auth::model::Role;
    use app::specs::{service, usage};

    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let i = app::integrations::service::create(&db, &admin, &common::form("Stripe", admin.id))
        .await
        .expect("integration");
    let v = service::import(
        &db,
        &admin,
        i.id,
        "Stripe API",
        &fixture("stripe-spec3-2022-04-12.json"),
    )
    .await
    .expect("import");
    assert!(
        usage::response_pointers(&db, i.id)
            .await
            .expect("none used")
            .is_empty()
    );
    usage::mark(
        &db,
        &admin,
        v.spec_id,
        "GET",
        "/v1/charges/{charge}",
        "Receipts",
    )
    .await
    .expect("mark");
    let pointers = usage::response_pointers(&db, i.id).await.expect("pointers");
    for expected in [
        "/amount",
        "/currency",
        "/billing_details/address/city",
        "/refunds/data/0/amount",
    ] {
        assert!(
            pointers.iter().any(|p| p.pointer == expected),
            "{expected} in {:?}",
            pointers
                .iter()
                .map(|p| &p.pointer)
                .take(40)
                .collect::<Vec<_>>()
        );
    }
    assert!(
        pointers
            .iter()
            .all(|p| p.operation == "GET /v1/charges/{charge} (Stripe API)")
    );
}
