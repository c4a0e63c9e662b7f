//! (ssr) Vendor and API selection: candidates, weighted criteria, 1-5 scores, the computed
//! ranking, and the selection with its rationale and the comparison as it stood.

use crate::auth::access::Action;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionSession, TransactionTrait,
};
use serde_json::json;

use super::{name_of, people};
use crate::activity::service::{self as activity, child_id};
use crate::auth::model::CurrentUser;
use crate::entities::{vendor_candidates, vendor_criteria, vendor_scores, vendor_selections};
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::lookup::{integration, reference};
use crate::planning::model::{
    Candidate, CandidateForm, RankedCandidate, Score, ScoreInput, Selection, VendorBoard,
    VendorCriterion, WeightInput, rank,
};
use crate::validate::{optional, optional_url, required};

/// The trail's names for these kinds of record.
pub const CANDIDATE: &str = "vendor_candidate";
pub const CRITERIA: &str = "vendor_criteria";
pub const SELECTION: &str = "vendor_selection";

async fn criteria(db: &impl ConnectionTrait, integration_id: i32) -> Result<Vec<VendorCriterion>> {
    Ok(vendor_criteria::Entity::find()
        .filter(vendor_criteria::Column::IntegrationId.eq(integration_id))
        .order_by_asc(vendor_criteria::Column::Position)
        .order_by_asc(vendor_criteria::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| VendorCriterion {
            id: c.id,
            name: c.name,
            weight: c.weight,
        })
        .collect())
}

fn to_candidate(m: vendor_candidates::Model) -> Candidate {
    Candidate {
        id: m.id,
        name: m.name,
        provider: m.provider,
        docs_url: m.docs_url,
        pricing_notes: m.pricing_notes,
        pros: m.pros,
        cons: m.cons,
    }
}

/// The criteria and the ranked comparison of integration `integration_id`.
///
/// # Errors
/// Database failures.
pub async fn ranking(
    db: &impl ConnectionTrait,
    integration_id: i32,
) -> Result<(Vec<VendorCriterion>, Vec<RankedCandidate>)> {
    let criteria = criteria(db, integration_id).await?;
    let candidates: Vec<Candidate> = vendor_candidates::Entity::find()
        .filter(vendor_candidates::Column::IntegrationId.eq(integration_id))
        .order_by_asc(vendor_candidates::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_candidate)
        .collect();
    let ids: Vec<i32> = candidates.iter().map(|c| c.id).collect();
    let scores: Vec<Score> = vendor_scores::Entity::find()
        .filter(vendor_scores::Column::CandidateId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| Score {
            candidate_id: s.candidate_id,
            criterion_id: s.criterion_id,
            score: s.score,
            note: s.note,
        })
        .collect();
    let ranked = rank(&criteria, candidates, &scores);
    Ok((criteria, ranked))
}

/// The vendor page of integration `slug`.
///
/// # Errors
/// `NotFound`.
pub async fn board(db: &impl ConnectionTrait, slug: &str) -> Result<VendorBoard> {
    let i = integration(db, slug).await?;
    let (criteria, ranking) = ranking(db, i.id).await?;
    let selection = match vendor_selections::Entity::find()
        .filter(vendor_selections::Column::IntegrationId.eq(i.id))
        .order_by_desc(vendor_selections::Column::Id)
        .one(db)
        .await?
    {
        Some(s) => {
            let who = people(db, s.actor_id.into_iter().collect()).await?;
            Some(Selection {
                candidate_id: s.candidate_id,
                by: name_of(&who, s.actor_id),
                totals: serde_json::from_str(&s.snapshot)
                    .ok()
                    .and_then(|v: serde_json::Value| {
                        serde_json::from_value(v["totals"].clone()).ok()
                    })
                    .unwrap_or_default(),
                candidate_name: s.candidate_name,
                rationale: s.rationale,
                at: s.at,
            })
        }
        None => None,
    };
    Ok(VendorBoard {
        integration: reference(&i),
        criteria,
        ranking,
        selection,
    })
}

fn validate(form: &CandidateForm) -> Result<CandidateForm> {
    let mut e = FieldErrors::default();
    let valid = CandidateForm {
        name: required(&mut e, "name", &form.name, "a name", 120),
        provider: required(&mut e, "provider", &form.provider, "the provider", 120),
        docs_url: optional_url(&mut e, "docs_url", &form.docs_url),
        pricing_notes: optional(&mut e, "pricing_notes", &form.pricing_notes, 2000),
        pros: optional(&mut e, "pros", &form.pros, 2000),
        cons: optional(&mut e, "cons", &form.cons, 2000),
    };
    e.into_result()?;
    Ok(valid)
}

crate::integration_record!(vendor_selections, SELECTION, |m| {
    json!({ "candidate": m.candidate_name, "rationale": m.rationale })
});

crate::integration_record!(vendor_candidates, CANDIDATE, |m| {
    json!({
        "name": m.name,
        "provider": m.provider,
        "docs_url": m.docs_url,
        "pricing_notes": m.pricing_notes,
        "pros": m.pros,
        "cons": m.cons,
    })
});

