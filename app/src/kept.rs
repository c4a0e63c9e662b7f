//! (ssr) Values kept while nothing has changed: each is stamped with the activity trail's head
//! (every change to a record leaves a trail row in the change's own transaction) and the
//! minute (what changes without a trail row: probe results, and the clock that due dates are
//! read against). The stamp is read before the work, so a change committed meanwhile moves
//! the stamp and the next request works afresh.
//!
//! Made once, served to many: when the stamp has moved on, the first request for a key makes
//! its new value while every other request for that key is served the value it replaces, so a
//! room of readers never recomputes at once, however often the records change (a reader
//! sees a change once the one request making it is done). A request that finds no request
//! making the key makes it itself, so a reader who has just changed something sees the change
//! on their next load. Each store holds at most a budget of bytes, dropping the least recently
//! used keys. Each process keeps its own, which is correct for replicas too: the head is the
//! shared database's. A leaf: the application state holds a [`Shelf`] of these, and
//! `dashboard::cache` fills them.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

/// How many bytes one store keeps, at most.
pub const BUDGET: usize = 8 << 20;

/// How long a request may take to make a value before the next request takes over.
const ABANDONED: Duration = Duration::from_secs(5);

/// (trail head, minute): what an entry was made at.
pub type Stamp = (i32, i64);

/// The stamp of trail head `head` at `now`.
pub fn stamp_at(head: i32, now: DateTime<Utc>) -> Stamp {
    (head, now.timestamp().div_euclid(60))
}

/// What a kept value costs in memory, roughly, in bytes.
pub trait Weigh {
    fn weight(&self) -> usize;
}

struct Slot<V> {
    stamp: Stamp,
    value: V,
    weight: usize,
    /// When it was last served or made (a tick of its store).
    used: u64,
    /// Since when a request has been making this key's value at a newer stamp.
    making: Option<Instant>,
}

struct Kept<K, V> {
    slots: HashMap<K, Slot<V>>,
    weight: usize,
    tick: u64,
    budget: usize,
}

/// What a lookup found.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup<V> {
    /// Made at this stamp.
    Fresh(V),
    /// Made at an earlier stamp, while another request makes the new one: serve it.
    Stale(V),
    /// Nothing to serve: make it (and [`Stamped::put`] it, or [`Stamped::release`] the key
    /// when that fails).
    Miss,
}

/// Values by key, each with the stamp it was made at. Cheap to clone.
pub struct Stamped<K, V>(Arc<Mutex<Kept<K, V>>>);

impl<K, V> Clone for Stamped<K, V> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<K, V> Default for Stamped<K, V> {
    fn default() -> Self {
        Self::with_budget(BUDGET)
    }
}

impl<K, V> Stamped<K, V> {
    /// An empty store that keeps at most `budget` bytes.
    pub fn with_budget(budget: usize) -> Self {
        Self(Arc::new(Mutex::new(Kept {
            slots: HashMap::new(),
            weight: 0,
            tick: 0,
            budget,
        })))
    }
}

impl<K: Hash + Eq + Clone, V: Clone + Weigh> Stamped<K, V> {
    /// The value for `key` at `stamp`: fresh; or, when another request is already making the
    /// value at a newer stamp, the one it replaces; else a miss, and the caller is the one to
    /// make it.
    pub fn lookup(&self, stamp: Stamp, key: &K) -> Lookup<V> {
        let Ok(mut kept) = self.0.lock() else {
            return Lookup::Miss;
        };
        kept.tick += 1;
        let tick = kept.tick;
        let Some(slot) = kept.slots.get_mut(key) else {
            return Lookup::Miss;
        };
        slot.used = tick;
        if slot.stamp >= stamp {
            return Lookup::Fresh(slot.value.clone());
        }
        let now = Instant::now();
        match slot.making {
            Some(since) if now.duration_since(since) < ABANDONED => {
                Lookup::Stale(slot.value.clone())
            }
            // Nobody is making it, or whoever was has gone (a reader who closed the page
            // drops the request that was making it): this request makes it.
            _ => {
                slot.making = Some(now);
                Lookup::Miss
            }
        }
    }

