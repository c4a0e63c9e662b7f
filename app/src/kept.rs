//! (ssr) Values kept while nothing has changed: each is stamped with the activity trail's head
//! (every change to a record leaves a trail row in the change's own transaction) and the
//! minute (what changes without a trail row: probe results, and the clock that due dates are
//! read against). The stamp is read before the work, so a change committed meanwhile moves
//! the stamp and the next request works afresh.
//!
//! Made once, served to many: when the stamp has moved on, the first request for a key makes
//! its new value while every other request for that key is served the value it replaces (or,
//! for a key never made yet, waits for it), so a room of readers never computes at once,
//! however often the records change (a reader sees a change once the one request making it
//! is done). A request that finds no request
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
use tokio::sync::watch;

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
    /// Keys with no value yet that a request is making: since when, and what the requests
    /// waiting for it hold (dropped, it wakes them).
    pending: HashMap<K, (Instant, watch::Sender<()>)>,
    weight: usize,
    tick: u64,
    budget: usize,
}

/// What a lookup found.
pub enum Lookup<K: Hash + Eq + Clone, V: Clone + Weigh> {
    /// Made at this stamp.
    Fresh(V),
    /// Made at an earlier stamp, while another request makes the new one: serve it.
    Stale(V),
    /// Nothing to serve: make it and [`Maker::keep`] it. Dropping the maker unkept (the
    /// making failed, or the request was dropped: a reader closed the page) lets the next
    /// request make it at once.
    Miss(Maker<K, V>),
}

/// What [`Stamped::lookup`] found, or that a value never made yet is being made.
enum Found<K: Hash + Eq + Clone, V: Clone + Weigh> {
    Ready(Lookup<K, V>),
    /// Wait for it: the receiver wakes when it is kept or given up.
    Wait(watch::Receiver<()>),
}

/// The one request making a key's value: see [`Lookup::Miss`].
pub struct Maker<K: Hash + Eq + Clone, V: Clone + Weigh> {
    store: Stamped<K, V>,
    key: Option<K>,
}

impl<K: Hash + Eq + Clone, V: Clone + Weigh> Maker<K, V> {
    /// Keeps `value`, made at `stamp`.
    pub fn keep(mut self, stamp: Stamp, value: V) {
        if let Some(key) = self.key.take() {
            self.store.put(stamp, key, value);
        }
    }
}

impl<K: Hash + Eq + Clone, V: Clone + Weigh> Drop for Maker<K, V> {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            self.store.release(&key);
        }
    }
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
            pending: HashMap::new(),
            weight: 0,
            tick: 0,
            budget,
        })))
    }
}

impl<K: Hash + Eq + Clone, V: Clone + Weigh> Stamped<K, V> {
    /// The value for `key` at `stamp`: fresh; or, when another request is already making the
    /// value at a newer stamp, the one it replaces; else a miss, and the caller is the one to
    /// make it. A key never made yet is made by one request while the others wait for it
    /// (single flight: a room of readers arriving at once makes it once).
    pub async fn lookup(&self, stamp: Stamp, key: &K) -> Lookup<K, V> {
        loop {
            match self.find(stamp, key) {
                Found::Ready(found) => return found,
                // Woken when it is kept or given up, or after the time a making may take:
                // then look again (a maker that has gone is taken over).
                Found::Wait(mut made) => {
                    let _ = tokio::time::timeout(ABANDONED, made.changed()).await;
                }
            }
        }
    }

    /// As [`Stamped::lookup`], without waiting: a value never made yet that another request
    /// is making is a miss whose maker keeps nothing (for values made many at a time, where
    /// two makers waiting on each other's keys would wait for good).
    pub fn lookup_now(&self, stamp: Stamp, key: &K) -> Lookup<K, V> {
        match self.find(stamp, key) {
            Found::Ready(found) => found,
            Found::Wait(_) => Lookup::Miss(Maker {
                store: self.clone(),
                key: None,
            }),
        }
    }

    /// The value kept for `key` at any stamp, for values served stale while they are made
    /// again away from the request: with it, when it was made at a stamp older than `stamp`
    /// and no request is making it yet, the maker of the new one (this caller's to make).
    /// `None` when nothing is kept for `key`: [`Stamped::lookup`] it.
    pub fn kept_or_making(&self, stamp: Stamp, key: &K) -> Option<(V, Option<Maker<K, V>>)> {
        let mut kept = self.0.lock().ok()?;
        kept.tick += 1;
        let tick = kept.tick;
        let slot = kept.slots.get_mut(key)?;
        slot.used = tick;
        let value = slot.value.clone();
        let now = Instant::now();
        let made_or_making = slot.stamp >= stamp
            || slot
                .making
                .is_some_and(|since| now.duration_since(since) < ABANDONED);
        if made_or_making {
            return Some((value, None));
        }
        slot.making = Some(now);
        drop(kept);
        Some((
            value,
            Some(Maker {
                store: self.clone(),
                key: Some(key.clone()),
            }),
        ))
    }

