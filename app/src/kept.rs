//! (ssr) Values kept while nothing has changed: each is stamped with the activity trail's head
//! (every change to a record leaves a trail row in the change's own transaction) and the
//! minute (what changes without a trail row: probe results, and the clock that due dates are
//! read against). The stamp is read before the work, so a change committed meanwhile moves
//! the head and the next request works afresh. When only the minute has turned, one request
//! makes the new entry while the others are served the previous minute's, so a full room
//! never recomputes at once; after a change to the records nobody is served what came before
//! it. Each process keeps its own, which is correct for replicas too: the head is the shared
//! database's. A leaf: the application state holds a [`Shelf`] of these, and `dashboard::cache`
//! fills them.

use std::any::{Any, TypeId};
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};

/// How many entries one stamp keeps.
const ENTRIES: usize = 64;

/// (trail head, minute): what an entry was made at.
pub type Stamp = (i32, i64);

/// The stamp of trail head `head` at `now`.
pub fn stamp_at(head: i32, now: DateTime<Utc>) -> Stamp {
    (head, now.timestamp().div_euclid(60))
}

struct Kept<K, V> {
    stamp: Option<Stamp>,
    entries: HashMap<K, V>,
    /// Entries of an earlier minute at the same trail head, served while one request
    /// renders the new minute's.
    stale: HashMap<K, V>,
    /// Keys whose new minute a request is rendering now.
    refreshing: HashSet<K>,
}

/// What a lookup found.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup<V> {
    /// Made at this stamp.
    Fresh(V),
    /// Made at this trail head but an earlier minute, while another request makes the new
    /// one: serve it.
    Stale(V),
    /// Nothing to serve: make it (and [`Stamped::put`] it, or [`Stamped::release`] the key
    /// when that fails).
    Miss,
}

/// Values of one stamp, by key; a new trail head drops them all, a new minute keeps them to
/// serve while each is made again. Cheap to clone.
pub struct Stamped<K, V>(Arc<Mutex<Kept<K, V>>>);

impl<K, V> Clone for Stamped<K, V> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<K, V> Default for Stamped<K, V> {
    fn default() -> Self {
        Self(Arc::new(Mutex::new(Kept {
            stamp: None,
            entries: HashMap::new(),
            stale: HashMap::new(),
            refreshing: HashSet::new(),
        })))
    }
}

impl<K: Hash + Eq + Clone, V: Clone> Stamped<K, V> {
    /// The value for `key` at `stamp`: fresh; or, when only the minute has moved on and
    /// another request is already making the new one, the earlier minute's; else a miss,
    /// and the caller is the one to make it.
    pub fn lookup(&self, stamp: Stamp, key: &K) -> Lookup<V> {
        let Ok(mut kept) = self.0.lock() else {
            return Lookup::Miss;
        };
        let earlier = match kept.stamp {
            Some(s) if s == stamp => {
                if let Some(v) = kept.entries.get(key) {
                    return Lookup::Fresh(v.clone());
                }
                kept.stale.get(key).cloned()
            }
            Some(s) if s.0 == stamp.0 && s.1 < stamp.1 => kept
                .entries
                .get(key)
                .or_else(|| kept.stale.get(key))
                .cloned(),
            _ => None,
        };
        match earlier {
            Some(v) if kept.refreshing.contains(key) => Lookup::Stale(v),
            Some(_) => {
                kept.refreshing.insert(key.clone());
                Lookup::Miss
            }
            None => Lookup::Miss,
        }
    }

