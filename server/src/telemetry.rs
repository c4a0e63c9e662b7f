//! Tracing set-up: one subscriber, filtered by `TOLLGATE_LOG`.

use anyhow::{Result, anyhow};
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber.
///
/// # Errors
/// When `TOLLGATE_LOG` is not a valid filter.
pub fn init(filter: &str) -> Result<()> {
    let filter = EnvFilter::try_new(filter)
        .map_err(|e| anyhow!("TOLLGATE_LOG is not a valid log filter ({e}): {filter:?}"))?;
    // A second init (tests start several apps in one process) is not an error.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
    Ok(())
}
