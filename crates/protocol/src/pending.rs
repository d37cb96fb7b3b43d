//! Requests waiting for replies, their deadlines, and a short memory of requests that ended (to
//! tell a late reply from a duplicate or a stranger).

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::time::Instant;

use crate::ids::{ClientOrderId, RequestId};
use crate::request_map::RequestMap;

/// What the client must do when a request's reply arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Followup {
    None,
    /// `time`: learn the server offset.
    Time,
    /// `session.logon`.
    Logon,
    /// `session.logout`.
    Logout,
    /// `userDataStream.subscribe` or `.subscribe.signature`.
    Subscribe,
    /// `userDataStream.unsubscribe`, of one subscription or all.
    Unsubscribe(Option<u64>),
}

/// One request in flight.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub(crate) method: Cow<'static, str>,
    pub(crate) changes_orders: bool,
    pub(crate) client_order_id: Option<ClientOrderId>,
    pub(crate) sent_at: Instant,
    pub(crate) deadline: Instant,
    pub(crate) followup: Followup,
    /// Request weight it may cost, and whether it is a new order (for the governor).
    pub(crate) cost: (u32, bool),
    seq: u64,
}

impl Pending {
    pub(crate) fn new(
        method: Cow<'static, str>,
        changes_orders: bool,
        client_order_id: Option<ClientOrderId>,
        sent_at: Instant,
        deadline: Instant,
        followup: Followup,
    ) -> Self {
        Self {
            method,
            changes_orders,
            client_order_id,
            sent_at,
            deadline,
            followup,
            cost: (0, false),
            seq: 0,
        }
    }
}

/// How a request that is no longer pending ended.
#[derive(Debug, Clone)]
pub(crate) enum Ended {
    /// It got its reply (or was failed by a lost connection).
    Replied,
    /// It timed out; a reply may still come.
    TimedOut(Pending),
}

/// A deadline entry: when, the send sequence number (to spot entries of replaced requests), id.
type Entry = (Instant, u64, RequestId);

/// Deadlines in send order. Requests sent with the same timeout expire in the order they were sent,
/// so most entries go to a FIFO queue (O(1) at both ends); an entry earlier than the queue's last
/// one goes to a min-heap. Entries are deleted lazily.
#[derive(Debug)]
struct Deadlines {
    fifo: VecDeque<Entry>,
    heap: BinaryHeap<Reverse<Entry>>,
}

impl Deadlines {
    fn with_capacity(n: usize) -> Self {
        Self {
            fifo: VecDeque::with_capacity(n),
            heap: BinaryHeap::new(),
        }
    }

    fn len(&self) -> usize {
        self.fifo.len() + self.heap.len()
    }

    fn push(&mut self, entry: Entry) {
        match self.fifo.back() {
            Some(last) if entry.0 < last.0 => self.heap.push(Reverse(entry)),
            _ => self.fifo.push_back(entry),
        }
    }

    /// The earliest entry.
    fn peek(&self) -> Option<Entry> {
        match (self.fifo.front(), self.heap.peek()) {
            (Some(f), Some(Reverse(h))) => Some(if h.0 < f.0 { *h } else { *f }),
            (Some(f), None) => Some(*f),
            (None, Some(Reverse(h))) => Some(*h),
            (None, None) => None,
        }
    }

    /// Removes the earliest entry.
    fn pop(&mut self) -> Option<Entry> {
        let from_heap = match (self.fifo.front(), self.heap.peek()) {
            (Some(f), Some(Reverse(h))) => h.0 < f.0,
            (None, Some(_)) => true,
            _ => false,
        };
        if from_heap {
            self.heap.pop().map(|Reverse(e)| e)
        } else {
            self.fifo.pop_front()
        }
    }

    fn clear(&mut self) {
        self.fifo.clear();
        self.heap.clear();
    }

    /// Replaces the contents with `entries` (any order).
    fn rebuild(&mut self, entries: impl Iterator<Item = Entry>) {
        self.clear();
        let mut sorted: Vec<Entry> = entries.collect();
        sorted.sort_unstable_by_key(|e| (e.0, e.1));
        self.fifo.extend(sorted);
    }
}

