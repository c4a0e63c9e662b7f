//! Planning: objectives and their progress.

use serde::{Deserialize, Serialize};

use crate::integrations::model::IntegrationRef;

/// A measurable objective, for example "checkout completion rate, %, 61 -> 75".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Objective {
    pub id: i32,
    pub description: String,
    pub metric: String,
    pub unit: String,
    pub baseline: f64,
    pub target: f64,
    pub current: Option<f64>,
}

impl Objective {
    /// The edit form filled with this objective's values.
    pub fn form(&self) -> ObjectiveForm {
        ObjectiveForm {
            description: self.description.clone(),
            metric: self.metric.clone(),
            unit: self.unit.clone(),
            baseline: number(self.baseline),
            target: number(self.target),
            current: self.current.map(number).unwrap_or_default(),
        }
    }
}

impl Objective {
    /// Progress from baseline toward target, in percent (0-100), when a current value exists.
    pub fn progress(&self) -> Option<f64> {
        progress(self.baseline, self.target, self.current?)
    }
}

/// The objective form, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ObjectiveForm {
    pub description: String,
    pub metric: String,
    pub unit: String,
    pub baseline: String,
    pub target: String,
    pub current: String,
}

/// The objectives page of one integration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ObjectivesView {
    pub integration: IntegrationRef,
    pub objectives: Vec<Objective>,
}

/// How far `current` has moved from `baseline` toward `target`, in percent, clamped to
/// 0-100. Works for targets below the baseline (a latency to reduce) as well as above.
pub fn progress(baseline: f64, target: f64, current: f64) -> Option<f64> {
    let span = target - baseline;
    if !span.is_finite() || !current.is_finite() {
        return None;
    }
    if span == 0.0 {
        return Some(if current == target { 100.0 } else { 0.0 });
    }
    Some(((current - baseline) / span * 100.0).clamp(0.0, 100.0))
}

/// Shows a number without a trailing `.0`.
pub fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        let s = format!("{value:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_runs_from_baseline_to_target_either_way() {
        assert_eq!(progress(61.0, 75.0, 68.0), Some(50.0));
        assert_eq!(progress(800.0, 200.0, 350.0), Some(75.0));
        assert_eq!(progress(61.0, 75.0, 90.0), Some(100.0));
        assert_eq!(progress(61.0, 75.0, 50.0), Some(0.0));
        assert_eq!(progress(5.0, 5.0, 5.0), Some(100.0));
    }

    #[test]
    fn numbers_drop_a_trailing_zero() {
        assert_eq!(number(75.0), "75");
        assert_eq!(number(99.95), "99.95");
    }
}
