//! (ssr) The versioned integration plan. States: draft -> in_review -> approved or
//! changes_requested. Rules kept here:
//! - only a draft is edited in place; editing a submitted version (approved or changes
//!   requested) starts a new draft version, so every submitted version is kept as it was
//!   reviewed, and the planning gate closes again until the new version is approved;
//! - a version in review is not edited (its reviewers are reading it);
//! - only stakeholders and admins review, and a request for changes must say what to change.

use crate::auth::access::Action;
use crate::outbox::EventType;
use crate::outbox::service::{Event, emit};
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionSession, TransactionTrait,
};
use serde_json::json;
use similar::{ChangeTag, TextDiff};

use super::{name_of, people};
use crate::activity::service as activity;
use crate::auth::model::CurrentUser;
use crate::entities::plans;
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::lookup::{integration, reference};
use crate::planning::model::{
    DiffKind, DiffRow, PLAN_SECTIONS, PlanComparison, PlanSection, PlanState, PlanSummary,
    PlanVersion, PlanView,
};
use crate::validate::optional;

/// The trail's name for this kind of record.
pub const ENTITY_KIND: &str = "plan";

/// The plan's sections as submitted (Markdown).
#[derive(
    Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(default)]
pub struct PlanForm {
    pub technical_requirements: String,
    pub expected_outcomes: String,
    pub risks: String,
    pub dependencies: String,
}

fn section_texts(m: &plans::Model) -> [&str; 4] {
    [
        &m.technical_requirements,
        &m.expected_outcomes,
        &m.risks,
        &m.dependencies,
    ]
}

// A version its own author approved says so (the instance allows a team of one: see
// [`review`]).
crate::integration_record!(plans, ENTITY_KIND, |m| {
    let mut shown = json!({
        "version": m.version,
        "state": m.state,
        "technical_requirements": m.technical_requirements,
        "expected_outcomes": m.expected_outcomes,
        "risks": m.risks,
        "dependencies": m.dependencies,
        "review_comment": m.review_comment,
    });
    if m.state == PlanState::Approved && m.reviewer_id.is_some() && m.reviewer_id == m.author_id {
        shown["self_approved"] = json!("one-person team: the author approved their own version");
    }
    shown
});

async fn versions(db: &impl ConnectionTrait, integration_id: i32) -> Result<Vec<plans::Model>> {
    Ok(plans::Entity::find()
        .filter(plans::Column::IntegrationId.eq(integration_id))
        .order_by_desc(plans::Column::Version)
        .all(db)
        .await?)
}

async fn to_version(db: &impl ConnectionTrait, m: plans::Model) -> Result<PlanVersion> {
    let who = people(db, m.author_id.into_iter().chain(m.reviewer_id).collect()).await?;
    let sections = PLAN_SECTIONS
        .iter()
        .zip(section_texts(&m))
        .map(|((field, heading), text)| PlanSection {
            field: (*field).to_string(),
            heading: (*heading).to_string(),
            markdown: text.to_string(),
            html: super::markdown::render(text),
        })
        .collect();
    Ok(PlanVersion {
        id: m.id,
        version: m.version,
        state: m.state,
        sections,
        author: name_of(&who, m.author_id),
        updated_at: m.updated_at,
        submitted_at: m.submitted_at,
        reviewer: name_of(&who, m.reviewer_id),
        reviewed_at: m.reviewed_at,
        review_comment: m.review_comment,
    })
}

/// The plan page of integration `slug`: the latest version, rendered, with the linked
/// objectives and milestones and the list of versions.
///
/// # Errors
/// `NotFound`.
pub async fn page(db: &impl ConnectionTrait, slug: &str) -> Result<PlanView> {
    let i = integration(db, slug).await?;
    let all = versions(db, i.id).await?;
    let summaries = all
        .iter()
        .map(|m| {
            Ok(PlanSummary {
                version: m.version,
                state: m.state,
                submitted_at: m.submitted_at,
            })
        })
        .collect::<Result<_>>()?;
    let latest = match all.into_iter().next() {
        Some(m) => Some(to_version(db, m).await?),
        None => None,
    };
    Ok(PlanView {
        latest,
        versions: summaries,
        objectives: super::objectives::for_integration(db, i.id).await?,
        milestones: super::milestones::for_integration(db, &i).await?,
        integration: reference(&i),
    })
}

