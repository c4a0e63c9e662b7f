//! Search on crafted data, on each database: every kind is found by a word of its own, with
//! its integration and link; a title that is the query comes first; a role finds only what
//! it may read; the index follows each insert, update, delete and rollback in the same
//! transaction; a spec's operations are searched in its newest version only.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common;

use app::auth::model::{CurrentUser, Role};
use app::entities::{
    action_items, audit_findings, audit_runs, audits, credential_refs, defects, error_groups,
    feedback, incidents, meetings, milestones, objectives, plans, support_tickets, test_cases,
    test_plans, vendor_candidates,
};
use app::planning::model::MilestoneStatus;
use app::search::model::{RecordKind, Results, SearchQuery};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, TransactionTrait,
};

async fn find(db: &DatabaseConnection, user: &CurrentUser, q: &str) -> Results {
    find_kind(db, user, q, None, None).await
}

async fn find_kind(
    db: &DatabaseConnection,
    user: &CurrentUser,
    q: &str,
    kind: Option<&str>,
    page: Option<&str>,
) -> Results {
    app::search::service::search(
        db,
        user,
        &SearchQuery {
            q: Some(q.into()),
            kind: kind.map(Into::into),
            page: page.map(Into::into),
        },
    )
    .await
    .expect("search")
}

/// Every hit as "kind id", best first.
fn hits(r: &Results) -> Vec<String> {
    r.groups
        .iter()
        .flat_map(|g| g.hits.iter())
        .map(|h| format!("{} {}", h.kind.as_str(), h.id))
        .collect()
}

/// The hits' titles as text, best first.
fn titles(r: &Results) -> Vec<String> {
    r.groups
        .iter()
        .flat_map(|g| g.hits.iter())
        .map(|h| h.title.iter().map(|p| p.text.as_str()).collect())
        .collect()
}

/// A milestone of integration `i` titled `title`, due today.
async fn milestone(db: &DatabaseConnection, i: i32, title: &str) {
    let today = Utc::now().date_naive();
    common::milestone(db, i, title, today, MilestoneStatus::NotStarted).await;
}

fn spec(path: &str, summary: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  {path}:\n    get:\n      \
         summary: {summary}\n      responses: {{'200': {{description: ok}}}}\n"
    )
}

struct World {
    db: DatabaseConnection,
    coordinator: CurrentUser,
    stakeholder: CurrentUser,
    onfido: i32,
    /// Each kind, the id of its record holding that kind's own word (`word(kind)`).
    records: Vec<(RecordKind, i32)>,
}

/// The word only the record of `kind` holds.
fn word(kind: RecordKind) -> String {
    format!("zq{}", kind.as_str().replace('_', ""))
}

