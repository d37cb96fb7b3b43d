//! The state machine for one WebSocket connection.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::clock::ServerClock;
use crate::config::Config;
use crate::encode::{encode_frame, Auth};
use crate::error::{ApiError, ConfigError, ProtocolError, SendError};
use crate::event::{Completion, Event, Outcome, Response, UnknownCause, UserDataEvent};
use crate::ids::{ClientOrderId, RequestId};
use crate::inbound::{self, Inbound, Reply};
use crate::method::Security;
use crate::params::{is_valid_name, ParamValue};
use crate::pending::{Ended, Followup, Pending, PendingTable};
use crate::rate_limit::{Backoff, RateLimit, RateLimitTracker};
use crate::request::Request;
use crate::rng::SplitMix64;
use crate::sign::{Credentials, KeyKind};

/// Whether the connection is authenticated by `session.logon`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SessionState {
    /// Not logged on: signed requests carry `apiKey` and `signature`.
    Anonymous,
    /// `session.logon` is in flight. Requests are still signed in full.
    LoggingOn,
    /// Logged on: signed requests carry only `timestamp` (and `recvWindow`).
    LoggedOn,
}

/// A text frame to send, produced by [`Client::poll_transmit`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct Transmit {
    /// The request it carries.
    pub request_id: RequestId,
    /// The frame's JSON text.
    pub text: String,
}

/// What `send` tells the caller about a queued request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    /// The request id; its [`Event::Completed`] will carry it.
    pub id: RequestId,
    /// The client order id of an order-changing request (generated when the caller gave none).
    pub client_order_id: Option<ClientOrderId>,
}

/// Why the client wants to be woken up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutReason {
    /// A request's deadline.
    RequestDeadline,
    /// The idle check ([`crate::Config::idle_timeout`]).
    Idle,
    /// The renewal point ([`crate::Config::renew_after`]).
    Renewal,
}

/// The next moment the client needs [`Client::handle_timeout`], and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeout {
    /// When.
    pub at: Instant,
    /// Why.
    pub reason: TimeoutReason,
}

/// The Binance WS API protocol for one connection, without any IO.
///
/// See the [crate documentation](crate) for the drain contract. Reconnecting means building a new
/// `Client`; carry the clock over with [`Client::server_time_offset_us`] and
/// [`Client::set_server_time_offset_us`].
pub struct Client {
    config: Config,
    credentials: Option<Credentials>,
    recv_window: Option<ParamValue>,
    clock: ServerClock,
    pending: PendingTable,
    transmits: VecDeque<Transmit>,
    events: VecDeque<Event>,
    limits: RateLimitTracker,
    session: SessionState,
    subscriptions: Vec<u64>,
    rng: SplitMix64,
    next_id: i64,
    created_at: Instant,
    last_heard: Instant,
    idle_reported: bool,
    renew_reported: bool,
    closed: bool,
    dropped_user_events: u64,
    overflowing: bool,
    payload: String,
    scratch: String,
    /// Where frames are built (see `encode_frame`).
    frame_buf: String,
}