fn validate(form: &PlanForm) -> Result<PlanForm> {
    let mut e = FieldErrors::default();
    let valid = PlanForm {
        technical_requirements: optional(
            &mut e,
            "technical_requirements",
            &form.technical_requirements,
            20_000,
        ),
        expected_outcomes: optional(&mut e, "expected_outcomes", &form.expected_outcomes, 20_000),
        risks: optional(&mut e, "risks", &form.risks, 20_000),
        dependencies: optional(&mut e, "dependencies", &form.dependencies, 20_000),
    };
    if valid.technical_requirements.is_empty() {
        e.add(
            "technical_requirements",
            "Enter the technical requirements.",
        );
    }
    e.into_result()?;
    Ok(valid)
}

/// Saves the plan: edits the draft in place, or starts a new draft version when the latest
/// was submitted. Returns the version saved.
///
/// # Errors
/// `Forbidden` for non-planners; `NotFound`; `Validation`; `Conflict` while in review.
pub async fn save(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &PlanForm,
) -> Result<i32> {
    actor.may(Action::Plan)?;
    let v = validate(form)?;
    let txn = activity::begin(db).await?;
    crate::integrations::lookup::integration_by_id(&txn, integration_id).await?;
    let latest = versions(&txn, integration_id).await?.into_iter().next();
    let now = Utc::now();
    let (before, mut active) = match latest {
        Some(m) if m.state == PlanState::InReview => {
            return Err(AppError::Conflict(format!(
                "Version {} is in review; wait for the decision before editing.",
                m.version
            )));
        }
        Some(m) if m.state == PlanState::Draft => (Some(m.clone()), m.into()),
        other => (
            None,
            plans::ActiveModel {
                integration_id: Set(integration_id),
                version: Set(other.map_or(1, |m| m.version + 1)),
                state: Set(PlanState::Draft),
                created_at: Set(now),
                ..Default::default()
            },
        ),
    };
    active.technical_requirements = Set(v.technical_requirements);
    active.expected_outcomes = Set(v.expected_outcomes);
    active.risks = Set(v.risks);
    active.dependencies = Set(v.dependencies);
    active.author_id = Set(Some(actor.id));
    active.updated_at = Set(now);
    let saved =
        crate::records::upsert::<plans::Entity>(&txn, actor, before.as_ref(), active).await?;
    txn.commit().await?;
    Ok(saved.version)
}

async fn latest_for_update(
    txn: &impl ConnectionTrait,
    integration_id: i32,
) -> Result<plans::Model> {
    versions(txn, integration_id)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::Conflict("There is no plan yet; write one first.".into()))
}

/// Submits the latest draft for review.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Conflict` when the latest version is not a draft.
pub async fn submit(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
) -> Result<()> {
    actor.may(Action::Plan)?;
    let txn = activity::begin(db).await?;
    let i = crate::integrations::lookup::integration_by_id(&txn, integration_id).await?;
    let latest = latest_for_update(&txn, integration_id).await?;
    if latest.state != PlanState::Draft {
        return Err(AppError::Conflict(format!(
            "Version {} is {}; only a draft can be submitted.",
            latest.version,
            latest.state.label().to_lowercase()
        )));
    }
    let mut active: plans::ActiveModel = latest.clone().into();
    active.state = Set(PlanState::InReview);
    active.submitted_at = Set(Some(Utc::now()));
    crate::records::save::<plans::Entity>(&txn, actor, "submit", &latest, active).await?;
    tell(&txn, EventType::PlanSubmitted, actor, &i, latest.version).await?;
    txn.commit().await?;
    Ok(())
}

