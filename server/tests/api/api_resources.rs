//! Every REST resource over HTTP with tokens: create, read, merge-patch with If-Match (412
//! when stale), delete; validation failures name their fields; roles and scopes are enforced
//! on every write.

use app::auth::model::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::api_v1::{Client, Reply};
use crate::helpers::{TestApp, spawn_app};

pub(crate) fn ok(reply: &Reply, status: u16) -> Value {
    Client::ok(reply, status)
}

/// An integration owned by `owner`, through the API; its slug.
pub(crate) async fn integration(coord: &Client, name: &str) -> String {
    let me = ok(&coord.get("/api/v1/me").await, 200);
    let created = coord
        .post(
            "/api/v1/integrations",
            json!({"name": name, "provider": "Stripe", "category": "payments",
                   "owner_id": me["id"].to_string(), "business_objective": "Take card payments.",
                   "priority": "high", "tags": "cards, eu"}),
        )
        .await;
    ok(&created, 201)["slug"]
        .as_str()
        .expect("slug")
        .to_string()
}

/// The life of one kind of record: 422 naming `required` on an empty create, then create,
/// list, read, patch with the current ETag, 412 with the old one (deletion comes at the end
/// of the walk, see `delete`).
pub(crate) async fn crud(
    client: &Client,
    collection: &str,
    list_key: &str,
    item: &str,
    valid: Value,
    patch: Value,
    required: &[&str],
) -> i64 {
    let empty = client.post(collection, json!({})).await;
    let fields = empty.fields();
    for field in required {
        assert!(
            fields.contains(&(*field).to_string()),
            "{collection}: {field} in {fields:?}"
        );
    }
    let created = client.post(collection, valid).await;
    let body = ok(&created, 201);
    let id = body["id"].as_i64().expect("id");
    let path = format!("{item}/{id}");
    let list = ok(&client.get(collection).await, 200);
    let listed = match list_key {
        "ranking" => list[list_key]
            .as_array()
            .expect("list")
            .iter()
            .map(|r| r["candidate"]["id"].clone())
            .collect::<Vec<_>>(),
        _ => list[list_key]
            .as_array()
            .expect("list")
            .iter()
            .map(|r| r["id"].clone())
            .collect(),
    };
    assert!(
        listed.contains(&json!(id)),
        "{collection} lists the new record"
    );
    let read = client.get(&path).await;
    assert_eq!(ok(&read, 200), body);
    let tag = read.etag();
    assert_eq!(
        tag,
        created.etag(),
        "the same representation has the same tag"
    );

    let patched = client.patch(&path, patch.clone(), Some(&tag)).await;
    let after = ok(&patched, 200);
    for (key, value) in patch.as_object().expect("patch") {
        let sent = value.as_str().unwrap_or_default();
        match after.get(key) {
            Some(Value::Number(n)) => assert_eq!(n.as_f64(), sent.parse().ok(), "{path}: {key}"),
            Some(v) => assert_eq!(v.as_str(), Some(sent), "{path}: {key}"),
            None => panic!("{path}: {key} missing from {after}"),
        }
    }
    assert_ne!(patched.etag(), tag, "a change changes the tag");
    let stale = client.patch(&path, patch, Some(&tag)).await;
    stale.problem(412);
    assert_eq!(
        ok(&client.get(&path).await, 200),
        after,
        "a refused update changes nothing"
    );
    let unknown = client
        .patch(&path, json!({"no_such_field": "x"}), None)
        .await;
    assert_eq!(unknown.fields(), ["no_such_field"]);
    id
}

/// Deletes `item`: refused with a stale `If-Match`, then 204, then 404.
pub(crate) async fn delete(client: &Client, item: &str) {
    client
        .send(Method::DELETE, item, None, Some("\"stale\""))
        .await
        .problem(412);
    let tag = client.get(item).await.etag();
    let res = client.send(Method::DELETE, item, None, Some(&tag)).await;
    assert_eq!(res.status, 204, "{item}: {}", res.body);
    client.get(item).await.problem(404);
}

/// Who walks the resources, and the integration they walk.
struct Walk {
    admin: Client,
    coord: Client,
    stakeholder: Client,
    me: Value,
    slug: String,
    path: String,
}

/// The planning records the walk creates, by id.
struct Planned {
    objective: i64,
    milestone: i64,
    candidate: i64,
    meeting: i64,
}

