//! How to connect, how to heal, and where received messages go.

use std::time::Duration;

use binance_wsapi_blocking::{Backoff, Roots, StreamBuffer, WhenFull};
use binance_wsapi_proto::{Config, Credentials};

use crate::notice::Delivery;
use crate::proxy::Proxy;

/// Where a connection puts what no waiter, callback or handler took.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum BufferChoice {
    /// A buffer of its own with this capacity and full policy; closed when the connection ends,
    /// which ends its event stream.
    Own {
        /// Most items held.
        capacity: usize,
        /// What to drop when full.
        when_full: WhenFull,
    },
    /// A buffer shared with other connections (one global buffer); each item names its
    /// connection. It is never closed by a connection.
    Shared(StreamBuffer<Delivery>),
}

impl Default for BufferChoice {
    fn default() -> Self {
        Self::Own {
            capacity: 65_536,
            when_full: WhenFull::DropOldest,
        }
    }
}

/// How to connect, heal and deliver.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// The protocol core's settings (timeouts, limits, recvWindow, ...).
    pub config: Config,
    /// Keys to sign with.
    pub credentials: Option<Credentials>,
    /// Certificate authorities for `wss://`.
    pub roots: Roots,
    /// A proxy to tunnel through (HTTP `CONNECT` or SOCKS5); `None` connects directly.
    pub proxy: Option<Proxy>,
    /// Longest wait for the TCP connection and for each handshake step.
    pub connect_timeout: Duration,
    /// Seed for generated client order ids; random (from the OS) when `None`.
    pub seed: Option<u64>,
    /// Reconnect by itself when the connection is lost (with [`Options::backoff`]).
    pub reconnect: bool,
    /// Retry timing for reconnects: exponential with jitter, bounded.
    pub backoff: Backoff,
    /// Log on (`session.logon`, Ed25519 keys only) after every connect, the first included.
    /// Without it, a session the user logged on is still restored after a reconnect.
    pub auto_logon: bool,
    /// Ask the server's time this often to keep the clock offset fresh (a `-1021` reply also
    /// triggers a sample); `None` samples only on `-1021`.
    pub clock_sync_every: Option<Duration>,
    /// When a send would cross a rate limit (or the server asked to back off), wait up to this
    /// long for the window to pass instead of refusing; `None` refuses at once. Waiting requests
    /// keep their order.
    pub wait_for_rate_limits: Option<Duration>,
    /// When the connection is renewed (24 h limit, `serverShutdown`), how long the old one stays
    /// open for replies still on their way; `None` uses the request timeout.
    pub drain_timeout: Option<Duration>,
    /// Where undelivered messages go.
    pub buffer: BufferChoice,
    /// A label to find the connection by in a [`crate::Hub`].
    pub label: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            config: Config::default(),
            credentials: None,
            roots: Roots::default(),
            proxy: None,
            connect_timeout: Duration::from_secs(10),
            seed: None,
            reconnect: true,
            backoff: Backoff::default(),
            auto_logon: false,
            clock_sync_every: Some(Duration::from_secs(300)),
            wait_for_rate_limits: None,
            drain_timeout: None,
            buffer: BufferChoice::default(),
            label: None,
        }
    }
}

impl Options {
    /// Default options with these credentials.
    pub fn with_credentials(credentials: Credentials) -> Self {
        Self {
            credentials: Some(credentials),
            ..Self::default()
        }
    }
}
