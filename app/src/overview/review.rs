//! (ssr) The post-implementation review: a draft written from the records (objectives against
//! their targets, the timeline planned against actual, incidents since go-live, defects
//! found), which a coordinator edits and saves. Saving is recorded in the trail.

use crate::auth::access::Action;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::TransactionSession;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    TransactionTrait,
};
use serde_json::json;

use super::model::{IntegrationOverview, ReviewView, SavedReview};
use super::report::number;
use crate::auth::model::CurrentUser;
use crate::entities::{reviews, users};
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::model::Stage;
use crate::monitoring::model::{Incident, IncidentStatus};
use crate::planning::model::MilestoneStatus;
use crate::records::{self};
use crate::testing::model::{Defect, DefectStatus, Severity};

crate::integration_record!(reviews, "review", |m| { json!({"body": m.body}) });

fn days(from: NaiveDate, to: NaiveDate) -> String {
    match (to - from).num_days() {
        0 => "on time".into(),
        1 => "1 day late".into(),
        -1 => "1 day early".into(),
        n if n > 0 => format!("{n} days late"),
        n => format!("{} days early", -n),
    }
}

/// "1 incident", "3 incidents".
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// The draft review of `o`, with every incident and defect of the integration.
pub fn draft(o: &IntegrationOverview, incidents: &[Incident], defects: &[Defect]) -> String {
    let mut out = format!(
        "# Post-implementation review: {}\n\nDrafted from Tollgate's records on {}.\n\n## Objectives against targets\n\n",
        o.integration.name,
        o.at.format("%Y-%m-%d")
    );
    if o.objectives.is_empty() {
        out.push_str("- No objective was set.\n");
    }
    for ob in &o.objectives {
        let unit = if ob.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", ob.unit)
        };
        let verdict = match ob.current {
            None => "not measured yet".to_string(),
            Some(c) => match crate::planning::model::progress(ob.baseline, ob.target, c) {
                Some(p) if p >= 100.0 => format!("now {}{unit}: reached", number(c)),
                Some(p) => format!("now {}{unit}: {p:.0}% of the way", number(c)),
                None => format!("now {}{unit}", number(c)),
            },
        };
        out.push_str(&format!(
            "- {}: baseline {}{unit}, target {}{unit}; {verdict}.\n",
            ob.metric,
            number(ob.baseline),
            number(ob.target)
        ));
    }
    out.push_str("\n## Timeline, planned against actual\n\n");
    let planned = o.milestones.iter().map(|m| m.due_date).max();
    let went_live: Option<DateTime<Utc>> = o
        .timeline
        .iter()
        .rfind(|t| t.to == Stage::Live)
        .map(|t| t.at);
    match (planned, went_live) {
        (Some(p), Some(l)) => out.push_str(&format!(
            "- Go-live: planned {p}, actual {} ({}).\n",
            l.date_naive(),
            days(p, l.date_naive())
        )),
        (Some(p), None) => out.push_str(&format!("- Go-live: planned {p}; not live yet.\n")),
        (None, Some(l)) => out.push_str(&format!(
            "- Go-live: {} (no milestone planned it).\n",
            l.date_naive()
        )),
        (None, None) => out.push_str("- Not live yet, and no milestone planned it.\n"),
    }
    for m in &o.milestones {
        let how = match (m.status, m.completed_on) {
            (MilestoneStatus::Done, Some(done)) => {
                format!("done {done} ({})", days(m.due_date, done))
            }
            _ if m.overdue => format!("{}, overdue", m.status.label().to_lowercase()),
            _ => m.status.label().to_lowercase(),
        };
        out.push_str(&format!("- {}: due {}, {how}.\n", m.title, m.due_date));
    }
    out.push_str("\n## Incidents since go-live\n\n");
    let since: Vec<&Incident> = incidents
        .iter()
        .filter(|i| went_live.is_some_and(|l| i.opened_at >= l))
        .collect();
    if went_live.is_none() {
        out.push_str("- Not live yet.\n");
    } else if since.is_empty() {
        out.push_str("- None.\n");
    } else {
        let open = since
            .iter()
            .filter(|i| i.status != IncidentStatus::Resolved)
            .count();
        let resolved: Vec<i64> = since
            .iter()
            .filter_map(|i| i.minutes_to_resolve())
            .collect();
        let mttr = crate::monitoring::service::mean(&resolved)
            .map_or_else(|| "none resolved yet".to_string(), |m| format!("{m} min"));
        out.push_str(&format!(
            "- {}, {open} still open; mean time to resolve: {mttr}.\n",
            count(since.len(), "incident")
        ));
        for i in &since {
            let cause = i
                .root_cause
                .as_ref()
                .filter(|c| !c.is_empty())
                .map(|c| format!(" Root cause: {c}"))
                .unwrap_or_default();
            out.push_str(&format!(
                "- {}: {} ({}, {}).{cause}\n",
                i.opened_at.date_naive(),
                i.title,
                i.severity.label().to_lowercase(),
                i.status.label().to_lowercase()
            ));
        }
    }
    out.push_str("\n## Defects found\n\n");
    if defects.is_empty() {
        out.push_str("- None recorded.\n");
    } else {
        let by = |s: Severity| defects.iter().filter(|d| d.severity == s).count();
        let open = defects
            .iter()
            .filter(|d| matches!(d.status, DefectStatus::Open | DefectStatus::InProgress))
            .count();
        out.push_str(&format!(
            "- {}: {} critical, {} major, {} minor, {} trivial; {open} still open.\n",
            count(defects.len(), "defect"),
            by(Severity::Critical),
            by(Severity::Major),
            by(Severity::Minor),
            by(Severity::Trivial)
        ));
    }
    out.push_str("\n## Lessons learned\n\n- \n");
    out
}