#[tokio::test]
async fn every_resource_reads_creates_patches_and_deletes_through_the_api() {
    let app = spawn_app().await;
    let admin = Client::new(&app, "admin@example.com", Role::Admin, "read-write").await;
    let coord = Client::new(&app, "coord@example.com", Role::Coordinator, "read-write").await;
    let stakeholder = Client::new(&app, "stake@example.com", Role::Stakeholder, "read-write").await;
    let me = ok(&coord.get("/api/v1/me").await, 200);
    assert_eq!(
        (
            me["role"].as_str(),
            me["auth"].as_str(),
            me["scope"].as_str()
        ),
        (Some("coordinator"), Some("token"), Some("read-write"))
    );
    let slug = integration(&coord, "Stripe payments").await;
    let path = format!("/api/v1/integrations/{slug}");
    let w = Walk {
        admin,
        coord,
        stakeholder,
        me,
        slug,
        path,
    };

    let integration = the_integration_merges_a_patch_and_refuses_a_stale_tag(&w).await;
    let planned = objectives_milestones_candidates_and_meetings_live_through_crud(&w).await;
    let (environment, credential) =
        environments_and_credentials_refuse_a_pasted_secret(&app, &w).await;
    scores_against_the_default_criteria_complete_a_candidate(&w, planned.candidate).await;
    action_items_are_added_and_ticked_off(&w, planned.meeting).await;
    the_plan_is_saved_submitted_and_approved_by_a_stakeholder(&w).await;
    the_trail_filters_by_integration_kind_and_record(&w, &integration, planned.objective).await;
    records_and_then_the_integration_are_deleted(&w, &planned, environment, credential).await;
    accounts_are_for_admins_only(&w).await;
}

async fn the_integration_merges_a_patch_and_refuses_a_stale_tag(w: &Walk) -> Value {
    let Walk { coord, path, .. } = w;
    let read = coord.get(path).await;
    let tag = read.etag();
    let patched = coord
        .patch(path, json!({"priority": "critical"}), Some(&tag))
        .await;
    let after = ok(&patched, 200);
    assert_eq!(
        (after["priority"].as_str(), after["name"].as_str()),
        (Some("critical"), Some("Stripe payments")),
        "unsent fields are kept"
    );
    assert_eq!(after["tags"], json!(["cards", "eu"]));
    coord
        .patch(path, json!({"priority": "low"}), Some(&tag))
        .await
        .problem(412);
    assert_eq!(
        ok(&coord.get(path).await, 200)["integration"]["priority"],
        "critical"
    );
    assert_eq!(
        coord
            .patch(path, json!({"category": "cheese"}), None)
            .await
            .fields(),
        ["category"]
    );
    let lifecycle = ok(&coord.get(&format!("{path}/lifecycle")).await, 200);
    assert_eq!(lifecycle["stage"], "planning");

    after
}

async fn objectives_milestones_candidates_and_meetings_live_through_crud(w: &Walk) -> Planned {
    let Walk {
        coord, path, me, ..
    } = w;
    let objective = crud(coord, &format!("{path}/objectives"), "objectives", "/api/v1/objectives",
        json!({"description": "Raise checkout completion", "metric": "Checkout completion", "unit": "%", "baseline": "61", "target": "75"}),
        json!({"current": "68"}), &["description", "metric", "unit", "baseline", "target"]).await;
    let milestone = crud(coord, &format!("{path}/milestones"), "milestones", "/api/v1/milestones",
        json!({"title": "Select APIs", "stage": "planning", "due_date": "2027-01-15", "status": "not_started"}),
        json!({"status": "in_progress"}), &["title", "due_date"]).await;
    let candidate = crud(
        coord,
        &format!("{path}/vendors"),
        "ranking",
        "/api/v1/vendor-candidates",
        json!({"name": "Stripe", "provider": "Stripe Inc.", "docs_url": "https://stripe.com/docs"}),
        json!({"pros": "Great docs"}),
        &["name", "provider"],
    )
    .await;
    let meeting = crud(coord, &format!("{path}/meetings"), "meetings", "/api/v1/meetings",
        json!({"starts_at": "2027-01-10T09:30", "title": "Kick-off", "attendee_ids": [me["id"].to_string()]}),
        json!({"decisions": "Go with Stripe."}), &["starts_at", "title"]).await;
    Planned {
        objective,
        milestone,
        candidate,
        meeting,
    }
}