    /// Keeps `value` for `key` at `stamp` (up to [`ENTRIES`] per stamp).
    pub fn put(&self, stamp: Stamp, key: K, value: V) {
        // A poisoned lock only loses the cache; the request is already answered.
        let Ok(mut kept) = self.0.lock() else { return };
        match kept.stamp {
            Some(s) if s == stamp => {}
            Some(s) if s.0 == stamp.0 && s.1 < stamp.1 => {
                let earlier = std::mem::take(&mut kept.entries);
                kept.stale.extend(earlier);
                kept.stamp = Some(stamp);
            }
            // A new trail head (or a put that lost a race to a newer stamp): only what is
            // made at the newest stamp is kept.
            Some(s) if s.0 >= stamp.0 => {
                kept.refreshing.remove(&key);
                return;
            }
            _ => {
                kept.entries.clear();
                kept.stale.clear();
                kept.refreshing.clear();
                kept.stamp = Some(stamp);
            }
        }
        kept.refreshing.remove(&key);
        kept.stale.remove(&key);
        if kept.entries.len() < ENTRIES {
            kept.entries.insert(key, value);
        }
    }

    /// Gives up making `key`, so the next request makes it.
    pub fn release(&self, key: &K) {
        if let Ok(mut kept) = self.0.lock() {
            kept.refreshing.remove(key);
        }
    }
}

/// Every kept store of this process, one per kind of key and value: the application state
/// holds the shelf without naming what the rooms keep on it. Cheap to clone.
#[derive(Clone, Default)]
pub struct Shelf(Arc<Mutex<HashMap<TypeId, Box<dyn Any + Send + Sync>>>>);

impl Shelf {
    /// The store of `K` to `V` values, made empty the first time it is asked for.
    pub fn stamped<K: Send + 'static, V: Send + 'static>(&self) -> Stamped<K, V> {
        let mut shelf = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let store = shelf
            .entry(TypeId::of::<Stamped<K, V>>())
            .or_insert_with(|| Box::new(Stamped::<K, V>::default()));
        // Always found: the entry is keyed by its own type. Were it not, a store of its own
        // only loses the keeping.
        store
            .downcast_ref::<Stamped<K, V>>()
            .cloned()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_minute_is_made_once_while_the_last_is_served_and_a_new_head_serves_nothing_old() {
        let kept: Stamped<&str, i32> = Stamped::default();
        assert_eq!(kept.lookup((1, 10), &"a"), Lookup::Miss);
        kept.put((1, 10), "a", 1);
        assert_eq!(kept.lookup((1, 10), &"a"), Lookup::Fresh(1));
        // The minute turns: the first request makes it, the others get the last one.
        assert_eq!(kept.lookup((1, 11), &"a"), Lookup::Miss);
        assert_eq!(kept.lookup((1, 11), &"a"), Lookup::Stale(1));
        kept.put((1, 11), "a", 2);
        assert_eq!(kept.lookup((1, 11), &"a"), Lookup::Fresh(2));
        // A maker that fails lets the next request make it.
        assert_eq!(kept.lookup((1, 12), &"a"), Lookup::Miss);
        kept.release(&"a");
        assert_eq!(kept.lookup((1, 12), &"a"), Lookup::Miss);
        // A late put for an older minute is dropped.
        kept.put((1, 12), "a", 3);
        kept.put((1, 11), "a", 9);
        assert_eq!(kept.lookup((1, 12), &"a"), Lookup::Fresh(3));
        // A change to the records: nothing from before it is served.
        assert_eq!(kept.lookup((2, 12), &"a"), Lookup::Miss);
        assert_eq!(kept.lookup((2, 12), &"a"), Lookup::Miss);
        kept.put((2, 12), "a", 4);
        assert_eq!(kept.lookup((2, 12), &"a"), Lookup::Fresh(4));
        assert_eq!(kept.lookup((1, 12), &"a"), Lookup::Miss);
    }

    #[test]
    fn a_shelf_hands_out_one_store_per_kind() {
        let shelf = Shelf::default();
        shelf.stamped::<&str, i32>().put((1, 1), "a", 1);
        assert_eq!(
            shelf.stamped::<&str, i32>().lookup((1, 1), &"a"),
            Lookup::Fresh(1)
        );
        assert_eq!(
            shelf.stamped::<&str, u8>().lookup((1, 1), &"a"),
            Lookup::Miss
        );
    }
}
