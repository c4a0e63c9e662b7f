//! (ssr) The portfolio's key figures and pipeline, each computed from records with a few
//! grouped queries whatever the size of the portfolio: integrations per stage, milestones on
//! time, the QA pass rate, the median time in each stage, the mean time to resolve and the
//! integrations past their planned go-live; the key figures as the sum of each integration's
//! part, so they can be kept up to date one integration at a time.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::model::{Capped, KeyFigures, LateIntegration, Ratio, SHOWN, StageCount, StageTime};
use crate::entities::{
    incidents, integrations, milestones, stage_transitions, test_executions, test_plans, test_runs,
};
use crate::error::Result;
use crate::integrations::lookup::reference;
use crate::integrations::model::Stage;
use crate::planning::model::MilestoneStatus;
use crate::testing::model::{Counts, ExecutionStatus};

/// The stages whose stays the median time counts: those an integration passes through.
const TIMED: [Stage; 5] = [
    Stage::Planning,
    Stage::Implementation,
    Stage::Testing,
    Stage::Live,
    Stage::OnHold,
];

/// The stages before live, where a planned go-live can be missed.
const BEFORE_LIVE: [Stage; 4] = [
    Stage::Planning,
    Stage::Implementation,
    Stage::Testing,
    Stage::OnHold,
];

#[derive(Debug, FromQueryResult)]
pub(super) struct IdCount {
    pub(super) id: i32,
    pub(super) n: i64,
}

pub(super) fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// How many integrations are in each stage, every stage listed in lifecycle order.
///
/// # Errors
/// Database failures.
pub async fn pipeline(db: &impl ConnectionTrait) -> Result<Vec<StageCount>> {
    let counts: HashMap<Stage, i64> = integrations::Entity::find()
        .select_only()
        .column(integrations::Column::Stage)
        .column_as(integrations::Column::Id.count(), "n")
        .group_by(integrations::Column::Stage)
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(stage_counts(|stage| {
        counts.get(&stage).map_or(0, |n| count(*n))
    }))
}

/// Every stage in lifecycle order, with the count `of` it.
fn stage_counts(of: impl Fn(Stage) -> u64) -> Vec<StageCount> {
    Stage::ALL
        .iter()
        .map(|stage| StageCount {
            stage: *stage,
            count: of(*stage),
        })
        .collect()
}

/// What one integration adds to the portfolio's key figures: the figures are sums, means
/// and medians over every integration's part, so a change to one integration's records
/// recomputes its part alone (`dashboard::kept_figures`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Part {
    /// Its stage (`None` only in a part made by hand: [`parts`] gives every integration its
    /// stage), counted in the pipeline.
    pub stage: Option<Stage>,
    /// Its done milestones, and those completed on or before their due date.
    pub milestones: Ratio,
    /// Over the latest run of each of its test plans: passed executions out of those a pass
    /// rate is taken over (`Counts::applicable`, the run page's rule).
    pub qa: Ratio,
    /// The stays that ended, in hours, by the stage stayed in: it enters planning when it is
    /// created, and each move ends the stay in the stage it leaves.
    pub stays: Vec<(Stage, i64)>,
    /// Its resolved incidents' minutes from opening to resolving: their sum and how many.
    pub resolved: (i64, i64),
    /// Short of live, with a planned go-live (the due date of its last milestone) before
    /// the day the part was computed for.
    pub late: Option<LateIntegration>,
}