async fn environments_and_credentials_refuse_a_pasted_secret(
    app: &TestApp,
    w: &Walk,
) -> (i64, i64) {
    let Walk { path, .. } = w;
    let engineer = Client::new(app, "eng@example.com", Role::Engineer, "read-write").await;
    let environment = crud(&engineer, &format!("{path}/environments"), "environments", "/api/v1/environments",
        json!({"name": "sandbox", "base_url": "https://api.stripe.com", "auth_scheme": "bearer", "health_path": "/v1/balance"}),
        json!({"timeout_ms": "3000"}), &["name", "base_url", "auth_scheme"]).await;
    let credential = crud(&engineer, &format!("{path}/credentials"), "credentials", "/api/v1/credentials",
        json!({"environment_id": environment.to_string(), "name": "secret key", "kind": "api_key",
               "reference": "vault://kv/payments/stripe#secret_key", "last_rotated": "2026-01-01", "rotation_days": "30"}),
        json!({"scopes": "charges:write"}), &["environment_id", "name", "kind", "reference"]).await;
    let overdue = ok(
        &engineer
            .get(&format!("/api/v1/credentials/{credential}"))
            .await,
        200,
    );
    assert_eq!(overdue["status"], "rotation_overdue");
    let rotated = engineer
        .post(
            &format!("/api/v1/credentials/{credential}/rotations"),
            json!({}),
        )
        .await;
    assert_eq!(ok(&rotated, 201)["status"], "ok");
    let pasted = engineer
        .patch(
            &format!("/api/v1/credentials/{credential}"),
            json!({"reference": "AKIAIOSFODNN7EXAMPLE"}),
            None,
        )
        .await;
    assert_eq!(pasted.fields(), ["reference"]);
    assert!(
        !pasted.body.to_string().contains("AKIAIOSFODNN7EXAMPLE"),
        "the secret is not echoed"
    );
    let refused = engineer.post(&format!("{path}/environments"),
        json!({"name": "live", "base_url": "https://api.stripe.com", "auth_scheme": "basic", "health_path": "/v1/balance", "health_keyword": "sk_live_51HxQmZKx9aB7cD3eF5gH7iJ9"})).await;
    assert_eq!(
        refused.fields(),
        ["health_keyword"],
        "the leak guard answers over the API too"
    );
    assert!(
        !refused
            .body
            .to_string()
            .contains("sk_live_51HxQmZKx9aB7cD3eF5gH7iJ9")
    );
    (environment, credential)
}