#[allow(clippy::too_many_lines)]
async fn world() -> World {
    let db = common::db().await;
    let coordinator = common::user(&db, "cora@example.com", Role::Coordinator).await;
    let stakeholder = common::user(&db, "sam@example.com", Role::Stakeholder).await;
    let now = Utc::now();
    let today = now.date_naive();
    let mut form = common::form("Onfido identity checks", coordinator.id);
    form.business_objective = format!("Verify sellers {}", word(RecordKind::Integration));
    let onfido = app::integrations::service::create(&db, &coordinator, &form)
        .await
        .unwrap()
        .id;
    let i = onfido;
    let w = word;
    let mut records = vec![(RecordKind::Integration, i)];
    let id = objectives::ActiveModel {
        integration_id: Set(i),
        description: Set(format!("Fewer fraud listings {}", w(RecordKind::Objective))),
        metric: Set("fraud rate".into()),
        unit: Set("%".into()),
        baseline: Set(3.0),
        target: Set(1.0),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    records.push((RecordKind::Objective, id));
    let id = vendor_candidates::ActiveModel {
        integration_id: Set(i),
        name: Set("Onfido".into()),
        provider: Set("Onfido Ltd".into()),
        docs_url: Set(String::new()),
        pricing_notes: Set(format!("Per check {}", w(RecordKind::Vendor))),
        pros: Set(String::new()),
        cons: Set(String::new()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    records.push((RecordKind::Vendor, id));
    let id = plans::ActiveModel {
        integration_id: Set(i),
        version: Set(1),
        state: Set(app::planning::model::PlanState::Draft),
        technical_requirements: Set(format!("Webhooks {}", w(RecordKind::Plan))),
        expected_outcomes: Set(String::new()),
        risks: Set(String::new()),
        dependencies: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    records.push((RecordKind::Plan, id));
    let id = milestones::ActiveModel {
        integration_id: Set(i),
        title: Set(format!("Vendor chosen {}", w(RecordKind::Milestone))),
        description: Set(String::new()),
        stage: Set(app::integrations::model::Stage::Planning),
        due_date: Set(today),
        status: Set(app::planning::model::MilestoneStatus::NotStarted),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    records.push((RecordKind::Milestone, id));
    let id = meetings::ActiveModel {
        integration_id: Set(i),
        starts_at: Set(now),
        title: Set("Vendor decision".into()),
        attendee_ids: Set("[]".into()),
        outside_attendees: Set(String::new()),
        agenda: Set(String::new()),
        notes: Set(format!(
            "We chose Onfido over Jumio. {}",
            w(RecordKind::Meeting)
        )),
        decisions: Set("Onfido".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    records.push((RecordKind::Meeting, id));
    let id = action_items::ActiveModel {
        integration_id: Set(i),
        text: Set(format!("Send the DPA {}", w(RecordKind::Action))),
        done: Set(false),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    records.push((RecordKind::Action, id));
    let env = app::implementation::service::create(
        &db,
        &coordinator,
        i,
        &app::implementation::model::EnvironmentForm {
            name: "sandbox".into(),
            base_url: format!("https://{}.example.com", w(RecordKind::Environment)),
            auth_scheme: "bearer".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    records.push((RecordKind::Environment, env));
    let id = credential_refs::ActiveModel {
        integration_id: Set(i),
        environment_id: Set(env),
        name: Set("Onfido API key".into()),
        kind: Set(app::implementation::model::CredentialKind::ApiKey),
        reference: Set(format!("vault://kyc/{}", w(RecordKind::Credential))),
        scopes: Set(String::new()),
        last_rotated: Set(today),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    records.push((RecordKind::Credential, id));
    let plan = test_plans::ActiveModel {
        integration_id: Set(i),
        browsers: Set("[]".into()),
        devices: Set("[]".into()),
        required_categories: Set("[]".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    let id = test_cases::ActiveModel {
        plan_id: Set(plan),
        key: Set("KYC-01".into()),
        title: Set(format!("Document check passes {}", w(RecordKind::TestCase))),
        category: Set(app::testing::model::CaseCategory::Functional),
        preconditions: Set(String::new()),
        steps: Set(String::new()),
        expected: Set(String::new()),
        priority: Set(app::integrations::model::Priority::High),
        required: Set(true),
        objective_ids: Set("[]".into()),
        position: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        operation_ids: Set("[]".into()),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    records.push((RecordKind::TestCase, id));
    let id = defects::ActiveModel {
        integration_id: Set(i),
        title: Set(format!("Selfie upload fails {}", w(RecordKind::Defect))),
        severity: Set(app::testing::model::Severity::Major),
        status: Set(app::testing::model::DefectStatus::Open),
        tracker_url: Set(String::new()),
        created_by: Set(coordinator.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    records.push((RecordKind::Defect, id));
    let id = incidents::ActiveModel {
        integration_id: Set(i),
        title: Set(format!("Checks time out {}", w(RecordKind::Incident))),
        severity: Set(app::monitoring::model::IncidentSeverity::Major),
        status: Set(app::monitoring::model::IncidentStatus::Open),
        automatic: Set(false),
        opened_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    records.push((RecordKind::Incident, id));
    let id = error_groups::ActiveModel {
        integration_id: Set(i),
        fingerprint: Set("f1".into()),
        error_type: Set("TimeoutError".into()),
        operation: Set("POST /checks".into()),
        message: Set(format!("Timed out {}", w(RecordKind::ErrorGroup))),
        level: Set(app::events::model::EventLevel::Error),
        status: Set(app::events::model::GroupStatus::Unresolved),
        regressed: Set(false),
        count: Set(1),
        first_seen: Set(now),
        last_seen: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    records.push((RecordKind::ErrorGroup, id));
    let id = support_tickets::ActiveModel {
        integration_id: Set(i),
        reference: Set("ONF-4411".into()),
        subject: Set(format!("Webhook retries {}", w(RecordKind::Ticket))),
        status: Set(app::provider::model::TicketStatus::Open),
        opened_on: Set(today),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    records.push((RecordKind::Ticket, id));
    let id = feedback::ActiveModel {
        integration_id: Set(i),
        source: Set(app::provider::model::FeedbackSource::Support),
        rating: Set(4),
        comment: Set(format!(
            "Sellers like the selfie flow {}",
            w(RecordKind::Feedback)
        )),
        feature_area: Set("Onboarding".into()),
        status: Set(app::provider::model::FeedbackStatus::New),
        created_by: Set(coordinator.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    records.push((RecordKind::Feedback, id));
    app::specs::service::import(
        &db,
        &coordinator,
        i,
        "Onfido API",
        spec("/v3/checks", &w(RecordKind::Operation)).as_bytes(),
    )
    .await
    .unwrap();
    let op = app::entities::spec_operations::Entity::find()
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    records.push((RecordKind::Operation, op.id));
    let audit = audits::ActiveModel {
        integration_id: Set(i),
        title: Set("Quarterly access review".into()),
        checks: Set("[]".into()),
        interval_days: Set(90),
        first_due: Set(today),
        created_by: Set(coordinator.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    let run = audit_runs::ActiveModel {
        audit_id: Set(audit),
        integration_id: Set(i),
        performed_on: Set(today),
        performed_by: Set(coordinator.id),
        notes: Set(String::new()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    let id = audit_findings::ActiveModel {
        run_id: Set(run),
        audit_id: Set(audit),
        integration_id: Set(i),
        summary: Set(format!("Stale key {}", w(RecordKind::Finding))),
        severity: Set(app::audits::model::FindingSeverity::Low),
        remediation: Set(String::new()),
        resolution: Set(String::new()),
        created_by: Set(coordinator.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    records.push((RecordKind::Finding, id));
    World {
        db,
        coordinator,
        stakeholder,
        onfido,
        records,
    }
}

#[tokio::test]
async fn every_kind_is_found_by_its_own_word_with_its_integration_and_link() {
    let w = world().await;
    assert_eq!(
        w.records.len(),
        RecordKind::ALL.len(),
        "the world holds one record of every kind"
    );
    for &(kind, id) in &w.records {
        let r = find(&w.db, &w.coordinator, &word(kind)).await;
        assert_eq!(
            hits(&r),
            [format!("{} {id}", kind.as_str())],
            "{}",
            word(kind)
        );
        let g = &r.groups[0];
        assert_eq!((g.kind, g.label.as_str(), g.total), (kind, kind.label(), 1));
        let h = &g.hits[0];
        assert_eq!(h.integration.id, w.onfido);
        assert!(
            h.href.starts_with("/integrations/onfido-identity-checks")
                || h.href.starts_with("/incidents/"),
            "{}",
            h.href
        );
        let marked: Vec<&str> = h
            .title
            .iter()
            .chain(&h.snippet)
            .filter(|p| p.hit)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(marked, [word(kind).as_str()], "{kind:?} marks its word");
    }
    // The meeting where Onfido was chosen: found by words of its notes, with its link.
    let r = find(&w.db, &w.coordinator, "chose onfido").await;
    let h = &r.groups[0].hits[0];
    assert_eq!(h.kind, RecordKind::Meeting);
    assert!(
        h.href
            .ends_with(&format!("/planning/meetings?meeting={0}#meeting-{0}", h.id))
    );
    // A word's beginning finds it from three letters; fewer letters must be the whole word.
    assert!(hits(&find(&w.db, &w.coordinator, "jum").await).contains(&format!("meeting {}", h.id)));
    assert!(hits(&find(&w.db, &w.coordinator, "ju").await).is_empty());
    // Every word must match.
    assert!(hits(&find(&w.db, &w.coordinator, "onfido zqdefect").await).is_empty());
    // Nothing to find: no words, no results.
    assert_eq!(find(&w.db, &w.coordinator, " -- ").await.total, 0);
}

#[tokio::test]
async fn a_title_that_is_the_query_comes_first() {
    let w = world().await;
    // Many records say "onfido", some often; the vendor candidate's title is exactly it.
    let r = find(&w.db, &w.coordinator, "Onfido").await;
    let vendor = w
        .records
        .iter()
        .find(|(k, _)| *k == RecordKind::Vendor)
        .unwrap()
        .1;
    assert_eq!(hits(&r)[0], format!("vendor {vendor}"), "{:?}", titles(&r));
    assert!(r.total >= 4, "{:?}", titles(&r));
    assert_eq!(r.groups[0].kind, RecordKind::Vendor);
}

#[tokio::test]
async fn a_role_finds_only_what_it_may_read() {
    let w = world().await;
    let q = word(RecordKind::Credential);
    assert_eq!(find(&w.db, &w.coordinator, &q).await.total, 1);
    let engineer = common::user(&w.db, "eli@example.com", Role::Engineer).await;
    assert_eq!(find(&w.db, &engineer, &q).await.total, 1);
    assert_eq!(find(&w.db, &w.stakeholder, &q).await.total, 0);
    assert_eq!(
        find_kind(&w.db, &w.stakeholder, &q, Some("credential"), None)
            .await
            .total,
        0
    );
    // "onfido" finds the credential for a coordinator, not for a stakeholder.
    let kinds = |r: &Results| r.groups.iter().map(|g| g.kind).collect::<Vec<_>>();
    assert!(kinds(&find(&w.db, &w.coordinator, "onfido").await).contains(&RecordKind::Credential));
    assert!(!kinds(&find(&w.db, &w.stakeholder, "onfido").await).contains(&RecordKind::Credential));
    // Everyone else reads every other kind.
    assert_eq!(
        find(&w.db, &w.stakeholder, &word(RecordKind::Meeting))
            .await
            .total,
        1
    );
}

#[tokio::test]
async fn the_index_follows_each_write_in_its_transaction() {
    let w = world().await;
    let (db, me) = (&w.db, &w.coordinator);
    let meeting = w
        .records
        .iter()
        .find(|(k, _)| *k == RecordKind::Meeting)
        .unwrap()
        .1;
    // Update through the service: the old words go, the new come.
    let form = app::planning::model::MeetingForm {
        starts_at: "2026-12-01T10:00".into(),
        title: "Vendor decision".into(),
        notes: "We chose Veriff in the end.".into(),
        ..Default::default()
    };
    app::planning::service::meetings::update(db, me, meeting, &form)
        .await
        .unwrap();
    assert!(hits(&find(db, me, "jumio").await).is_empty());
    assert_eq!(
        hits(&find(db, me, "veriff").await),
        [format!("meeting {meeting}")]
    );
    // A write that changes no searched text leaves the entry alone.
    let group = w
        .records
        .iter()
        .find(|(k, _)| *k == RecordKind::ErrorGroup)
        .unwrap()
        .1;
    let g = error_groups::Entity::find_by_id(group)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut g: error_groups::ActiveModel = g.into();
    g.count = Set(99);
    g.update(db).await.unwrap();
    assert_eq!(find(db, me, &word(RecordKind::ErrorGroup)).await.total, 1);
    // Delete: gone.
    app::planning::service::meetings::delete(db, me, meeting)
        .await
        .unwrap();
    assert!(hits(&find(db, me, "veriff").await).is_empty());
    // An insert rolled back leaves no entry.
    let txn = db.begin().await.unwrap();
    action_items::ActiveModel {
        integration_id: Set(w.onfido),
        text: Set("Rolled back zqrolled".into()),
        done: Set(false),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .unwrap();
    txn.rollback().await.unwrap();
    assert_eq!(find(db, me, "zqrolled").await.total, 0);
    // Deleting the integration takes its records' entries with it.
    app::integrations::service::delete(db, me, w.onfido)
        .await
        .unwrap();
    for kind in RecordKind::ALL {
        assert_eq!(find(db, me, &word(*kind)).await.total, 0, "{kind:?}");
    }
}

#[tokio::test]
async fn a_spec_is_searched_in_its_newest_version_only() {
    let w = world().await;
    let (db, me) = (&w.db, &w.coordinator);
    app::specs::service::import(
        db,
        me,
        w.onfido,
        "Onfido API",
        spec("/v4/checks", "newer").as_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(find(db, me, &word(RecordKind::Operation)).await.total, 0);
    let r = find(db, me, "newer").await;
    assert_eq!(titles(&r), ["GET /v4/checks"]);
    assert!(r.groups[0].hits[0].href.contains("/specs/"));
    assert!(r.groups[0].hits[0].href.ends_with("?q=%2Fv4%2Fchecks"));
}

#[tokio::test]
async fn a_common_word_counts_the_newest_matches_and_still_puts_the_title_first() {
    use app::search::model::CAP;
    let w = world().await;
    let (db, me) = (&w.db, &w.coordinator);
    // The record titled by the query is the oldest, outside the newest matches.
    milestone(db, w.onfido, "Kiwi").await;
    let items: Vec<action_items::ActiveModel> = (0..=CAP)
        .map(|n| action_items::ActiveModel {
            integration_id: Set(w.onfido),
            text: Set(format!("Kiwi follow-up number{n}")),
            done: Set(false),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .collect();
    for chunk in items.chunks(400) {
        action_items::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await
            .unwrap();
    }
    let all = find(db, me, "kiwi").await;
    assert!(all.more);
    assert_eq!(all.total, CAP);
    assert_eq!(
        titles(&all)[0],
        "Kiwi",
        "the exact title first, though older"
    );
    let group = all
        .groups
        .iter()
        .find(|g| g.kind == RecordKind::Action)
        .unwrap();
    assert!(group.more && group.total <= CAP && group.hits.len() > 1);
    let items = find_kind(db, me, "kiwi", Some("action"), Some("40")).await;
    assert!(items.more);
    assert_eq!((items.total, items.page, items.pages), (CAP, 40, 40));
    assert_eq!(items.groups[0].hits.len(), 25);
    // Past the newest matches, the last page of them: never the one beyond.
    let past = find_kind(db, me, "kiwi", Some("action"), Some("41")).await;
    assert_eq!((past.page, past.groups[0].hits.len()), (40, 25));
    // A second word narrows them to an exact count.
    let one = find(db, me, "kiwi number7").await;
    assert!(!one.more);
    assert_eq!(one.total, 111, "number7, 70 to 79 and 700 to 799");
}

#[tokio::test]
async fn one_kind_is_paged_and_bad_input_names_its_field() {
    let w = world().await;
    let (db, me) = (&w.db, &w.coordinator);
    for n in 0..30 {
        milestone(db, w.onfido, &format!("Rollout step {n}")).await;
    }
    let all = find(db, me, "rollout").await;
    assert_eq!((all.total, all.groups[0].hits.len()), (30, 30));
    let second = find_kind(db, me, "rollout", Some("milestone"), Some("2")).await;
    assert_eq!((second.page, second.pages, second.total), (2, 2, 30));
    assert_eq!(second.groups[0].hits.len(), 5);
    let first = find_kind(db, me, "rollout", Some("milestone"), None).await;
    assert_eq!(first.groups[0].hits.len(), 25);
    let mut seen = hits(&first);
    seen.extend(hits(&second));
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 30, "the pages do not overlap");
    // A page past the end reads as the last.
    let past = find_kind(db, me, "rollout", Some("milestone"), Some("9")).await;
    assert_eq!((past.page, past.pages, past.total), (2, 2, 30));
    assert_eq!(hits(&past), hits(&second));
    assert!(
        find_kind(db, me, "rollout", Some("meeting"), None)
            .await
            .groups
            .is_empty()
    );
    let refused = |q: &str, kind: Option<&str>, page: Option<&str>| {
        let (q, kind, page) = (
            q.to_string(),
            kind.map(String::from),
            page.map(String::from),
        );
        async move {
            app::search::service::search(
                db,
                me,
                &SearchQuery {
                    q: Some(q),
                    kind,
                    page,
                },
            )
            .await
            .map(|_| ())
            .map_err(common::fields)
        }
    };
    assert_eq!(
        refused(&"x".repeat(201), None, None).await,
        Err(vec!["q".to_string()])
    );
    assert_eq!(
        refused("x", Some("planet"), None).await,
        Err(vec!["kind".to_string()])
    );
    assert_eq!(
        refused("x", None, Some("0")).await,
        Err(vec!["page".to_string()])
    );
}
