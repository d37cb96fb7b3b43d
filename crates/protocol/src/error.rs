//! Errors, typed by who is at fault: [`SendError`] is local misuse (returned by `send`),
//! [`ProtocolError`] is a bad frame from the peer (returned by `handle_text`; the client stays
//! usable), and [`ApiError`] is the server's answer to one request (delivered in its outcome).

use std::fmt;
use std::time::Instant;

use serde_json::value::RawValue;

use crate::ids::{IdError, RequestId};
use crate::sign::KeyError;

/// An error reply from the server: `{"status", "error": {"code", "msg", "data"?}}`.
#[derive(Clone)]
pub struct ApiError {
    /// The HTTP-like status (400, 401, 403, 409, 418, 429, 5xx).
    pub status: u16,
    /// Binance's error code, e.g. -1021 or -2010.
    pub code: i64,
    /// Binance's message.
    pub msg: String,
    /// `error.data` as sent (`retryAfter`/`serverTime` for 429/418, per-leg results for
    /// `order.cancelReplace`).
    pub data: Option<Box<RawValue>>,
    /// `error.data.retryAfter`: when to try again, ms since the epoch.
    pub retry_after_ms: Option<i64>,
    /// `error.data.serverTime`: the server's clock, ms since the epoch.
    pub server_time_ms: Option<i64>,
}

impl ApiError {
    /// `-1021`: the `timestamp` was outside `recvWindow` or ahead of the server's clock; resync the
    /// clock with `time`.
    pub fn is_timestamp_outside_recv_window(&self) -> bool {
        self.code == -1021
    }

    /// `-1022`: the signature did not match the payload.
    pub fn is_invalid_signature(&self) -> bool {
        self.code == -1022
    }

    /// Status 429 (too much weight or too many orders) or 418 (IP banned): stop until
    /// [`Self::retry_after_ms`].
    pub fn is_rate_limited(&self) -> bool {
        self.status == 429 || self.status == 418
    }

    /// Status 418: the IP is banned and the server closes the connection.
    pub fn is_banned(&self) -> bool {
        self.status == 418
    }

    /// The server could not say whether the request took effect: `-1006` (unexpected response
    /// from the matching engine), `-1007` (timeout waiting for it) or a 5xx status. For orders,
    /// reconcile with `order.status` before sending again.
    pub fn is_outcome_unknown(&self) -> bool {
        self.code == -1006 || self.code == -1007 || self.status >= 500
    }

    /// The code's documented name, e.g. `TOO_MANY_REQUESTS` for `-1003`; `None` for a code the
    /// reference table does not list.
    pub fn name(&self) -> Option<&'static str> {
        crate::error_codes::name(self.code)
    }

    /// `error.data` as text, if present.
    pub fn data_raw(&self) -> Option<&str> {
        self.data.as_deref().map(RawValue::get)
    }
}

impl fmt::Display for ApiError {
    /// `Binance error -1003 TOO_MANY_REQUESTS (status 429): <message>` (the name when documented).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Binance error {}", self.code)?;
        if let Some(name) = self.name() {
            write!(f, " {name}")?;
        }
        write!(f, " (status {}): {}", self.status, self.msg)
    }
}

impl std::error::Error for ApiError {}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("ApiError");
        s.field("status", &self.status)
            .field("code", &self.code)
            .field("msg", &self.msg);
        if let Some(data) = self.data_raw() {
            s.field("data", &data);
        }
        s.finish()
    }
}

impl PartialEq for ApiError {
    fn eq(&self, other: &Self) -> bool {
        self.status == other.status
            && self.code == other.code
            && self.msg == other.msg
            && self.data_raw() == other.data_raw()
    }
}

impl Eq for ApiError {}

