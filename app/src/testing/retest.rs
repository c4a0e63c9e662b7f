//! (ssr) "Needs retest": a case whose provider operation changed in a breaking way must be run
//! again; a passing result clears the flag. Both are recorded in the trail.

use sea_orm::{ActiveValue::Set, ConnectionTrait};
use serde_json::json;

use crate::auth::model::CurrentUser;
use crate::entities::test_cases;
use crate::error::Result;
use crate::records;

async fn set(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    integration_id: i32,
    case: &test_cases::Model,
    reason: Option<String>,
) -> Result<()> {
    if case.retest_reason == reason {
        return Ok(());
    }
    let mut active: test_cases::ActiveModel = case.clone().into();
    active.retest_reason = Set(reason);
    let filing = records::shown(
        "test_case",
        integration_id,
        |c: &test_cases::Model| c.id,
        |c| json!({"retest_reason": c.retest_reason}),
    );
    records::save_filed(txn, actor, "update", filing, case, active).await?;
    Ok(())
}

/// Marks `cases` as needing a retest, for `reason`.
///
/// # Errors
/// Database failures.
pub async fn flag(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    integration_id: i32,
    cases: &[test_cases::Model],
    reason: &str,
) -> Result<()> {
    for c in cases {
        set(txn, actor, integration_id, c, Some(reason.to_string())).await?;
    }
    Ok(())
}

/// Clears `case`'s retest flag (a pass was recorded).
///
/// # Errors
/// Database failures.
pub async fn clear(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    integration_id: i32,
    case: &test_cases::Model,
) -> Result<()> {
    set(txn, actor, integration_id, case, None).await
}
