//! (ssr) The implementation stage's exit criteria (implementation -> testing), registered in
//! `lifecycle::gates`: the sandbox is configured and its health check has succeeded recently,
//! its credentials are owned and on a rotation schedule, the data mapping is reviewed, and
//! neither checklist has an open item. On testing -> live: production and its credential
//! references are registered.

use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

use super::model::EnvironmentKind;
use super::service::environment_of_kind;

use super::checklist::{Checklist, ItemStatus};
use crate::entities::{
    checklist_items, credential_refs, environments, integrations, mapping_reviews, monitors,
};
use crate::gate::{CheckFuture, Criterion, GateContext, Outcome};

/// On testing -> live, after the testing stage's own: production is registered.
pub const PRODUCTION_REGISTERED: &[Criterion] = &[Criterion {
    key: "production_registered",
    label: "The production environment and its credential references registered",
    fix_path: "environments",
    check: production_registered,
}];

/// Implementation -> testing.
pub const IMPLEMENTATION_EXIT: &[Criterion] = &[
    Criterion {
        key: "sandbox_health_check",
        label: "The sandbox environment configured with a health check that has succeeded",
        fix_path: "environments",
        check: sandbox_health_check,
    },
    Criterion {
        key: "sandbox_credentials_owned",
        label: "The sandbox's credential references recorded, each with an owner and a rotation interval",
        fix_path: "credentials",
        check: sandbox_credentials_owned,
    },
    Criterion {
        key: "mapping_reviewed",
        label: "The data mapping reviewed since its last change",
        fix_path: "mapping",
        check: mapping_reviewed,
    },
    Criterion {
        key: "checklists_closed",
        label: "The error-handling and security checklists without an open item",
        fix_path: "checklists",
        check: checklists_closed,
    },
];

fn mapping_reviewed<'a>(
    txn: &'a DatabaseTransaction,
    i: &'a integrations::Model,
    _ctx: &'a GateContext,
) -> CheckFuture<'a> {
    Box::pin(async move {
        Ok(
            match mapping_reviews::Entity::find_by_id(i.id).one(txn).await? {
                Some(r) => {
                    Outcome::met(format!("Reviewed on {}.", r.reviewed_at.format("%Y-%m-%d")))
                }
                None => Outcome::unmet("The mapping has not been reviewed since its last change."),
            },
        )
    })
}

fn checklists_closed<'a>(
    txn: &'a DatabaseTransaction,
    i: &'a integrations::Model,
    _ctx: &'a GateContext,
) -> CheckFuture<'a> {
    Box::pin(async move {
        let items = checklist_items::Entity::find()
            .filter(checklist_items::Column::IntegrationId.eq(i.id))
            .all(txn)
            .await?;
        let mut problems = Vec::new();
        for list in Checklist::ALL {
            let of: Vec<_> = items.iter().filter(|m| m.checklist == *list).collect();
            let open = of.iter().filter(|m| m.status == ItemStatus::Open).count();
            if of.is_empty() {
                problems.push(format!("{} has no items yet", list.label()));
            } else if open > 0 {
                problems.push(format!("{}: {open} open", list.label()));
            }
        }
        Ok(if problems.is_empty() {
            Outcome::met(format!("{} item(s), none open.", items.len()))
        } else {
            Outcome::unmet(format!("{}.", problems.join("; ")))
        })
    })
}

fn sandbox_credentials_owned<'a>(
    txn: &'a DatabaseTransaction,
    i: &'a integrations::Model,
    _ctx: &'a GateContext,
) -> CheckFuture<'a> {
    Box::pin(async move {
        let Some(sandbox) = sandbox(txn, i).await? else {
            return Ok(Outcome::unmet("No sandbox environment yet."));
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
    super::service::environment_of_kind(txn, i.id, EnvironmentKind::Sandbox).await
}

/// How old the sandbox's last successful check may be. A day: the sandbox is checked every
/// minute or so by default, so a day without a success means the monitor is not running or the
/// sandbox is not answering, and a configured path alone is no evidence that it works.
pub const SANDBOX_CHECK_FRESH_HOURS: i64 = 24;

fn sandbox_health_check<'a>(
    txn: &'a DatabaseTransaction,
    i: &'a integrations::Model,
    _ctx: &'a GateContext,
) -> CheckFuture<'a> {
    Box::pin(async move {
        let Some(env) = sandbox(txn, i).await? else {
            return Ok(Outcome::unmet("No sandbox environment yet."));
        };
        let Some(path) = env.health_path.as_deref() else {
            return Ok(Outcome::unmet("The sandbox has no health check yet."));
        };
        let monitor = monitors::Entity::find_by_id(env.id).one(txn).await?;
        let last_up = monitor
            .filter(|m| m.successes > 0)
            .and_then(|m| m.last_checked_at);
        Ok(match last_up {
            Some(at) if Utc::now() - at <= Duration::hours(SANDBOX_CHECK_FRESH_HOURS) => {
                Outcome::met(format!(
                    "sandbox at {}{path} answered its check at {}.",
                    env.base_url,
                    at.format("%Y-%m-%d %H:%M UTC")
                ))
            }
            Some(at) => Outcome::unmet(format!(
                "The sandbox's last successful check was at {}, more than {SANDBOX_CHECK_FRESH_HOURS} hours ago.",
                at.format("%Y-%m-%d %H:%M UTC")
            )),
            None => Outcome::unmet(
                "The sandbox's health check has not succeeded yet: its latest check failed or none has run.",
            ),
        })
    })
}

fn production_registered<'a>(
    txn: &'a DatabaseTransaction,
    i: &'a integrations::Model,
    _ctx: &'a GateContext,
) -> CheckFuture<'a> {
    Box::pin(async move {
        let Some(env) = environment_of_kind(txn, i.id, EnvironmentKind::Production).await? else {
            return Ok(Outcome::unmet("No production environment yet."));
        };
        let refs = credential_refs::Entity::find()
            .filter(credential_refs::Column::EnvironmentId.eq(env.id))
            .all(txn)
            .await?;
        Ok(if refs.is_empty() {
            Outcome::unmet("Production has no credential references yet.")
        } else {
            Outcome::met(format!(
                "production at {} with {} credential reference(s).",
                env.base_url,
                refs.len()
            ))
        })
    })
}
