//! What a connection hands out: the core's events, plus what happened to the connection itself.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use binance_wsapi_blocking::{CallError, Error};
use binance_wsapi_proto::Event;

/// Identifies a connection for its whole life, across reconnects; unique in the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnectionId(u64);

impl ConnectionId {
    pub(crate) fn next() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Self(NEXT.fetch_add(1, Ordering::Relaxed))
    }

    /// The number behind the id.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for ConnectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Why a connection was renewed (replaced by a new one while the old finished its replies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RenewReason {
    /// The server announced `serverShutdown`.
    ServerShutdown,
    /// The connection neared Binance's 24 h limit (`Config::renew_after`).
    Age,
    /// The user asked ([`crate::Connection::renew`]).
    Asked,
}

/// Something a connection hands out.
#[derive(Debug)]
#[non_exhaustive]
pub enum Notice {
    /// An event of the protocol core: a completion nobody waited for, a late reply, user data,
    /// a rate-limit notice, ...
    Event(Event),
    /// The socket was lost. Requests in flight on it have already ended (lost, or *unknown* for
    /// orders).
    Disconnected {
        /// What happened.
        reason: String,
        /// Whether a reconnect follows.
        will_reconnect: bool,
    },
    /// A new socket replaced a lost one. User-data events sent in between are not replayed.
    Reconnected {
        /// Connection attempts it took.
        attempts: u32,
        /// `true` if user data was subscribed: events may have been missed; reconcile with
        /// queries (e.g. `openOrders.status`, `account.status`).
        user_data_gap: bool,
    },
    /// A new socket took over while the old one stays open until its replies are in.
    Renewed {
        /// Why.
        reason: RenewReason,
        /// `true` if user data was subscribed: events around the switch may be missing or come
        /// twice.
        user_data_gap: bool,
    },
    /// Renewing failed; the old socket is still in use.
    RenewFailed(Error),
    /// The session log-on redone after a reconnect (or done by [`crate::Options::auto_logon`]).
    Relogon(Result<(), CallError>),
    /// The user-data subscription redone after a reconnect.
    Resubscribed(Result<(), CallError>),
    /// Every reconnect attempt failed; the connection is closed for good.
    GaveUp(Error),
    /// The connection is closed for good (last notice).
    Closed,
}

/// A notice with the connection it comes from (what buffers and streams carry).
#[derive(Debug)]
#[non_exhaustive]
pub struct Delivery {
    /// The connection.
    pub connection: ConnectionId,
    /// What happened.
    pub notice: Notice,
}

impl Delivery {
    pub(crate) fn new(connection: ConnectionId, notice: Notice) -> Self {
        Self { connection, notice }
    }

    /// The core event, if this is one.
    pub fn event(&self) -> Option<&Event> {
        match &self.notice {
            Notice::Event(e) => Some(e),
            _ => None,
        }
    }
}
