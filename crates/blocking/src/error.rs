//! Errors of the blocking client.

use std::io;

use binance_wsapi_proto::{ApiError, ClientOrderId, ConfigError, Outcome, SendError, UnknownCause};

/// Why connecting, sending or waiting failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The URL could not be used (scheme, host, port).
    #[error("bad URL {url:?}: {reason}")]
    Url {
        /// The URL.
        url: String,
        /// What is wrong.
        reason: String,
    },
    /// The TCP connection, the TLS handshake or the WebSocket handshake failed.
    #[error("cannot connect to {url}: {reason}")]
    Connect {
        /// The URL.
        url: String,
        /// What failed.
        reason: String,
    },
    /// The TLS settings cannot be used (e.g. a root certificate that cannot be read).
    #[error("TLS settings: {0}")]
    Tls(String),
    /// A configuration value cannot work.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The request was refused before sending (see [`SendError`]).
    #[error(transparent)]
    Send(#[from] SendError),
    /// The connection is closed; pending requests were ended with their outcomes.
    #[error("the connection is closed")]
    Closed,
    /// The connection is being re-established (async adapter); nothing was sent. Send again after
    /// the reconnect notice.
    #[error("the connection is reconnecting; nothing was sent")]
    Reconnecting,
    /// Reading or writing the socket failed.
    #[error("socket error: {0}")]
    Io(#[from] io::Error),
    /// The WebSocket protocol failed.
    #[error("websocket error: {0}")]
    WebSocket(String),
}

/// How a [`crate::Connection::call`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallError {
    /// The request could not be sent or the connection failed.
    #[error(transparent)]
    Connection(#[from] Error),
    /// The server answered with an error.
    #[error(transparent)]
    Api(ApiError),
    /// An order-changing request whose effect is unknown: reconcile with `order.status` (by the
    /// client order id) before sending it again.
    #[error("outcome unknown ({cause:?}); client order id {client_order_id:?}")]
    OutcomeUnknown {
        /// Why.
        cause: UnknownCause,
        /// The order to reconcile by.
        client_order_id: Option<ClientOrderId>,
    },
    /// No reply within the deadline.
    #[error("no reply within the deadline")]
    TimedOut,
    /// The connection closed before the reply.
    #[error("the connection closed before the reply")]
    ConnectionLost,
    /// The connection closed before the request was sent; it had no effect.
    #[error("the connection closed before the request was sent")]
    NotSent,
    /// The reply could not be read.
    #[error("unreadable reply: {0}")]
    MalformedReply(String),
}

impl CallError {
    /// The error an outcome other than success stands for (adapters turn completions into
    /// `Result`s with it).
    pub fn from_outcome(outcome: Outcome, client_order_id: Option<ClientOrderId>) -> Self {
        match outcome {
            Outcome::Error(e) => Self::Api(e),
            Outcome::Unknown(cause) => Self::OutcomeUnknown {
                cause,
                client_order_id,
            },
            Outcome::TimedOut => Self::TimedOut,
            Outcome::ConnectionLost => Self::ConnectionLost,
            Outcome::NotSent => Self::NotSent,
            Outcome::MalformedReply(m) => Self::MalformedReply(m),
            // `Success` is handled by the caller; anything newer is reported as unreadable.
            other => Self::MalformedReply(format!("{other:?}")),
        }
    }
}
