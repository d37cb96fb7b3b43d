//! A bounded buffer of received events that another thread drains at its own pace, first-in or
//! last-in first, with put-back and counters, and an explicit policy when it is full.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// What happens to a new item when the buffer is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WhenFull {
    /// Drop the oldest item to make room (keep the freshest data).
    DropOldest,
    /// Drop the new item (keep what is already queued).
    DropNewest,
}

#[derive(Debug)]
struct Inner<T> {
    items: VecDeque<T>,
    dropped: u64,
}

/// A bounded, thread-safe queue of events. Clones share the same buffer.
#[derive(Debug)]
pub struct StreamBuffer<T> {
    inner: Arc<(Mutex<Inner<T>>, Condvar)>,
    capacity: usize,
    when_full: WhenFull,
}

impl<T> Clone for StreamBuffer<T> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            capacity: self.capacity,
            when_full: self.when_full,
        }
    }
}

impl<T> StreamBuffer<T> {
    /// A buffer holding at most `capacity` items (at least 1).
    pub fn new(capacity: usize, when_full: WhenFull) -> Self {
        let capacity = capacity.max(1);
        let inner = Inner {
            items: VecDeque::with_capacity(capacity.min(1 << 16)),
            dropped: 0,
        };
        Self {
            inner: Arc::new((Mutex::new(inner), Condvar::new())),
            capacity,
            when_full,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner<T>> {
        self.inner.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds an item at the back; returns `false` if an item was dropped to respect the capacity.
    pub fn push(&self, item: T) -> bool {
        let mut inner = self.lock();
        let mut kept_all = true;
        if inner.items.len() >= self.capacity {
            inner.dropped += 1;
            kept_all = false;
            match self.when_full {
                WhenFull::DropOldest => {
                    inner.items.pop_front();
                }
                WhenFull::DropNewest => return false,
            }
        }
        inner.items.push_back(item);
        drop(inner);
        self.inner.1.notify_one();
        kept_all
    }

    /// Puts an item back at the front, to be taken first by [`Self::pop_fifo`] (it may push the
    /// newest item out when full).
    pub fn put_back(&self, item: T) {
        let mut inner = self.lock();
        if inner.items.len() >= self.capacity {
            inner.items.pop_back();
            inner.dropped += 1;
        }
        inner.items.push_front(item);
        drop(inner);
        self.inner.1.notify_one();
    }

    /// The oldest item, if any.
    pub fn pop_fifo(&self) -> Option<T> {
        self.lock().items.pop_front()
    }

    /// The newest item, if any.
    pub fn pop_lifo(&self) -> Option<T> {
        self.lock().items.pop_back()
    }

    /// The oldest item, waiting up to `timeout` for one.
    pub fn wait_fifo(&self, timeout: Duration) -> Option<T> {
        let until = Instant::now() + timeout;
        let mut inner = self.lock();
        loop {
            if let Some(item) = inner.items.pop_front() {
                return Some(item);
            }
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            inner = self
                .inner
                .1
                .wait_timeout(inner, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Items waiting.
    pub fn len(&self) -> usize {
        self.lock().items.len()
    }

    /// Whether nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Items dropped because the buffer was full.
    pub fn dropped(&self) -> u64 {
        self.lock().dropped
    }

    /// The capacity.
    pub fn capacity(&self) -> usize {
        self.capacity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifo_lifo_put_back_and_both_full_policies() {
        let b = StreamBuffer::new(3, WhenFull::DropOldest);
        for i in 1..=4 {
            b.push(i);
        }
        assert_eq!((b.len(), b.dropped()), (3, 1));
        assert_eq!(b.pop_fifo(), Some(2));
        assert_eq!(b.pop_lifo(), Some(4));
        b.put_back(2);
        assert_eq!(b.pop_fifo(), Some(2));
        assert_eq!(b.pop_fifo(), Some(3));
        assert!(b.is_empty());

        let keep = StreamBuffer::new(2, WhenFull::DropNewest);
        assert!(keep.push(1) && keep.push(2));
        assert!(!keep.push(3));
        assert_eq!(
            (keep.pop_fifo(), keep.pop_fifo(), keep.dropped()),
            (Some(1), Some(2), 1)
        );
    }

    #[test]
    fn another_thread_drains_while_this_one_fills() {
        let b = StreamBuffer::new(1000, WhenFull::DropNewest);
        let reader = b.clone();
        let handle = std::thread::spawn(move || {
            let mut got = Vec::new();
            while got.len() < 100 {
                match reader.wait_fifo(Duration::from_secs(5)) {
                    Some(i) => got.push(i),
                    None => break,
                }
            }
            got
        });
        for i in 0..100 {
            b.push(i);
        }
        assert_eq!(handle.join().unwrap(), (0..100).collect::<Vec<_>>());
        assert_eq!(b.wait_fifo(Duration::from_millis(10)), None);
    }
}