/// Each integration's [`Part`] as of `today`, for `only` these integrations or all of them,
/// with a few grouped queries whatever their number.
///
/// # Errors
/// Database failures.
pub async fn parts(
    db: &impl ConnectionTrait,
    only: Option<&[i32]>,
    today: NaiveDate,
) -> Result<HashMap<i32, Part>> {
    let mut parts: HashMap<i32, Part> = HashMap::new();
    let ids = || only.map(<[i32]>::to_vec);
    let stages = integrations::Entity::find()
        .select_only()
        .columns([integrations::Column::Id, integrations::Column::Stage]);
    let stages = match ids() {
        Some(ids) => stages.filter(integrations::Column::Id.is_in(ids)),
        None => stages,
    };
    for (id, stage) in stages.into_tuple::<(i32, Stage)>().all(db).await? {
        parts.entry(id).or_default().stage = Some(stage);
    }
    // Milestones done, and on time.
    let done = || {
        let q = milestones::Entity::find()
            .select_only()
            .column_as(milestones::Column::IntegrationId, "id")
            .column_as(milestones::Column::Id.count(), "n")
            .filter(milestones::Column::Status.eq(MilestoneStatus::Done))
            .group_by(milestones::Column::IntegrationId);
        match ids() {
            Some(ids) => q.filter(milestones::Column::IntegrationId.is_in(ids)),
            None => q,
        }
    };
    for c in done().into_model::<IdCount>().all(db).await? {
        parts.entry(c.id).or_default().milestones.whole = count(c.n);
    }
    let on_time = done()
        .filter(
            Expr::col(milestones::Column::CompletedOn).lte(Expr::col(milestones::Column::DueDate)),
        )
        .into_model::<IdCount>()
        .all(db)
        .await?;
    for c in on_time {
        parts.entry(c.id).or_default().milestones.part = count(c.n);
    }
    for (id, counts) in qa_counts(db, ids()).await? {
        parts.entry(id).or_default().qa = Ratio {
            part: counts.passed as u64,
            whole: counts.applicable() as u64,
        };
    }
    for (id, stays) in stays(db, ids()).await? {
        parts.entry(id).or_default().stays = stays;
    }
    #[derive(Debug, FromQueryResult)]
    struct Span {
        integration_id: i32,
        opened_at: DateTime<Utc>,
        resolved_at: Option<DateTime<Utc>>,
    }
    let resolved = incidents::Entity::find()
        .select_only()
        .columns([
            incidents::Column::IntegrationId,
            incidents::Column::OpenedAt,
            incidents::Column::ResolvedAt,
        ])
        .filter(incidents::Column::ResolvedAt.is_not_null());
    let resolved = match ids() {
        Some(ids) => resolved.filter(incidents::Column::IntegrationId.is_in(ids)),
        None => resolved,
    };
    for s in resolved.into_model::<Span>().all(db).await? {
        if let Some(r) = s.resolved_at {
            let part = &mut parts.entry(s.integration_id).or_default().resolved;
            part.0 += (r - s.opened_at).num_minutes();
            part.1 += 1;
        }
    }
    for late in past_go_live(db, ids(), today).await? {
        let id = late.integration.id;
        parts.entry(id).or_default().late = Some(late);
    }
    Ok(parts)
}

