//! (ssr) Saving, listing and deleting a user's views. A view's query is kept as the list reads
//! it: parsed into the list's parameters and written back, so what is saved always reproduces
//! a view the list accepts.

use sea_orm::TransactionSession;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde_json::json;

use super::model::{PAGES, SavedView, SavedViewForm, path_of};
use crate::auth::model::CurrentUser;
use crate::entities::saved_views;
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::model::IntegrationQuery;
use crate::records::{self, Audited};

/// The trail's name for a saved view.
pub const KIND: &str = "saved_view";

/// A saved view is filed under its own id.
impl Audited for saved_views::Entity {
    const KIND: &'static str = KIND;
    fn trail_id(m: &saved_views::Model) -> String {
        m.id.to_string()
    }
    fn snapshot(m: &saved_views::Model) -> serde_json::Value {
        json!({"page": m.page, "name": m.name, "query": m.query})
    }
}

fn wire(m: saved_views::Model) -> SavedView {
    SavedView {
        id: m.id,
        page: m.page,
        name: m.name,
        query: m.query,
    }
}

/// `user`'s views of `page`, by name.
///
/// # Errors
/// Database failures.
pub async fn list(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    page: &str,
) -> Result<Vec<SavedView>> {
    Ok(saved_views::Entity::find()
        .filter(saved_views::Column::UserId.eq(user.id))
        .filter(saved_views::Column::Page.eq(page))
        .order_by_asc(saved_views::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(wire)
        .collect())
}

/// The list's parameters in `query` (with or without its `?`), written back in the list's
/// own form.
fn normalise(errors: &mut FieldErrors, query: &str) -> String {
    let query = query.trim().trim_start_matches('?');
    match serde_urlencoded::from_str::<IntegrationQuery>(query) {
        Ok(q) => {
            let href = q.without_control().href_on("", &[]);
            href.trim_start_matches('?').to_string()
        }
        Err(_) => {
            errors.add(
                "query",
                "This is not a view of the list; open the view and save it from there.",
            );
            String::new()
        }
    }
}

/// Saves `form` as one of `actor`'s views.
///
/// # Errors
/// `Validation` (name, page, query; a name already used on that page); database failures.
pub async fn save(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    form: &SavedViewForm,
) -> Result<SavedView> {
    let mut e = FieldErrors::default();
    let name = crate::validate::required(&mut e, "name", &form.name, "a name for the view", 80);
    if path_of(form.page.trim()).is_none() {
        let pages: Vec<&str> = PAGES.iter().map(|(n, _)| *n).collect();
        e.add("page", format!("Choose one of: {}.", pages.join(", ")));
    }
    let query = normalise(&mut e, &form.query);
    e.into_result()?;
    let page = form.page.trim().to_string();
    let taken = saved_views::Entity::find()
        .filter(saved_views::Column::UserId.eq(actor.id))
        .filter(saved_views::Column::Page.eq(&page))
        .filter(saved_views::Column::Name.eq(&name))
        .one(db)
        .await?;
    if taken.is_some() {
        return Err(AppError::field(
            "name",
            "You already have a view with this name here.",
        ));
    }
    let txn = crate::activity::service::begin(db).await?;
    let view = saved_views::ActiveModel {
        user_id: Set(actor.id),
        page: Set(page),
        name: Set(name),
        query: Set(query),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    };
    let m = records::insert::<saved_views::Entity>(&txn, actor, view).await?;
    txn.commit().await?;
    Ok(wire(m))
}

/// Deletes `actor`'s view `id`.
///
/// # Errors
/// `NotFound` (also for another user's view); database failures.
pub async fn delete(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    let txn = crate::activity::service::begin(db).await?;
    let m = saved_views::Entity::find_by_id(id)
        .filter(saved_views::Column::UserId.eq(actor.id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    records::remove::<saved_views::Entity>(&txn, actor, m).await?;
    txn.commit().await?;
    Ok(())
}