    /// Keeps `value` for `key`, made at `stamp`, unless a value made at a newer stamp is kept
    /// already; then drops the least recently used keys while the store is over its budget.
    pub fn put(&self, stamp: Stamp, key: K, value: V) {
        // A poisoned lock only loses the keeping; the request is already answered.
        let Ok(mut kept) = self.0.lock() else { return };
        kept.tick += 1;
        let tick = kept.tick;
        let weight = value.weight();
        match kept.slots.get_mut(&key) {
            Some(slot) if slot.stamp > stamp => {
                slot.making = None;
                return;
            }
            Some(slot) => {
                let was = std::mem::replace(&mut slot.weight, weight);
                slot.stamp = stamp;
                slot.value = value;
                slot.used = tick;
                slot.making = None;
                kept.weight = kept.weight - was + weight;
            }
            None => {
                kept.slots.insert(
                    key.clone(),
                    Slot {
                        stamp,
                        value,
                        weight,
                        used: tick,
                        making: None,
                    },
                );
                kept.weight += weight;
            }
        }
        while kept.weight > kept.budget {
            let Some(oldest) = kept
                .slots
                .iter()
                .filter(|(k, _)| **k != key)
                .min_by_key(|(_, s)| s.used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(gone) = kept.slots.remove(&oldest) {
                kept.weight -= gone.weight;
            }
        }
    }

    /// Gives up making `key`, so the next request makes it.
    pub fn release(&self, key: &K) {
        if let Ok(mut kept) = self.0.lock() {
            if let Some(slot) = kept.slots.get_mut(key) {
                slot.making = None;
            }
        }
    }

    /// How many bytes the store holds, and how many keys.
    pub fn size(&self) -> (usize, usize) {
        self.0
            .lock()
            .map(|k| (k.weight, k.slots.len()))
            .unwrap_or_default()
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

    impl Weigh for i32 {
        fn weight(&self) -> usize {
            100
        }
    }

    impl Weigh for u8 {
        fn weight(&self) -> usize {
            1
        }
    }

    #[test]
    fn a_new_stamp_is_made_once_while_the_last_value_is_served() {
        let kept: Stamped<&str, i32> = Stamped::default();
        assert_eq!(kept.lookup((1, 10), &"a"), Lookup::Miss);
        kept.put((1, 10), "a", 1);
        assert_eq!(kept.lookup((1, 10), &"a"), Lookup::Fresh(1));
        // The minute turns: the first request makes it, the others get the last one.
        assert_eq!(kept.lookup((1, 11), &"a"), Lookup::Miss);
        assert_eq!(kept.lookup((1, 11), &"a"), Lookup::Stale(1));
        kept.put((1, 11), "a", 2);
        assert_eq!(kept.lookup((1, 11), &"a"), Lookup::Fresh(2));
        // A change to the records: the same, one request makes it.
        assert_eq!(kept.lookup((2, 11), &"a"), Lookup::Miss);
        assert_eq!(kept.lookup((2, 11), &"a"), Lookup::Stale(2));
        assert_eq!(kept.lookup((3, 11), &"a"), Lookup::Stale(2));
        kept.put((2, 11), "a", 3);
        // Made at head 2, while the head is 3 already: the next request makes it again.
        assert_eq!(kept.lookup((3, 11), &"a"), Lookup::Miss);
        kept.put((3, 11), "a", 4);
        assert_eq!(kept.lookup((3, 11), &"a"), Lookup::Fresh(4));
        // A maker that fails lets the next request make it.
        assert_eq!(kept.lookup((3, 12), &"a"), Lookup::Miss);
        kept.release(&"a");
        assert_eq!(kept.lookup((3, 12), &"a"), Lookup::Miss);
        // A late put for an older stamp is dropped.
        kept.put((3, 12), "a", 5);
        kept.put((3, 11), "a", 9);
        assert_eq!(kept.lookup((3, 12), &"a"), Lookup::Fresh(5));
        // Nobody is served what is older than the stamp they asked at when nobody makes it.
        assert_eq!(kept.lookup((4, 12), &"a"), Lookup::Miss);
        kept.release(&"a");
        assert_eq!(kept.lookup((4, 12), &"a"), Lookup::Miss);
    }

    #[test]
    fn a_store_keeps_its_budget_dropping_the_least_recently_used() {
        let kept: Stamped<u8, i32> = Stamped::with_budget(250);
        kept.put((1, 1), 1, 1);
        kept.put((1, 1), 2, 2);
        assert_eq!(kept.size(), (200, 2));
        // Key 1 is read, so key 2 is the least recently used when key 3 comes.
        assert_eq!(kept.lookup((1, 1), &1), Lookup::Fresh(1));
        kept.put((1, 1), 3, 3);
        assert_eq!(kept.size(), (200, 2));
        assert_eq!(kept.lookup((1, 1), &2), Lookup::Miss);
        assert_eq!(kept.lookup((1, 1), &1), Lookup::Fresh(1));
        assert_eq!(kept.lookup((1, 1), &3), Lookup::Fresh(3));
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
