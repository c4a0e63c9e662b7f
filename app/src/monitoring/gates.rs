//! (ssr) Monitoring's criterion on testing -> live, registered in `lifecycle::gates`:
//! production's health check has succeeded enough times in a row.

use sea_orm::{DatabaseTransaction, EntityTrait};

use crate::implementation::model::EnvironmentKind;
use crate::implementation::service::environment_of_kind;

use crate::entities::{integrations, monitors};
use crate::gate::{CheckFuture, Criterion, GateContext, Outcome};

/// On testing -> live, last: production is healthy.
pub const PRODUCTION_HEALTHY: &[Criterion] = &[Criterion {
    key: "production_healthy",
    label: "The production health check succeeded enough times in a row",
    fix_path: "health",
    check: production_healthy,
}];

/// Production's last `ctx.health_successes` checks all succeeded.
pub fn production_healthy<'a>(
    txn: &'a DatabaseTransaction,
    i: &'a integrations::Model,
    ctx: &'a GateContext,
) -> CheckFuture<'a> {
    Box::pin(async move {
        let need = ctx.health_successes;
        let Some(env) = environment_of_kind(txn, i.id, EnvironmentKind::Production).await? else {
            return Ok(Outcome::unmet("No production environment yet."));
        };
        if env.health_path.is_none() {
            return Ok(Outcome::unmet("Production has no health check yet."));
        }
        let successes = monitors::Entity::find_by_id(env.id)
            .one(txn)
            .await?
            .map_or(0, |m| m.successes);
        Ok(if successes >= need {
            Outcome::met(format!("{successes} successful checks in a row."))
        } else {
            Outcome::unmet(format!(
                "{successes} successful checks in a row; {need} are needed."
            ))
        })
    })
}