async fn scores_against_the_default_criteria_complete_a_candidate(w: &Walk, candidate: i64) {
    let Walk { coord, path, .. } = w;
    let board = ok(&coord.get(&format!("{path}/vendors")).await, 200);
    let scores: Vec<Value> = board["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .map(|c| json!({"criterion_id": c["id"].to_string(), "score": "4", "note": ""}))
        .collect();
    ok(
        &coord
            .send(
                Method::PUT,
                &format!("/api/v1/vendor-candidates/{candidate}/scores"),
                Some(json!(scores)),
                None,
            )
            .await,
        200,
    );
    let board = ok(&coord.get(&format!("{path}/vendors")).await, 200);
    assert_eq!(board["ranking"][0]["complete"], true, "{board}");
    let bad = coord
        .send(
            Method::PUT,
            &format!("/api/v1/vendor-candidates/{candidate}/scores"),
            Some(json!([{"criterion_id": board["criteria"][0]["id"].to_string(), "score": "9"}])),
            None,
        )
        .await;
    assert!(bad.status.as_u16() == 422, "{}", bad.body);
}

async fn action_items_are_added_and_ticked_off(w: &Walk, meeting: i64) {
    let Walk { coord, .. } = w;
    let item = coord
        .post(
            &format!("/api/v1/meetings/{meeting}/action-items"),
            json!({"text": "Send the contract", "due_date": "2027-01-20"}),
        )
        .await;
    let item = ok(&item, 201);
    let item_path = format!("/api/v1/action-items/{}", item["id"]);
    assert_eq!(
        ok(
            &coord.patch(&item_path, json!({"done": true}), None).await,
            200
        )["done"],
        true
    );
    assert_eq!(
        coord.patch(&item_path, json!({}), None).await.fields(),
        ["done"]
    );
    assert_eq!(
        coord
            .post(
                &format!("/api/v1/meetings/{meeting}/action-items"),
                json!({})
            )
            .await
            .fields(),
        ["text"]
    );
}

async fn the_plan_is_saved_submitted_and_approved_by_a_stakeholder(w: &Walk) {
    let Walk {
        coord,
        stakeholder,
        path,
        ..
    } = w;
    let plan_path = format!("{path}/plan");
    let plan = coord.get(&plan_path).await;
    ok(&plan, 200);
    let saved = coord
        .send(
            Method::PUT,
            &plan_path,
            Some(
                json!({"technical_requirements": "PCI scope stays with Stripe.",
        "expected_outcomes": "Card payments.", "risks": "Fees.", "dependencies": "Legal"}),
            ),
            Some(&plan.etag()),
        )
        .await;
    assert_eq!(ok(&saved, 200)["latest"]["state"], "draft");
    coord
        .send(
            Method::PUT,
            &plan_path,
            Some(json!({"risks": "More"})),
            Some(&plan.etag()),
        )
        .await
        .problem(412);
    assert_eq!(
        ok(
            &coord.post(&format!("{plan_path}/submit"), json!({})).await,
            200
        )["latest"]["state"],
        "in_review"
    );
    coord
        .post(
            &format!("{plan_path}/review"),
            json!({"decision": "approved"}),
        )
        .await
        .problem(403);
    assert_eq!(
        stakeholder
            .post(&format!("{plan_path}/review"), json!({"decision": "maybe"}))
            .await
            .fields(),
        ["decision"]
    );
    let reviewed = stakeholder
        .post(
            &format!("{plan_path}/review"),
            json!({"decision": "approved", "comment": "Go."}),
        )
        .await;
    assert_eq!(ok(&reviewed, 200)["latest"]["state"], "approved");
}

async fn the_trail_filters_by_integration_kind_and_record(w: &Walk, after: &Value, objective: i64) {
    let Walk { coord, slug, .. } = w;
    let trail = ok(
        &coord
            .get(&format!("/api/v1/activity?integration={slug}"))
            .await,
        200,
    );
    let kinds: Vec<&str> = trail["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    for kind in ["integration", "objective", "milestone", "meeting", "plan"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let one = ok(
        &coord
            .get(&format!(
                "/api/v1/activity?kind=objective&entity_id={}/{objective}",
                after["id"]
            ))
            .await,
        200,
    );
    assert_eq!(one["total"], 2, "created and updated: {one}");
    assert_eq!(
        coord
            .get("/api/v1/activity?integration=nope")
            .await
            .fields(),
        ["integration"]
    );
}

async fn records_and_then_the_integration_are_deleted(
    w: &Walk,
    planned: &Planned,
    environment: i64,
    credential: i64,
) {
    let (
        Walk { coord, path, .. },
        Planned {
            objective,
            milestone,
            candidate,
            meeting,
        },
    ) = (w, planned);
    for item in [
        format!("/api/v1/milestones/{milestone}"),
        format!("/api/v1/vendor-candidates/{candidate}"),
        format!("/api/v1/meetings/{meeting}"),
        format!("/api/v1/credentials/{credential}"),
        format!("/api/v1/environments/{environment}"),
    ] {
        delete(coord, &item).await;
    }
    assert_eq!(
        coord
            .send(
                Method::DELETE,
                &format!("/api/v1/objectives/{objective}"),
                None,
                None
            )
            .await
            .status,
        204
    );
    coord
        .get(&format!("/api/v1/objectives/{objective}"))
        .await
        .problem(404);
    let tag = coord.get(path).await.etag();
    coord.patch(path, json!({"name": "Stripe"}), None).await;
    coord
        .send(Method::DELETE, path, None, Some(&tag))
        .await
        .problem(412);
    let tag = coord.get(path).await.etag();
    assert_eq!(
        coord
            .send(Method::DELETE, path, None, Some(&tag))
            .await
            .status,
        204
    );
    coord.get(path).await.problem(404);
}

async fn accounts_are_for_admins_only(w: &Walk) {
    let Walk { admin, coord, .. } = w;
    coord.get("/api/v1/users").await.problem(403);
    let users = ok(&admin.get("/api/v1/users").await, 200);
    assert_eq!(users.as_array().map(Vec::len), Some(4));
    let created = admin.post("/api/v1/users", json!({"email": "qa@example.com", "name": "Quinn", "role": "qa", "password": "a-long-enough-password"})).await;
    let qa = ok(&created, 201);
    assert_eq!(
        admin
            .post(
                "/api/v1/users",
                json!({"email": "nope", "name": "", "role": "boss", "password": "x"})
            )
            .await
            .fields()
            .len(),
        4
    );
    let qa_path = format!("/api/v1/users/{}", qa["id"]);
    let changed = admin
        .patch(&qa_path, json!({"role": "engineer"}), Some(&created.etag()))
        .await;
    assert_eq!(ok(&changed, 200)["role"], "engineer");
    admin
        .patch(&qa_path, json!({"active": false}), Some(&created.etag()))
        .await
        .problem(412);
    assert_eq!(
        admin
            .patch(&qa_path, json!({"role": "boss"}), None)
            .await
            .fields(),
        ["role"]
    );
    assert_eq!(
        admin
            .send(Method::PATCH, &qa_path, Some(json!([null, null])), None)
            .await
            .fields(),
        ["body"],
        "found by schemathesis: an array is not an object"
    );
    assert_eq!(
        ok(
            &admin.patch(&qa_path, json!({"active": false}), None).await,
            200
        )["active"],
        false
    );
}

/// Records of each kind, for the role checks: path parameter values by route prefix.
async fn fixture(app: &TestApp) -> (Client, Vec<(&'static str, String)>) {
    let coord = Client::new(app, "coord@example.com", Role::Coordinator, "read-write").await;
    let slug = integration(&coord, "Stripe").await;
    let base = format!("/api/v1/integrations/{slug}");
    let id = |v: Value| v["id"].to_string();
    let objective = id(ok(&coord.post(&format!("{base}/objectives"), json!({"description": "d", "metric": "m", "unit": "%", "baseline": "1", "target": "2"})).await, 201));
    let milestone = id(ok(&coord.post(&format!("{base}/milestones"), json!({"title": "t", "stage": "planning", "due_date": "2027-01-01", "status": "not_started"})).await, 201));
    let candidate = id(ok(
        &coord
            .post(
                &format!("{base}/vendors"),
                json!({"name": "n", "provider": "p"}),
            )
            .await,
        201,
    ));
    let meeting = id(ok(
        &coord
            .post(
                &format!("{base}/meetings"),
                json!({"starts_at": "2027-01-01T10:00", "title": "t"}),
            )
            .await,
        201,
    ));
    let item = id(ok(
        &coord
            .post(
                &format!("/api/v1/meetings/{meeting}/action-items"),
                json!({"text": "t"}),
            )
            .await,
        201,
    ));
    let environment = id(ok(&coord.post(&format!("{base}/environments"), json!({"name": "sandbox", "base_url": "https://api.example.com", "auth_scheme": "none"})).await, 201));
    let audit = id(ok(&coord.post(&format!("{base}/audits"), json!({"title": "t", "checks": "c", "interval_days": "30", "first_due": "2027-01-01"})).await, 201));
    let audit_run = ok(
        &coord
            .post(&format!("/api/v1/audits/{audit}/runs"), json!({}))
            .await,
        201,
    )["runs"][0]["id"]
        .to_string();
    let finding = id(ok(
        &coord
            .post(
                &format!("/api/v1/audit-runs/{audit_run}/findings"),
                json!({"summary": "s", "severity": "low", "remediation": "r"}),
            )
            .await,
        201,
    ));
    let me = ok(&coord.get("/api/v1/me").await, 200);
    let credential = id(ok(&coord.post(&format!("{base}/credentials"), json!({"environment_id": environment, "name": "key", "kind": "api_key", "reference": "env://KEY", "owner_id": me["id"].to_string()})).await, 201));
    let grant = ok(
        &coord
            .post(
                &format!("/api/v1/credentials/{credential}/grants"),
                json!({"grantee_kind": "team", "grantee": "payments", "reason": "r"}),
            )
            .await,
        201,
    )["grants"][0]["id"]
        .to_string();
    let row = id(ok(
        &coord
            .post(
                &format!("{base}/mapping"),
                json!({"source_pointer": "/a", "target_field": "a"}),
            )
            .await,
        201,
    ));
    let check = id(ok(
        &coord
            .post(
                &format!("{base}/checklist-items"),
                json!({"checklist": "security", "title": "t"}),
            )
            .await,
        201,
    ));
    let admin = Client::new(app, "admin@example.com", Role::Admin, "read-write").await;
    let case = id(ok(
        &admin
            .post(
                &format!("{base}/test-cases"),
                json!({"title": "Charge", "category": "functional", "required": "on"}),
            )
            .await,
        201,
    ));
    let run_page = ok(
        &admin
            .post(&format!("{base}/test-runs"), json!({"name": "r"}))
            .await,
        201,
    );
    let run = run_page["run"]["id"].to_string();
    let execution = run_page["executions"][0]["id"].to_string();
    ok(
        &admin
            .send(
                Method::PUT,
                &format!("/api/v1/executions/{execution}/result"),
                Some(json!({"status": "failed"})),
                None,
            )
            .await,
        200,
    );
    let defect = id(ok(
        &admin
            .post(
                &format!("{base}/defects"),
                json!({"execution_id": execution, "title": "t", "severity": "minor"}),
            )
            .await,
        201,
    ));
    ok(
        &admin
            .post(&format!("{base}/events"), json!({"message": "boom"}))
            .await,
        200,
    );
    let groups = ok(&admin.get(&format!("{base}/error-groups")).await, 200);
    let group = groups[0]["id"].to_string();
    let ids = vec![
        ("/api/v1/error-groups/", group),
        ("/api/v1/test-cases/", case),
        ("/api/v1/test-runs/", run),
        ("/api/v1/executions/", execution),
        ("/api/v1/defects/", defect),
        ("/api/v1/grants/", grant),
        ("/api/v1/mapping-rows/", row),
        ("/api/v1/checklist-items/", check),
        ("/api/v1/environments/", environment),
        ("/api/v1/credentials/", credential),
        ("/api/v1/objectives/", objective),
        ("/api/v1/milestones/", milestone),
        ("/api/v1/vendor-candidates/", candidate),
        ("/api/v1/meetings/", meeting),
        ("/api/v1/action-items/", item),
        ("/api/v1/users/", me["id"].to_string()),
        ("/api/v1/audits/", audit),
        ("/api/v1/audit-runs/", audit_run),
        ("/api/v1/audit-findings/", finding),
        ("{slug}", slug),
    ];
    (coord, ids)
}

fn concrete(path: &str, ids: &[(&str, String)]) -> String {
    let mut out = path.to_string();
    for (prefix, value) in ids {
        if *prefix == "{slug}" {
            out = out.replace("{slug}", value);
        } else if out.starts_with(prefix) {
            out = out.replace("{id}", value);
        }
    }
    out
}

fn body_for(method: &str, path: &str) -> Option<Value> {
    match (method, path) {
        ("DELETE", _) => None,
        (_, p) if p.ends_with("/scores") => Some(json!([])),
        (_, p) if p.starts_with("/api/v1/action-items/") => Some(json!({"done": true})),
        (_, p) if p.ends_with("/result") => Some(json!({"status": "passed"})),
        _ => Some(json!({})),
    }
}

#[tokio::test]
async fn every_write_refuses_a_read_only_token_and_a_role_without_the_right() {
    let app = spawn_app().await;
    let (_coord, ids) = fixture(&app).await;
    let reader = Client::new(&app, "reader@example.com", Role::Coordinator, "read").await;
    let stakeholder = Client::new(&app, "stake@example.com", Role::Stakeholder, "read-write").await;
    let doc = serde_json::to_value(server::rest::document()).expect("doc");
    let mut writes = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["POST", "PUT", "PATCH", "DELETE"] {
            if item.get(method.to_lowercase()).is_none() {
                continue;
            }
            writes += 1;
            let url = concrete(path, &ids);
            let m = Method::from_bytes(method.as_bytes()).expect("method");
            let res = reader
                .send(m.clone(), &url, body_for(method, path), None)
                .await;
            if path.ends_with("/mapping/preview") {
                // Reads only, though sent by POST: any signed-in caller may preview.
                assert_eq!(res.status, 200, "{url}: {}", res.body);
                continue;
            }
            assert_eq!(
                res.status, 403,
                "read-only token: {method} {url}: {}",
                res.body
            );
            if path.ends_with("/plan/review") {
                continue; // stakeholders review plans
            }
            let res = stakeholder
                .send(m, &url, body_for(method, path), None)
                .await;
            assert_eq!(res.status, 403, "stakeholder: {method} {url}: {}", res.body);
        }
    }
    assert!(writes >= 20, "{writes}");
    // Nothing was changed by the refused calls.
    assert_eq!(app.count("integrations").await, 1);
    assert_eq!(app.count("objectives").await, 1);
    assert_eq!(app.count("mapping_rows").await, 1);
    assert_eq!(app.count("checklist_items").await, 1);
    assert_eq!(app.count("credential_grants").await, 1);
    assert_eq!(app.count("mapping_reviews").await, 0);
    assert_eq!(app.count("test_cases").await, 1);
    assert_eq!(app.count("signoffs").await, 0);
    assert_eq!(app.count("defects").await, 1);
    assert_eq!(app.count("audits").await, 1);
    assert_eq!(app.count("audit_runs").await, 1);
    assert_eq!(
        app.count("audit_findings").await,
        1,
        "and the finding stays open"
    );
}

/// Who builds the integration, and the integration they build.
struct Build {
    eng: Client,
    coord: Client,
    reader: Client,
    base: String,
    eng_id: String,
}

#[tokio::test]
async fn the_implementation_records_walk_through_the_api_up_to_an_open_gate() {
    let app = spawn_app().await;
    let eng = Client::new(&app, "eng@example.com", Role::Engineer, "read-write").await;
    let coord = Client::new(&app, "coord@example.com", Role::Coordinator, "read-write").await;
    let reader = Client::new(&app, "reader@example.com", Role::Qa, "read").await;
    let slug = integration(&coord, "Stripe").await;
    let base = format!("/api/v1/integrations/{slug}");
    let eng_id = ok(&eng.get("/api/v1/me").await, 200)["id"].to_string();
    let b = Build {
        eng,
        coord,
        reader,
        base,
        eng_id,
    };

    let (row, item) = mapping_rows_and_checklist_items_live_through_crud(&b).await;
    the_preview_reads_only_and_says_where_the_sample_is_wrong(&b).await;
    a_change_to_a_row_clears_the_mapping_review(&b, row).await;
    the_template_adds_thirteen_items_and_every_item_is_done(&b).await;
    let credential = qa_reads_credential_references_and_stakeholders_do_not(&app, &b).await;
    only_a_coordinator_grants_and_a_revoked_grant_stays(&b, &credential).await;
    every_criterion_met_opens_the_gate_to_testing(&app, &b).await;

    // Deletes, as for every record.
    delete(&b.eng, &format!("/api/v1/mapping-rows/{row}")).await;
    delete(&b.eng, &format!("/api/v1/checklist-items/{item}")).await;
}

async fn mapping_rows_and_checklist_items_live_through_crud(b: &Build) -> (i64, i64) {
    let Build { eng, base, .. } = b;
    let row = crud(eng, &format!("{base}/mapping"), "rows", "/api/v1/mapping-rows",
        json!({"source_pointer": "/data/object/amount", "target_field": "payment.amount", "transform": "cents_to_decimal", "required": "true"}),
        json!({"notes": "Stripe sends cents."}), &["source_pointer", "target_field"]).await;
    let item = crud(
        eng,
        &format!("{base}/checklist-items"),
        "items",
        "/api/v1/checklist-items",
        json!({"checklist": "security", "title": "Secrets scanned in CI"}),
        json!({"status": "not_applicable", "na_reason": "No CI for this one."}),
        &["checklist", "title"],
    )
    .await;
    assert_eq!(
        eng.patch(
            &format!("/api/v1/checklist-items/{item}"),
            json!({"status": "not_applicable", "na_reason": ""}),
            None
        )
        .await
        .fields(),
        ["na_reason"]
    );
    assert_eq!(
        ok(&eng.get(&format!("/api/v1/mapping-rows/{row}")).await, 200)["transform"],
        "cents_to_decimal"
    );
    (row, item)
}

async fn the_preview_reads_only_and_says_where_the_sample_is_wrong(b: &Build) {
    let Build { reader, base, .. } = b;
    let sample = json!({"sample": "{\"data\": {\"object\": {\"amount\": 1999}}}"});
    let preview = ok(
        &reader
            .post(&format!("{base}/mapping/preview"), sample)
            .await,
        200,
    );
    assert_eq!(preview["output"], json!({"payment": {"amount": 19.99}}));
    assert_eq!(preview["rows"][0]["error"], Value::Null);
    let broken = ok(
        &reader
            .post(
                &format!("{base}/mapping/preview"),
                json!({"sample": "{\n  \"amount\": }"}),
            )
            .await,
        200,
    );
    assert!(
        broken["sample_error"]
            .as_str()
            .is_some_and(|m| m.contains("line 2, column 13")),
        "{broken}"
    );
    let wrong = ok(
        &reader
            .post(
                &format!("{base}/mapping/preview"),
                json!({"sample": "{\"data\": {\"object\": {\"amount\": \"19.99\"}}}"}),
            )
            .await,
        200,
    );
    assert!(
        wrong["rows"][0]["error"]
            .as_str()
            .is_some_and(|m| m.contains("Type mismatch")),
        "{wrong}"
    );
}

async fn a_change_to_a_row_clears_the_mapping_review(b: &Build, row: i64) {
    let Build {
        eng, base, eng_id, ..
    } = b;
    let reviewed = ok(
        &eng.post(&format!("{base}/mapping/review"), json!({})).await,
        200,
    );
    assert_eq!(reviewed["review"]["by"]["id"].to_string(), *eng_id);
    let tag = eng.get(&format!("/api/v1/mapping-rows/{row}")).await.etag();
    ok(
        &eng.patch(
            &format!("/api/v1/mapping-rows/{row}"),
            json!({"required": ""}),
            Some(&tag),
        )
        .await,
        200,
    );
    assert_eq!(
        ok(&eng.get(&format!("{base}/mapping")).await, 200)["review"],
        Value::Null
    );
    ok(
        &eng.post(&format!("{base}/mapping/review"), json!({})).await,
        200,
    );
}

async fn the_template_adds_thirteen_items_and_every_item_is_done(b: &Build) {
    let Build { eng, base, .. } = b;
    let applied = ok(
        &eng.post(&format!("{base}/checklist-items/template"), json!({}))
            .await,
        200,
    );
    assert_eq!(applied["added"], 13);
    let page = ok(&eng.get(&format!("{base}/checklist-items")).await, 200);
    for i in page["items"].as_array().expect("items") {
        if i["status"] == "open" {
            ok(
                &eng.patch(
                    &format!("/api/v1/checklist-items/{}", i["id"]),
                    json!({"status": "done"}),
                    None,
                )
                .await,
                200,
            );
        }
    }
}

async fn qa_reads_credential_references_and_stakeholders_do_not(
    app: &TestApp,
    b: &Build,
) -> String {
    let Build {
        eng,
        reader,
        base,
        eng_id,
        ..
    } = b;
    let environment = ok(&eng.post(&format!("{base}/environments"), json!({"name": "sandbox", "base_url": "https://api.stripe.com", "auth_scheme": "bearer", "health_path": "/v1/balance"})).await, 201)["id"].to_string();
    // The monitor is off in these tests: one successful check, as the scheduler records it,
    // is the evidence the sandbox criterion asks for.
    app::monitoring::service::import_history(
        &app.db,
        environment.parse().expect("id"),
        &[(chrono::Utc::now(), 42, true)],
        3,
    )
    .await
    .expect("a successful check");
    let credential = ok(&eng.post(&format!("{base}/credentials"), json!({"environment_id": environment, "name": "secret key", "kind": "api_key", "reference": "vault://kv/payments/stripe#secret_key", "owner_id": eng_id, "rotation_days": "90"})).await, 201)["id"].to_string();
    // Stakeholders do not read credential references; QA does.
    let stake = Client::new(app, "stake@example.com", Role::Stakeholder, "read").await;
    stake.get(&format!("{base}/credentials")).await.problem(403);
    stake
        .get(&format!("/api/v1/credentials/{credential}"))
        .await
        .problem(403);
    ok(&reader.get(&format!("{base}/credentials")).await, 200);
    credential
}

async fn only_a_coordinator_grants_and_a_revoked_grant_stays(b: &Build, credential: &str) {
    let Build { eng, coord, .. } = b;
    eng.post(
        &format!("/api/v1/credentials/{credential}/grants"),
        json!({"grantee_kind": "team", "grantee": "ops", "reason": "r"}),
    )
    .await
    .problem(403);
    let granted = ok(
        &coord.post(
            &format!("/api/v1/credentials/{credential}/grants"),
            json!({"grantee_kind": "service", "grantee": "saypro-api", "reason": "Calls Stripe"}),
        )
        .await,
        201,
    );
    let grant = granted["grants"][0]["id"].to_string();
    assert_eq!(
        coord
            .post(
                &format!("/api/v1/credentials/{credential}/grants"),
                json!({"grantee_kind": "service", "grantee": "saypro-api", "reason": "again"})
            )
            .await
            .fields(),
        ["grantee"]
    );
    assert_eq!(
        coord
            .post(&format!("/api/v1/grants/{grant}/revocation"), json!({}))
            .await
            .fields(),
        ["reason"]
    );
    let revoked = ok(
        &coord
            .post(
                &format!("/api/v1/grants/{grant}/revocation"),
                json!({"reason": "Moved to a new key"}),
            )
            .await,
        200,
    );
    assert_eq!(revoked["grants"][0]["revoke_reason"], "Moved to a new key");
    coord
        .post(
            &format!("/api/v1/grants/{grant}/revocation"),
            json!({"reason": "again"}),
        )
        .await
        .problem(409);
}

async fn every_criterion_met_opens_the_gate_to_testing(app: &TestApp, b: &Build) {
    let Build { coord, base, .. } = b;
    let life = ok(&coord.get(&format!("{base}/lifecycle")).await, 200);
    assert_eq!(life["stage"], "planning");
    let admin = Client::new(app, "admin@example.com", Role::Admin, "read-write").await;
    let moved = admin.post(&format!("{base}/transitions"), json!({"to": "implementation", "override_justification": "Planning happened elsewhere."})).await;
    ok(&moved, 201);
    let life = ok(&coord.get(&format!("{base}/lifecycle")).await, 200);
    let unmet: Vec<&Value> = life["gate"]["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .filter(|c| c["met"] == false)
        .collect();
    assert!(unmet.is_empty(), "{unmet:?}");
    ok(
        &coord
            .post(&format!("{base}/transitions"), json!({"to": "testing"}))
            .await,
        201,
    );
}

#[tokio::test]
async fn the_document_lists_the_stored_names_of_every_choice() {
    // Found by schemathesis: the document once listed Rust variant names (Admin) where the
    // API answers with stored names (admin).
    let doc = serde_json::to_value(server::rest::document()).expect("doc");
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["Role"]["enum"],
        json!(["admin", "coordinator", "engineer", "qa", "stakeholder"])
    );
    assert_eq!(schemas["TokenScope"]["enum"], json!(["read", "read-write"]));
    assert_eq!(schemas["Stage"]["enum"][5], "on_hold");
}
