//! Audits: when each is next due (computed from its interval and latest run), its runs,
//! findings and their resolution; validation naming the field, roles, and the trail.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common;

use app::audits::model::{
    AuditForm, AuditStatus, FindingForm, FindingSeverity, ResolutionForm, RunForm,
};
use app::audits::service::{
    add_finding, create, delete, due_by, finding, get, next_due, page, record_run, resolve_finding,
    status_of, update,
};
use app::auth::model::{CurrentUser, Role};
use app::error::AppError;
use app::integrations::model::Integration;
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

fn form(title: &str, every: &str, first_due: NaiveDate, owner: &str) -> AuditForm {
    AuditForm {
        title: title.into(),
        checks: "Card data stays out of our logs; the PCI scope is unchanged.".into(),
        interval_days: every.into(),
        first_due: first_due.to_string(),
        owner_id: owner.into(),
    }
}

#[test]
fn an_audit_is_next_due_its_interval_after_its_latest_run() {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert_eq!(next_due(d("2026-12-10"), 91, None), d("2026-12-10"));
    assert_eq!(
        next_due(d("2026-12-10"), 91, Some(d("2026-12-01"))),
        d("2027-03-02")
    );
    let today = d("2026-12-01");
    assert_eq!(status_of(d("2026-11-30"), today), AuditStatus::Overdue);
    assert_eq!(status_of(today, today), AuditStatus::DueSoon);
    assert_eq!(status_of(d("2026-12-15"), today), AuditStatus::DueSoon);
    assert_eq!(status_of(d("2026-12-16"), today), AuditStatus::Scheduled);
}

/// An integration with audits, and who plans, performs and reads them.
struct Audited {
    db: DatabaseConnection,
    coord: CurrentUser,
    eng: CurrentUser,
    stake: CurrentUser,
    i: Integration,
}

/// The day the audit tests run on.
fn today() -> NaiveDate {
    NaiveDate::parse_from_str("2026-12-01", "%Y-%m-%d").unwrap()
}

/// `n` days after `today()`.
fn day(n: i64) -> NaiveDate {
    today()
        .checked_add_signed(chrono::Duration::days(n))
        .unwrap()
}

fn run(on: NaiveDate) -> RunForm {
    RunForm {
        performed_on: on.to_string(),
        notes: "Checked the last 30 days of logs.".into(),
    }
}

#[tokio::test]
async fn audits_keep_their_runs_findings_and_remediation_with_their_rules() {
    let db = common::db().await;
    let admin = common::user(&db, "admin@example.com", Role::Admin).await;
    let coord = common::user(&db, "coord@example.com", Role::Coordinator).await;
    let eng = common::user(&db, "eng@example.com", Role::Engineer).await;
    let stake = common::user(&db, "stake@example.com", Role::Stakeholder).await;
    let i = app::integrations::service::create(&db, &admin, &common::form("Stripe", admin.id))
        .await
        .expect("integration");
    let a = Audited {
        db,
        coord,
        eng,
        stake,
        i,
    };

    let (pci_id, logs_id) = defining_is_for_planners_and_every_field_is_named(&a).await;
    before_any_run_an_audit_is_due_on_its_first_day_the_overdue_first(&a).await;
    let run_id = a_run_moves_the_next_due_day_and_not_ahead_of_today(&a, logs_id).await;
    let f_id = a_finding_needs_a_remediation_due_after_its_run(&a, logs_id, run_id).await;
    resolving_needs_a_resolution_not_before_the_run_and_only_once(&a, logs_id, f_id).await;
    later_runs_the_horizon_and_the_interval_move_the_due_day(&a, logs_id).await;
    every_write_is_in_the_trail_and_deleting_takes_the_runs(&a, logs_id, f_id, pci_id).await;
}

async fn defining_is_for_planners_and_every_field_is_named(a: &Audited) -> (i32, i32) {
    let Audited {
        db, coord, eng, i, ..
    } = a;
    let pci = form("PCI scope review", "91", day(5), &eng.id.to_string());
    assert_eq!(
        create(db, eng, i.id, &pci).await.expect_err("engineer"),
        AppError::Forbidden
    );
    let mut bad = form("", "0", day(5), "999999");
    bad.checks = String::new();
    bad.first_due = "next tuesday".into();
    let mut fields = common::fields(create(db, coord, i.id, &bad).await.expect_err("bad"));
    fields.sort();
    assert_eq!(
        fields,
        vec!["checks", "first_due", "interval_days", "title"]
    );
    assert_eq!(
        common::fields(
            create(db, coord, i.id, &form("Keys", "30", day(1), "999999"))
                .await
                .expect_err("owner")
        ),
        vec!["owner_id"]
    );
    let pci_id = create(db, coord, i.id, &pci).await.expect("pci");
    let logs_id = create(db, coord, i.id, &form("Log retention", "30", day(-3), ""))
        .await
        .expect("logs");
    (pci_id, logs_id)
}

