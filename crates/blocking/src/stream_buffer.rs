//! A bounded buffer of received events that another thread drains at its own pace, first-in or
//! last-in first, with put-back and counters, and an explicit policy when it is full. Threads
//! wait with [`StreamBuffer::wait_fifo`]; async tasks (any runtime) with [`StreamBuffer::next`].

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
    closed: bool,
}

/// The lock, the condition variable threads wait on and the event async tasks wait on.
#[derive(Debug)]
struct Shared<T> {
    inner: Mutex<Inner<T>>,
    ready: Condvar,
    ready_async: event_listener::Event,
}

/// A bounded, thread-safe queue of events. Clones share the same buffer.
#[derive(Debug)]
pub struct StreamBuffer<T> {
    shared: Arc<Shared<T>>,
    capacity: usize,
    when_full: WhenFull,
}

impl<T> Clone for StreamBuffer<T> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
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
            // Grows as needed: a large bound must not cost its memory up front.
            items: VecDeque::with_capacity(capacity.min(64)),
            dropped: 0,
            closed: false,
        };
        Self {
            shared: Arc::new(Shared {
                inner: Mutex::new(inner),
                ready: Condvar::new(),
                ready_async: event_listener::Event::new(),
            }),
            capacity,
            when_full,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner<T>> {
        self.shared
            .inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
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
        self.wake_one();
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
        self.wake_one();
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
            if inner.closed {
                return None;
            }
            inner = self
                .shared
                .ready
                .wait_timeout(inner, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// The oldest item, waiting for one without blocking the thread (usable from any async
    /// runtime). `None` once the buffer is closed and empty.
    ///
    /// Cancel safety: dropping the future loses nothing; an item is only taken when it resolves.
    pub async fn next(&self) -> Option<T> {
        loop {
            let listener = {
                let mut inner = self.lock();
                if let Some(item) = inner.items.pop_front() {
                    return Some(item);
                }
                if inner.closed {
                    return None;
                }
                // Listening under the lock: a push after it cannot be missed.
                self.shared.ready_async.listen()
            };
            listener.await;
        }
    }

    /// Closes the buffer: waiters get `None` once it is empty; items already in it can still be
    /// taken, and later pushes are still kept. Adapters close a connection's own buffer when the
    /// connection ends for good.
    pub fn close(&self) {
        self.lock().closed = true;
        self.shared.ready.notify_all();
        self.shared.ready_async.notify(usize::MAX);
    }

    /// Whether [`Self::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.lock().closed
    }

    fn wake_one(&self) {
        self.shared.ready.notify_one();
        self.shared.ready_async.notify(1);
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

    #[test]
    fn async_waiter_gets_items_from_a_thread_and_ends_after_close() {
        let b = StreamBuffer::new(16, WhenFull::DropNewest);
        let writer = b.clone();
        let handle = std::thread::spawn(move || {
            for i in 0..5 {
                std::thread::sleep(Duration::from_millis(2));
                writer.push(i);
            }
            writer.close();
        });
        let got = futures_lite_block_on(async {
            let mut got = Vec::new();
            while let Some(i) = b.next().await {
                got.push(i);
            }
            got
        });
        handle.join().unwrap();
        assert_eq!(got, vec![0, 1, 2, 3, 4]);
        assert!(b.is_closed());
        assert_eq!(b.wait_fifo(Duration::from_secs(5)), None, "closed: no wait");
    }

    /// A minimal executor for one future: parks the thread until the waker fires.
    fn futures_lite_block_on<F: std::future::Future>(future: F) -> F::Output {
        use std::pin::pin;
        use std::sync::Arc;
        use std::task::{Context, Poll, Wake, Waker};
        struct Unpark(std::thread::Thread);
        impl Wake for Unpark {
            fn wake(self: Arc<Self>) {
                self.0.unpark();
            }
        }
        let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
        let mut cx = Context::from_waker(&waker);
        let mut future = pin!(future);
        loop {
            match future.as_mut().poll(&mut cx) {
                Poll::Ready(out) => return out,
                Poll::Pending => std::thread::park_timeout(Duration::from_millis(100)),
            }
        }
    }
}
