//! Planning: vendor candidates, their scores and the weighted ranking.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::integrations::model::IntegrationRef;

/// A vendor or API under consideration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Candidate {
    pub id: i32,
    pub name: String,
    pub provider: String,
    pub docs_url: String,
    pub pricing_notes: String,
    pub pros: String,
    pub cons: String,
}

impl Candidate {
    /// The edit form filled with this candidate's values.
    pub fn form(&self) -> CandidateForm {
        CandidateForm {
            name: self.name.clone(),
            provider: self.provider.clone(),
            docs_url: self.docs_url.clone(),
            pricing_notes: self.pricing_notes.clone(),
            pros: self.pros.clone(),
            cons: self.cons.clone(),
        }
    }
}

/// The candidate form, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CandidateForm {
    pub name: String,
    pub provider: String,
    pub docs_url: String,
    pub pricing_notes: String,
    pub pros: String,
    pub cons: String,
}

/// A weighted scoring criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VendorCriterion {
    pub id: i32,
    pub name: String,
    pub weight: i32,
}

/// One candidate's score on one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Score {
    pub candidate_id: i32,
    pub criterion_id: i32,
    /// 1 to 5.
    pub score: i32,
    pub note: String,
}

/// A row of the comparison table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RankedCandidate {
    pub candidate: Candidate,
    /// One per criterion, in the criteria's order; `None` when not yet scored.
    pub scores: Vec<Option<Score>>,
    /// The weighted mean score, 0-5; unscored criteria count as 0.
    pub total: f64,
    /// Whether every criterion is scored.
    pub complete: bool,
    /// 1 for the best; equal totals share a rank.
    pub rank: u32,
}

/// Ranks candidates by weighted total, best first: total = sum(weight x score) / sum(weight).
/// Equal totals share a rank (1, 1, 3) and are listed by name.
pub fn rank(
    criteria: &[VendorCriterion],
    candidates: Vec<Candidate>,
    scores: &[Score],
) -> Vec<RankedCandidate> {
    let weight_sum: i64 = criteria.iter().map(|c| i64::from(c.weight.max(0))).sum();
    let mut rows: Vec<RankedCandidate> = candidates
        .into_iter()
        .map(|candidate| {
            let row_scores: Vec<Option<Score>> = criteria
                .iter()
                .map(|c| {
                    scores
                        .iter()
                        .find(|s| s.candidate_id == candidate.id && s.criterion_id == c.id)
                        .cloned()
                })
                .collect();
            let weighted: i64 = criteria
                .iter()
                .zip(&row_scores)
                .map(|(c, s)| {
                    i64::from(c.weight.max(0)) * i64::from(s.as_ref().map_or(0, |s| s.score))
                })
                .sum();
            let total = if weight_sum == 0 {
                0.0
            } else {
                weighted as f64 / weight_sum as f64
            };
            RankedCandidate {
                complete: row_scores.iter().all(Option::is_some),
                candidate,
                scores: row_scores,
                total,
                rank: 0,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.total
            .total_cmp(&a.total)
            .then_with(|| a.candidate.name.cmp(&b.candidate.name))
    });
    let mut previous: Option<(f64, u32)> = None;
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = match previous {
            Some((total, rank)) if total == row.total => rank,
            _ => i as u32 + 1,
        };
        previous = Some((row.total, row.rank));
    }
    rows
}

/// The chosen vendor, with the comparison as it stood when chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Selection {
    pub candidate_id: Option<i32>,
    pub candidate_name: String,
    pub rationale: String,
    pub by: Option<String>,
    pub at: DateTime<Utc>,
    /// (candidate, weighted total) at the moment of selection, best first.
    pub totals: Vec<(String, f64)>,
}

/// The vendor page: criteria, the ranked comparison and the current selection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VendorBoard {
    pub integration: IntegrationRef,
    pub criteria: Vec<VendorCriterion>,
    pub ranking: Vec<RankedCandidate>,
    pub selection: Option<Selection>,
}

/// One score cell as submitted by the scoring form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ScoreInput {
    pub criterion_id: String,
    pub score: String,
    pub note: String,
}

/// One weight as submitted by the weights form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WeightInput {
    pub criterion_id: String,
    pub weight: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criterion(id: i32, weight: i32) -> VendorCriterion {
        VendorCriterion {
            id,
            name: format!("c{id}"),
            weight,
        }
    }

    fn candidate(id: i32, name: &str) -> Candidate {
        Candidate {
            id,
            name: name.into(),
            provider: String::new(),
            docs_url: String::new(),
            pricing_notes: String::new(),
            pros: String::new(),
            cons: String::new(),
        }
    }

    fn score(candidate_id: i32, criterion_id: i32, score: i32) -> Score {
        Score {
            candidate_id,
            criterion_id,
            score,
            note: String::new(),
        }
    }

    #[test]
    fn ranking_uses_the_weighted_mean_and_shares_ranks_on_ties() {
        let criteria = [
            criterion(1, 30),
            criterion(2, 30),
            criterion(3, 20),
            criterion(4, 20),
        ];
        let scores = [
            // Stripe: (5*30 + 4*30 + 3*20 + 2*20) / 100 = 3.7
            score(10, 1, 5),
            score(10, 2, 4),
            score(10, 3, 3),
            score(10, 4, 2),
            // Adyen: (4*30 + 4*30 + 4*20 + 3*20) / 100 = 3.8
            score(11, 1, 4),
            score(11, 2, 4),
            score(11, 3, 4),
            score(11, 4, 3),
            // PayPal, half scored: (5*30 + 5*30) / 100 = 3.0
            score(12, 1, 5),
            score(12, 2, 5),
        ];
        let ranked = rank(
            &criteria,
            vec![
                candidate(10, "Stripe"),
                candidate(11, "Adyen"),
                candidate(12, "PayPal"),
            ],
            &scores,
        );
        let summary: Vec<(&str, f64, u32, bool)> = ranked
            .iter()
            .map(|r| (r.candidate.name.as_str(), r.total, r.rank, r.complete))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("Adyen", 3.8, 1, true),
                ("Stripe", 3.7, 2, true),
                ("PayPal", 3.0, 3, false),
            ]
        );
        let tied = rank(
            &[criterion(1, 1)],
            vec![candidate(1, "B"), candidate(2, "A"), candidate(3, "C")],
            &[score(1, 1, 4), score(2, 1, 4), score(3, 1, 2)],
        );
        let ranks: Vec<(&str, u32)> = tied
            .iter()
            .map(|r| (r.candidate.name.as_str(), r.rank))
            .collect();
        assert_eq!(ranks, vec![("A", 1), ("B", 1), ("C", 3)]);
    }
}