impl fmt::Debug for Client {
    /// Shows the state that helps debugging; leaves out buffers that hold signed text and the
    /// credentials beyond their redacted form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("credentials", &self.credentials)
            .field("session", &self.session)
            .field("pending", &self.pending.len())
            .field("queued_transmits", &self.transmits.len())
            .field("queued_events", &self.events.len())
            .field("subscriptions", &self.subscriptions)
            .field("server_time_offset_us", &self.clock.offset_us())
            .field("closed", &self.closed)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for a connection opened at `now`.
    ///
    /// `unix_time` is the wall-clock time at `now` (time since the Unix epoch); `timestamp`
    /// parameters are derived from it and from later `now` values. `seed` drives the generated
    /// client order ids: give it real randomness (e.g. from the OS) so that ids stay unique across
    /// restarts.
    ///
    /// # Errors
    /// [`ConfigError`] when the configuration cannot work.
    pub fn new(
        config: Config,
        now: Instant,
        unix_time: Duration,
        seed: u64,
    ) -> Result<Self, ConfigError> {
        config.validate()?;
        Ok(Self {
            recv_window: config.recv_window.map(|rw| rw.param()),
            clock: ServerClock::new(now, unix_time),
            pending: PendingTable::new(config.max_pending, config.remember_ended),
            transmits: VecDeque::with_capacity(64),
            events: VecDeque::with_capacity(64),
            limits: RateLimitTracker::default(),
            session: SessionState::Anonymous,
            subscriptions: Vec::new(),
            rng: SplitMix64::new(seed),
            next_id: 1,
            created_at: now,
            last_heard: now,
            idle_reported: false,
            renew_reported: false,
            closed: false,
            dropped_user_events: 0,
            overflowing: false,
            payload: String::with_capacity(512),
            scratch: String::with_capacity(64),
            frame_buf: String::with_capacity(1024),
            credentials: None,
            config,
        })
    }

    /// The integer id the next request without an id of its own gets.
    pub fn next_request_number(&self) -> i64 {
        self.next_id
    }

    /// Numbers later requests from `next` on (at least 1). A driver that replaces a lost
    /// connection's client gives the new one its predecessor's [`Self::next_request_number`], so
    /// that request ids stay unique across reconnects.
    pub fn continue_numbering_from(&mut self, next: i64) {
        self.next_id = next.max(1);
    }

    /// Signs requests with these credentials (unless a request brings its own).
    #[must_use]
    pub fn with_credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Replaces the credentials. A session logged on with the old key stays logged on.
    pub fn set_credentials(&mut self, credentials: Option<Credentials>) {
        self.credentials = credentials;
    }

    // ---- commands -------------------------------------------------------------------------

