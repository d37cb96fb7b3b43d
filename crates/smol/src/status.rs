//! A snapshot of a connection's state, for dashboards and tests.

use binance_wsapi_proto::{RateLimit, SessionState};

/// What [`crate::Connection::status`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Status {
    /// Whether a socket is in use (`false` while reconnecting or after the end).
    pub connected: bool,
    /// Reconnects after a lost socket so far.
    pub reconnects: u32,
    /// Renewals (24 h limit, `serverShutdown`, asked) so far.
    pub renewals: u32,
    /// Requests waiting for their replies, over all sockets.
    pub pending: usize,
    /// Replaced sockets still open for replies on their way.
    pub draining: usize,
    /// The newest rate-limit counters the server reported on the current socket.
    pub rate_limits: Vec<RateLimit>,
    /// The server clock minus the local one, once known.
    pub server_time_offset_us: Option<i64>,
    /// The session state of the current socket.
    pub session: Option<SessionState>,
    /// User-data subscriptions of the current socket.
    pub subscriptions: Vec<u64>,
    /// Frames from the server that could not be used.
    pub protocol_errors: u64,
    /// Requests waiting for a rate-limit window to pass.
    pub waiting_for_rate_limits: usize,
}