/// The review page of integration `slug` for `viewer`, as of `now`.
///
/// # Errors
/// `NotFound`; database failures.
pub async fn page(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
    viewer: &CurrentUser,
    slug: &str,
    now: DateTime<Utc>,
    ctx: &crate::gate::GateContext,
) -> Result<ReviewView> {
    let o = super::service::gather(db, slug, now, ctx).await?;
    // The review lists every incident since go-live and every defect.
    let incidents = crate::monitoring::service::incidents_of(db, o.integration.id).await?;
    let defects = crate::testing::defects::list(db, slug).await?;
    let saved = match reviews::Entity::find()
        .filter(reviews::Column::IntegrationId.eq(o.integration.id))
        .one(db)
        .await?
    {
        Some(r) => Some(SavedReview {
            updated_by: users::Entity::find_by_id(r.updated_by)
                .one(db)
                .await?
                .map(|u| u.name)
                .unwrap_or_default(),
            body: r.body,
            updated_at: r.updated_at,
        }),
        None => None,
    };
    Ok(ReviewView {
        draft: draft(&o, &incidents, &defects),
        integration: o.integration,
        saved,
        can_edit: actor_may_edit(viewer),
    })
}

fn actor_may_edit(actor: &CurrentUser) -> bool {
    actor.can(Action::EditIntegrations)
}

/// Saves `body` as integration `integration_id`'s review, recorded in the trail.
///
/// # Errors
/// `Forbidden` (coordinators and admins only); `NotFound`; `Validation` on `body`.
pub async fn save(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    body: &str,
) -> Result<()> {
    if !actor_may_edit(actor) {
        return Err(AppError::Forbidden);
    }
    let mut e = FieldErrors::default();
    let body = crate::validate::required(
        &mut e,
        "body",
        body,
        "the review",
        crate::limits::REVIEW_CHARS,
    );
    e.into_result()?;
    let txn = crate::activity::service::begin(db).await?;
    crate::integrations::lookup::integration_by_id(&txn, integration_id).await?;
    let now = Utc::now();
    match reviews::Entity::find()
        .filter(reviews::Column::IntegrationId.eq(integration_id))
        .one(&txn)
        .await?
    {
        Some(before) => {
            if before.body != body {
                let mut active: reviews::ActiveModel = before.clone().into();
                active.body = Set(body);
                active.updated_by = Set(actor.id);
                active.updated_at = Set(now);
                records::save::<reviews::Entity>(&txn, actor, "update", &before, active).await?;
            }
        }
        None => {
            records::insert::<reviews::Entity>(
                &txn,
                actor,
                reviews::ActiveModel {
                    integration_id: Set(integration_id),
                    body: Set(body),
                    updated_by: Set(actor.id),
                    updated_at: Set(now),
                    ..Default::default()
                },
            )
            .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}
