//! (ssr) Creating and managing accounts. Every change is written with its trail entry in one
//! transaction.

use crate::auth::access::Action;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionSession, TransactionTrait,
};
use serde_json::json;

use super::model::{NewUser, User, UserRef};
use crate::activity::service::{self as activity, NewActivity};
use crate::auth::model::{CurrentUser, Role};
use crate::auth::service::{hash_password, normalize_email, validate_password, verify_password};
use crate::auth::session::{end_other_sessions_of, end_sessions_of};
use crate::entities::users;
use crate::error::{AppError, FieldErrors, Result};

/// Every write validates the role, so an unknown stored role means the row was edited behind
/// the application's back: an error (logged), never a role it was not given.
fn to_user(m: users::Model) -> Result<User> {
    Ok(User {
        id: m.id,
        role: m.role,
        email: m.email,
        name: m.name,
        active: m.active,
        created_at: m.created_at,
    })
}

fn snapshot(m: &users::Model) -> serde_json::Value {
    json!({"email": m.email, "name": m.name, "role": m.role, "active": m.active})
}

/// Checks a new account's fields, returning the normalised email and parsed role.
///
/// # Errors
/// `Validation` naming every bad field.
pub fn validate_new_user(input: &NewUser) -> Result<(String, Role)> {
    let mut errors = FieldErrors::default();
    let email = normalize_email(&input.email);
    if crate::validate::has_control(&input.email) {
        errors.add("email", crate::validate::CONTROL_MESSAGE);
    } else if email.is_empty() {
        errors.add("email", "Enter an email address.");
    } else if email.len() > 254 || !is_plausible_email(&email) {
        errors.add(
            "email",
            "Enter a valid email address, like name@example.com.",
        );
    }
    let name = input.name.trim();
    if name.is_empty() {
        errors.add("name", "Enter a name.");
    } else if name.chars().count() > 100 {
        errors.add("name", "Use at most 100 characters.");
    } else if crate::validate::has_control(name) {
        errors.add("name", crate::validate::CONTROL_MESSAGE);
    } else if let Some(message) = crate::validate::leak(name) {
        errors.add("name", message);
    }
    let role = Role::parse(&input.role);
    if role.is_none() {
        errors.add("role", format!("Choose one of: {}.", Role::names()));
    }
    if let Err(AppError::Validation(e)) = validate_password("password", &input.password) {
        errors.0.extend(e.0);
    }
    errors.into_result()?;
    Ok((email, role.unwrap_or(Role::Stakeholder)))
}

fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