async fn before_any_run_an_audit_is_due_on_its_first_day_the_overdue_first(a: &Audited) {
    let Audited { db, .. } = a;
    let today = today();
    let p = page(db, "stripe", today).await.expect("page");
    let listed: Vec<(&str, NaiveDate, AuditStatus)> = p
        .audits
        .iter()
        .map(|a| (a.title.as_str(), a.next_due, a.status))
        .collect();
    assert_eq!(
        listed,
        vec![
            ("Log retention", day(-3), AuditStatus::Overdue),
            ("PCI scope review", day(5), AuditStatus::DueSoon),
        ]
    );
    assert_eq!(
        p.audits[1].owner.as_ref().map(|o| o.name.as_str()),
        Some("eng@example.com")
    );
}

async fn a_run_moves_the_next_due_day_and_not_ahead_of_today(a: &Audited, logs_id: i32) -> i32 {
    let Audited { db, eng, stake, .. } = a;
    let today = today();
    // A run: not by stakeholders, not ahead of today; it moves the next due day.
    assert_eq!(
        record_run(db, stake, logs_id, &run(day(-1)), today)
            .await
            .expect_err("stakeholder"),
        AppError::Forbidden
    );
    assert_eq!(
        common::fields(
            record_run(db, eng, logs_id, &run(day(1)), today)
                .await
                .expect_err("future")
        ),
        vec!["performed_on"]
    );
    let run_id = record_run(db, eng, logs_id, &run(day(-1)), today)
        .await
        .expect("run");
    let logs = get(db, logs_id, today).await.expect("logs");
    assert_eq!(logs.next_due, day(29));
    assert_eq!(logs.status, AuditStatus::Scheduled);
    assert_eq!(logs.runs.len(), 1);
    assert_eq!(logs.runs[0].performed_by, "eng@example.com");
    run_id
}

async fn a_finding_needs_a_remediation_due_after_its_run(
    a: &Audited,
    logs_id: i32,
    run_id: i32,
) -> i32 {
    let Audited { db, eng, .. } = a;
    let today = today();
    // A finding: its remediation is required and cannot be due before the run.
    let found = |due: &str| FindingForm {
        summary: "Full card numbers in a debug log".into(),
        severity: "high".into(),
        remediation: "Mask the PAN in the request logger.".into(),
        due_on: due.into(),
    };
    let mut bad = found("");
    bad.severity = "urgent".into();
    bad.remediation = String::new();
    let mut fields = common::fields(add_finding(db, eng, run_id, &bad).await.expect_err("bad"));
    fields.sort();
    assert_eq!(fields, vec!["remediation", "severity"]);
    assert_eq!(
        common::fields(
            add_finding(db, eng, run_id, &found(&day(-2).to_string()))
                .await
                .expect_err("due before the run")
        ),
        vec!["due_on"]
    );
    let f_id = add_finding(db, eng, run_id, &found(&day(-1).to_string()))
        .await
        .expect("finding");
    let f = finding(db, f_id, today).await.expect("read");
    assert_eq!(f.severity, FindingSeverity::High);
    assert!(f.overdue, "open past its due day");
    assert_eq!(get(db, logs_id, today).await.unwrap().open_findings, 1);
    f_id
}

async fn resolving_needs_a_resolution_not_before_the_run_and_only_once(
    a: &Audited,
    logs_id: i32,
    f_id: i32,
) {
    let Audited { db, eng, .. } = a;
    let today = today();
    // Resolving: a resolution is required, not before the run, and only once.
    let resolve = |on: NaiveDate, how: &str| ResolutionForm {
        resolved_on: on.to_string(),
        resolution: how.into(),
    };
    let mut fields = common::fields(
        resolve_finding(db, eng, f_id, &resolve(day(-5), ""), today)
            .await
            .expect_err("bad"),
    );
    fields.sort();
    assert_eq!(fields, vec!["resolution"]);
    assert_eq!(
        common::fields(
            resolve_finding(db, eng, f_id, &resolve(day(-5), "Masked."), today)
                .await
                .expect_err("before the run")
        ),
        vec!["resolved_on"]
    );
    resolve_finding(
        db,
        eng,
        f_id,
        &resolve(today, "Masked in the logger."),
        today,
    )
    .await
    .expect("resolve");
    assert!(matches!(
        resolve_finding(db, eng, f_id, &resolve(today, "Again."), today)
            .await
            .expect_err("twice"),
        AppError::Conflict(_)
    ));
    let f = finding(db, f_id, today).await.unwrap();
    assert_eq!(
        (f.resolved_on, f.resolved_by.as_deref(), f.overdue),
        (Some(today), Some("eng@example.com"), false)
    );
    assert_eq!(get(db, logs_id, today).await.unwrap().open_findings, 0);
}

