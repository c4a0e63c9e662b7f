//! The portfolio dashboard as the page, the REST API and the reports receive it. Every figure
//! here is computed from records by `dashboard::service`; none is typed in.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::activity::model::ActivityEntry;
use crate::integrations::model::IntegrationRef;
use crate::integrations::model::{IntegrationQuery, Priority, Stage};

crate::choice_enum! {
    /// An integration's health, from its monitored environments.
    Health {
        Up => ("up", "Up"),
        Degraded => ("degraded", "Degraded"),
        Down => ("down", "Down"),
        NotMonitored => ("not_monitored", "Not monitored"),
    }
}

/// `part` out of `whole`, such as milestones done on time out of milestones done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Ratio {
    pub part: u64,
    pub whole: u64,
}

impl Ratio {
    /// The ratio as a whole percentage, rounded down; `None` when there is nothing to count.
    pub fn percent(self) -> Option<u64> {
        (self.whole > 0).then(|| self.part * 100 / self.whole)
    }

    /// "7 of 9 (77%)", or `none` when there is nothing to count.
    pub fn describe(self, none: &str) -> String {
        match self.percent() {
            Some(p) => format!("{p}% ({} of {})", self.part, self.whole),
            None => none.to_string(),
        }
    }
}

/// How many of a list the dashboard shows; the rest are counted, and reached by a link.
pub const SHOWN: usize = 10;

/// The first [`SHOWN`] of a list, and how long the whole list is, so the page stays the same
/// size however large the portfolio grows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Capped<T> {
    pub items: Vec<T>,
    /// How many there are in all.
    pub total: u64,
}

impl<T> Capped<T> {
    /// The first [`SHOWN`] of `all`.
    pub fn of(mut all: Vec<T>) -> Self {
        let total = all.len() as u64;
        all.truncate(SHOWN);
        Self { items: all, total }
    }

    /// The first [`SHOWN`] of `shown` (the first of a list read no further), of `total`.
    pub fn counted(total: u64, mut shown: Vec<T>) -> Self {
        shown.truncate(SHOWN);
        Self {
            items: shown,
            total,
        }
    }

    /// How many there are beyond those shown.
    pub fn more(&self) -> u64 {
        self.total - self.items.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }
}

/// How many integrations are in one stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageCount {
    pub stage: Stage,
    pub count: u64,
}

/// The median time integrations spent in one stage, over the stays that have ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageTime {
    pub stage: Stage,
    /// Ended stays counted.
    pub stays: u64,
    /// The median stay in hours (the lower middle one of an even count), if any ended.
    pub median_hours: Option<i64>,
}

/// An integration still short of live after its last milestone's due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LateIntegration {
    pub integration: IntegrationRef,
    pub stage: Stage,
    /// The due date of its last milestone: the planned go-live.
    pub planned: NaiveDate,
}

/// The portfolio's key figures, each computed from records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KeyFigures {
    /// Done milestones completed on or before their due date, out of done milestones.
    pub milestones_on_time: Ratio,
    /// Passed executions out of all but the skipped ones (as a run's pass rate is taken),
    /// over the latest run of every test plan.
    pub qa_pass_rate: Ratio,
    /// Per active stage, the median time spent in it.
    pub stage_times: Vec<StageTime>,
    /// Mean minutes from opening to resolving, over resolved incidents.
    pub mttr_minutes: Option<i64>,
    /// Integrations not yet live whose planned go-live has passed, the longest late first.
    pub past_go_live: Capped<LateIntegration>,
}

/// A milestone that is not done, with the integration it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DueMilestone {
    pub integration: IntegrationRef,
    pub title: String,
    pub due_date: NaiveDate,
}

/// A credential reference whose rotation or expiry is due within the look-ahead, or past.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DueCredential {
    pub integration: IntegrationRef,
    pub name: String,
    pub environment: String,
    pub status: crate::implementation::model::CredentialStatus,
    /// The earlier of the next rotation and the expiry.
    pub due: NaiveDate,
}