/// Per integration (of `only`, or all), the pass counts over the latest run of each of its
/// test plans; the latest run of a plan is its highest id, as the go-live gate reads it.
async fn qa_counts(
    db: &impl ConnectionTrait,
    only: Option<Vec<i32>>,
) -> Result<HashMap<i32, Counts>> {
    let plans = test_plans::Entity::find()
        .select_only()
        .columns([test_plans::Column::Id, test_plans::Column::IntegrationId]);
    let plans: HashMap<i32, i32> = match only {
        Some(ids) => plans.filter(test_plans::Column::IntegrationId.is_in(ids)),
        None => plans,
    }
    .into_tuple::<(i32, i32)>()
    .all(db)
    .await?
    .into_iter()
    .collect();
    let latest: Vec<(i32, Option<i32>)> = test_runs::Entity::find()
        .select_only()
        .column(test_runs::Column::PlanId)
        .column_as(test_runs::Column::Id.max(), "id")
        .filter(test_runs::Column::PlanId.is_in(plans.keys().copied()))
        .group_by(test_runs::Column::PlanId)
        .into_tuple()
        .all(db)
        .await?;
    let integration_of: HashMap<i32, i32> = latest
        .into_iter()
        .filter_map(|(plan, run)| Some((run?, *plans.get(&plan)?)))
        .collect();
    let counted: Vec<(i32, ExecutionStatus, i64)> = test_executions::Entity::find()
        .select_only()
        .column(test_executions::Column::RunId)
        .column(test_executions::Column::Status)
        .column_as(test_executions::Column::Id.count(), "n")
        .filter(test_executions::Column::RunId.is_in(integration_of.keys().copied()))
        .group_by(test_executions::Column::RunId)
        .group_by(test_executions::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let mut by_integration: HashMap<i32, Vec<(ExecutionStatus, usize)>> = HashMap::new();
    for (run, status, n) in counted {
        if let Some(id) = integration_of.get(&run) {
            by_integration
                .entry(*id)
                .or_default()
                .push((status, usize::try_from(n).unwrap_or(0)));
        }
    }
    Ok(by_integration
        .into_iter()
        .map(|(id, counted)| (id, Counts::of_counted(counted)))
        .collect())
}

/// Per integration (of `only`, or all), the hours of each stay that ended, by stage. A
/// deleted integration's moves stay; without its creation time its first stay has no start.
async fn stays(
    db: &impl ConnectionTrait,
    only: Option<Vec<i32>>,
) -> Result<HashMap<i32, Vec<(Stage, i64)>>> {
    let created = integrations::Entity::find()
        .select_only()
        .columns([integrations::Column::Id, integrations::Column::CreatedAt]);
    let moves = stage_transitions::Entity::find()
        .select_only()
        .columns([
            stage_transitions::Column::IntegrationId,
            stage_transitions::Column::FromStage,
            stage_transitions::Column::At,
        ])
        .order_by_asc(stage_transitions::Column::IntegrationId)
        .order_by_asc(stage_transitions::Column::Id);
    let (created, moves) = match only {
        Some(ids) => (
            created.filter(integrations::Column::Id.is_in(ids.clone())),
            moves.filter(stage_transitions::Column::IntegrationId.is_in(ids)),
        ),
        None => (created, moves),
    };
    let created: HashMap<i32, DateTime<Utc>> = created
        .into_tuple::<(i32, DateTime<Utc>)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let moves: Vec<(i32, Stage, DateTime<Utc>)> = moves.into_tuple().all(db).await?;
    let mut stays: HashMap<i32, Vec<(Stage, i64)>> = HashMap::new();
    let mut since: Option<(i32, DateTime<Utc>)> = None;
    for (id, from, at) in moves {
        let entered = match since {
            Some((was, entered)) if was == id => Some(entered),
            _ => created.get(&id).copied(),
        };
        if let Some(entered) = entered {
            stays
                .entry(id)
                .or_default()
                .push((from, (at - entered).num_hours()));
        }
        since = Some((id, at));
    }
    Ok(stays)
}

/// Integrations (of `only`, or all) short of live whose planned go-live, the due date of
/// their last milestone, is before `today`.
async fn past_go_live(
    db: &impl ConnectionTrait,
    only: Option<Vec<i32>>,
    today: NaiveDate,
) -> Result<Vec<LateIntegration>> {
    let short_of_live = Query::select()
        .column(integrations::Column::Id)
        .from(integrations::Entity)
        .and_where(integrations::Column::Stage.is_in(BEFORE_LIVE.iter().copied()))
        .to_owned();
    let last = milestones::Entity::find()
        .select_only()
        .column(milestones::Column::IntegrationId)
        .column_as(milestones::Column::DueDate.max(), "planned")
        .filter(milestones::Column::IntegrationId.in_subquery(short_of_live))
        .group_by(milestones::Column::IntegrationId);
    let last: Vec<(i32, Option<NaiveDate>)> = match only {
        Some(ids) => last.filter(milestones::Column::IntegrationId.is_in(ids)),
        None => last,
    }
    .into_tuple()
    .all(db)
    .await?;
    let late: HashMap<i32, NaiveDate> = last
        .into_iter()
        .filter_map(|(id, planned)| planned.filter(|p| *p < today).map(|p| (id, p)))
        .collect();
    let rows = integrations::Entity::find()
        .filter(integrations::Column::Id.is_in(late.keys().copied()))
        .all(db)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|i| {
            Some(LateIntegration {
                integration: reference(i),
                stage: i.stage,
                planned: *late.get(&i.id)?,
            })
        })
        .collect())
}

/// The running totals of every integration's [`Part`]: a part is added and taken away
/// without going over the others again, so a change to one integration costs the figures its
/// part, not the portfolio's. The stays are kept counted by hours, so a median is found by
/// walking the distinct values, and the late integrations in the order they are shown.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    stages: HashMap<Stage, u64>,
    milestones: Ratio,
    qa: Ratio,
    stays: HashMap<Stage, BTreeMap<i64, u64>>,
    resolved: (i64, i64),
    late: BTreeMap<(NaiveDate, String, i32), LateIntegration>,
}

