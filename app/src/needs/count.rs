//! (ssr) How many things wait on a person, for the count beside "Needs me" in the navigation
//! of every page: the total of their Needs me (`needs::service::needs_me`), kept per person
//! for [`COUNT_FOR`] seconds, then served while a task of its own counts again (see `kept`),
//! and forgotten when they write anything ([`forget`]), so their own changes show at once and
//! others' within about that time. A page load costs a lookup, not the page's reads.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use crate::auth::model::CurrentUser;
use crate::error::Result;
use crate::gate::GateContext;
use crate::kept::{Lookup, Shelf, Stamp, Stamped, Weigh};

/// How long a count is kept, in seconds, at most.
pub const COUNT_FOR: i64 = 30;

/// A person's count.
#[derive(Debug, Clone, Copy)]
pub struct Count(u64);

impl Weigh for Count {
    fn weight(&self) -> usize {
        // The key, the value and the slot's bookkeeping.
        64
    }
}

fn counts(shelf: &Shelf) -> Stamped<i32, Count> {
    shelf.stamped()
}

/// The period of [`COUNT_FOR`] seconds that `now` falls in for person `user_id`: periods
/// start at a different second for each person, so counts kept at once are not made again at
/// once.
fn period(user_id: i32, now: DateTime<Utc>) -> Stamp {
    (
        0,
        (now.timestamp() + i64::from(user_id)).div_euclid(COUNT_FOR),
    )
}

/// How many things wait on `user` as of `now`. A count kept from an earlier period is
/// served at once while it is made again in a task of its own, so no page load waits for a
/// Needs me once its reader has a count; only the first count of a person (and the first
/// after they wrote something: [`forget`]) is made in the request.
///
/// # Errors
/// Database failures.
pub async fn waiting(
    db: &DatabaseConnection,
    shelf: &Shelf,
    user: &CurrentUser,
    ctx: &GateContext,
    now: DateTime<Utc>,
) -> Result<u64> {
    let stamp = period(user.id, now);
    let store = counts(shelf);
    if let Some((Count(n), maker)) = store.kept_or_making(stamp, &user.id) {
        if let Some(maker) = maker {
            let (db, user, ctx) = (db.clone(), user.clone(), *ctx);
            tokio::spawn(async move {
                // A failure keeps nothing: the next page load tries again.
                if let Ok(n) = count(&db, &user, &ctx, now).await {
                    maker.keep(stamp, Count(n));
                }
            });
        }
        return Ok(n);
    }
    let maker = match store.lookup(stamp, &user.id).await {
        Lookup::Fresh(Count(n)) | Lookup::Stale(Count(n)) => return Ok(n),
        Lookup::Miss(maker) => maker,
    };
    let n = count(db, user, ctx, now).await?;
    maker.keep(stamp, Count(n));
    Ok(n)
}

async fn count(
    db: &DatabaseConnection,
    user: &CurrentUser,
    ctx: &GateContext,
    now: DateTime<Utc>,
) -> Result<u64> {
    Ok(super::service::needs_me(db, user, now.date_naive(), ctx)
        .await?
        .total())
}

/// Forgets `user_id`'s count: they changed something, and see their count afresh.
pub fn forget(shelf: &Shelf, user_id: i32) {
    counts(shelf).forget(&user_id);
}