/// The in-flight table: O(1) lookup by id (in a ring for the client's own consecutive ids),
/// deadlines in send order with lazy deletion.
#[derive(Debug)]
pub(crate) struct PendingTable {
    map: RequestMap<Pending>,
    deadlines: Deadlines,
    next_seq: u64,
    recent: VecDeque<(RequestId, Ended)>,
    recent_cap: usize,
    /// Weight and new orders of the requests in flight: not yet in the server's counts.
    in_flight_cost: (u64, u64),
}

/// Room the tables get up front (requests in flight, ended ids remembered).
const INITIAL_ROOM: usize = 64;

impl PendingTable {
    pub(crate) fn new(capacity: usize, recent_cap: usize) -> Self {
        // Sized for a typical burst, not for the limit: a connection must not hold megabytes
        // for a bound it rarely reaches. The tables grow to their high-water mark once and keep
        // that room, so a steady flow of requests does not reallocate.
        let capacity = capacity.min(INITIAL_ROOM);
        Self {
            map: RequestMap::with_capacity(capacity),
            deadlines: Deadlines::with_capacity(capacity * 2 + 64),
            next_seq: 0,
            recent: VecDeque::with_capacity(recent_cap.min(INITIAL_ROOM)),
            recent_cap,
            in_flight_cost: (0, 0),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    pub(crate) fn contains(&self, id: &RequestId) -> bool {
        self.map.contains_key(id)
    }

    pub(crate) fn insert(&mut self, id: RequestId, mut pending: Pending) {
        self.next_seq += 1;
        pending.seq = self.next_seq;
        self.deadlines.push((pending.deadline, pending.seq, id));
        self.in_flight_cost.0 += u64::from(pending.cost.0);
        self.in_flight_cost.1 += u64::from(pending.cost.1);
        self.map.insert(id, pending);
        if self.deadlines.len() > self.map.len() * 2 + 64 {
            self.rebuild_deadlines();
        }
    }

    /// Takes the request out because its reply arrived.
    pub(crate) fn take_replied(&mut self, id: &RequestId) -> Option<Pending> {
        let pending = self.map.remove(id)?;
        self.uncost(&pending);
        self.remember(*id, Ended::Replied);
        self.prune();
        Some(pending)
    }

    /// Takes out and returns every request whose deadline is at or before `now`, oldest first.
    pub(crate) fn take_expired(&mut self, now: Instant) -> Vec<(RequestId, Pending)> {
        let mut expired = Vec::new();
        while let Some((deadline, seq, id)) = self.deadlines.peek() {
            if deadline > now {
                break;
            }
            self.deadlines.pop();
            if self.map.get(&id).is_some_and(|p| p.seq == seq) {
                if let Some(p) = self.map.remove(&id) {
                    self.uncost(&p);
                    self.remember(id, Ended::TimedOut(p.clone()));
                    expired.push((id, p));
                }
            }
        }
        self.prune();
        expired
    }

    /// Takes out every pending request (the connection is gone), in send order.
    pub(crate) fn take_all(&mut self) -> Vec<(RequestId, Pending)> {
        self.in_flight_cost = (0, 0);
        let mut all = self.map.drain();
        all.sort_by_key(|(_, p)| p.seq);
        self.deadlines.clear();
        all
    }

    /// Weight and new orders of the requests in flight.
    pub(crate) fn in_flight_cost(&self) -> (u64, u64) {
        self.in_flight_cost
    }

    fn uncost(&mut self, p: &Pending) {
        self.in_flight_cost.0 = self.in_flight_cost.0.saturating_sub(u64::from(p.cost.0));
        self.in_flight_cost.1 = self.in_flight_cost.1.saturating_sub(u64::from(p.cost.1));
    }

    /// The earliest deadline of a request still pending.
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        self.deadlines.peek().map(|(d, _, _)| d)
    }

    /// Looks up a request that ended recently. A timed-out one is handed back once (its late
    /// reply) and then counts as replied.
    pub(crate) fn take_recent(&mut self, id: &RequestId) -> Option<Ended> {
        let slot = self.recent.iter_mut().rev().find(|(rid, _)| rid == id)?;
        Some(std::mem::replace(&mut slot.1, Ended::Replied))
    }

    fn remember(&mut self, id: RequestId, ended: Ended) {
        if self.recent_cap == 0 {
            return;
        }
        if self.recent.len() == self.recent_cap {
            self.recent.pop_front();
        }
        self.recent.push_back((id, ended));
    }

    /// Drops entries of requests that are gone, so the earliest one is always a live deadline.
    fn prune(&mut self) {
        while let Some((_, seq, id)) = self.deadlines.peek() {
            if self.map.get(&id).is_some_and(|p| p.seq == seq) {
                break;
            }
            self.deadlines.pop();
        }
    }

    fn rebuild_deadlines(&mut self) {
        self.deadlines
            .rebuild(self.map.iter().map(|(id, p)| (p.deadline, p.seq, id)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn pending(now: Instant, ttl_ms: u64) -> Pending {
        Pending::new(
            Cow::Borrowed("ping"),
            false,
            None,
            now,
            now + Duration::from_millis(ttl_ms),
            Followup::None,
        )
    }

    #[test]
    fn expires_exactly_at_the_deadline() {
        let t0 = Instant::now();
        let mut table = PendingTable::new(8, 8);
        table.insert(RequestId::Int(1), pending(t0, 100));
        table.insert(RequestId::Int(2), pending(t0, 50));
        assert_eq!(table.next_deadline(), Some(t0 + Duration::from_millis(50)));
        assert!(table
            .take_expired(t0 + Duration::from_millis(49))
            .is_empty());
        let expired = table.take_expired(t0 + Duration::from_millis(100));
        let ids: Vec<_> = expired.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, [RequestId::Int(2), RequestId::Int(1)]);
        assert_eq!(table.next_deadline(), None);
        assert!(matches!(
            table.take_recent(&RequestId::Int(1)),
            Some(Ended::TimedOut(_))
        ));
        assert!(matches!(
            table.take_recent(&RequestId::Int(1)),
            Some(Ended::Replied)
        ));
    }

    #[test]
    fn replied_requests_leave_no_stale_deadline_on_top() {
        let t0 = Instant::now();
        let mut table = PendingTable::new(8, 8);
        table.insert(RequestId::Int(1), pending(t0, 10));
        table.insert(RequestId::Int(2), pending(t0, 20));
        assert!(table.take_replied(&RequestId::Int(1)).is_some());
        assert_eq!(table.next_deadline(), Some(t0 + Duration::from_millis(20)));
        assert!(table.take_replied(&RequestId::Int(1)).is_none());
    }

    #[test]
    fn reused_id_keeps_only_its_own_deadline() {
        let t0 = Instant::now();
        let mut table = PendingTable::new(8, 8);
        table.insert(RequestId::Int(1), pending(t0, 10));
        table.take_replied(&RequestId::Int(1));
        table.insert(RequestId::Int(1), pending(t0, 1000));
        assert!(table
            .take_expired(t0 + Duration::from_millis(500))
            .is_empty());
        assert_eq!(table.len(), 1);
    }

    #[test]
    fn heap_stays_bounded_under_churn() {
        let t0 = Instant::now();
        let mut table = PendingTable::new(8, 4);
        // One long-lived request keeps everything behind it from being pruned from the top.
        table.insert(RequestId::Int(0), pending(t0, 1));
        for i in 1..10_000 {
            table.insert(RequestId::Int(i), pending(t0, 100));
            table.take_replied(&RequestId::Int(i));
        }
        assert!(
            table.deadlines.len() <= 2 * table.len() + 65,
            "{}",
            table.deadlines.len()
        );
        assert_eq!(table.recent.len(), 4);
    }
}