impl Totals {
    /// Adds `part` to the totals.
    pub fn add(&mut self, part: &Part) {
        self.change(part, true);
    }

    /// Takes `part`, added before, away from the totals.
    pub fn remove(&mut self, part: &Part) {
        self.change(part, false);
    }

    fn change(&mut self, p: &Part, add: bool) {
        let by = |total: &mut u64, n: u64| {
            *total = if add {
                total.saturating_add(n)
            } else {
                total.saturating_sub(n)
            };
        };
        if let Some(stage) = p.stage {
            by(self.stages.entry(stage).or_default(), 1);
        }
        by(&mut self.milestones.part, p.milestones.part);
        by(&mut self.milestones.whole, p.milestones.whole);
        by(&mut self.qa.part, p.qa.part);
        by(&mut self.qa.whole, p.qa.whole);
        for (stage, hours) in &p.stays {
            let counted = self.stays.entry(*stage).or_default();
            let n = counted.entry(*hours).or_default();
            by(n, 1);
            if *n == 0 {
                counted.remove(hours);
            }
        }
        let sign = if add { 1 } else { -1 };
        self.resolved.0 += sign * p.resolved.0;
        self.resolved.1 += sign * p.resolved.1;
        if let Some(late) = &p.late {
            let key = (
                late.planned,
                late.integration.name.clone(),
                late.integration.id,
            );
            if add {
                self.late.insert(key, late.clone());
            } else {
                self.late.remove(&key);
            }
        }
    }

    /// How many integrations are in each stage, every stage listed in lifecycle order (as
    /// [`pipeline`] reads them).
    pub fn pipeline(&self) -> Vec<StageCount> {
        stage_counts(|stage| self.stages.get(&stage).copied().unwrap_or(0))
    }

    /// The key figures the totals make.
    pub fn figures(&self) -> KeyFigures {
        let (minutes, resolved) = self.resolved;
        KeyFigures {
            milestones_on_time: self.milestones,
            qa_pass_rate: self.qa,
            stage_times: TIMED
                .iter()
                .map(|stage| {
                    let counted = self.stays.get(stage);
                    let stays = counted.map_or(0, |c| c.values().sum());
                    StageTime {
                        stage: *stage,
                        stays,
                        median_hours: counted.and_then(|c| median(c, stays)),
                    }
                })
                .collect(),
            mttr_minutes: (resolved > 0).then(|| minutes / resolved),
            past_go_live: Capped::counted(
                self.late.len() as u64,
                self.late.values().take(SHOWN).cloned().collect(),
            ),
        }
    }
}

impl<'a> FromIterator<&'a Part> for Totals {
    fn from_iter<I: IntoIterator<Item = &'a Part>>(parts: I) -> Self {
        let mut totals = Self::default();
        for p in parts {
            totals.add(p);
        }
        totals
    }
}

/// The portfolio's key figures from every integration's part.
pub fn sum<'a>(parts: impl IntoIterator<Item = &'a Part>) -> KeyFigures {
    parts.into_iter().collect::<Totals>().figures()
}

/// The lower median of `n` values counted by value.
fn median(counted: &BTreeMap<i64, u64>, n: u64) -> Option<i64> {
    let mut before = n.checked_sub(1)? / 2;
    for (value, times) in counted {
        if before < *times {
            return Some(*value);
        }
        before -= times;
    }
    None
}

