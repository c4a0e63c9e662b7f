//! (ssr) Specs imported from a URL through the outbound guard, and fetched again daily or
//! weekly. Each process runs [`run_due`] every minute; a fetch is claimed by moving the
//! spec's next fetch time on with a conditional update, so when several processes share one
//! database each due spec is fetched once.

use crate::auth::access::Action;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::Expr,
};

use super::model::Refetch;
use super::service::{Imported, import};
use super::usage::spec;
use crate::activity::service::{self as activity};
use crate::auth::model::CurrentUser;
use crate::entities::{api_specs, users};
use crate::error::{AppError, FieldErrors, Result};
use crate::limits::SPEC_BYTES;
use crate::outbound::Guard;
use crate::validate::required;

/// How long a provider has to send its document.
pub const TIMEOUT: Duration = Duration::from_secs(30);

fn refetch_of(e: &mut FieldErrors, value: &str) -> Refetch {
    let value = value.trim();
    if value.is_empty() {
        return Refetch::Never;
    }
    Refetch::parse(value).unwrap_or_else(|| {
        e.add("refetch", format!("Choose one of: {}.", Refetch::names()));
        Refetch::Never
    })
}

/// Imports the document at `url` as the next version of spec `name` of integration
/// `integration_id`, and keeps the address and how often to fetch it again.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` on `name`, `url` (including what the guard refused
/// and what the provider answered), `refetch` or `file` (the document itself).
pub async fn import_url(
    db: &(impl ConnectionTrait + TransactionTrait),
    guard: &Guard,
    actor: &CurrentUser,
    integration_id: i32,
    (name, url, refetch): (&str, &str, &str),
) -> Result<Imported> {
    actor.may(Action::EditSpecs)?;
    let mut e = FieldErrors::default();
    required(
        &mut e,
        "name",
        name,
        "the API's name, such as Stripe API",
        120,
    );
    let url = required(&mut e, "url", url, "the document's address", 2000);
    let refetch = refetch_of(&mut e, refetch);
    e.into_result()?;
    let bytes = guard.fetch("url", &url, SPEC_BYTES, TIMEOUT).await?;
    let imported = import(db, actor, integration_id, name, &bytes).await?;
    let txn = activity::begin(db).await?;
    let s = spec(&txn, imported.spec_id).await?;
    let now = Utc::now();
    let mut active: api_specs::ActiveModel = s.clone().into();
    active.source_url = Set(url.clone());
    active.refetch = Set(refetch);
    active.next_fetch_at = Set(refetch.period().map(|p| now + p));
    active.last_fetched_at = Set(Some(now));
    active.last_fetch_error = Set(String::new());
    crate::records::save::<api_specs::Entity>(&txn, actor, "update", &s, active).await?;
    sea_orm::TransactionSession::commit(txn).await?;
    Ok(imported)
}

/// Claims spec `s` for one fetch at `now`: moves its next fetch time on, unless another
/// process has already done so.
async fn claim(
    db: &impl ConnectionTrait,
    s: &api_specs::Model,
    now: DateTime<Utc>,
) -> Result<bool> {
    let period = s.refetch.period();
    let Some(period) = period else {
        return Ok(false);
    };
    let done = api_specs::Entity::update_many()
        .col_expr(api_specs::Column::NextFetchAt, Expr::value(now + period))
        .filter(api_specs::Column::Id.eq(s.id))
        .filter(api_specs::Column::NextFetchAt.eq(s.next_fetch_at))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Fetches again, as their importer, the specs due at `now`; a failure is kept on the spec
/// (the page shows it) and the next fetch is still scheduled. Returns how many this process
/// fetched.
///
/// # Errors
/// Database failures.
pub async fn run_due(
    db: &(impl ConnectionTrait + TransactionTrait),
    guard: &Guard,
    now: DateTime<Utc>,
) -> Result<usize> {
    let due = api_specs::Entity::find()
        .filter(api_specs::Column::NextFetchAt.lte(now))
        .filter(api_specs::Column::Refetch.ne(Refetch::Never))
        .all(db)
        .await?;
    let mut fetched = 0;
    for s in due {
        if !claim(db, &s, now).await? {
            continue;
        }
        fetched += 1;
        let outcome = async {
            let owner = users::Entity::find_by_id(s.created_by)
                .one(db)
                .await?
                .filter(|u| u.active)
                .ok_or_else(|| {
                    AppError::field(
                        "url",
                        "Whoever set up this spec's fetch is no longer active; import it again to resume.",
                    )
                })?;
            let actor = crate::auth::service::to_current(&owner)?;
            let bytes = guard.fetch("url", &s.source_url, SPEC_BYTES, TIMEOUT).await?;
            import(db, &actor, s.integration_id, &s.name, &bytes).await
        }
        .await;
        let error = match outcome {
            Ok(_) => String::new(),
            Err(e) => {
                let message = e
                    .field_message("url")
                    .or_else(|| e.field_message("file"))
                    .unwrap_or_else(|| e.to_string());
                tracing::warn!(spec = s.id, error = %message, "scheduled spec fetch failed");
                message
            }
        };
        api_specs::Entity::update_many()
            .col_expr(api_specs::Column::LastFetchedAt, Expr::value(now))
            .col_expr(api_specs::Column::LastFetchError, Expr::value(error))
            .filter(api_specs::Column::Id.eq(s.id))
            .exec(db)
            .await?;
    }
    Ok(fetched)
}
