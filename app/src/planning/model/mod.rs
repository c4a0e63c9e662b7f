//! Planning types that cross the wire, and the pure rules behind them: objective progress and
//! the weighted vendor ranking.

pub use crate::choices::planning::{MilestoneStatus, PlanState};

mod meetings;
mod milestones;
mod needs;
mod objectives;
mod plans;
mod vendors;

pub use meetings::*;
pub use milestones::*;
pub use needs::*;
pub use objectives::*;
pub use plans::*;
pub use vendors::*;
