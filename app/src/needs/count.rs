//! (ssr) How many things wait on a person, for the count beside "Needs me" in the navigation
//! of every page: the total of their Needs me (`needs::service::needs_me`), kept per person
//! (see `kept`: one request counts while the others are served the count it replaces) for
//! [`COUNT_FOR`] seconds, and forgotten when they write anything ([`forget`]), so their own
//! changes show at once and others' within that time. A page load costs a lookup, not the
//! page's reads.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait};

use crate::auth::model::CurrentUser;
use crate::error::Result;
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

/// How many things wait on `user` as of `now`.
///
/// # Errors
/// Database failures.
pub async fn waiting(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
    shelf: &Shelf,
    user: &CurrentUser,
    ctx: &crate::gate::GateContext,
    now: DateTime<Utc>,
) -> Result<u64> {
    let stamp = period(user.id, now);
    let maker = match counts(shelf).lookup(stamp, &user.id).await {
        Lookup::Fresh(Count(n)) | Lookup::Stale(Count(n)) => return Ok(n),
        Lookup::Miss(maker) => maker,
    };
    let n = super::service::needs_me(db, user, now.date_naive(), ctx)
        .await?
        .total();
    maker.keep(stamp, Count(n));
    Ok(n)
}

/// Forgets `user_id`'s count: they changed something, and see their count afresh.
pub fn forget(shelf: &Shelf, user_id: i32) {
    counts(shelf).forget(&user_id);
}
