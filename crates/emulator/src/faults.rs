//! Faults the emulator can inject, so that clients can be tested against a misbehaving server.
//! None of them corrupts state: an order accepted before a dropped reply stays in the book and
//! `order.status` finds it.

use std::time::Duration;

/// Faults in force. Set them in [`crate::EmulatorConfig::faults`] or at run time with
/// [`crate::Emulator::set_faults`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Faults {
    /// Refuse new connections (the TCP connection is closed before the handshake).
    pub refuse_connections: bool,
    /// Close every connection once it has received this many frames.
    pub drop_after_frames: Option<u64>,
    /// The next this-many accepted `order.place` requests get no reply: the order is placed, then
    /// the connection closes.
    pub drop_mid_order: u32,
    /// Hold every reply this long before sending it.
    pub reply_delay: Option<Duration>,
    /// Hold the 1st, 3rd, 5th... reply of each connection an extra this long, so that replies
    /// overtake each other.
    pub reorder_delay: Option<Duration>,
    /// Send every reply twice.
    pub duplicate_replies: bool,
    /// Send a text frame that is not JSON before every reply.
    pub garbage_before_reply: bool,
    /// Send a binary frame before every reply.
    pub binary_before_reply: bool,
    /// Answer the next this-many requests (from any connection) with a 429 `-1003` and a
    /// `retryAfter` 200 ms ahead, without running them.
    pub answer_429: u32,
    /// Throttle: at most one reply per this interval on each connection; the rest wait their
    /// turn, in order (a slow or overloaded server).
    pub throttle: Option<Duration>,
    /// Run the server's clock this many ms ahead (negative: behind) when handling requests, so
    /// that clients meet `-1021` and `serverTime` values that differ from their own clock.
    pub clock_skew_ms: i64,
}

impl Faults {
    /// No faults.
    pub fn none() -> Self {
        Self::default()
    }
}