/// Every key figure as of `today`, from scratch.
///
/// # Errors
/// Database failures.
pub async fn figures(db: &impl ConnectionTrait, today: NaiveDate) -> Result<KeyFigures> {
    Ok(sum(parts(db, None, today).await?.values()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(values: &[i64]) -> (BTreeMap<i64, u64>, u64) {
        let mut c = BTreeMap::new();
        for v in values {
            *c.entry(*v).or_default() += 1;
        }
        (c, values.len() as u64)
    }

    #[test]
    fn median_takes_the_lower_middle() {
        let m = |values: &[i64]| {
            let (c, n) = counted(values);
            median(&c, n)
        };
        assert_eq!(m(&[]), None);
        assert_eq!(m(&[5]), Some(5));
        assert_eq!(m(&[9, 1, 5]), Some(5));
        assert_eq!(m(&[4, 1, 3, 2]), Some(2));
        assert_eq!(m(&[7, 7, 7, 1]), Some(7));
        assert_eq!(m(&[1, 1, 9, 9]), Some(1));
    }

    fn late(id: i32, name: &str, planned: &str) -> LateIntegration {
        LateIntegration {
            integration: crate::integrations::model::IntegrationRef {
                id,
                name: name.into(),
                slug: name.to_lowercase(),
                gate_overridden: false,
            },
            stage: Stage::Testing,
            planned: planned.parse().expect("date"),
        }
    }

    fn part(seed: i64) -> Part {
        let n = u64::try_from(seed).unwrap_or(0);
        let all = Stage::ALL;
        Part {
            stage: (seed % 7 != 6).then(|| all[usize::try_from(seed).unwrap_or(0) % all.len()]),
            milestones: Ratio {
                part: n % 3,
                whole: n % 3 + n % 2,
            },
            qa: Ratio {
                part: n % 5,
                whole: n % 5 + 1,
            },
            stays: vec![
                (Stage::Planning, seed * 7 % 13),
                (Stage::Testing, seed % 4),
                (Stage::Planning, seed % 2),
            ],
            resolved: (seed * 11, seed % 3),
            late: (seed % 4 == 0).then(|| {
                late(
                    i32::try_from(seed).unwrap_or(0),
                    &format!("I{}", seed % 7),
                    &format!("2026-0{}-01", 1 + seed % 9),
                )
            }),
        }
    }

    /// The pipeline of `parts`, counted afresh.
    fn pipeline_of<'a>(parts: impl Iterator<Item = &'a Part>) -> Vec<StageCount> {
        let stages: Vec<Stage> = parts.filter_map(|p| p.stage).collect();
        stage_counts(|stage| stages.iter().filter(|s| **s == stage).count() as u64)
    }

    #[test]
    fn totals_kept_by_adding_and_removing_parts_equal_the_sum_from_scratch() {
        let mut parts: HashMap<i64, Part> = (0..40).map(|i| (i, part(i))).collect();
        let mut totals: Totals = parts.values().collect();
        assert_eq!(totals.figures(), sum(parts.values()));
        assert_eq!(totals.pipeline(), pipeline_of(parts.values()));
        assert!(
            totals.pipeline().iter().all(|s| s.count > 0),
            "every stage counted"
        );
        // Parts change, vanish and appear, one at a time, as integrations change.
        for (i, seed) in [(3, 100), (8, 5), (17, 64), (0, 1), (39, 12)] {
            if let Some(old) = parts.remove(&i) {
                totals.remove(&old);
            }
            if seed % 5 != 0 {
                let new = part(seed);
                totals.add(&new);
                parts.insert(i, new);
            }
            assert_eq!(totals.figures(), sum(parts.values()), "after changing {i}");
            assert_eq!(totals.pipeline(), pipeline_of(parts.values()), "after {i}");
        }
        for p in parts.values() {
            totals.remove(p);
        }
        assert_eq!(totals.figures(), sum(std::iter::empty()));
        assert!(totals.pipeline().iter().all(|s| s.count == 0));
    }

    #[test]
    fn the_late_are_shown_by_planned_go_live_then_name_and_all_counted() {
        let parts: Vec<Part> = (0..SHOWN + 3)
            .map(|i| Part {
                late: Some(late(
                    i32::try_from(i).unwrap_or(0),
                    &format!("N{}", 99 - i),
                    if i % 2 == 0 {
                        "2026-03-01"
                    } else {
                        "2026-02-01"
                    },
                )),
                ..Part::default()
            })
            .collect();
        let figures = sum(&parts);
        assert_eq!(figures.past_go_live.total, (SHOWN + 3) as u64);
        assert_eq!(figures.past_go_live.items.len(), SHOWN);
        let shown: Vec<(NaiveDate, &str)> = figures
            .past_go_live
            .items
            .iter()
            .map(|l| (l.planned, l.integration.name.as_str()))
            .collect();
        let mut sorted = shown.clone();
        sorted.sort();
        assert_eq!(shown, sorted);
    }
}
