//! What the client hands out through `poll_event`.

use std::borrow::Cow;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::ApiError;
use crate::ids::{ClientOrderId, RequestId};
use crate::rate_limit::RateLimit;

/// Something that happened on the connection. Drain with `poll_event` after every `send`,
/// `handle_*` call.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Event {
    /// A request ended. Exactly one per id that `send` returned.
    Completed(Completion),
    /// A reply for a request that had already timed out. Its earlier [`Event::Completed`] said
    /// `TimedOut` or `Unknown`; this says what really happened.
    LateReply(Completion),
    /// A user-data event (`executionReport`, `balanceUpdate`, ...) on a subscription.
    UserData(UserDataEvent),
    /// The server will shut down soon: open a new connection and move over.
    ServerShutdown {
        /// The event time `E` (ms since the epoch), if sent.
        event_time_ms: Option<i64>,
    },
    /// The session's key stopped being valid (unsolicited 401 `-2015`); the client is no longer
    /// logged on.
    SessionRevoked(ApiError),
    /// An error frame with `"id": null` other than a session revocation.
    UnsolicitedError(ApiError),
    /// A 429 or 418 reply: sends are refused until `until`.
    RateLimited {
        /// When sending is allowed again.
        until: Instant,
        /// `true` for a 418 IP ban (the server also closes the connection).
        banned: bool,
    },
    /// Nothing (no frame, no ping) was heard for `Config::idle_timeout`: the connection is
    /// probably dead. The driver should close it. Reported once per silence.
    Idle {
        /// How long the connection has been silent.
        silent_for: Duration,
    },
    /// The connection reached `Config::renew_after`; Binance cuts every connection at 24 h, so
    /// open a new one and move over. Reported once.
    RenewDue {
        /// The connection's age.
        age: Duration,
    },
    /// A user-data event was dropped because `Config::max_queued_events` were waiting.
    UserDataDropped {
        /// How many have been dropped so far on this connection.
        total: u64,
    },
}

/// How a request ended, with what it was about.
#[derive(Debug, Clone)]
pub struct Completion {
    /// The request id `send` returned.
    pub id: RequestId,
    /// The method.
    pub method: Cow<'static, str>,
    /// The client order id the request was about, for order-changing methods.
    pub client_order_id: Option<ClientOrderId>,
    /// When it was sent.
    pub sent_at: Instant,
    /// How it ended.
    pub outcome: Outcome,
}

impl Completion {
    /// The response, if the request succeeded.
    pub fn response(&self) -> Option<&Response> {
        match &self.outcome {
            Outcome::Success(r) => Some(r),
            _ => None,
        }
    }

    /// Whether the request's effect is unknown (order-changing requests only).
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self.outcome, Outcome::Unknown(_))
    }
}

/// The end of one request.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Outcome {
    /// The server answered with a result.
    Success(Response),
    /// The server answered with an error; the request did not take effect (for order-changing
    /// methods, errors that leave the outcome open are reported as [`Outcome::Unknown`]).
    Error(ApiError),
    /// An order-changing request whose effect is not known: it may or may not have been applied.
    /// Reconcile (e.g. `order.status` with the client order id) before sending it again.
    Unknown(UnknownCause),
    /// No reply within the deadline (requests that change no orders).
    TimedOut,
    /// The connection closed before the reply (requests that change no orders).
    ConnectionLost,
    /// A reply came with this request's id but could not be read.
    MalformedReply(String),
    /// The connection closed before the frame was handed to the driver: the request never left,
    /// so it certainly had no effect.
    NotSent,
}

/// Why an order-changing request's outcome is unknown.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum UnknownCause {
    /// No reply within the deadline. A [`Event::LateReply`] may still bring it.
    TimedOut,
    /// The connection closed before the reply.
    ConnectionLost,
    /// The server said it does not know (`-1006`, `-1007`, 5xx).
    Server(ApiError),
    /// A reply came but could not be read.
    MalformedReply(String),
}

/// A successful reply.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status (200).
    pub status: u16,
    /// The reply's `rateLimits` (empty when the server left them out).
    pub rate_limits: Vec<RateLimit>,
    /// When the reply arrived.
    pub received_at: Instant,
    result: Box<RawValue>,
}

impl Response {
    pub(crate) fn new(
        status: u16,
        result: Box<RawValue>,
        rate_limits: Vec<RateLimit>,
        received_at: Instant,
    ) -> Self {
        Self {
            status,
            rate_limits,
            received_at,
            result,
        }
    }

    /// The `result` exactly as received.
    pub fn result_raw(&self) -> &str {
        self.result.get()
    }

    /// Decodes `result` into `T` (borrowing from the reply where `T` allows).
    ///
    /// # Errors
    /// The serde error when `result` does not fit `T`.
    pub fn decode<'a, T: Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.result.get())
    }

    /// `result` as a `serde_json::Value`.
    ///
    /// # Errors
    /// Only if the stored text is not JSON (it always is).
    pub fn result_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_str(self.result.get())
    }
}

/// A pushed user-data event.
#[derive(Debug, Clone)]
pub struct UserDataEvent {
    /// The subscription it belongs to (`subscriptionId`), when the server says.
    pub subscription_id: Option<u64>,
    /// The event type `e` (`executionReport`, `outboundAccountPosition`, ...).
    pub event_type: String,
    /// The event time `E`, if present.
    pub event_time: Option<i64>,
    event: Box<RawValue>,
}

impl UserDataEvent {
    pub(crate) fn new(
        subscription_id: Option<u64>,
        event_type: String,
        event_time: Option<i64>,
        event: Box<RawValue>,
    ) -> Self {
        Self {
            subscription_id,
            event_type,
            event_time,
            event,
        }
    }

    /// The `event` object exactly as received.
    pub fn raw(&self) -> &str {
        self.event.get()
    }

    /// The event, typed by its `e`.
    ///
    /// # Errors
    /// The serde error when a known event type does not have its documented shape.
    pub fn typed(&self) -> Result<crate::UserEvent, serde_json::Error> {
        crate::UserEvent::decode(&self.event_type, self.event.get())
    }

    /// Decodes the event into `T`.
    ///
    /// # Errors
    /// The serde error when the event does not fit `T`.
    pub fn decode<'a, T: Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.event.get())
    }
}
