//! (ssr) The dashboard, and the page rendered from it, kept while nothing has changed (see
//! [`crate::kept`]), so a room of stakeholders reloading it neither recomputes every gate and
//! figure nor renders the page again.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait};

use super::model::Dashboard;
use crate::auth::model::Role;
use crate::error::Result;
use crate::integrations::model::IntegrationQuery;
use crate::kept::{Lookup, Shelf, Stamp, Stamped, stamp_at};

/// The stamp as of `now`.
///
/// # Errors
/// Database failures.
pub async fn stamp(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Stamp> {
    Ok(stamp_at(crate::activity::service::head(db).await?, now))
}

/// The key of the kept page that session `session_id` reads at `query`, and the stamp as of
/// `now`, in one statement (on PostgreSQL each round trip costs as much as serving the kept
/// page): the session if it has not expired (`auth::session::live`), its account
/// if it is active (as `auth::session::user_of` requires), the account's unread notifications
/// (`notifications::service::unread_of`) and the trail's head
/// (`activity::service::head_query`). `None` for a session that has ended or an account that
/// is not active: the page, rendered as usual, sends the reader to sign in.
///
/// # Errors
/// Database failures.
pub async fn reader(
    db: &impl ConnectionTrait,
    session_id: &str,
    query: String,
    now: DateTime<Utc>,
) -> Result<Option<(PageKey, Stamp)>> {
    use crate::entities::{notifications, users};
    use sea_orm::sea_query::{Expr, Func, SubQueryStatement};
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect, QueryTrait};
    let sub = |q: sea_orm::sea_query::SelectStatement| {
        Expr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(q)))
    };
    let unread =
        crate::notifications::service::unread_of(Expr::col((users::Entity, users::Column::Id)))
            .select_only()
            .column_as(notifications::Column::Id.count(), "n")
            .into_query();
    let head = crate::activity::service::head_query().into_query();
    let row = crate::auth::session::live(session_id, now)
        .inner_join(users::Entity)
        .filter(users::Column::Active.eq(true))
        .select_only()
        .column(users::Column::Id)
        .column(users::Column::Name)
        .column(users::Column::Role)
        .column_as(sub(unread), "unread")
        .column_as(
            Expr::from(Func::coalesce([sub(head), Expr::val(0)])),
            "head",
        )
        .into_tuple::<(i32, String, Role, i64, i32)>()
        .one(db)
        .await?;
    let Some((user_id, name, role, unread, head)) = row else {
        return Ok(None);
    };
    let key = PageKey {
        user_id,
        name,
        role,
        unread: u64::try_from(unread).unwrap_or(0),
        query,
    };
    Ok(Some((key, stamp_at(head, now))))
}

/// The kept dashboards of this process, by query.
pub type Cache = Stamped<IntegrationQuery, Dashboard>;

/// The kept dashboards on `shelf`.
pub fn dashboards(shelf: &Shelf) -> Cache {
    shelf.stamped()
}

/// Everything the rendered dashboard page depends on besides the stamp: who reads it (the
/// navigation shows their name, their role's links and their unread count) and the URL's
/// query.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub user_id: i32,
    pub name: String,
    pub role: Role,
    pub unread: u64,
    pub query: String,
}

/// A rendered page: its headers and body.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    pub headers: http::HeaderMap,
    pub body: axum::body::Bytes,
}

/// The kept dashboard pages of this process.
pub type Pages = Stamped<PageKey, RenderedPage>;

/// The kept dashboard pages on `shelf`.
pub fn pages(shelf: &Shelf) -> Pages {
    shelf.stamped()
}

impl Cache {
    /// The dashboard for `query` as of `now`: the kept one while the trail's head and the
    /// minute are those it was computed at, else [`super::service::dashboard`] afresh.
    ///
    /// # Errors
    /// Database failures.
    pub async fn dashboard(
        &self,
        db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
        query: &IntegrationQuery,
        now: DateTime<Utc>,
        ctx: &crate::gate::GateContext,
    ) -> Result<Dashboard> {
        let query = query.without_control();
        let stamp = stamp(db, now).await?;
        match self.lookup(stamp, &query) {
            Lookup::Fresh(d) | Lookup::Stale(d) => return Ok(d),
            Lookup::Miss => {}
        }
        match super::service::dashboard(db, &query, now, ctx).await {
            Ok(d) => {
                self.put(stamp, query, d.clone());
                Ok(d)
            }
            Err(e) => {
                self.release(&query);
                Err(e)
            }
        }
    }
}