    /// What [`Stamped::lookup`] finds now.
    fn find(&self, stamp: Stamp, key: &K) -> Found<K, V> {
        let miss = || {
            Found::Ready(Lookup::Miss(Maker {
                store: self.clone(),
                key: Some(key.clone()),
            }))
        };
        let Ok(mut kept) = self.0.lock() else {
            return miss();
        };
        kept.tick += 1;
        let tick = kept.tick;
        let now = Instant::now();
        let Some(slot) = kept.slots.get_mut(key) else {
            if let Some((since, made)) = kept.pending.get(key)
                && now.duration_since(*since) < ABANDONED
            {
                return Found::Wait(made.subscribe());
            }
            kept.pending
                .insert(key.clone(), (now, watch::channel(()).0));
            return miss();
        };
        slot.used = tick;
        if slot.stamp >= stamp {
            return Found::Ready(Lookup::Fresh(slot.value.clone()));
        }
        match slot.making {
            Some(since) if now.duration_since(since) < ABANDONED => {
                Found::Ready(Lookup::Stale(slot.value.clone()))
            }
            // Nobody is making it, or whoever was has gone (a reader who closed the page
            // drops the request that was making it): this request makes it.
            _ => {
                slot.making = Some(now);
                drop(kept);
                miss()
            }
        }
    }