/// A monitored environment whose TLS certificate expires within the warning window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExpiringCertificate {
    pub integration: IntegrationRef,
    pub environment: String,
    pub expires_at: DateTime<Utc>,
    pub days_left: i64,
}

/// An audit due within the look-ahead, or overdue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DueAudit {
    pub integration: IntegrationRef,
    pub title: String,
    /// Its latest run plus its interval; its first due day before any run.
    pub next_due: NaiveDate,
    pub overdue: bool,
}

/// What is coming up in the next days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ComingUp {
    /// The look-ahead in days.
    pub days: i64,
    pub milestones: Capped<DueMilestone>,
    pub credentials: Capped<DueCredential>,
    pub certificates: Capped<ExpiringCertificate>,
    /// Overdue audits and those due within the look-ahead, soonest first.
    pub audits: Capped<DueAudit>,
}

/// The next milestone of an integration that is not done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NextMilestone {
    pub title: String,
    pub due_date: NaiveDate,
}

/// One integration's row in the portfolio table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PortfolioRow {
    pub integration: IntegrationRef,
    pub provider: String,
    pub owner: String,
    pub priority: Priority,
    pub stage: Stage,
    /// The next stage's gate: criteria met out of its criteria; `None` when no criterion
    /// guards the next move (or there is none).
    pub gate: Option<Ratio>,
    pub health: Health,
    /// Uptime over 30 days in basis points, over every monitored environment; `None` before
    /// the first check.
    pub uptime_30d_bp: Option<i32>,
    pub open_incidents: u64,
    pub next_milestone: Option<NextMilestone>,
    /// Some milestone is past its due date and not done.
    pub overdue: bool,
}

/// The portfolio dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Dashboard {
    pub today: NaiveDate,
    /// Every stage with its count, in lifecycle order.
    pub pipeline: Vec<StageCount>,
    /// One page of the table, filtered and sorted like the integrations list.
    pub rows: Vec<PortfolioRow>,
    pub query: IntegrationQuery,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub figures: KeyFigures,
    pub coming_up: ComingUp,
    /// The newest entries of the activity trail.
    pub recent: Vec<RecentEntry>,
}

/// A trail entry with the integration it concerns, when it concerns one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RecentEntry {
    pub entry: ActivityEntry,
    pub integration: Option<IntegrationRef>,
}

/// Hours as days and hours ("3 d 4 h", "5 h").
pub fn duration_hours(hours: i64) -> String {
    if hours >= 24 {
        format!("{} d {} h", hours / 24, hours % 24)
    } else {
        format!("{hours} h")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_percent_rounds_down_and_is_none_when_empty() {
        assert_eq!(Ratio { part: 2, whole: 3 }.percent(), Some(66));
        assert_eq!(Ratio { part: 0, whole: 0 }.percent(), None);
        assert_eq!(Ratio { part: 7, whole: 9 }.describe("-"), "77% (7 of 9)");
        assert_eq!(Ratio::default().describe("No data"), "No data");
    }

    #[test]
    fn capped_keeps_the_first_and_counts_the_rest() {
        let c = Capped::of((0..25).collect::<Vec<i32>>());
        assert_eq!(c.items, (0..10).collect::<Vec<i32>>());
        assert_eq!((c.total, c.more()), (25, 15));
        let few = Capped::of(vec![1, 2]);
        assert_eq!((few.total, few.more(), few.is_empty()), (2, 0, false));
        assert!(Capped::<i32>::of(Vec::new()).is_empty());
    }

    #[test]
    fn figures_are_written_for_people() {
        assert_eq!(crate::monitoring::model::percent(9995), "99.95%");
        assert_eq!(crate::monitoring::model::percent(10_000), "100.00%");
        assert_eq!(duration_hours(76), "3 d 4 h");
        assert_eq!(duration_hours(5), "5 h");
    }
}