    /// Frames and signs `request` and queues it for [`Self::poll_transmit`]. Its outcome comes
    /// later as exactly one [`Event::Completed`] with the returned id.
    ///
    /// # Errors
    /// [`SendError`] when the request cannot be sent; nothing is queued then.
    pub fn send(&mut self, request: Request, now: Instant) -> Result<Sent, SendError> {
        if self.closed {
            return Err(SendError::Closed);
        }
        let r = request.parts();
        let method_name: &str = r.info.map_or(&r.method, |i| i.name);
        // A method found in the table has a valid name; only others are checked.
        if r.info.is_none()
            && (r.method.is_empty()
                || !r
                    .method
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._/".contains(&b)))
        {
            return Err(SendError::InvalidMethod(r.method.into_owned()));
        }
        for (name, value) in r.params.iter() {
            if matches!(value, ParamValue::Str(text) if text.is_empty()) {
                return Err(SendError::EmptyParam {
                    method: r.method.into_owned(),
                    name: name.to_owned(),
                });
            }
            if !is_valid_name(name) {
                return Err(SendError::InvalidParamName {
                    method: r.method.into_owned(),
                    name: name.to_owned(),
                });
            }
            if let Some(reserved) = ["apiKey", "signature"].into_iter().find(|n| *n == name) {
                return Err(SendError::ReservedParam {
                    method: r.method.into_owned(),
                    name: reserved,
                });
            }
        }
        if let Some(refusal) = self.backoff_refusal(now) {
            return Err(refusal);
        }
        if self.pending.len() >= self.config.max_pending {
            return Err(SendError::TooManyPending {
                limit: self.config.max_pending,
            });
        }
        let id = match r.id {
            Some(id) if self.pending.contains(&id) => return Err(SendError::DuplicateId(id)),
            Some(id) => id,
            None => self.next_request_id(),
        };

        let mut params = r.params;
        let changes_orders = r.info.is_some_and(|i| i.changes_orders);
        let mut client_order_id = None;
        if let Some(info) = r.info.filter(|i| i.changes_orders) {
            if let Some(name) = info.generated_id_param {
                match params.get(name) {
                    None if self.config.auto_client_order_id => {
                        let generated = ClientOrderId::generate(&mut self.rng);
                        params.set(name, generated);
                        client_order_id = Some(generated);
                    }
                    Some(ParamValue::Str(text)) => {
                        ClientOrderId::new(text).map_err(|source| {
                            SendError::InvalidClientOrderId {
                                method: method_name.to_owned(),
                                name,
                                source,
                            }
                        })?;
                    }
                    _ => {}
                }
            }
            if client_order_id.is_none() {
                client_order_id = info.id_params.iter().find_map(|n| match params.get(n)? {
                    ParamValue::ClientOrderId(id) => Some(*id),
                    ParamValue::Str(text) => ClientOrderId::new(text).ok(),
                    _ => None,
                });
            }
        }

        let followup = match method_name {
            "time" => Followup::Time,
            "session.logon" => Followup::Logon,
            "session.logout" => Followup::Logout,
            "userDataStream.subscribe" | "userDataStream.subscribe.signature" => {
                Followup::Subscribe
            }
            "userDataStream.unsubscribe" => {
                Followup::Unsubscribe(match params.get("subscriptionId") {
                    Some(ParamValue::Int(n)) => u64::try_from(*n).ok(),
                    _ => None,
                })
            }
            _ => Followup::None,
        };

        let weight = crate::weight::request_weight(method_name, &params);
        let new_order = r.info.is_some_and(|i| i.generated_id_param.is_some());
        if let Some(refusal) = self.governor_refusal(weight, new_order, now) {
            return Err(refusal);
        }
        let credentials = r.credentials.as_ref().or(self.credentials.as_ref());
        // Read only for requests that carry one (not for `ping` and other public methods).
        let timestamp = || {
            r.timestamp
                .unwrap_or_else(|| self.clock.timestamp(now, self.config.timestamp_unit))
        };
        let recv_window = self.recv_window.as_ref();
        let missing = || SendError::MissingCredentials {
            method: method_name.to_owned(),
        };
        let auth = match r.security {
            Security::None => Auth::None,
            Security::Session => {
                if self.session == SessionState::Anonymous {
                    return Err(SendError::NotLoggedOn {
                        method: method_name.to_owned(),
                    });
                }
                Auth::None
            }
            Security::Signed
                if r.credentials.is_none() && self.session == SessionState::LoggedOn =>
            {
                Auth::Timestamp {
                    timestamp: timestamp(),
                    recv_window,
                }
            }
            Security::Signed | Security::AlwaysSigned => Auth::Signed {
                credentials: credentials.ok_or_else(missing)?,
                timestamp: timestamp(),
                recv_window,
            },
        };
        if followup == Followup::Logon {
            let kind = credentials.ok_or_else(missing)?.key_kind();
            if kind != KeyKind::Ed25519 {
                return Err(SendError::LogonNeedsEd25519 { kind });
            }
        }

        let text = encode_frame(
            &id,
            &r.method,
            &params,
            auth,
            &mut self.payload,
            &mut self.scratch,
            &mut self.frame_buf,
        )?;
        match followup {
            Followup::Logon if self.session == SessionState::Anonymous => {
                self.session = SessionState::LoggingOn;
            }
            // Later requests must not count on the session while the logout is on its way.
            Followup::Logout => self.session = SessionState::Anonymous,
            _ => {}
        }
        let deadline = now + r.timeout.unwrap_or(self.config.request_timeout);
        let cost = (weight, new_order);
        let method = match r.info {
            Some(info) => Cow::Borrowed(info.name),
            None => r.method,
        };
        let mut pending = Pending::new(
            method,
            changes_orders,
            client_order_id,
            now,
            deadline,
            followup,
        );
        pending.cost = cost;
        self.pending.insert(id, pending);
        self.transmits.push_back(Transmit {
            request_id: id,
            text,
        });
        Ok(Sent {
            id,
            client_order_id,
        })
    }

    fn next_request_id(&mut self) -> RequestId {
        loop {
            let id = RequestId::Int(self.next_id);
            self.next_id = self.next_id.checked_add(1).unwrap_or(1);
            if !self.pending.contains(&id) {
                return id;
            }
        }
    }

    /// Whether [`Self::send`] would refuse `request` now for a rate limit (the back-off after a
    /// 429/418, or the governor), without sending it. A driver that waits limits out asks this
    /// first, so it keeps the request instead of copying it for a second try.
    ///
    /// # Errors
    /// [`SendError::RateLimited`] or [`SendError::WouldExceedLimit`], with when to try again.
    pub fn check_limits(&self, request: &Request, now: Instant) -> Result<(), SendError> {
        if let Some(refusal) = self.backoff_refusal(now) {
            return Err(refusal);
        }
        let info = request.info();
        let method = info.map_or(request.method(), |i| i.name);
        let weight = crate::weight::request_weight(method, request.params());
        let new_order = info.is_some_and(|i| i.generated_id_param.is_some());
        self.governor_refusal(weight, new_order, now)
            .map_or(Ok(()), Err)
    }

    /// The refusal while the server's back-off (429/418 `retryAfter`) lasts.
    fn backoff_refusal(&self, now: Instant) -> Option<SendError> {
        self.limits.backoff(now).map(|b| SendError::RateLimited {
            until: b.until,
            banned: b.banned,
        })
    }

    /// The governor's refusal of a request of `weight` (and one new order if `new_order`) that
    /// would cross a limit the server reported, counting the requests still in flight.
    fn governor_refusal(&self, weight: u32, new_order: bool, now: Instant) -> Option<SendError> {
        if !self.config.governor {
            return None;
        }
        let (in_flight_weight, in_flight_orders) = self.pending.in_flight_cost();
        let server_ms = self.clock.server_us(now).div_euclid(1000);
        let (limit, end_ms) = self.limits.would_exceed(
            in_flight_weight + u64::from(weight),
            in_flight_orders + u64::from(new_order),
            server_ms,
        )?;
        let until = self.clock.instant_of_server_ms(end_ms, now);
        Some(SendError::WouldExceedLimit { limit, until })
    }

    // ---- inputs ---------------------------------------------------------------------------

    /// Feeds one inbound text frame.
    ///
    /// # Errors
    /// [`ProtocolError`] when the frame cannot be used. The client stays usable; if the frame was
    /// a reply to a pending request, that request still ends (as `MalformedReply`).
    pub fn handle_text(&mut self, text: &str, now: Instant) -> Result<(), ProtocolError> {
        self.heard(now);
        if text.len() > self.config.max_frame_len {
            return Err(ProtocolError::FrameTooLarge {
                len: text.len(),
                limit: self.config.max_frame_len,
            });
        }
        match inbound::parse(text).map_err(ProtocolError::Malformed)? {
            Inbound::Event {
                subscription_id,
                head,
                event,
            } => {
                if head.event_type == "serverShutdown" && subscription_id.is_none() {
                    self.events.push_back(Event::ServerShutdown {
                        event_time_ms: head.event_time,
                    });
                    return Ok(());
                }
                if head.event_type == "eventStreamTerminated" {
                    self.subscriptions.retain(|s| Some(*s) != subscription_id);
                }
                let event = UserDataEvent::new(
                    subscription_id,
                    head.event_type,
                    head.event_time,
                    event.to_owned(),
                );
                self.push_user_event(Event::UserData(event));
                Ok(())
            }
            Inbound::Reply {
                id: None,
                id_raw,
                body,
            } => match body {
                Ok(Reply {
                    outcome: Err(error),
                    ..
                }) if id_raw == "null" => {
                    self.unsolicited(error, now);
                    Ok(())
                }
                _ => Err(ProtocolError::UnknownId(id_raw.to_owned())),
            },
            Inbound::Reply {
                id: Some(id), body, ..
            } => self.reply(id, body, now),
        }
    }

    /// Tells the client a ping or pong frame arrived: the connection is alive.
    pub fn handle_ping(&mut self, now: Instant) {
        self.heard(now);
    }

    /// Fires every deadline at or before `now`: requests time out, and idle and renewal checks
    /// run. Call it when the instant from [`Self::poll_timeout`] has passed.
    pub fn handle_timeout(&mut self, now: Instant) {
        for (id, p) in self.pending.take_expired(now) {
            if p.followup == Followup::Logon {
                self.session = SessionState::Anonymous;
            }
            let outcome = if p.changes_orders {
                Outcome::Unknown(UnknownCause::TimedOut)
            } else {
                Outcome::TimedOut
            };
            self.complete(id, p, outcome);
        }
        if !self.closed && !self.idle_reported {
            let silent_for = now.saturating_duration_since(self.last_heard);
            if silent_for >= self.config.idle_timeout {
                self.idle_reported = true;
                self.events.push_back(Event::Idle { silent_for });
            }
        }
        if !self.closed && !self.renew_reported {
            let age = now.saturating_duration_since(self.created_at);
            if age >= self.config.renew_after {
                self.renew_reported = true;
                self.events.push_back(Event::RenewDue { age });
            }
        }
    }

    /// Tells the client the connection is gone. Every pending request ends now: frames never
    /// handed to the driver as `NotSent`, the rest as `ConnectionLost` (or `Unknown` for
    /// order-changing requests). Later sends fail with [`SendError::Closed`].
    pub fn handle_close(&mut self, _now: Instant) {
        if self.closed {
            return;
        }
        self.closed = true;
        self.session = SessionState::Anonymous;
        self.subscriptions.clear();
        let unsent: Vec<RequestId> = self.transmits.drain(..).map(|t| t.request_id).collect();
        for (id, p) in self.pending.take_all() {
            let outcome = if unsent.contains(&id) {
                Outcome::NotSent
            } else if p.changes_orders {
                Outcome::Unknown(UnknownCause::ConnectionLost)
            } else {
                Outcome::ConnectionLost
            };
            self.complete(id, p, outcome);
        }
    }

    // ---- outputs --------------------------------------------------------------------------

    /// The next frame to send, in `send` order. Drain it after every `send`.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// Whether [`Self::poll_transmit`] has a frame, without taking it (for drivers whose writer
    /// runs elsewhere).
    pub fn has_transmits(&self) -> bool {
        !self.transmits.is_empty()
    }

    /// The next event. Drain it after every `send` and `handle_*` call.
    pub fn poll_event(&mut self) -> Option<Event> {
        let event = self.events.pop_front();
        if self.overflowing && self.events.len() < self.config.max_queued_events / 2 {
            self.overflowing = false;
        }
        event
    }

    /// When to call [`Self::handle_timeout`] next, and why. `None` when nothing is scheduled
    /// (the connection is closed).
    pub fn poll_timeout(&self) -> Option<Timeout> {
        if self.closed {
            return self.pending.next_deadline().map(|at| Timeout {
                at,
                reason: TimeoutReason::RequestDeadline,
            });
        }
        let mut next = self.pending.next_deadline().map(|at| Timeout {
            at,
            reason: TimeoutReason::RequestDeadline,
        });
        let mut consider = |at: Instant, reason| {
            if next.is_none_or(|n| at < n.at) {
                next = Some(Timeout { at, reason });
            }
        };
        if !self.idle_reported {
            consider(
                self.last_heard + self.config.idle_timeout,
                TimeoutReason::Idle,
            );
        }
        if !self.renew_reported {
            consider(
                self.created_at + self.config.renew_after,
                TimeoutReason::Renewal,
            );
        }
        next
    }

    // ---- state ----------------------------------------------------------------------------

    /// Requests waiting for replies.
    pub fn pending_len(&self) -> usize {
        self.pending.len()
    }

    /// The newest counters per rate-limit window seen in replies.
    pub fn rate_limits(&self) -> &[RateLimit] {
        self.limits.latest()
    }

    /// The back-off in force at `now` after a 429 or 418, if any.
    pub fn backoff(&self, now: Instant) -> Option<Backoff> {
        self.limits.backoff(now)
    }

    /// Refuses sends until `backoff.until`, as after the 429 or 418 that set it. For a new
    /// connection that replaces one under a back-off: the server counts per IP and account, not
    /// per socket, so a request sent early would be refused again and count as another
    /// violation (the way to a ban). A later back-off, or a ban, wins over an earlier one.
    pub fn honour_backoff(&mut self, backoff: Backoff) {
        self.limits.set_backoff(backoff);
    }

    /// Server minus local wall time in µs, learned from `time` replies and error data.
    pub fn server_time_offset_us(&self) -> i64 {
        self.clock.offset_us()
    }

    /// Sets the server offset, e.g. carried over from the previous connection.
    pub fn set_server_time_offset_us(&mut self, offset_us: i64) {
        self.clock.set_offset_us(offset_us);
    }

    /// Whether the offset has been learned (or set).
    pub fn is_clock_synced(&self) -> bool {
        self.clock.is_synced()
    }

    /// The shortest round trip seen for a clock sample.
    pub fn best_round_trip(&self) -> Option<Duration> {
        self.clock.best_rtt()
    }

    /// The server's time at `now` as the client estimates it, in ms since the epoch.
    pub fn server_time_ms(&self, now: Instant) -> i64 {
        self.clock.server_us(now).div_euclid(1000)
    }

    /// Whether the connection is authenticated by `session.logon`.
    pub fn session(&self) -> SessionState {
        self.session
    }

    /// Active user-data subscriptions on this connection.
    pub fn subscriptions(&self) -> &[u64] {
        &self.subscriptions
    }

    /// Whether [`Self::handle_close`] was called.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// User-data events dropped because the event queue was full.
    pub fn dropped_user_events(&self) -> u64 {
        self.dropped_user_events
    }

    /// The exact text of the last signed payload; compare it with the server's rules when a
    /// request fails with `-1022`. Holds no secret.
    pub fn last_signed_payload(&self) -> &str {
        &self.payload
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    // ---- internals ------------------------------------------------------------------------

    fn heard(&mut self, now: Instant) {
        if now > self.last_heard {
            self.last_heard = now;
        }
        self.idle_reported = false;
    }

    fn reply(
        &mut self,
        id: RequestId,
        body: Result<Reply<'_>, String>,
        now: Instant,
    ) -> Result<(), ProtocolError> {
        let (pending, late) = match self.pending.take_replied(&id) {
            Some(p) => (p, false),
            None => match self.pending.take_recent(&id) {
                Some(Ended::TimedOut(p)) => (p, true),
                Some(Ended::Replied) => return Err(ProtocolError::DuplicateReply(id)),
                None => return Err(ProtocolError::UnknownId(id.to_string())),
            },
        };
        let (outcome, malformed) = match body {
            Err(detail) => {
                let outcome = if pending.changes_orders {
                    Outcome::Unknown(UnknownCause::MalformedReply(detail.clone()))
                } else {
                    Outcome::MalformedReply(detail.clone())
                };
                (outcome, Some(detail))
            }
            Ok(reply) => (self.settle(&pending, reply, now), None),
        };
        let completion = Completion {
            id,
            method: pending.method,
            client_order_id: pending.client_order_id,
            sent_at: pending.sent_at,
            outcome,
        };
        self.events.push_back(if late {
            Event::LateReply(completion)
        } else {
            Event::Completed(completion)
        });
        match malformed {
            Some(detail) => Err(ProtocolError::Malformed(detail)),
            None => Ok(()),
        }
    }

    /// Applies what a readable reply teaches (rate limits, clock, session, subscriptions) and
    /// turns it into an outcome.
    fn settle(&mut self, pending: &Pending, reply: Reply<'_>, now: Instant) -> Outcome {
        let server_ms = self.clock.server_us(now).div_euclid(1000);
        self.limits.observe(&reply.rate_limits, server_ms);
        match reply.outcome {
            Ok(result) => {
                match pending.followup {
                    Followup::Time => {
                        #[derive(Deserialize)]
                        struct ServerTime {
                            #[serde(rename = "serverTime")]
                            server_time: i64,
                        }
                        if let Ok(t) = serde_json::from_str::<ServerTime>(result.get()) {
                            self.clock.observe(t.server_time, pending.sent_at, now);
                        }
                    }
                    Followup::Logon => self.session = SessionState::LoggedOn,
                    Followup::Logout => self.session = SessionState::Anonymous,
                    Followup::Subscribe => {
                        #[derive(Deserialize)]
                        struct Subscribed {
                            #[serde(rename = "subscriptionId")]
                            subscription_id: u64,
                        }
                        if let Ok(s) = serde_json::from_str::<Subscribed>(result.get()) {
                            if !self.subscriptions.contains(&s.subscription_id) {
                                self.subscriptions.push(s.subscription_id);
                            }
                        }
                    }
                    Followup::Unsubscribe(Some(one)) => self.subscriptions.retain(|s| *s != one),
                    Followup::Unsubscribe(None) => self.subscriptions.clear(),
                    Followup::None => {}
                }
                Outcome::Success(Response::new(
                    reply.status,
                    result.to_owned(),
                    reply.rate_limits,
                    now,
                ))
            }
            Err(error) => {
                if pending.followup == Followup::Logon && self.session == SessionState::LoggingOn {
                    self.session = SessionState::Anonymous;
                }
                if let Some(server_ms) = error.server_time_ms {
                    self.clock.observe(server_ms, pending.sent_at, now);
                }
                self.note_rate_limited(&error, now);
                if pending.changes_orders && error.is_outcome_unknown() {
                    Outcome::Unknown(UnknownCause::Server(error))
                } else {
                    Outcome::Error(error)
                }
            }
        }
    }

    fn unsolicited(&mut self, error: ApiError, now: Instant) {
        self.note_rate_limited(&error, now);
        if error.status == 401 || error.code == -2015 {
            self.session = SessionState::Anonymous;
            self.events.push_back(Event::SessionRevoked(error));
        } else {
            self.events.push_back(Event::UnsolicitedError(error));
        }
    }

    /// After a 429 or 418, refuses sends until `retryAfter` (or, if the server gave none, for
    /// 1 s after a 429 and for 2 min, the shortest ban, after a 418).
    fn note_rate_limited(&mut self, error: &ApiError, now: Instant) {
        if !error.is_rate_limited() {
            return;
        }
        let banned = error.is_banned();
        let until = match error.retry_after_ms {
            Some(ms) => self.clock.instant_of_server_ms(ms, now),
            None => {
                now + if banned {
                    Duration::from_secs(120)
                } else {
                    Duration::from_secs(1)
                }
            }
        };
        self.limits.set_backoff(Backoff {
            until,
            retry_after_ms: error.retry_after_ms,
            banned,
        });
        self.events.push_back(Event::RateLimited { until, banned });
    }

    fn complete(&mut self, id: RequestId, p: Pending, outcome: Outcome) {
        self.events.push_back(Event::Completed(Completion {
            id,
            method: p.method,
            client_order_id: p.client_order_id,
            sent_at: p.sent_at,
            outcome,
        }));
    }

    fn push_user_event(&mut self, event: Event) {
        if self.events.len() < self.config.max_queued_events {
            self.events.push_back(event);
            return;
        }
        self.dropped_user_events += 1;
        if !self.overflowing {
            self.overflowing = true;
            self.events.push_back(Event::UserDataDropped {
                total: self.dropped_user_events,
            });
        }
    }
}
