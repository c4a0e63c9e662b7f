//! (ssr) The implementation stage's exit criteria (implementation -> testing), registered in
//! `lifecycle::gates`. Issue 5 adds credential references, the reviewed data mapping and the
//! checklists here as they land.

use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

use crate::entities::{environments, integrations};
use crate::lifecycle::gates::{CheckFuture, Criterion, Outcome};

/// Implementation -> testing.
pub static IMPLEMENTATION_EXIT: &[Criterion] = &[Criterion {
    key: "sandbox_health_check",
    label: "The sandbox environment configured with a health check",
    fix_path: "environments",
    check: sandbox_health_check,
}];

fn sandbox_health_check<'a>(
    txn: &'a DatabaseTransaction,
    i: &'a integrations::Model,
) -> CheckFuture<'a> {
    Box::pin(async move {
        let sandbox = environments::Entity::find()
            .filter(environments::Column::IntegrationId.eq(i.id))
            .filter(environments::Column::Name.eq("sandbox"))
            .one(txn)
            .await?;
        Ok(match sandbox {
            Some(e) if e.health_path.is_some() => Outcome::met(format!(
                "sandbox at {} is checked at {}.",
                e.base_url,
                e.health_path.unwrap_or_default()
            )),
            Some(_) => Outcome::unmet("The sandbox has no health check yet."),
            None => Outcome::unmet("No environment is named sandbox yet."),
        })
    })
}
