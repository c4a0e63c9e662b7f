//! (ssr) Planning services. Who may do what is decided here, next to the rule, so pages, the
//! REST API and the CLI cannot disagree: coordinators and admins edit everything; engineers
//! edit the milestones and action items assigned to them; stakeholders and admins review
//! plans; everyone signed in reads.

pub mod markdown;
pub mod meetings;
pub mod milestones;
pub mod needs;
pub mod objectives;
pub mod plans;
pub mod vendors;

use crate::auth::access::Action;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::auth::model::CurrentUser;
use crate::entities::users;
use crate::error::{AppError, Result};
use crate::users::model::UserRef;

/// `Forbidden` unless `actor` plans integrations or is the engineer `assignee_id` names.
///
/// # Errors
/// `Forbidden`.
pub fn require_planner_or_assigned_engineer(
    actor: &CurrentUser,
    assignee_id: Option<i32>,
) -> Result<()> {
    if actor.can(Action::Plan) || (actor.can(Action::WorkAssigned) && assignee_id == Some(actor.id))
    {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Users by id, for showing names next to records.
///
/// # Errors
/// Database failures.
pub async fn people(db: &impl ConnectionTrait, ids: Vec<i32>) -> Result<Vec<UserRef>> {
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| UserRef {
            id: u.id,
            name: u.name,
        })
        .collect())
}

/// The name of user `id` among `people`.
pub fn name_of(people: &[UserRef], id: Option<i32>) -> Option<String> {
    id.and_then(|id| people.iter().find(|p| p.id == id).map(|p| p.name.clone()))
}

/// User `id` among `people`, or a stand-in naming the id.
pub fn person(people: &[UserRef], id: i32) -> UserRef {
    people
        .iter()
        .find(|p| p.id == id)
        .cloned()
        .unwrap_or(UserRef {
            id,
            name: format!("user {id}"),
        })
}

/// `Validation` on `field` unless user `id` exists and is active.
///
/// # Errors
/// `Validation`; database failures.
pub async fn check_active_user(
    db: &impl ConnectionTrait,
    field: &str,
    id: Option<i32>,
) -> Result<()> {
    let Some(id) = id else { return Ok(()) };
    match users::Entity::find_by_id(id).one(db).await? {
        Some(u) if u.active => Ok(()),
        _ => Err(AppError::field(field, "Choose an active user.")),
    }
}
