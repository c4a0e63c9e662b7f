//! Lifecycle types that cross the wire, and the pure rule for which moves exist.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::integrations::model::Stage;

/// The active stages in order; `retired` follows `live`.
pub const ACTIVE: [Stage; 4] = [
    Stage::Planning,
    Stage::Implementation,
    Stage::Testing,
    Stage::Live,
];

crate::choice_enum! {
    /// What kind of move a transition is. Only forward moves pass a gate.
    MoveKind {
        Forward => ("forward", "Advance"),
        Backward => ("backward", "Send back"),
        Hold => ("hold", "Put on hold"),
        Resume => ("resume", "Resume"),
        Retire => ("retire", "Retire"),
    }
}

impl MoveKind {
    /// Whether the mover must say why. Going forward through an open gate, or resuming, needs
    /// no words; every other move does, so the timeline explains itself.
    pub fn needs_reason(self) -> bool {
        matches!(self, MoveKind::Backward | MoveKind::Hold | MoveKind::Retire)
    }
}

/// One move the current stage allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MoveOption {
    pub to: Stage,
    pub kind: MoveKind,
}

/// The moves from `stage`. `held_from` is the stage an on-hold integration left, the only
/// place it may return to.
pub fn allowed_moves(stage: Stage, held_from: Option<Stage>) -> Vec<MoveOption> {
    let position = ACTIVE.iter().position(|s| *s == stage);
    match (stage, position) {
        (Stage::OnHold, _) => held_from
            .map(|to| MoveOption {
                to,
                kind: MoveKind::Resume,
            })
            .into_iter()
            .collect(),
        (_, Some(i)) => {
            let mut moves = vec![MoveOption {
                to: ACTIVE.get(i + 1).copied().unwrap_or(Stage::Retired),
                kind: MoveKind::Forward,
            }];
            moves.extend(ACTIVE[..i].iter().rev().map(|s| MoveOption {
                to: *s,
                kind: MoveKind::Backward,
            }));
            moves.push(MoveOption {
                to: Stage::OnHold,
                kind: MoveKind::Hold,
            });
            if stage != Stage::Live {
                moves.push(MoveOption {
                    to: Stage::Retired,
                    kind: MoveKind::Retire,
                });
            }
            moves
        }
        // Retired is final.
        _ => Vec::new(),
    }
}

/// The stage a forward move from `stage` leads to, if any.
pub fn next_stage(stage: Stage) -> Option<Stage> {
    allowed_moves(stage, None)
        .into_iter()
        .find(|m| m.kind == MoveKind::Forward)
        .map(|m| m.to)
}

/// One gate criterion as evaluated now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CriterionCheck {
    pub key: String,
    pub label: String,
    pub met: bool,
    /// One line: what was found, or what is missing.
    pub explanation: String,
    /// Where the user fixes it.
    pub fix_href: String,
}

/// The gate in front of the next stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GatePanel {
    pub to: Stage,
    pub criteria: Vec<CriterionCheck>,
}

impl GatePanel {
    /// Whether every criterion is met.
    pub fn open(&self) -> bool {
        self.criteria.iter().all(|c| c.met)
    }

    /// The labels of the unmet criteria.
    pub fn missing(&self) -> Vec<String> {
        self.criteria
            .iter()
            .filter(|c| !c.met)
            .map(|c| c.label.clone())
            .collect()
    }
}

/// One entry of the stage timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TransitionRecord {
    pub id: i32,
    pub from: Stage,
    pub to: Stage,
    pub actor: Option<String>,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
    pub override_justification: Option<String>,
    /// The criteria that were unmet when the gate was overridden.
    pub unmet: Vec<String>,
}

/// Everything the stage panel of an integration page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Lifecycle {
    pub integration_id: i32,
    pub slug: String,
    pub stage: Stage,
    pub gate_overridden: bool,
    pub gate: Option<GatePanel>,
    pub moves: Vec<MoveOption>,
    /// Newest first.
    pub timeline: Vec<TransitionRecord>,
}

/// A move as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MoveRequest {
    pub to: String,
    pub reason: String,
    pub override_justification: String,
}

/// The shortest override justification accepted.
pub const MIN_JUSTIFICATION: usize = 20;

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(stage: Stage, held: Option<Stage>) -> Vec<(Stage, MoveKind)> {
        allowed_moves(stage, held)
            .into_iter()
            .map(|m| (m.to, m.kind))
            .collect()
    }

    #[test]
    fn testing_moves_forward_back_on_hold_or_retires() {
        assert_eq!(
            targets(Stage::Testing, None),
            vec![
                (Stage::Live, MoveKind::Forward),
                (Stage::Implementation, MoveKind::Backward),
                (Stage::Planning, MoveKind::Backward),
                (Stage::OnHold, MoveKind::Hold),
                (Stage::Retired, MoveKind::Retire),
            ]
        );
    }

    #[test]
    fn live_retires_by_moving_forward_and_retired_is_final() {
        assert_eq!(next_stage(Stage::Live), Some(Stage::Retired));
        assert!(targets(Stage::Retired, None).is_empty());
    }

    #[test]
    fn on_hold_returns_only_to_the_stage_it_left() {
        assert_eq!(
            targets(Stage::OnHold, Some(Stage::Testing)),
            vec![(Stage::Testing, MoveKind::Resume)]
        );
    }
}
