//! (ssr) A run's lookups, below both its results (`runs`) and its sign-offs (`signoffs`).

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::{integrations, test_executions, test_plans, test_runs};
use crate::error::{AppError, Result};
use crate::integrations::lookup::integration_by_id;

/// Run `id`, its plan and its integration.
///
/// # Errors
/// `NotFound`.
pub async fn run_and_plan(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<(test_runs::Model, test_plans::Model, integrations::Model)> {
    let run = test_runs::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let plan = test_plans::Entity::find_by_id(run.plan_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let i = integration_by_id(db, plan.integration_id).await?;
    Ok((run, plan, i))
}

/// The executions of run `run_id`, in id order.
///
/// # Errors
/// Database failures.
pub async fn executions_of(
    db: &impl ConnectionTrait,
    run_id: i32,
) -> Result<Vec<test_executions::Model>> {
    Ok(test_executions::Entity::find()
        .filter(test_executions::Column::RunId.eq(run_id))
        .order_by_asc(test_executions::Column::Id)
        .all(db)
        .await?)
}