async fn later_runs_the_horizon_and_the_interval_move_the_due_day(a: &Audited, logs_id: i32) {
    let Audited { db, coord, eng, .. } = a;
    let today = today();
    // An older run recorded later: the latest run's day still counts (day -1 + 30, not -20 + 30).
    record_run(db, eng, logs_id, &run(day(-20)), today)
        .await
        .expect("an older run");
    assert_eq!(get(db, logs_id, today).await.unwrap().next_due, day(29));

    // The dashboard's rule: due by the horizon, overdue ones too, soonest first.
    let due: Vec<(String, NaiveDate)> = due_by(db, day(14))
        .await
        .unwrap()
        .into_iter()
        .map(|(a, d)| (a.title, d))
        .collect();
    assert_eq!(due, vec![("PCI scope review".to_string(), day(5))]);
    assert_eq!(
        due_by(db, day(29)).await.unwrap().len(),
        2,
        "the log audit falls due on day 29"
    );

    // Changing the interval moves the next due day; the runs stay.
    let mut edit = get(db, logs_id, today).await.unwrap().form();
    edit.interval_days = "7".into();
    assert_eq!(
        update(db, eng, logs_id, &edit).await.expect_err("engineer"),
        AppError::Forbidden
    );
    update(db, coord, logs_id, &edit).await.expect("update");
    let logs = get(db, logs_id, today).await.unwrap();
    assert_eq!((logs.next_due, logs.runs.len()), (day(6), 2));
}

async fn every_write_is_in_the_trail_and_deleting_takes_the_runs(
    a: &Audited,
    logs_id: i32,
    f_id: i32,
    pci_id: i32,
) {
    let Audited {
        db, coord, eng, i, ..
    } = a;
    let today = today();
    // Every write is in the trail under the integration.
    let trail = app::activity::service::history(db, i.id, 200)
        .await
        .unwrap();
    let kinds: Vec<(String, String)> = trail
        .iter()
        .filter(|e| e.kind.starts_with("audit"))
        .map(|e| (e.kind.clone(), e.action.clone()))
        .rev()
        .collect();
    let want = [
        ("audit", "create"),
        ("audit", "create"),
        ("audit_run", "create"),
        ("audit_finding", "create"),
        ("audit_finding", "resolve"),
        ("audit_run", "create"),
        ("audit", "update"),
    ];
    assert_eq!(
        kinds,
        want.iter()
            .map(|(k, a)| (k.to_string(), a.to_string()))
            .collect::<Vec<_>>()
    );

    // Deleting: planners only; the runs and findings go with it.
    assert_eq!(
        delete(db, eng, logs_id).await.expect_err("engineer"),
        AppError::Forbidden
    );
    delete(db, coord, logs_id).await.expect("delete");
    assert_eq!(
        get(db, logs_id, today).await.expect_err("gone"),
        AppError::NotFound
    );
    assert_eq!(
        finding(db, f_id, today).await.expect_err("gone"),
        AppError::NotFound
    );
    let left: Vec<i32> = page(db, "stripe", today)
        .await
        .unwrap()
        .audits
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(left, vec![pci_id]);
}

#[tokio::test]
async fn an_audit_shows_its_newest_runs_and_older_ones_with_open_findings_counting_them_all() {
    use app::audits::model::RUNS_SHOWN;
    let db = common::db().await;
    let coord = common::user(&db, "coord@example.com", Role::Coordinator).await;
    let eng = common::user(&db, "eng@example.com", Role::Engineer).await;
    let i = app::integrations::service::create(&db, &coord, &common::form("Stripe", coord.id))
        .await
        .expect("integration");
    let id = create(&db, &coord, i.id, &form("Log review", "7", day(-400), ""))
        .await
        .expect("audit");
    // A run a week for a year: the second run's finding stays open, the fourth's is resolved.
    let mut runs = Vec::new();
    for n in 0..52i64 {
        runs.push(
            record_run(&db, &eng, id, &run(day(-364 + 7 * n)), today())
                .await
                .expect("run"),
        );
    }
    let finding_of = |run: i32| {
        let (db, eng) = (db.clone(), eng.clone());
        async move {
            let form = FindingForm {
                summary: "Tokens in a debug log".into(),
                severity: "medium".into(),
                remediation: "Redact them.".into(),
                due_on: String::new(),
            };
            add_finding(&db, &eng, run, &form).await.expect("finding")
        }
    };
    finding_of(runs[1]).await;
    let fixed = finding_of(runs[3]).await;
    let resolution = ResolutionForm {
        resolved_on: String::new(),
        resolution: "Redacted.".into(),
    };
    resolve_finding(&db, &eng, fixed, &resolution, today())
        .await
        .expect("resolve");

    let audit = get(&db, id, today()).await.expect("audit");
    assert_eq!(audit.run_count, 52);
    assert_eq!(audit.open_findings, 1);
    let shown: Vec<i32> = audit.runs.iter().map(|r| r.id).collect();
    let mut want: Vec<i32> = runs
        .iter()
        .rev()
        .take(RUNS_SHOWN as usize)
        .copied()
        .collect();
    want.push(runs[1]);
    assert_eq!(
        shown, want,
        "the newest five, then the older run with an open finding"
    );
    assert_eq!(
        audit.next_due,
        day(-364 + 7 * 51 + 7),
        "from the newest run"
    );
    assert_eq!(audit.runs[5].findings.len(), 1);
    let listed = page(&db, "stripe", today()).await.expect("page");
    assert_eq!(listed.audits[0].runs.len(), shown.len());
}