/// Approves the version in review, or requests changes with a comment. Stakeholders and
/// admins only, and never the version's author unless `one_person_team` (the
/// `TOLLGATE_ONE_PERSON_TEAM` setting) allows it, which the trail entry then records.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` (unknown decision, missing comment, an author
/// approving their own version); `Conflict` when nothing is in review.
pub async fn review(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    decision: &str,
    comment: &str,
    one_person_team: bool,
) -> Result<()> {
    actor.may(Action::ReviewPlan)?;
    let mut e = FieldErrors::default();
    let decision = match PlanState::parse(decision) {
        Some(d @ (PlanState::Approved | PlanState::ChangesRequested)) => Some(d),
        _ => {
            e.add("decision", "Choose to approve or to request changes.");
            None
        }
    };
    let comment = optional(&mut e, "comment", comment, 5000);
    if decision == Some(PlanState::ChangesRequested) && comment.is_empty() {
        e.add("comment", "Say what should change.");
    }
    e.into_result()?;
    let decision = decision.unwrap_or(PlanState::ChangesRequested);
    let txn = activity::begin(db).await?;
    let i = crate::integrations::lookup::integration_by_id(&txn, integration_id).await?;
    let latest = latest_for_update(&txn, integration_id).await?;
    if latest.state != PlanState::InReview {
        return Err(AppError::Conflict(format!(
            "Version {} is not in review.",
            latest.version
        )));
    }
    // Four eyes: the author may ask for changes to their own version, not approve it, unless
    // the instance says it is a team of one; the approval then says so in the trail.
    let own = decision == PlanState::Approved && latest.author_id == Some(actor.id);
    if own && !one_person_team {
        return Err(AppError::field(
            "decision",
            "You wrote this version of the plan: another admin or a stakeholder must approve it (or the instance must allow a one-person team: TOLLGATE_ONE_PERSON_TEAM).",
        ));
    }
    let mut active: plans::ActiveModel = latest.clone().into();
    active.state = Set(decision);
    active.reviewer_id = Set(Some(actor.id));
    active.reviewed_at = Set(Some(Utc::now()));
    active.review_comment = Set((!comment.is_empty()).then_some(comment));
    let action = if decision == PlanState::Approved {
        "approve"
    } else {
        "request changes to"
    };
    crate::records::save::<plans::Entity>(&txn, actor, action, &latest, active).await?;
    if decision == PlanState::Approved {
        tell(&txn, EventType::PlanApproved, actor, &i, latest.version).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Emits `event_type` for version `version` of `i`'s plan, by `actor`.
async fn tell(
    txn: &impl ConnectionTrait,
    event_type: EventType,
    actor: &CurrentUser,
    i: &crate::entities::integrations::Model,
    version: i32,
) -> Result<()> {
    let what = if event_type == EventType::PlanApproved {
        "approved"
    } else {
        "submitted for review"
    };
    emit(
        txn,
        Event::new(
            event_type,
            Some(i),
            format!("{}: plan version {version} {what}", i.name),
            format!("/integrations/{}/planning/plan", i.slug),
            serde_json::json!({"version": version, "by": actor.name}),
        ),
    )
    .await?;
    Ok(())
}

/// Side-by-side rows for two texts, line by line.
pub fn diff_rows(left: &str, right: &str) -> Vec<DiffRow> {
    TextDiff::from_lines(left, right)
        .iter_all_changes()
        .map(|change| {
            let line = change.value().trim_end_matches(['\n', '\r']).to_string();
            match change.tag() {
                ChangeTag::Equal => DiffRow {
                    kind: DiffKind::Same,
                    left: Some(line.clone()),
                    right: Some(line),
                },
                ChangeTag::Delete => DiffRow {
                    kind: DiffKind::Removed,
                    left: Some(line),
                    right: None,
                },
                ChangeTag::Insert => DiffRow {
                    kind: DiffKind::Added,
                    left: None,
                    right: Some(line),
                },
            }
        })
        .collect()
}

/// Compares versions `left` and `right` of integration `slug`, section by section. Zero
/// picks the defaults: the latest version against the one before it.
///
/// # Errors
/// `NotFound` (integration or version); `Conflict` when fewer than two versions exist.
pub async fn compare(
    db: &impl ConnectionTrait,
    slug: &str,
    left: i32,
    right: i32,
) -> Result<PlanComparison> {
    let i = integration(db, slug).await?;
    let all = versions(db, i.id).await?;
    if all.len() < 2 {
        return Err(AppError::Conflict(
            "There is only one version of this plan.".into(),
        ));
    }
    let right = if right > 0 { right } else { all[0].version };
    let left = if left > 0 {
        left
    } else {
        all.iter()
            .find(|m| m.version < right)
            .map_or(all[1].version, |m| m.version)
    };
    let find = |v: i32| {
        all.iter()
            .find(|m| m.version == v)
            .ok_or(AppError::NotFound)
    };
    let (l, r) = (find(left)?, find(right)?);
    let sections = PLAN_SECTIONS
        .iter()
        .zip(section_texts(l).into_iter().zip(section_texts(r)))
        .map(|((_, heading), (a, b))| ((*heading).to_string(), diff_rows(a, b)))
        .collect();
    Ok(PlanComparison {
        integration: reference(&i),
        left,
        right,
        versions: all.iter().map(|m| m.version).collect(),
        sections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_rows_mark_removed_and_added_lines() {
        let rows = diff_rows("a\nb\nc\n", "a\nB\nc\n");
        let kinds: Vec<DiffKind> = rows.iter().map(|r| r.kind).collect();
        assert_eq!(
            kinds,
            vec![
                DiffKind::Same,
                DiffKind::Removed,
                DiffKind::Added,
                DiffKind::Same
            ]
        );
        assert_eq!(rows[1].left.as_deref(), Some("b"));
        assert_eq!(rows[2].right.as_deref(), Some("B"));
    }
}