    /// Keeps `value` for `key`, made at `stamp`, unless a value made at a newer stamp is kept
    /// already; then drops the least recently used keys while the store is over its budget.
    fn put(&self, stamp: Stamp, key: K, value: V) {
        // A poisoned lock only loses the keeping; the request is already answered.
        let Ok(mut kept) = self.0.lock() else { return };
        kept.tick += 1;
        let tick = kept.tick;
        // Those waiting for it wake (the sender dropped).
        kept.pending.remove(&key);
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
    fn release(&self, key: &K) {
        if let Ok(mut kept) = self.0.lock() {
            kept.pending.remove(key);
            if let Some(slot) = kept.slots.get_mut(key) {
                slot.making = None;
            }
        }
    }

    /// Drops what is kept for `key`: the next lookup makes it afresh.
    pub fn forget(&self, key: &K) {
        if let Ok(mut kept) = self.0.lock()
            && let Some(gone) = kept.slots.remove(key)
        {
            kept.weight -= gone.weight;
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

/// Every kept store of this process, one per kind of key and value, and anything else kept
/// in the process one per type (`changes::Changes`): the application state holds the shelf
/// without naming what the rooms keep on it. Cheap to clone.
#[derive(Clone, Default)]
pub struct Shelf(Arc<Mutex<HashMap<TypeId, Box<dyn Any + Send + Sync>>>>);

impl Shelf {
    /// The one `T` of this process, made by `Default` the first time it is asked for. `T` is
    /// a handle (cheap to clone, sharing what it holds).
    pub fn held<T: Clone + Default + Send + Sync + 'static>(&self) -> T {
        let mut shelf = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let held = shelf
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(T::default()));
        // Always found: the entry is keyed by its own type. Were it not, one of its own only
        // loses the keeping.
        held.downcast_ref::<T>().cloned().unwrap_or_default()
    }

    /// The store of `K` to `V` values, made empty the first time it is asked for.
    pub fn stamped<K: Send + 'static, V: Send + 'static>(&self) -> Stamped<K, V> {
        self.held()
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

    #[derive(Debug, PartialEq)]
    enum Got<V> {
        Fresh(V),
        Stale(V),
        Miss,
        Wait,
    }
    use Got::{Fresh, Miss, Stale, Wait};

    /// What `kept` holds for `key` at `stamp`, and the maker when it is this caller's to make.
    fn look<K: Hash + Eq + Clone, V: Clone + Weigh>(
        kept: &Stamped<K, V>,
        stamp: Stamp,
        key: K,
    ) -> (Got<V>, Option<Maker<K, V>>) {
        match kept.find(stamp, &key) {
            Found::Ready(Lookup::Fresh(v)) => (Fresh(v), None),
            Found::Ready(Lookup::Stale(v)) => (Stale(v), None),
            Found::Ready(Lookup::Miss(m)) => (Miss, Some(m)),
            Found::Wait(_) => (Wait, None),
        }
    }

    fn make<K: Hash + Eq + Clone, V: Clone + Weigh>(
        kept: &Stamped<K, V>,
        stamp: Stamp,
        key: K,
    ) -> Maker<K, V> {
        let (got, maker) = look(kept, stamp, key);
        assert!(matches!(got, Miss), "a miss");
        maker.expect("a maker with a miss")
    }

    #[test]
    fn a_new_stamp_is_made_once_while_the_last_value_is_served() {
        let kept: Stamped<&str, i32> = Stamped::default();
        make(&kept, (1, 10), "a").keep((1, 10), 1);
        assert_eq!(look(&kept, (1, 10), "a").0, Fresh(1));
        // The minute turns: the first request makes it, the others get the last one.
        let maker = make(&kept, (1, 11), "a");
        assert_eq!(look(&kept, (1, 11), "a").0, Stale(1));
        maker.keep((1, 11), 2);
        assert_eq!(look(&kept, (1, 11), "a").0, Fresh(2));
        // A change to the records: the same, one request makes it.
        let maker = make(&kept, (2, 11), "a");
        assert_eq!(look(&kept, (2, 11), "a").0, Stale(2));
        assert_eq!(look(&kept, (3, 11), "a").0, Stale(2));
        maker.keep((2, 11), 3);
        // Made at head 2, while the head is 3 already: the next request makes it again.
        make(&kept, (3, 11), "a").keep((3, 11), 4);
        assert_eq!(look(&kept, (3, 11), "a").0, Fresh(4));
        // A maker dropped unkept (the making failed, or its request was dropped) lets the
        // next request make it at once.
        drop(make(&kept, (3, 12), "a"));
        let maker = make(&kept, (3, 12), "a");
        // A late value for an older stamp is dropped.
        maker.keep((3, 12), 5);
        kept.put((3, 11), "a", 9);
        assert_eq!(look(&kept, (3, 12), "a").0, Fresh(5));
        // Nobody is served what is older than the stamp they asked at when nobody makes it.
        drop(make(&kept, (4, 12), "a"));
        drop(make(&kept, (4, 12), "a"));
    }

    #[tokio::test]
    async fn a_value_never_made_is_made_by_one_while_the_others_wait_for_it() {
        let kept: Stamped<&str, i32> = Stamped::default();
        let maker = make(&kept, (1, 1), "a");
        assert_eq!(look(&kept, (1, 1), "a").0, Wait);
        let waiting = {
            let kept = kept.clone();
            tokio::spawn(async move {
                match kept.lookup((1, 1), &"a").await {
                    Lookup::Fresh(v) => Some(v),
                    _ => None,
                }
            })
        };
        tokio::task::yield_now().await;
        maker.keep((1, 1), 7);
        assert_eq!(waiting.await.ok().flatten(), Some(7));
        // A maker that gives up wakes those waiting, and the next makes it.
        let maker = make(&kept, (1, 1), "b");
        let waiting = {
            let kept = kept.clone();
            tokio::spawn(async move { matches!(kept.lookup((1, 1), &"b").await, Lookup::Miss(_)) })
        };
        tokio::task::yield_now().await;
        drop(maker);
        assert!(waiting.await.unwrap_or(false));
    }

    #[test]
    fn an_expired_value_is_served_while_one_caller_makes_it_again() {
        let kept: Stamped<&str, i32> = Stamped::default();
        assert!(kept.kept_or_making((1, 1), &"a").is_none(), "nothing kept");
        make(&kept, (1, 1), "a").keep((1, 1), 1);
        assert!(matches!(kept.kept_or_making((1, 1), &"a"), Some((1, None))));
        // Expired: the first caller gets the value and the maker; the others the value only.
        let Some((1, Some(maker))) = kept.kept_or_making((1, 2), &"a") else {
            panic!("the kept value and the maker");
        };
        assert!(matches!(kept.kept_or_making((1, 2), &"a"), Some((1, None))));
        assert_eq!(look(&kept, (1, 2), "a").0, Stale(1));
        maker.keep((1, 2), 2);
        assert!(matches!(kept.kept_or_making((1, 2), &"a"), Some((2, None))));
        // A maker dropped unkept hands the making to the next caller.
        let Some((2, Some(maker))) = kept.kept_or_making((1, 3), &"a") else {
            panic!("the kept value and the maker");
        };
        drop(maker);
        assert!(matches!(
            kept.kept_or_making((1, 3), &"a"),
            Some((2, Some(_)))
        ));
    }

    #[test]
    fn a_store_keeps_its_budget_dropping_the_least_recently_used() {
        let kept: Stamped<u8, i32> = Stamped::with_budget(250);
        make(&kept, (1, 1), 1).keep((1, 1), 1);
        make(&kept, (1, 1), 2).keep((1, 1), 2);
        assert_eq!(kept.size(), (200, 2));
        // Key 1 is read, so key 2 is the least recently used when key 3 comes.
        assert_eq!(look(&kept, (1, 1), 1).0, Fresh(1));
        make(&kept, (1, 1), 3).keep((1, 1), 3);
        assert_eq!(kept.size(), (200, 2));
        assert_eq!(look(&kept, (1, 1), 2).0, Miss);
        assert_eq!(look(&kept, (1, 1), 1).0, Fresh(1));
        assert_eq!(look(&kept, (1, 1), 3).0, Fresh(3));
    }

    #[test]
    fn a_shelf_hands_out_one_store_per_kind() {
        let shelf = Shelf::default();
        shelf.stamped::<&str, i32>().put((1, 1), "a", 1);
        assert_eq!(look(&shelf.stamped::<&str, i32>(), (1, 1), "a").0, Fresh(1));
        assert_eq!(look(&shelf.stamped::<&str, u8>(), (1, 1), "a").0, Miss);
    }
}
