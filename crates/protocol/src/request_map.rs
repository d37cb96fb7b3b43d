//! A table keyed by request id, built for the ids a client hands out itself: consecutive
//! integers. Those sit in a ring indexed by `id - base`: a new request goes on at the back and
//! replies mostly take from the front, so with thousands in flight both ends stay in cache, where
//! a hash map would touch a random bucket of a megabyte-sized table on every insert and removal.
//! Any other id (one the caller chose, or one far from the run) goes to a hash map.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

use crate::ids::RequestId;

/// A fast hasher for maps keyed by [`RequestId`] (the fallback of [`RequestMap`], and any table
/// a driver keeps by request id). Only ids the client sent are ever inserted (counter values or
/// ids the caller chose), so a peer cannot flood such a table with colliding keys; SipHash's
/// protection is not needed there.
#[derive(Debug, Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        // Final avalanche (from SplitMix64) so that consecutive ids spread over the buckets.
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_i64(&mut self, n: i64) {
        self.write_u64(n as u64);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_isize(&mut self, n: isize) {
        self.write_u64(n as u64);
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
}

/// How far past the ring's end an integer id may land and still join the ring (the slots in
/// between stay empty). Further away, it goes to the hash map.
const MAX_GAP: i64 = 64;

/// Slack the ring may carry in empty slots beyond twice its live entries before old live
/// entries at its front move to the hash map (one long-lived request must not keep a ring of
/// every id sent after it).
const RING_SLACK: usize = 1024;

/// A map from [`RequestId`] to `V`, fast for runs of consecutive integer ids (see the module
/// docs). Every id is in exactly one of its two parts.
#[derive(Debug, Clone)]
pub struct RequestMap<V> {
    /// Values of the ids `base ..base + ring.len()`; `None` for ids not in the map.
    ring: VecDeque<Option<V>>,
    /// The id of `ring[0]`.
    base: i64,
    /// `Some` slots in the ring.
    in_ring: usize,
    /// Every other id.
    other: HashMap<RequestId, V, BuildHasherDefault<IdHasher>>,
}

impl<V> Default for RequestMap<V> {
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

impl<V> RequestMap<V> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty map with room for `capacity` consecutive ids before it grows.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            ring: VecDeque::with_capacity(capacity),
            base: 0,
            in_ring: 0,
            other: HashMap::default(),
        }
    }

    /// Entries in the map.
    pub fn len(&self) -> usize {
        self.in_ring + self.other.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The ring index of `id`, when `id` falls in the ring's range.
    fn slot(&self, id: &RequestId) -> Option<usize> {
        let RequestId::Int(n) = *id else {
            return None;
        };
        let offset = usize::try_from(n.checked_sub(self.base)?).ok()?;
        (offset < self.ring.len()).then_some(offset)
    }

    /// The value of `id`.
    pub fn get(&self, id: &RequestId) -> Option<&V> {
        match self.slot(id) {
            Some(i) => self.ring[i].as_ref(),
            None => self.other.get(id),
        }
    }

    /// The value of `id`, to change.
    pub fn get_mut(&mut self, id: &RequestId) -> Option<&mut V> {
        match self.slot(id) {
            Some(i) => self.ring[i].as_mut(),
            None => self.other.get_mut(id),
        }
    }

    /// Whether `id` is in the map.
    pub fn contains_key(&self, id: &RequestId) -> bool {
        self.get(id).is_some()
    }

    /// Sets the value of `id`; returns the value it replaced.
    pub fn insert(&mut self, id: RequestId, value: V) -> Option<V> {
        if let Some(i) = self.slot(&id) {
            let old = self.ring[i].replace(value);
            if old.is_none() {
                self.in_ring += 1;
            }
            return old;
        }
        if let Some(old) = self.other.get_mut(&id) {
            return Some(std::mem::replace(old, value));
        }
        if let RequestId::Int(n) = id {
            if self.reach(n) {
                self.ring.push_back(Some(value));
                self.in_ring += 1;
                self.bound();
                return None;
            }
        }
        self.other.insert(id, value)
    }

    /// Makes the ring end just before `n` (padding with empty slots), so that the next slot
    /// pushed is `n`'s. False when `n` is too far from the ring, or a padded id is in the map.
    fn reach(&mut self, n: i64) -> bool {
        if self.ring.is_empty() {
            self.base = n;
            return true;
        }
        let Some(end) = i64::try_from(self.ring.len())
            .ok()
            .and_then(|len| self.base.checked_add(len))
        else {
            return false;
        };
        let Some(gap) = n.checked_sub(end).filter(|gap| (0..=MAX_GAP).contains(gap)) else {
            return false;
        };
        if !self.other.is_empty() && (end..n).any(|k| self.other.contains_key(&RequestId::Int(k))) {
            return false;
        }
        for _ in 0..gap {
            self.ring.push_back(None);
        }
        true
    }

    /// Moves live entries from the ring's front to the hash map while the ring is mostly empty
    /// slots, so its length stays within twice its entries plus [`RING_SLACK`].
    fn bound(&mut self) {
        while self.ring.len() > 2 * self.in_ring + RING_SLACK {
            if let Some(Some(value)) = self.ring.pop_front() {
                self.in_ring -= 1;
                self.other.insert(RequestId::Int(self.base), value);
            }
            self.base += 1;
            self.trim_front();
        }
    }

    /// Drops empty slots at the ring's front.
    fn trim_front(&mut self) {
        while let Some(None) = self.ring.front() {
            self.ring.pop_front();
            self.base += 1;
        }
    }

    /// Takes `id` out of the map.
    pub fn remove(&mut self, id: &RequestId) -> Option<V> {
        let Some(i) = self.slot(id) else {
            return self.other.remove(id);
        };
        let value = self.ring[i].take()?;
        self.in_ring -= 1;
        if self.in_ring == 0 {
            self.ring.clear();
        } else if i == 0 {
            self.trim_front();
        }
        Some(value)
    }

    /// Every entry: the ring's in id order, then the others in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (RequestId, &V)> + '_ {
        let base = self.base;
        self.ring
            .iter()
            .zip(0_i64..)
            .filter_map(move |(v, i)| Some((RequestId::Int(base + i), v.as_ref()?)))
            .chain(self.other.iter().map(|(id, v)| (*id, v)))
    }

    /// Takes every entry out (in [`Self::iter`]'s order); the map keeps its room.
    pub fn drain(&mut self) -> Vec<(RequestId, V)> {
        let base = self.base;
        let mut all = Vec::with_capacity(self.len());
        all.extend(
            self.ring
                .drain(..)
                .zip(0_i64..)
                .filter_map(|(v, i)| Some((RequestId::Int(base + i), v?))),
        );
        all.extend(self.other.drain());
        self.in_ring = 0;
        all
    }

    /// Removes every entry; the map keeps its room.
    pub fn clear(&mut self) {
        self.ring.clear();
        self.other.clear();
        self.in_ring = 0;
    }

    /// Entries held in the ring (the rest are in the hash map).
    #[cfg(test)]
    fn ring_entries(&self) -> usize {
        self.in_ring
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn int(n: i64) -> RequestId {
        RequestId::Int(n)
    }

    #[test]
    fn consecutive_ids_stay_in_the_ring() {
        let mut map = RequestMap::new();
        for n in 1..=10_000 {
            assert_eq!(map.insert(int(n), n), None);
        }
        assert_eq!((map.len(), map.ring_entries()), (10_000, 10_000));
        for n in 1..=5_000 {
            assert_eq!(map.remove(&int(n)), Some(n));
        }
        for n in 10_001..=12_000 {
            map.insert(int(n), n);
        }
        assert_eq!((map.len(), map.ring_entries()), (7_000, 7_000));
        assert_eq!(map.get(&int(5_001)), Some(&5_001));
        assert_eq!(map.get(&int(5_000)), None);
    }

    #[test]
    fn other_ids_go_to_the_hash_map() {
        let mut map = RequestMap::new();
        map.insert(int(100), "a");
        map.insert(RequestId::text("mine").expect("id"), "b");
        map.insert(int(1_000_000), "c"); // far from the run
        map.insert(int(5), "d"); // before the run
        assert_eq!(map.ring_entries(), 1);
        assert_eq!(map.len(), 4);
        assert_eq!(map.get(&RequestId::text("mine").expect("id")), Some(&"b"));
        assert_eq!(map.remove(&int(1_000_000)), Some("c"));
        assert_eq!(map.remove(&int(1_000_000)), None);
        assert_eq!(map.len(), 3);
    }

    #[test]
    fn a_padded_id_already_in_the_hash_map_keeps_its_place() {
        let mut map = RequestMap::new();
        map.insert(int(10), 10);
        map.remove(&int(10)); // the ring is empty again
        map.insert(int(20), 20); // the ring starts at 20
        map.insert(int(3), 3); // before it: hash map
        map.remove(&int(20));
        map.insert(int(1), 1); // the ring starts at 1
                               // Reaching 5 would pad over 3, which the hash map holds: 5 goes there too.
        map.insert(int(5), 5);
        assert_eq!(map.insert(int(3), 33), Some(3));
        assert_eq!(map.len(), 3);
        assert_eq!(map.remove(&int(3)), Some(33));
        assert_eq!(map.get(&int(5)), Some(&5));
    }

    #[test]
    fn one_long_lived_entry_does_not_keep_a_long_ring() {
        let mut map = RequestMap::new();
        map.insert(int(0), 0);
        for n in 1..100_000 {
            map.insert(int(n), n);
            map.remove(&int(n));
        }
        assert_eq!(map.len(), 1);
        assert!(map.ring.len() <= RING_SLACK + 2, "{}", map.ring.len());
        assert_eq!(map.get(&int(0)), Some(&0));
        assert_eq!(map.remove(&int(0)), Some(0));
        assert!(map.is_empty());
    }

    #[test]
    fn id_hasher_spreads_consecutive_and_text_ids() {
        use std::hash::BuildHasher;
        let build = BuildHasherDefault::<IdHasher>::default();
        let hash = |id: RequestId| build.hash_one(id);
        let buckets: std::collections::HashSet<u64> =
            (0..1024).map(|i| hash(RequestId::Int(i)) & 1023).collect();
        assert!(buckets.len() > 600, "{}", buckets.len());
        assert_ne!(
            hash(RequestId::text("a").unwrap()),
            hash(RequestId::text("b").unwrap())
        );
        assert_ne!(hash(RequestId::Int(0)), hash(RequestId::text("0").unwrap()));
    }

    #[derive(Debug, Clone)]
    enum Op {
        Insert(i64),
        InsertText(u8),
        Remove(i64),
        RemoveText(u8),
        Next,
        RemoveOldest,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (-5_i64..300).prop_map(Op::Insert),
            any::<u8>().prop_map(Op::InsertText),
            (-5_i64..300).prop_map(Op::Remove),
            any::<u8>().prop_map(Op::RemoveText),
            Just(Op::Next),
            Just(Op::Next),
            Just(Op::RemoveOldest),
        ]
    }

    proptest! {
        /// Any mix of ids behaves as a plain map does.
        #[test]
        fn behaves_as_a_map(ops in proptest::collection::vec(op(), 0..400)) {
            let mut map = RequestMap::new();
            let mut model: BTreeMap<RequestId, u32> = BTreeMap::new();
            let mut next = 1_i64;
            for (k, op) in ops.into_iter().enumerate() {
                let value = k as u32;
                let text = |b: u8| RequestId::text(&format!("t{b}")).expect("id");
                match op {
                    Op::Insert(n) => {
                        prop_assert_eq!(map.insert(int(n), value), model.insert(int(n), value));
                    }
                    Op::InsertText(b) => {
                        prop_assert_eq!(map.insert(text(b), value), model.insert(text(b), value));
                    }
                    Op::Next => {
                        prop_assert_eq!(map.insert(int(next), value), model.insert(int(next), value));
                        next += 1;
                    }
                    Op::Remove(n) => prop_assert_eq!(map.remove(&int(n)), model.remove(&int(n))),
                    Op::RemoveText(b) => prop_assert_eq!(map.remove(&text(b)), model.remove(&text(b))),
                    Op::RemoveOldest => {
                        let oldest = model.keys().next().copied();
                        if let Some(id) = oldest {
                            prop_assert_eq!(map.remove(&id), model.remove(&id));
                        }
                    }
                }
                prop_assert_eq!(map.len(), model.len());
            }
            let mut seen: Vec<(RequestId, u32)> = map.iter().map(|(id, v)| (id, *v)).collect();
            seen.sort();
            let expected: Vec<(RequestId, u32)> = model.iter().map(|(id, v)| (*id, *v)).collect();
            prop_assert_eq!(&seen, &expected);
            for (id, v) in &expected {
                prop_assert_eq!(map.get(id), Some(v));
            }
            let mut drained = map.drain();
            drained.sort();
            prop_assert_eq!(drained, expected);
            prop_assert!(map.is_empty());
        }
    }
}