/// Creates an account.
///
/// # Errors
/// `Validation` for bad fields or an email already in use.
pub async fn create_user(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor_id: Option<i32>,
    input: NewUser,
) -> Result<User> {
    let (email, role) = validate_new_user(&input)?;
    let hash = hash_password(input.password).await?;
    let now = Utc::now();
    let txn = activity::begin(db).await?;
    let inserted = users::ActiveModel {
        email: Set(email),
        name: Set(input.name.trim().to_string()),
        role: Set(role),
        password_hash: Set(hash),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let user = match inserted {
        Ok(user) => user,
        Err(err) if crate::error::is_unique_violation(&err) => {
            return Err(AppError::field(
                "email",
                "An account with this email already exists.",
            ));
        }
        Err(err) => return Err(err.into()),
    };
    activity::record(
        &txn,
        NewActivity {
            actor_id: actor_id.or(Some(user.id)),
            action: "create",
            entity_kind: "user",
            entity_id: user.id.to_string(),
            before: None,
            after: Some(snapshot(&user)),
        },
    )
    .await?;
    txn.commit().await?;
    to_user(user)
}

/// Every account, by name.
///
/// # Errors
/// Database failures.
pub async fn list_users(db: &impl ConnectionTrait) -> Result<Vec<User>> {
    users::Entity::find()
        .order_by_asc(users::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(to_user)
        .collect()
}

/// Active accounts, for pickers.
///
/// # Errors
/// Database failures.
pub async fn user_choices(db: &impl ConnectionTrait) -> Result<Vec<UserRef>> {
    Ok(users::Entity::find()
        .filter(users::Column::Active.eq(true))
        .order_by_asc(users::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|u| UserRef {
            id: u.id,
            name: u.name,
        })
        .collect())
}

async fn update_user(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    user_id: i32,
    action: &str,
    change: impl FnOnce(&mut users::ActiveModel),
) -> Result<users::Model> {
    let txn = activity::begin(db).await?;
    let before = users::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut active: users::ActiveModel = before.clone().into();
    change(&mut active);
    active.updated_at = Set(Utc::now());
    let after = active.update(&txn).await?;
    if let Some((b, a)) = activity::diff(&snapshot(&before), &snapshot(&after)) {
        activity::record(
            &txn,
            NewActivity {
                actor_id: Some(actor.id),
                action,
                entity_kind: "user",
                entity_id: user_id.to_string(),
                before: Some(b),
                after: Some(a),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(after)
}

/// Changes someone's role. Admins cannot change their own, so an instance always keeps the
/// admin who is making changes.
///
/// # Errors
/// `Forbidden`; `Validation` for an unknown role or for the actor's own account; `NotFound`.
pub async fn change_role(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    user_id: i32,
    role: &str,
) -> Result<User> {
    actor.may(Action::Administer)?;
    let role = Role::parse(role)
        .ok_or_else(|| AppError::field("role", format!("Choose one of: {}.", Role::names())))?;
    if user_id == actor.id {
        return Err(AppError::field("role", "You cannot change your own role."));
    }
    let user = update_user(db, actor, user_id, "change_role", |m| {
        m.role = Set(role);
    })
    .await?;
    to_user(user)
}

/// Deactivates or reactivates an account. Deactivation deletes the user's sessions in the same
/// transaction, so they are signed out at once.
///
/// # Errors
/// `Forbidden`; `Validation` for the actor's own account; `NotFound`.
pub async fn set_active(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    user_id: i32,
    active: bool,
) -> Result<User> {
    actor.may(Action::Administer)?;
    if user_id == actor.id {
        return Err(AppError::field(
            "active",
            "You cannot deactivate your own account.",
        ));
    }
    let txn = db.begin().await?;
    let action = if active { "reactivate" } else { "deactivate" };
    let user = update_user(&txn, actor, user_id, action, |m| m.active = Set(active)).await?;
    if !active {
        end_sessions_of(&txn, user_id).await?;
    }
    txn.commit().await?;
    to_user(user)
}

/// Ends every session of `user_id` but `keep` (an admin signing someone out everywhere: a
/// lost laptop, a suspected takeover; or a user signing out their other sessions, keeping the
/// one they use) and records it in the trail; how many ended. The account stays active.
///
/// # Errors
/// `Forbidden` for anyone but admins and the account's owner; `NotFound`.
pub async fn end_sessions(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    user_id: i32,
    keep: Option<&str>,
) -> Result<u64> {
    if actor.id != user_id {
        actor.may(Action::Administer)?;
    }
    let txn = activity::begin(db).await?;
    users::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let ended = end_other_sessions_of(&txn, user_id, keep).await?;
    activity::record(
        &txn,
        NewActivity {
            actor_id: Some(actor.id),
            action: "end_sessions",
            entity_kind: "user",
            entity_id: user_id.to_string(),
            before: None,
            after: Some(json!({"sessions_ended": ended})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(ended)
}

/// Sets a password by email, as the CLI does for recovery.
///
/// # Errors
/// `Validation` for a weak password; `NotFound` for an unknown email.
pub async fn set_password_by_email(
    db: &(impl ConnectionTrait + TransactionTrait),
    email: &str,
    password: String,
) -> Result<()> {
    validate_password("password", &password)?;
    let user = users::Entity::find()
        .filter(users::Column::Email.eq(normalize_email(email)))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    store_password(db, user.id, password, None, None).await?;
    Ok(())
}

/// Checks that `password` is `user`'s own: the recent re-authentication a sensitive action
/// (creating an API token) asks for, so that a session left open is not enough.
///
/// # Errors
/// `Validation` on `password` when it is not theirs.
pub async fn confirm_password(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    password: String,
) -> Result<()> {
    let stored = users::Entity::find_by_id(user.id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if verify_password(password, Some(stored.password_hash)).await? {
        Ok(())
    } else {
        Err(AppError::field(
            "password",
            "That is not your password. Enter it to confirm it is you.",
        ))
    }
}

/// Changes the signed-in user's own password after checking the current one, and ends
/// every other session of the account (all but `keep`, the session asking); how many ended.
///
/// # Errors
/// `Validation` naming the field at fault.
pub async fn change_own_password(
    db: &(impl ConnectionTrait + TransactionTrait),
    user: &CurrentUser,
    keep: Option<&str>,
    current: String,
    new: String,
    confirm: String,
) -> Result<u64> {
    let stored = users::Entity::find_by_id(user.id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !verify_password(current, Some(stored.password_hash)).await? {
        return Err(AppError::field(
            "current_password",
            "That is not your current password.",
        ));
    }
    validate_password("new_password", &new)?;
    if new != confirm {
        return Err(AppError::field(
            "confirm_password",
            "The two new passwords differ.",
        ));
    }
    store_password(db, user.id, new, Some(user.id), keep).await
}

/// Stores a new password and, in the same transaction, ends every session of the account
/// but `keep`: whoever knew the old password is signed out (OWASP ASVS 3.3.3). How many
/// sessions ended.
async fn store_password(
    db: &(impl ConnectionTrait + TransactionTrait),
    user_id: i32,
    password: String,
    actor_id: Option<i32>,
    keep: Option<&str>,
) -> Result<u64> {
    let hash = hash_password(password).await?;
    let txn = activity::begin(db).await?;
    users::ActiveModel {
        id: Set(user_id),
        password_hash: Set(hash),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    let ended = end_other_sessions_of(&txn, user_id, keep).await?;
    // The trail records that the password changed, never the password or its hash.
    activity::record(
        &txn,
        NewActivity {
            actor_id,
            action: "change_password",
            entity_kind: "user",
            entity_id: user_id.to_string(),
            before: None,
            after: Some(json!({"password": "changed", "sessions_ended": ended})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(ended)
}
