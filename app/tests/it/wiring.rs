//! Service tests for the rest of the implementation stage: the data mapping and its review,
//! the engineering checklists and their templates, access grants on credentials, and the
//! gate to testing that reads them all.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common;

use crate::common::{db, fields, form, user};
use app::auth::model::{CurrentUser, Role};
use app::error::AppError;
use app::implementation::checklist::{ChecklistItemForm, ItemStatus};
use app::implementation::mapping::MappingRowForm;
use app::implementation::model::{CredentialForm, EnvironmentForm, GrantForm};
use app::implementation::{checklist_service, credentials, grants, mapping_service};
use sea_orm::DatabaseConnection;

struct World {
    db: DatabaseConnection,
    admin: CurrentUser,
    eng: CurrentUser,
    qa: CurrentUser,
    id: i32,
    slug: String,
}

async fn world(category: &str) -> World {
    let db = db().await;
    let admin = user(&db, "admin@example.com", Role::Admin).await;
    let eng = user(&db, "eng@example.com", Role::Engineer).await;
    let qa = user(&db, "qa@example.com", Role::Qa).await;
    let mut f = form("Stripe", admin.id);
    f.category = category.into();
    let i = app::integrations::service::create(&db, &admin, &f)
        .await
        .expect("integration");
    World {
        db,
        admin,
        eng,
        qa,
        id: i.id,
        slug: i.slug,
    }
}

