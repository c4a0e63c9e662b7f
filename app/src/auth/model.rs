//! Roles and the signed-in user, as both targets see them.

use serde::{Deserialize, Serialize};

crate::choice_enum! {
    /// What a person may do. See PRODUCT.md for the responsibilities of each.
    Role {
        Admin => ("admin", "Admin"),
        Coordinator => ("coordinator", "Coordinator"),
        Engineer => ("engineer", "Engineer"),
        Qa => ("qa", "QA"),
        Stakeholder => ("stakeholder", "Stakeholder"),
    }
}

/// Who is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CurrentUser {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub role: Role,
}

impl CurrentUser {
    /// Whether this user may create and edit integrations.
    pub fn can_edit_integrations(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Coordinator)
    }

    /// Whether this user records how integrations are wired (environments, credential
    /// references): engineers, coordinators and admins.
    pub fn can_build(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Coordinator | Role::Engineer)
    }
}

/// The shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 12;

/// The one message for an unknown email, a wrong password or a deactivated account, so that
/// the answer does not reveal which accounts exist.
pub const BAD_CREDENTIALS: &str = "Email or password is incorrect.";