/// One candidate.
///
/// # Errors
/// `NotFound`.
pub async fn candidate(db: &impl ConnectionTrait, id: i32) -> Result<Candidate> {
    vendor_candidates::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(to_candidate)
        .ok_or(AppError::NotFound)
}

/// Adds a candidate.
///
/// # Errors
/// `Forbidden` for non-planners; `NotFound`; `Validation` naming bad fields.
pub async fn add_candidate(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &CandidateForm,
) -> Result<Candidate> {
    actor.may(Action::Plan)?;
    let v = validate(form)?;
    let txn = activity::begin(db).await?;
    crate::integrations::lookup::integration_by_id(&txn, integration_id).await?;
    let m = crate::records::insert::<vendor_candidates::Entity>(
        &txn,
        actor,
        vendor_candidates::ActiveModel {
            integration_id: Set(integration_id),
            name: Set(v.name),
            provider: Set(v.provider),
            docs_url: Set(v.docs_url),
            pricing_notes: Set(v.pricing_notes),
            pros: Set(v.pros),
            cons: Set(v.cons),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(to_candidate(m))
}

/// Edits a candidate's facts.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` naming bad fields.
pub async fn update_candidate(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    form: &CandidateForm,
) -> Result<()> {
    actor.may(Action::Plan)?;
    let v = validate(form)?;
    let txn = activity::begin(db).await?;
    let before = vendor_candidates::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut active: vendor_candidates::ActiveModel = before.clone().into();
    active.name = Set(v.name);
    active.provider = Set(v.provider);
    active.docs_url = Set(v.docs_url);
    active.pricing_notes = Set(v.pricing_notes);
    active.pros = Set(v.pros);
    active.cons = Set(v.cons);
    crate::records::save::<vendor_candidates::Entity>(&txn, actor, "update", &before, active)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Removes a candidate and its scores. A past selection keeps the candidate's name.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn delete_candidate(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    crate::records::delete::<vendor_candidates::Entity>(db, actor, Action::Plan, id).await
}

fn weights_snapshot(criteria: &[VendorCriterion]) -> serde_json::Value {
    serde_json::Value::Object(
        criteria
            .iter()
            .map(|c| (c.name.clone(), json!(c.weight)))
            .collect(),
    )
}

/// Adds a scoring criterion with a weight.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` (blank or duplicate name, bad weight).
pub async fn add_criterion(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    name: &str,
    weight: &str,
) -> Result<()> {
    actor.may(Action::Plan)?;
    let mut e = FieldErrors::default();
    let name = required(&mut e, "name", name, "the criterion's name", 60);
    let weight = parse_weight(&mut e, "weight", weight);
    e.into_result()?;
    let txn = activity::begin(db).await?;
    crate::integrations::lookup::integration_by_id(&txn, integration_id).await?;
    let before = criteria(&txn, integration_id).await?;
    if before.iter().any(|c| c.name.eq_ignore_ascii_case(&name)) {
        return Err(AppError::field("name", "This criterion already exists."));
    }
    let inserted = vendor_criteria::ActiveModel {
        integration_id: Set(integration_id),
        name: Set(name),
        weight: Set(weight),
        position: Set(before.len() as i32),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    if let Err(err) = inserted {
        return Err(if crate::error::is_unique_violation(&err) {
            AppError::field("name", "This criterion already exists.")
        } else {
            err.into()
        });
    }
    let after = criteria(&txn, integration_id).await?;
    crate::records::changed_together(
        &txn,
        actor,
        "update",
        CRITERIA,
        child_id(integration_id, 0),
        weights_snapshot(&before),
        weights_snapshot(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

fn parse_weight(e: &mut FieldErrors, field: &str, value: &str) -> i32 {
    match value.trim().parse::<i32>() {
        Ok(w) if (0..=100).contains(&w) => w,
        _ => {
            e.add(field, "Enter a weight from 0 to 100.");
            0
        }
    }
}

/// Changes the weights of the integration's criteria. The ranking is computed from the stored
/// weights on every read, so it follows at once.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` (a weight outside 0-100, an unknown criterion, or all
/// weights zero).
pub async fn set_weights(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    weights: &[WeightInput],
) -> Result<()> {
    actor.may(Action::Plan)?;
    let txn = activity::begin(db).await?;
    let before = criteria(&txn, integration_id).await?;
    let mut e = FieldErrors::default();
    let mut parsed = Vec::new();
    for w in weights {
        let field = format!("weight_{}", w.criterion_id.trim());
        let weight = parse_weight(&mut e, &field, &w.weight);
        match before
            .iter()
            .find(|c| c.id.to_string() == w.criterion_id.trim())
        {
            Some(c) => parsed.push((c.id, weight)),
            None => e.add(&field, "This criterion does not belong to the integration."),
        }
    }
    if e.is_empty() && parsed.iter().all(|(_, w)| *w == 0) {
        e.add("weights", "At least one weight must be above zero.");
    }
    e.into_result()?;
    for (id, weight) in parsed {
        vendor_criteria::ActiveModel {
            id: Set(id),
            weight: Set(weight),
            ..Default::default()
        }
        .update(&txn)
        .await?;
    }
    let after = criteria(&txn, integration_id).await?;
    crate::records::changed_together(
        &txn,
        actor,
        "update",
        CRITERIA,
        child_id(integration_id, 0),
        weights_snapshot(&before),
        weights_snapshot(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Records a candidate's scores (1-5, with a note) on any of the integration's criteria. A
/// blank score leaves that criterion unscored.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` (a score outside 1-5, an unknown criterion).
pub async fn score(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    candidate_id: i32,
    inputs: &[ScoreInput],
) -> Result<()> {
    actor.may(Action::Plan)?;
    let txn = activity::begin(db).await?;
    let candidate = vendor_candidates::Entity::find_by_id(candidate_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let known = criteria(&txn, candidate.integration_id).await?;
    let mut e = FieldErrors::default();
    let mut parsed: Vec<(VendorCriterion, Option<i32>, String)> = Vec::new();
    for input in inputs {
        let field = format!("score_{}", input.criterion_id.trim());
        let Some(criterion) = known
            .iter()
            .find(|c| c.id.to_string() == input.criterion_id.trim())
        else {
            e.add(&field, "This criterion does not belong to the integration.");
            continue;
        };
        let score = match input.score.trim() {
            "" => None,
            s => match s.parse::<i32>() {
                Ok(n) if (1..=5).contains(&n) => Some(n),
                _ => {
                    e.add(&field, format!("Score {} from 1 to 5.", criterion.name));
                    None
                }
            },
        };
        let note = optional(&mut e, &format!("note_{}", criterion.id), &input.note, 500);
        parsed.push((criterion.clone(), score, note));
    }
    e.into_result()?;
    let existing = vendor_scores::Entity::find()
        .filter(vendor_scores::Column::CandidateId.eq(candidate_id))
        .all(&txn)
        .await?;
    let show = |rows: &[(String, Option<i32>)]| {
        serde_json::Value::Object(rows.iter().map(|(n, s)| (n.clone(), json!(s))).collect())
    };
    let mut before = Vec::new();
    let mut after = Vec::new();
    for (criterion, score, note) in parsed {
        let old = existing.iter().find(|s| s.criterion_id == criterion.id);
        before.push((criterion.name.clone(), old.map(|s| s.score)));
        after.push((criterion.name.clone(), score));
        match (old, score) {
            (Some(old), Some(score)) => {
                let mut active: vendor_scores::ActiveModel = old.clone().into();
                active.score = Set(score);
                active.note = Set(note);
                active.update(&txn).await?;
            }
            (Some(old), None) => {
                vendor_scores::Entity::delete_by_id(old.id)
                    .exec(&txn)
                    .await?;
            }
            (None, Some(score)) => {
                vendor_scores::ActiveModel {
                    candidate_id: Set(candidate_id),
                    criterion_id: Set(criterion.id),
                    score: Set(score),
                    note: Set(note),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
            (None, None) => {}
        }
    }
    crate::records::changed_together(
        &txn,
        actor,
        "score",
        CANDIDATE,
        child_id(candidate.integration_id, candidate_id),
        show(&before),
        show(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Selects a candidate. The rationale is required, and the comparison (weights, scores and
/// totals) at this moment is kept with the selection.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` for a missing rationale.
pub async fn select(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    candidate_id: i32,
    rationale: &str,
) -> Result<()> {
    actor.may(Action::Plan)?;
    let mut e = FieldErrors::default();
    let rationale = required(
        &mut e,
        "rationale",
        rationale,
        "the rationale for this choice",
        5000,
    );
    e.into_result()?;
    let txn = activity::begin(db).await?;
    let candidate = vendor_candidates::Entity::find_by_id(candidate_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let (criteria, ranked) = ranking(&txn, candidate.integration_id).await?;
    let snapshot = json!({
        "weights": weights_snapshot(&criteria),
        "totals": ranked.iter().map(|r| (r.candidate.name.clone(), r.total)).collect::<Vec<_>>(),
        "scores": ranked.iter().map(|r| json!({
            "candidate": r.candidate.name,
            "scores": r.scores.iter().zip(&criteria).map(|(s, c)| (c.name.clone(), s.as_ref().map(|s| s.score))).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    let selection = vendor_selections::ActiveModel {
        integration_id: Set(candidate.integration_id),
        candidate_id: Set(Some(candidate_id)),
        candidate_name: Set(candidate.name.clone()),
        rationale: Set(rationale),
        snapshot: Set(snapshot.to_string()),
        actor_id: Set(Some(actor.id)),
        at: Set(Utc::now()),
        ..Default::default()
    };
    crate::records::insert_as::<vendor_selections::Entity>(&txn, actor, "select", selection)
        .await?;
    txn.commit().await?;
    Ok(())
}