fn row(from: &str, to: &str) -> MappingRowForm {
    MappingRowForm {
        source_pointer: from.into(),
        target_field: to.into(),
        required: "on".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn mapping_rows_are_validated_and_any_change_clears_the_review() {
    let w = world("payments").await;
    a_bad_row_is_refused_naming_each_field(&w).await;
    let amount = rows_are_unique_per_target_and_engineers_write_them(&w).await;
    an_engineer_reviews_the_mapping(&w).await;
    an_unchanged_save_keeps_the_review_and_a_change_or_delete_clears_it(&w, amount).await;
    the_preview_maps_a_sample_and_every_change_is_in_the_trail(&w).await;
}

async fn a_bad_row_is_refused_naming_each_field(w: &World) {
    let (db, eng) = (&w.db, &w.eng);
    let bad = MappingRowForm {
        source_pointer: "data.amount".into(),
        target_field: "payment amount".into(),
        transform: "rot13".into(),
        notes: "key is sk_live_51HxQmZKx9aB7cD3eF5gH7iJ9kL1mN3".into(),
        ..Default::default()
    };
    let got = fields(
        mapping_service::create(db, eng, w.id, &bad)
            .await
            .expect_err("refused"),
    );
    assert_eq!(
        got,
        ["source_pointer", "target_field", "transform", "notes"]
    );
    let no_pairs = MappingRowForm {
        transform: "enum_map".into(),
        transform_arg: "succeeded".into(),
        ..row("/status", "payment.status")
    };
    let err = mapping_service::create(db, eng, w.id, &no_pairs)
        .await
        .expect_err("refused");
    assert!(
        err.field_message("transform_arg")
            .is_some_and(|m| m.contains("from=to")),
        "{err:?}"
    );
    let no_default = MappingRowForm {
        transform: "default".into(),
        ..row("/status", "payment.status")
    };
    assert_eq!(
        fields(
            mapping_service::create(db, eng, w.id, &no_default)
                .await
                .expect_err("refused")
        ),
        ["transform_arg"]
    );
    assert_eq!(
        mapping_service::review(db, eng, w.id)
            .await
            .expect_err("nothing to review"),
        AppError::Conflict("The mapping has no rows to review yet.".into())
    );
}

async fn rows_are_unique_per_target_and_engineers_write_them(w: &World) -> i32 {
    let (db, eng) = (&w.db, &w.eng);
    let amount = mapping_service::create(
        db,
        eng,
        w.id,
        &MappingRowForm {
            transform: "cents_to_decimal".into(),
            ..row("/data/object/amount", "payment.amount")
        },
    )
    .await
    .expect("row");
    mapping_service::create(
        db,
        eng,
        w.id,
        &row("/data/object/currency", "payment.currency"),
    )
    .await
    .expect("row");
    let err = mapping_service::create(db, eng, w.id, &row("/data/x", "payment.amount"))
        .await
        .expect_err("duplicate");
    assert!(
        err.field_message("target_field")
            .is_some_and(|m| m.contains("already mapped from /data/object/amount")),
        "{err:?}"
    );
    let err = mapping_service::create(db, eng, w.id, &row("/data/x", "payment"))
        .await
        .expect_err("overlap");
    assert!(
        err.field_message("target_field")
            .is_some_and(|m| m.contains("overlaps")),
        "{err:?}"
    );
    assert_eq!(
        mapping_service::create(db, &w.qa, w.id, &row("/a", "b"))
            .await
            .expect_err("qa reads"),
        AppError::Forbidden
    );
    amount
}

async fn an_engineer_reviews_the_mapping(w: &World) {
    let (db, eng) = (&w.db, &w.eng);
    let page = mapping_service::page(db, &w.slug).await.expect("page");
    assert_eq!(
        page.rows.iter().map(|r| r.position).collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(page.review, None);
    mapping_service::review(db, eng, w.id)
        .await
        .expect("review");
    let page = mapping_service::page(db, &w.slug).await.expect("page");
    assert_eq!(page.review.as_ref().map(|r| r.by.id), Some(eng.id));
}

async fn an_unchanged_save_keeps_the_review_and_a_change_or_delete_clears_it(
    w: &World,
    amount: i32,
) {
    let (db, eng) = (&w.db, &w.eng);
    let page = mapping_service::page(db, &w.slug).await.expect("page");
    // Saving a row unchanged keeps the review; a real change clears it.
    let same = page.rows[0].form();
    mapping_service::update(db, eng, amount, &same)
        .await
        .expect("no-op");
    assert!(
        mapping_service::page(db, &w.slug)
            .await
            .expect("page")
            .review
            .is_some()
    );
    let changed = MappingRowForm {
        required: String::new(),
        ..same
    };
    mapping_service::update(db, eng, amount, &changed)
        .await
        .expect("change");
    assert_eq!(
        mapping_service::page(db, &w.slug)
            .await
            .expect("page")
            .review,
        None
    );
    mapping_service::review(db, &w.admin, w.id)
        .await
        .expect("review again");
    mapping_service::delete(db, eng, amount)
        .await
        .expect("delete");
    assert_eq!(
        mapping_service::page(db, &w.slug)
            .await
            .expect("page")
            .review,
        None,
        "a delete clears it too"
    );
}

async fn the_preview_maps_a_sample_and_every_change_is_in_the_trail(w: &World) {
    let db = &w.db;
    let preview =
        mapping_service::preview(db, &w.slug, r#"{"data": {"object": {"currency": "eur"}}}"#)
            .await
            .expect("preview");
    assert_eq!(
        preview.output,
        Some(serde_json::json!({"payment": {"currency": "eur"}}))
    );

    let trail = app::activity::service::history(db, w.id, 200)
        .await
        .expect("trail");
    let actions: Vec<(&str, &str)> = trail
        .iter()
        .map(|e| (e.kind.as_str(), e.action.as_str()))
        .collect();
    for wanted in [
        ("mapping", "review"),
        ("mapping", "review_cleared"),
        ("mapping_row", "create"),
        ("mapping_row", "update"),
        ("mapping_row", "delete"),
    ] {
        assert!(actions.contains(&wanted), "{wanted:?} in {actions:?}");
    }
}

#[tokio::test]
async fn checklists_come_from_the_category_template_and_not_applicable_needs_a_reason() {
    let w = world("payments").await;
    let (db, eng) = (&w.db, &w.eng);
    let page = checklist_service::page(db, &w.slug).await.expect("page");
    assert!(page.items.is_empty());
    assert_eq!(page.template_missing, 13);
    assert_eq!(
        checklist_service::apply_template(db, eng, w.id)
            .await
            .expect("apply")
            .added,
        13
    );
    assert_eq!(
        checklist_service::apply_template(db, eng, w.id)
            .await
            .expect("again")
            .added,
        0,
        "applying twice adds nothing"
    );
    let page = checklist_service::page(db, &w.slug).await.expect("page");
    assert!(
        page.items
            .iter()
            .any(|i| i.template_key.as_deref() == Some("card_data"))
    );
    assert!(page.items.iter().all(|i| i.status == ItemStatus::Open));

    let item = page.items[0].clone();
    let na = ChecklistItemForm {
        status: "not_applicable".into(),
        ..item.form()
    };
    assert_eq!(
        fields(
            checklist_service::update(db, eng, item.id, &na)
                .await
                .expect_err("reason")
        ),
        ["na_reason"]
    );
    let na = ChecklistItemForm {
        na_reason: "Read-only API; nothing to retry.".into(),
        ..na
    };
    checklist_service::update(db, eng, item.id, &na)
        .await
        .expect("n/a");
    let done = ChecklistItemForm {
        status: "done".into(),
        evidence: "https://git.example/pr/42".into(),
        owner_id: eng.id.to_string(),
        ..item.form()
    };
    checklist_service::update(db, eng, item.id, &done)
        .await
        .expect("done");
    let got = checklist_service::get(db, item.id).await.expect("get");
    assert_eq!(
        (got.status, got.na_reason.as_str(), got.owner.map(|o| o.id)),
        (ItemStatus::Done, "", Some(eng.id)),
        "a reason belongs to n/a only"
    );

    let custom = ChecklistItemForm {
        checklist: "security".into(),
        title: "Secrets scanned in CI".into(),
        ..Default::default()
    };
    let id = checklist_service::create(db, eng, w.id, &custom)
        .await
        .expect("custom");
    assert_eq!(
        checklist_service::get(db, id)
            .await
            .expect("get")
            .template_key,
        None
    );
    let bad = ChecklistItemForm {
        checklist: "ops".into(),
        status: "maybe".into(),
        ..Default::default()
    };
    assert_eq!(
        fields(
            checklist_service::create(db, eng, w.id, &bad)
                .await
                .expect_err("bad")
        ),
        ["checklist", "title", "status"]
    );
    assert_eq!(
        checklist_service::create(db, &w.qa, w.id, &custom)
            .await
            .expect_err("qa"),
        AppError::Forbidden
    );
    assert_eq!(
        checklist_service::delete(db, &w.qa, id)
            .await
            .expect_err("qa"),
        AppError::Forbidden
    );
    checklist_service::delete(db, eng, id)
        .await
        .expect("delete");

    let identity = world("identity_verification").await;
    checklist_service::apply_template(&identity.db, &identity.eng, identity.id)
        .await
        .expect("apply");
    let keys: Vec<String> = checklist_service::page(&identity.db, &identity.slug)
        .await
        .expect("page")
        .items
        .into_iter()
        .filter_map(|i| i.template_key)
        .collect();
    assert!(keys.contains(&"identity_retention".to_string()));
    assert!(!keys.contains(&"card_data".to_string()));
}

#[tokio::test]
async fn coordinators_and_admins_grant_and_revoke_access_not_the_credentials_owner_and_revoking_keeps_the_history()
 {
    let w = world("payments").await;
    let (db, eng) = (&w.db, &w.eng);
    let other = user(db, "other@example.com", Role::Engineer).await;
    let coord = &user(db, "coord@example.com", Role::Coordinator).await;
    let stakeholder = user(db, "stake@example.com", Role::Stakeholder).await;
    let env = app::implementation::service::create(
        db,
        eng,
        w.id,
        &EnvironmentForm {
            name: "sandbox".into(),
            base_url: "https://api.stripe.com".into(),
            auth_scheme: "bearer".into(),
            ..Default::default()
        },
    )
    .await
    .expect("env");
    let credential = credentials::create(
        db,
        eng,
        w.id,
        &CredentialForm {
            environment_id: env.to_string(),
            name: "secret key".into(),
            kind: "api_key".into(),
            reference: "vault://kv/payments/stripe#secret_key".into(),
            owner_id: eng.id.to_string(),
            ..Default::default()
        },
    )
    .await
    .expect("credential");
    let person = GrantForm {
        grantee_kind: "person".into(),
        user_id: other.id.to_string(),
        reason: "On call for payments".into(),
        ..Default::default()
    };
    let team = GrantForm {
        grantee_kind: "team".into(),
        grantee: "payments-oncall".into(),
        reason: "Incident response".into(),
        ..Default::default()
    };

    owning_a_credential_is_not_enough_to_grant(&w, env, credential, &stakeholder, &team).await;
    a_grant_names_its_grantee_and_a_reason(&w, coord, credential, &person).await;
    let g =
        coordinators_and_admins_grant_once_per_grantee(&w, coord, credential, &person, &team).await;
    only_planners_revoke_with_a_reason_and_only_once(&w, coord, &other, g).await;
    the_revoked_grant_stays_in_the_history_and_the_trail(&w, coord, credential, g, &person).await;
}

async fn owning_a_credential_is_not_enough_to_grant(
    w: &World,
    env: i32,
    credential: i32,
    stakeholder: &CurrentUser,
    team: &GrantForm,
) {
    let (db, eng) = (&w.db, &w.eng);
    // Owning the credential is not enough: the engineer who owns it does not grant, and
    // neither does a stakeholder who owns it.
    assert_eq!(
        grants::grant(db, eng, credential, team)
            .await
            .expect_err("the owner, an engineer"),
        AppError::Forbidden
    );
    let owned_by_stakeholder = credentials::create(
        db,
        eng,
        w.id,
        &CredentialForm {
            environment_id: env.to_string(),
            name: "webhook secret".into(),
            kind: "api_key".into(),
            reference: "vault://kv/payments/stripe#webhook".into(),
            owner_id: stakeholder.id.to_string(),
            ..Default::default()
        },
    )
    .await
    .expect("credential");
    assert_eq!(
        grants::grant(db, stakeholder, owned_by_stakeholder, team)
            .await
            .expect_err("a stakeholder owner"),
        AppError::Forbidden
    );
    assert_eq!(
        grants::grant(db, &w.qa, credential, team)
            .await
            .expect_err("qa"),
        AppError::Forbidden
    );
}

async fn a_grant_names_its_grantee_and_a_reason(
    w: &World,
    coord: &CurrentUser,
    credential: i32,
    person: &GrantForm,
) {
    let db = &w.db;
    let bad = GrantForm {
        grantee_kind: "robot".into(),
        ..Default::default()
    };
    assert_eq!(
        fields(
            grants::grant(db, coord, credential, &bad)
                .await
                .expect_err("bad")
        ),
        ["grantee_kind", "grantee", "reason"]
    );
    let nobody = GrantForm {
        user_id: String::new(),
        ..person.clone()
    };
    assert_eq!(
        fields(
            grants::grant(db, coord, credential, &nobody)
                .await
                .expect_err("who")
        ),
        ["user_id"]
    );
}

async fn coordinators_and_admins_grant_once_per_grantee(
    w: &World,
    coord: &CurrentUser,
    credential: i32,
    person: &GrantForm,
    team: &GrantForm,
) -> i32 {
    let db = &w.db;
    let g = grants::grant(db, coord, credential, person)
        .await
        .expect("a coordinator grants");
    grants::grant(db, &w.admin, credential, team)
        .await
        .expect("admin grants");
    let err = grants::grant(
        db,
        coord,
        credential,
        &GrantForm {
            grantee: "PAYMENTS-ONCALL".into(),
            ..team.clone()
        },
    )
    .await
    .expect_err("twice");
    assert!(
        err.field_message("grantee")
            .is_some_and(|m| m.contains("Already")),
        "{err:?}"
    );
    g
}

async fn only_planners_revoke_with_a_reason_and_only_once(
    w: &World,
    coord: &CurrentUser,
    other: &CurrentUser,
    g: i32,
) {
    let db = &w.db;
    assert_eq!(
        fields(grants::revoke(db, coord, g, " ").await.expect_err("reason")),
        ["reason"]
    );
    assert_eq!(
        grants::revoke(db, other, g, "Left the team")
            .await
            .expect_err("an engineer does not revoke"),
        AppError::Forbidden
    );
    grants::revoke(db, coord, g, "Left the team")
        .await
        .expect("revoke");
    assert!(matches!(
        grants::revoke(db, coord, g, "again")
            .await
            .expect_err("twice"),
        AppError::Conflict(_)
    ));
}

async fn the_revoked_grant_stays_in_the_history_and_the_trail(
    w: &World,
    coord: &CurrentUser,
    credential: i32,
    g: i32,
    person: &GrantForm,
) {
    let db = &w.db;
    let c = credentials::get(db, credential).await.expect("get");
    assert_eq!(c.grants.len(), 2, "the revoked grant stays");
    let revoked = c.grants.iter().find(|x| x.id == g).expect("revoked grant");
    assert_eq!(revoked.grantee, "other@example.com");
    assert_eq!(revoked.revoked_by.as_ref().map(|u| u.id), Some(coord.id));
    assert_eq!(revoked.revoke_reason.as_deref(), Some("Left the team"));
    assert_eq!(
        c.grants.iter().filter(|x| x.revoked_at.is_none()).count(),
        1
    );
    grants::grant(db, coord, credential, person)
        .await
        .expect("granted again after revoking");

    let trail = app::activity::service::history(db, w.id, 200)
        .await
        .expect("trail");
    assert!(
        trail
            .iter()
            .any(|e| e.kind == "credential_grant" && e.action == "revoke")
    );
    assert!(
        trail
            .iter()
            .filter(|e| e.kind == "credential_grant" && e.action == "grant")
            .count()
            >= 3
    );
}

#[tokio::test]
async fn the_gate_to_testing_opens_only_with_a_reviewed_mapping_and_closed_checklists() {
    let w = world("payments").await;
    let db = &w.db;
    let criteria = || async {
        app::lifecycle::service::lifecycle(db, &w.slug, &app::gate::GateContext::default())
            .await
            .expect("lifecycle")
            .gate
            .expect("gate")
            .criteria
    };
    let mut request = app::lifecycle::model::MoveRequest {
        to: "implementation".into(),
        ..Default::default()
    };
    request.override_justification = "Planning is tracked elsewhere for this test.".into();
    app::lifecycle::service::transition(
        db,
        &w.admin,
        w.id,
        &request,
        &app::gate::GateContext::default(),
    )
    .await
    .expect("override");
    let met = |c: &[app::lifecycle::model::CriterionCheck], key: &str| {
        c.iter().find(|c| c.key == key).map(|c| c.met)
    };
    let c = criteria().await;
    assert_eq!(
        (met(&c, "mapping_reviewed"), met(&c, "checklists_closed")),
        (Some(false), Some(false))
    );
    assert!(
        c.iter()
            .find(|x| x.key == "checklists_closed")
            .is_some_and(|x| x.explanation.contains("no items yet"))
    );
    assert_eq!(
        c.iter()
            .find(|x| x.key == "mapping_reviewed")
            .map(|x| x.fix_href.as_str()),
        Some("/integrations/stripe/mapping")
    );

    common::wired(db, &w.eng, w.id).await;
    let c = criteria().await;
    assert_eq!(
        (met(&c, "mapping_reviewed"), met(&c, "checklists_closed")),
        (Some(true), Some(true))
    );

    // Reopening one item, or changing a row, closes it again.
    let item = checklist_service::page(db, &w.slug)
        .await
        .expect("page")
        .items[0]
        .clone();
    checklist_service::update(
        db,
        &w.eng,
        item.id,
        &ChecklistItemForm {
            status: "open".into(),
            ..item.form()
        },
    )
    .await
    .expect("reopen");
    let c = criteria().await;
    assert!(
        c.iter()
            .find(|x| x.key == "checklists_closed")
            .is_some_and(|x| !x.met && x.explanation.contains("1 open"))
    );
    let r = mapping_service::page(db, &w.slug).await.expect("page").rows[0].clone();
    mapping_service::update(
        db,
        &w.eng,
        r.id,
        &MappingRowForm {
            notes: "Stripe sends cents.".into(),
            ..r.form()
        },
    )
    .await
    .expect("change");
    assert_eq!(met(&criteria().await, "mapping_reviewed"), Some(false));
}
