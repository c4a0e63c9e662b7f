//! (ssr) The portfolio's key figures and pipeline, each computed from records with a few
//! grouped queries whatever the size of the portfolio: integrations per stage, milestones on
//! time, the QA pass rate, the median time in each stage, the mean time to resolve and the
//! integrations past their planned go-live.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use super::model::{Capped, KeyFigures, LateIntegration, Ratio, StageCount, StageTime};
use crate::entities::{
    incidents, integrations, milestones, stage_transitions, test_executions, test_runs,
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
    let counts: Vec<(Stage, i64)> = integrations::Entity::find()
        .select_only()
        .column(integrations::Column::Stage)
        .column_as(integrations::Column::Id.count(), "n")
        .group_by(integrations::Column::Stage)
        .into_tuple()
        .all(db)
        .await?;
    Ok(Stage::ALL
        .iter()
        .map(|stage| StageCount {
            stage: *stage,
            count: counts
                .iter()
                .find(|(s, _)| s == stage)
                .map_or(0, |(_, n)| count(*n)),
        })
        .collect())
}

/// Done milestones completed on or before their due date, out of all done milestones.
///
/// # Errors
/// Database failures.
pub async fn milestones_on_time(db: &impl ConnectionTrait) -> Result<Ratio> {
    let done =
        || milestones::Entity::find().filter(milestones::Column::Status.eq(MilestoneStatus::Done));
    let whole = done().count(db).await?;
    let part = done()
        .filter(
            Expr::col(milestones::Column::CompletedOn).lte(Expr::col(milestones::Column::DueDate)),
        )
        .count(db)
        .await?;
    Ok(Ratio { part, whole })
}

/// Over the latest run of every test plan: passed executions out of those a pass rate is
/// taken over (`Counts::applicable`, the run page's rule).
///
/// # Errors
/// Database failures.
pub async fn qa_pass_rate(db: &impl ConnectionTrait) -> Result<Ratio> {
    // The latest run of a plan is its highest id, as the go-live gate reads it.
    let latest = Query::select()
        .expr(Expr::col(test_runs::Column::Id).max())
        .from(test_runs::Entity)
        .group_by_col(test_runs::Column::PlanId)
        .to_owned();
    let counted: Vec<(ExecutionStatus, i64)> = test_executions::Entity::find()
        .select_only()
        .column(test_executions::Column::Status)
        .column_as(test_executions::Column::Id.count(), "n")
        .filter(test_executions::Column::RunId.in_subquery(latest))
        .group_by(test_executions::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let counts = Counts::of_counted(
        counted
            .into_iter()
            .map(|(status, n)| (status, usize::try_from(n).unwrap_or(0))),
    );
    Ok(Ratio {
        part: counts.passed as u64,
        whole: counts.applicable() as u64,
    })
}

/// The lower median of `values` (which it sorts).
fn median(values: &mut [i64]) -> Option<i64> {
    values.sort_unstable();
    (!values.is_empty()).then(|| values[(values.len() - 1) / 2])
}

/// Per stage an integration passes through, the median hours it stayed there, over stays
/// that ended: an integration enters planning when it is created, and each move ends the
/// stay in the stage it leaves.
///
/// # Errors
/// Database failures.
pub async fn stage_times(db: &impl ConnectionTrait) -> Result<Vec<StageTime>> {
    #[derive(Debug, FromQueryResult)]
    struct Created {
        id: i32,
        created_at: DateTime<Utc>,
    }
    #[derive(Debug, FromQueryResult)]
    struct Move {
        integration_id: i32,
        from_stage: String,
        at: DateTime<Utc>,
    }
    let created: HashMap<i32, DateTime<Utc>> = integrations::Entity::find()
        .select_only()
        .columns([integrations::Column::Id, integrations::Column::CreatedAt])
        .into_model::<Created>()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.created_at))
        .collect();
    let moves: Vec<Move> = stage_transitions::Entity::find()
        .select_only()
        .columns([
            stage_transitions::Column::IntegrationId,
            stage_transitions::Column::FromStage,
            stage_transitions::Column::At,
        ])
        .order_by_asc(stage_transitions::Column::IntegrationId)
        .order_by_asc(stage_transitions::Column::Id)
        .into_model()
        .all(db)
        .await?;
    let mut stays: HashMap<&str, Vec<i64>> = HashMap::new();
    let mut since: Option<(i32, DateTime<Utc>)> = None;
    for m in &moves {
        let entered = match since {
            Some((id, at)) if id == m.integration_id => Some(at),
            // A deleted integration's moves stay; without its creation time the first
            // stay has no start.
            _ => created.get(&m.integration_id).copied(),
        };
        if let Some(entered) = entered {
            stays
                .entry(m.from_stage.as_str())
                .or_default()
                .push((m.at - entered).num_hours());
        }
        since = Some((m.integration_id, m.at));
    }
    Ok(TIMED
        .iter()
        .map(|stage| {
            let mut hours = stays.remove(stage.as_str()).unwrap_or_default();
            StageTime {
                stage: *stage,
                stays: hours.len() as u64,
                median_hours: median(&mut hours),
            }
        })
        .collect())
}