/// Why `send` refused a request. Nothing was queued.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// The connection is closed; build a new client for the next connection.
    #[error("the connection is closed")]
    Closed,
    /// `Config::max_pending` requests are already waiting for replies.
    #[error("{limit} requests are already waiting for replies")]
    TooManyPending {
        /// The configured cap.
        limit: usize,
    },
    /// The caller's request id is already in flight.
    #[error("request id {0} is already in flight")]
    DuplicateId(RequestId),
    /// The method is signed but the client has no credentials and the request brings none.
    #[error("{method} is signed, but no credentials were given")]
    MissingCredentials {
        /// The method.
        method: String,
    },
    /// `session.logon` needs an Ed25519 key.
    #[error("session.logon needs an Ed25519 key; this one is {kind:?}")]
    LogonNeedsEd25519 {
        /// The kind of key that was given.
        kind: crate::KeyKind,
    },
    /// The method needs a session authenticated by `session.logon`, and there is none.
    #[error("{method} needs a session authenticated with session.logon (Ed25519) first")]
    NotLoggedOn {
        /// The method.
        method: String,
    },
    /// Sends are refused until a 429/418 back-off ends.
    #[error("rate limited: the server asked to wait (banned: {banned})")]
    RateLimited {
        /// When sending is allowed again.
        until: Instant,
        /// Whether the IP is banned (418) rather than throttled (429).
        banned: bool,
    },
    /// The request would cross a rate limit the server reported (counting requests in flight);
    /// wait until `until` or send something lighter. See [`crate::Config::governor`].
    #[error("the request would exceed {limit:?}; the window ends in the future at {until:?}")]
    WouldExceedLimit {
        /// The limit and its last reported count.
        limit: crate::RateLimit,
        /// When its window ends.
        until: Instant,
    },
    /// The method name is empty or has characters that cannot be a method.
    #[error("invalid method name {0:?}")]
    InvalidMethod(String),
    /// A parameter name is empty or has characters outside `A-Z a-z 0-9 _ .`.
    #[error("{method}: invalid parameter name {name:?}")]
    InvalidParamName {
        /// The method.
        method: String,
        /// The rejected name.
        name: String,
    },
    /// `apiKey` and `signature` are set by the client; use [`crate::Request::credentials`].
    #[error("{method}: parameter {name} is set by the client and cannot be given")]
    ReservedParam {
        /// The method.
        method: String,
        /// The parameter.
        name: &'static str,
    },
    /// A parameter's text is empty (Binance would answer `-1102`).
    #[error("{method}: parameter {name} is empty")]
    EmptyParam {
        /// The method.
        method: String,
        /// The parameter.
        name: String,
    },
    /// The client order id given for an order is not valid.
    #[error("{method}: {name}: {source}")]
    InvalidClientOrderId {
        /// The method.
        method: String,
        /// The parameter.
        name: &'static str,
        /// What is wrong with it.
        source: IdError,
    },
    /// Signing failed.
    #[error("signing failed: {0}")]
    Sign(#[from] KeyError),
}

/// A frame from the server that the client could not use. The client stays usable; the driver
/// decides whether to log it or close the connection.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// The frame is longer than `Config::max_frame_len`.
    #[error("frame of {len} bytes exceeds the limit of {limit}")]
    FrameTooLarge {
        /// Its length.
        len: usize,
        /// The configured limit.
        limit: usize,
    },
    /// The frame is not JSON, or not an object of a known shape.
    #[error("malformed frame: {0}")]
    Malformed(String),
    /// A reply whose id matches no request in flight, recently finished or timed out.
    #[error("reply for unknown request id {0}")]
    UnknownId(String),
    /// A second reply for a request that already got one.
    #[error("duplicate reply for request {0}")]
    DuplicateReply(RequestId),
}

/// A configuration value that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A limit that must be at least 1 was 0.
    #[error("{0} must be at least 1")]
    Zero(&'static str),
    /// A duration that must be positive was zero.
    #[error("{0} must be longer than zero")]
    ZeroDuration(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, code: i64) -> ApiError {
        ApiError {
            status,
            code,
            msg: String::new(),
            data: None,
            retry_after_ms: None,
            server_time_ms: None,
        }
    }

    #[test]
    fn classifies_errors() {
        assert!(api(400, -1021).is_timestamp_outside_recv_window());
        assert!(api(400, -1022).is_invalid_signature());
        assert!(api(429, -1003).is_rate_limited() && !api(429, -1003).is_banned());
        assert!(api(418, -1003).is_banned());
        assert!(api(400, -1007).is_outcome_unknown());
        assert!(api(400, -1006).is_outcome_unknown());
        assert!(api(503, -1000).is_outcome_unknown());
        assert!(!api(400, -2010).is_outcome_unknown());
        let shown = api(429, -1003).to_string();
        assert!(
            shown.starts_with("Binance error -1003 TOO_MANY_REQUESTS (status 429)"),
            "{shown}"
        );
        assert!(api(400, -9999)
            .to_string()
            .starts_with("Binance error -9999 (status 400)"));
    }
}
