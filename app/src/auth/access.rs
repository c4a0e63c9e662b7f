//! Who may do what: the one table of role × action. Every REST route and server function
//! names the action it needs and is checked against this table before anything else runs
//! (the server's gate); services ask the same table for the rules they keep whichever door a
//! request came through, and pages ask it which controls to show.

use super::model::{CurrentUser, Role};
use crate::error::{AppError, Result};

crate::choice_enum! {
    /// Something a request does, as the permission table knows it. The label completes
    /// "may ...".
    Action {
        Public => ("public", "sign in, set up the instance and read the API document"),
        Read => ("read", "read integrations and their records"),
        Account => ("account", "manage their own account, sessions, tokens and views"),
        EditIntegrations => ("edit_integrations", "create, edit and delete integrations"),
        Plan => ("plan", "plan integrations (needs, objectives, vendors, plans, milestones, meetings, audits)"),
        ReviewPlan => ("review_plan", "approve plans or ask for changes"),
        WorkAssigned => ("work_assigned", "update milestones and action items assigned to them"),
        MoveStage => ("move_stage", "move integrations between stages"),
        OverrideGate => ("override_gate", "move past a closed gate, with a justification"),
        Build => ("build", "record how integrations are wired (environments, credentials, mapping, checklists, incidents, events)"),
        ReadCredentials => ("read_credentials", "read credential references and who has access"),
        Grant => ("grant", "grant and revoke access to credentials"),
        EditSpecs => ("edit_specs", "import specifications and mark the operations used"),
        WriteTests => ("write_tests", "write test plans, cases and runs, sign off and file defects"),
        RecordResults => ("record_results", "record test results and update defects"),
        Audit => ("audit", "record audit runs and findings"),
        Report => ("report", "report provider feedback"),
        ManageWebhooks => ("manage_webhooks", "manage webhook endpoints and their deliveries"),
        Administer => ("administer", "manage accounts and end other people's sessions"),
    }
}

impl Action {
    /// Whether the action changes something: a read-scope token may not do it (by any method
    /// but GET), however its owner's role stands in the table.
    pub fn changes(self) -> bool {
        !matches!(
            self,
            Action::Public | Action::Read | Action::ReadCredentials
        )
    }
}

impl Role {
    /// The table: whether this role may do `action`.
    pub fn can(self, action: Action) -> bool {
        use Action as A;
        use Role as R;
        match action {
            A::Public | A::Read | A::Account => true,
            A::EditIntegrations | A::Plan | A::MoveStage | A::Grant | A::ManageWebhooks => {
                matches!(self, R::Admin | R::Coordinator)
            }
            A::ReviewPlan => matches!(self, R::Admin | R::Stakeholder),
            A::WorkAssigned | A::Build => {
                matches!(self, R::Admin | R::Coordinator | R::Engineer)
            }
            A::ReadCredentials | A::EditSpecs | A::Audit | A::Report => self != R::Stakeholder,
            A::WriteTests => matches!(self, R::Admin | R::Qa),
            A::RecordResults => matches!(self, R::Admin | R::Qa | R::Engineer),
            A::OverrideGate | A::Administer => self == R::Admin,
        }
    }

    /// Where this role lands after signing in: what waits on them for coordinators,
    /// engineers and QA, the portfolio for stakeholders, the integrations for admins.
    pub fn landing(self) -> &'static str {
        match self {
            Role::Coordinator | Role::Engineer | Role::Qa => "/needs",
            Role::Stakeholder => "/",
            Role::Admin => "/integrations",
        }
    }
}

impl CurrentUser {
    /// Whether this user's role may do `action`.
    pub fn can(&self, action: Action) -> bool {
        self.role.can(action)
    }

    /// `Forbidden` unless this user's role may do `action`.
    ///
    /// # Errors
    /// `Forbidden`.
    pub fn may(&self, action: Action) -> Result<()> {
        if self.can(action) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// The table as text, one line per action with the roles that may do it, for the README and
/// the test that pins it.
pub fn table() -> String {
    let mut out = String::new();
    for action in Action::ALL {
        let roles: Vec<&str> = Role::ALL
            .iter()
            .filter(|r| r.can(*action))
            .map(|r| r.as_str())
            .collect();
        out.push_str(&format!("{:<18} {}\n", action.as_str(), roles.join(", ")));
    }
    out
}
