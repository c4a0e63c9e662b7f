//! (ssr) The implementation stage's exit criteria (implementation -> testing), registered in
//! `lifecycle::gates`. Issue 5 adds the reviewed data mapping and the checklists here as they
//! land.

use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

use crate::entities::{credential_refs, environments, integrations};
use crate::lifecycle::gates::{CheckFuture, Criterion, Outcome};

/// Implementation -> testing.
pub static IMPLEMENTATION_EXIT: &[Criterion] = &[
    Criterion {
        key: "sandbox_health_check",
        label: "The sandbox environment configured with a health check",
        fix_path: "environments",
        check: sandbox_health_check,
    },
    Criterion {
        key: "sandbox_credentials_owned",
        label: "The sandbox's credential references recorded, each with an owner and a rotation interval",
        fix_path: "credentials",
        check: sandbox_credentials_owned,
    },
];

fn sandbox_credentials_owned<'a>(
    txn: &'a DatabaseTransaction,
    i: &'a integrations::Model,
) -> CheckFuture<'a> {
    Box::pin(async move {
        let Some(sandbox) = sandbox(txn, i).await? else {
            return Ok(Outcome::unmet("No environment is named sandbox yet."));
        };
        let refs = credential_refs::Entity::find()
            .filter(credential_refs::Column::EnvironmentId.eq(sandbox.id))
            .all(txn)
            .await?;
        let incomplete: Vec<&str> = refs
            .iter()
            .filter(|r| r.owner_id.is_none() || r.rotation_days.is_none())
            .map(|r| r.name.as_str())
            .collect();
        Ok(if refs.is_empty() {
            Outcome::unmet("The sandbox has no credential references yet.")
        } else if !incomplete.is_empty() {
            Outcome::unmet(format!(
                "Without an owner or a rotation interval: {}.",
                incomplete.join(", ")
            ))
        } else {
            Outcome::met(format!(
                "{} reference(s), each owned and on a rotation schedule.",
                refs.len()
            ))
        })
    })
}

async fn sandbox(
    txn: &DatabaseTransaction,
    i: &integrations::Model,
) -> crate::error::Result<Option<environments::Model>> {
    Ok(environments::Entity::find()
        .filter(environments::Column::IntegrationId.eq(i.id))
        .filter(environments::Column::Name.eq("sandbox"))
        .one(txn)
        .await?)
}

fn sandbox_health_check<'a>(
    txn: &'a DatabaseTransaction,
    i: &'a integrations::Model,
) -> CheckFuture<'a> {
    Box::pin(async move {
        Ok(match sandbox(txn, i).await? {
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