/// Mean minutes from opening to resolving, over every resolved incident.
///
/// # Errors
/// Database failures.
pub async fn mttr_minutes(db: &impl ConnectionTrait) -> Result<Option<i64>> {
    #[derive(Debug, FromQueryResult)]
    struct Span {
        opened_at: DateTime<Utc>,
        resolved_at: Option<DateTime<Utc>>,
    }
    let spans: Vec<Span> = incidents::Entity::find()
        .select_only()
        .columns([incidents::Column::OpenedAt, incidents::Column::ResolvedAt])
        .filter(incidents::Column::ResolvedAt.is_not_null())
        .into_model()
        .all(db)
        .await?;
    let minutes: Vec<i64> = spans
        .iter()
        .filter_map(|s| s.resolved_at.map(|r| (r - s.opened_at).num_minutes()))
        .collect();
    Ok(crate::monitoring::service::mean(&minutes))
}

/// Integrations short of live whose planned go-live, the due date of their last milestone,
/// is before `today`; the latest first.
///
/// # Errors
/// Database failures.
pub async fn past_go_live(
    db: &impl ConnectionTrait,
    today: NaiveDate,
) -> Result<Vec<LateIntegration>> {
    #[derive(Debug, FromQueryResult)]
    struct Last {
        integration_id: i32,
        planned: Option<NaiveDate>,
    }
    let last: Vec<Last> = milestones::Entity::find()
        .select_only()
        .column(milestones::Column::IntegrationId)
        .column_as(milestones::Column::DueDate.max(), "planned")
        .filter(
            milestones::Column::IntegrationId.in_subquery(
                Query::select()
                    .column(integrations::Column::Id)
                    .from(integrations::Entity)
                    .and_where(integrations::Column::Stage.is_in(BEFORE_LIVE.iter().copied()))
                    .to_owned(),
            ),
        )
        .group_by(milestones::Column::IntegrationId)
        .into_model()
        .all(db)
        .await?;
    let late: HashMap<i32, NaiveDate> = last
        .into_iter()
        .filter_map(|l| {
            l.planned
                .filter(|p| *p < today)
                .map(|p| (l.integration_id, p))
        })
        .collect();
    let rows = integrations::Entity::find()
        .filter(integrations::Column::Id.is_in(late.keys().copied()))
        .all(db)
        .await?;
    let mut out: Vec<LateIntegration> = rows
        .iter()
        .filter_map(|i| {
            Some(LateIntegration {
                integration: reference(i),
                stage: i.stage,
                planned: *late.get(&i.id)?,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.planned
            .cmp(&b.planned)
            .then(a.integration.name.cmp(&b.integration.name))
    });
    Ok(out)
}

/// Every key figure as of `today`.
///
/// # Errors
/// Database failures.
pub async fn figures(db: &impl ConnectionTrait, today: NaiveDate) -> Result<KeyFigures> {
    Ok(KeyFigures {
        milestones_on_time: milestones_on_time(db).await?,
        qa_pass_rate: qa_pass_rate(db).await?,
        stage_times: stage_times(db).await?,
        mttr_minutes: mttr_minutes(db).await?,
        past_go_live: Capped::of(past_go_live(db, today).await?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_takes_the_lower_middle() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5]), Some(5));
        assert_eq!(median(&mut [9, 1, 5]), Some(5));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2));
    }
}
