//! Sans-IO protocol core for the [Binance Spot WebSocket API].
//!
//! This crate turns requests into signed text frames and inbound text frames into events. It
//! opens no sockets, reads no clock and draws no random numbers: the caller passes time in and
//! moves frames between the [`Client`] and its WebSocket. That makes it usable from any runtime,
//! a blocking loop, a simulator running in virtual time, or a fuzzer.
//!
//! [Binance Spot WebSocket API]: https://developers.binance.com/docs/binance-spot-api-docs/web-socket-api
//!
//! # The drain contract
//!
//! One [`Client`] serves one WebSocket connection. Its methods come in four kinds:
//!
//! - **commands**: [`Client::send`] queues a request and returns its id;
//! - **inputs** (`handle_*`): [`Client::handle_text`] for every text frame received,
//!   [`Client::handle_ping`] for every ping/pong frame, [`Client::handle_timeout`] when the deadline
//!   from `poll_timeout` has passed, [`Client::handle_close`] once when the connection is gone;
//! - **outputs** (`poll_*`): [`Client::poll_transmit`] gives frames to write,
//!   [`Client::poll_event`] gives [`Event`]s, [`Client::poll_timeout`] says when to call
//!   `handle_timeout` next;
//! - **getters**: rate limits, session state, clock offset, pending count.
//!
//! After **every** command or input, the driver:
//!
//! 1. writes every frame from `poll_transmit` to the socket, in order;
//! 2. handles every event from `poll_event`;
//! 3. reads `poll_timeout` and sleeps until that instant, a frame arrives, or the application has
//!    a new request, whichever comes first.
//!
//! Every `now` must be from the same monotonic clock and must not go backwards. The client never
//! sleeps and never blocks; a deadline that has passed is acted on at the next `handle_timeout`.
//!
//! # Writing your own driver
//!
//! A driver owns the socket and the clock; the [`Client`] owns the protocol. For each connection:
//!
//! 1. Open the WebSocket, then build a client with [`Client::new`] (and
//!    [`Client::with_credentials`]).
//! 2. Write every frame from `poll_transmit` as a text frame, in order.
//! 3. Handle every event from `poll_event` (below).
//! 4. Wait for the first of: a text frame (give it to `handle_text`), a ping or pong (give it to
//!    `handle_ping`; the WebSocket library sends the pong), the instant from `poll_timeout` (call
//!    `handle_timeout`), or a request from the application (`send`). Then go back to step 2.
//! 5. When the connection ends, however it ends, call `handle_close`, drain the events once more,
//!    and build a new client for the next connection (carry the clock over with
//!    [`Client::server_time_offset_us`]).
//!
//! What to do with each [`Event`] (it is `#[non_exhaustive]`: keep a catch-all arm):
//!
//! - [`Event::Completed`]: give the outcome to whoever sent that id. After [`Outcome::Unknown`],
//!   ask `order.status` by the client order id before sending the order again.
//! - [`Event::LateReply`]: what really happened to a request already reported as timed out.
//! - [`Event::UserData`]: pass it on ([`UserDataEvent::typed`] decodes it).
//! - [`Event::RateLimited`]: `send` refuses until `until`; hold new requests back until then.
//! - [`Event::Idle`]: the connection is dead: close the socket, call `handle_close`, reconnect.
//! - [`Event::ServerShutdown`], [`Event::RenewDue`]: open a new connection, move over, close this
//!   one.
//! - [`Event::SessionRevoked`]: log on again before sending session-signed requests.
//! - [`Event::UnsolicitedError`], [`Event::UserDataDropped`]: log; after dropped user data,
//!   resynchronise with queries.
//!
//! In an async driver, mind cancellation:
//!
//! - Never drop a frame taken from `poll_transmit`: the client counts it as sent. Write it to the
//!   end outside `select!` (or keep it until it is written); a lost frame only ends at its
//!   deadline, as a timeout or, for an order, as unknown.
//! - Race only cancel-safe futures in `select!`: the next frame from the socket, a sleep until
//!   `poll_timeout`, a channel receive of new requests. Read `poll_timeout` afresh each time round:
//!   every input can move it.
//! - Call `handle_close` exactly once per connection, on every path out (error, close frame,
//!   `Idle`, the task being dropped); until then pending requests end only at their deadlines.
//! - Keep the client in one task; other tasks reach it through channels, so no lock is needed.
//!
//! Complete drivers to copy from: `examples/tokio.rs` (tokio and tokio-tungstenite),
//! `examples/event_loop.rs` (a single-threaded loop over a non-blocking socket, no async) and
//! `examples/simulated_time.rs` (virtual time against an in-memory peer, as in a backtest or a
//! property test), in the repository of this crate; `crates/blocking` is a full blocking client.
//!
//! # What the client promises
//!
//! - Every id that `send` returned gets exactly one [`Event::Completed`]: a success, an API error,
//!   a timeout, a lost connection, a frame that never left, or an unreadable reply. A reply that
//!   comes after its timeout is handed out as [`Event::LateReply`], never dropped silently.
//! - For order-changing methods (see [`MethodInfo::changes_orders`]), anything that leaves the
//!   effect open (timeout, lost connection, `-1006`, `-1007`, 5xx, unreadable reply) is
//!   [`Outcome::Unknown`], with the client order id to reconcile by. Order-placing requests get a
//!   random `newClientOrderId`/`listClientOrderId` when the caller gives none.
//! - A bad frame from the server yields a [`ProtocolError`] and the client stays usable.
//! - After a 429 or 418, `send` refuses with [`SendError::RateLimited`] until `retryAfter`.
//! - Everything is bounded: pending requests ([`Config::max_pending`]), inbound frame size
//!   ([`Config::max_frame_len`]), queued events ([`Config::max_queued_events`]).
//!
//! # A blocking driver in brief
//!
//! ```no_run
//! use std::time::{Instant, SystemTime, UNIX_EPOCH};
//! use binance_wsapi_proto::{Client, Config, Event, Request};
//! # fn socket_read(_: Option<Instant>) -> Option<String> { None }
//! # fn socket_write(_: &str) {}
//!
//! let unix = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
//! let mut client = Client::new(Config::default(), Instant::now(), unix, 0x5eed).unwrap();
//! let sent = client.send(Request::new("time"), Instant::now()).unwrap();
//! loop {
//!     while let Some(frame) = client.poll_transmit() {
//!         socket_write(&frame.text);
//!     }
//!     while let Some(event) = client.poll_event() {
//!         if let Event::Completed(done) = event {
//!             if done.id == sent.id {
//!                 println!("{:?}", done.outcome);
//!                 return;
//!             }
//!         }
//!     }
//!     let deadline = client.poll_timeout().map(|t| t.at);
//!     match socket_read(deadline) {
//!         Some(text) => {
//!             if let Err(e) = client.handle_text(&text, Instant::now()) {
//!                 eprintln!("ignored a bad frame: {e}");
//!             }
//!         }
//!         None => client.handle_timeout(Instant::now()),
//!     }
//! }
//! ```
//!
//! # Typed methods
//!
//! [`Request::new`] sends any method with any parameters. Every one of the 55 methods also has a
//! typed builder that checks the parameters before sending and a typed reply to
//! [`Response::decode`] into: [`PlaceOrder`], [`CancelOrder`] and [`QueryOrder`] at the crate
//! root, the others in [`api`] (re-exported here); [`COVERAGE`] lists them.
//!
//! ```
//! use binance_wsapi_proto::{DepthRequest, ValidationError};
//!
//! let request = DepthRequest::new("BNBBTC").limit(5).into_request().unwrap();
//! assert_eq!(request.method(), "depth");
//! let err: ValidationError = DepthRequest::new("BNBBTC").limit(6000).into_request().unwrap_err();
//! assert_eq!(err.to_string(), "depth: limit: must be between 1 and 5000, not 6000");
//! ```
//!
//! # Signing
//!
//! Signed requests get `apiKey`, `timestamp` (from the server-corrected clock), `recvWindow` if
//! configured, and `signature` over all parameters but `signature`, sorted by name, joined as
//! `k=v&k=v`, raw UTF-8 without percent-encoding. The payload and the JSON come from the same
//! rendered text, and decimals are sent as strings without exponents. After a successful
//! `session.logon` (Ed25519 only) `apiKey` and `signature` are left out. See [`Credentials`] for
//! the key forms accepted.

#![cfg_attr(not(test), warn(clippy::unwrap_used))]

pub mod api;
mod client;
mod clock;
mod config;
mod encode;
pub mod endpoints;
mod error;
mod error_codes;
mod event;
mod ids;
mod inbound;
mod json;
mod method;
mod orders;
mod params;
mod pending;
mod rate_limit;
mod request;
mod request_map;
mod resume;
mod rng;
mod sign;
mod types;
mod user_events;
mod weight;

#[cfg(feature = "__fuzzing")]
#[doc(hidden)]
pub mod fuzzing;

pub use api::account::*;
pub use api::general::*;
pub use api::market::*;
pub use api::session::*;
pub use api::trading::*;
pub use api::{coverage, Coverage, Empty, OneOrMany, SymbolStatus, COVERAGE};
pub use client::{Client, Sent, SessionState, Timeout, TimeoutReason, Transmit};
pub use clock::{RecvWindow, RecvWindowError, TimestampUnit};
pub use config::Config;
pub use encode::signature_payload;
pub use error::{ApiError, ConfigError, ProtocolError, SendError};
pub use event::{Completion, Event, Outcome, Response, UnknownCause, UserDataEvent};
pub use ids::{ClientOrderId, IdError, RequestId, TextId, MAX_ID_LEN};
pub use method::{method_info, MethodInfo, Security, METHODS};
pub use orders::{
    CancelOrder, CancelReply, CanceledOrder, Fill, OrderInfo, OrderRef, PlaceOrder, PlacedOrder,
    Problem, QueryOrder, ValidationError, MAX_PEG_OFFSET_LEVELS,
};
pub use params::{ParamValue, Params};
pub use rate_limit::{Backoff, RateLimit, RateLimitInterval, RateLimitType, BAN_END_MARGIN};
pub use request::Request;
pub use request_map::{IdHasher as RequestIdHasher, RequestMap};
pub use resume::Resume;
pub use rust_decimal::Decimal;
#[cfg(feature = "rsa")]
pub use sign::RsaSigner;
pub use sign::{Credentials, Ed25519Signer, HmacSigner, KeyError, KeyKind, Signer};
pub use types::{
    NewOrderRespType, OrderStatus, OrderType, PegOffsetType, PegPriceType, Side, StpMode,
    TimeInForce,
};
pub use user_events::{
    AccountPosition, BalanceUpdate, ExecutionReport, ListOrder, ListStatus, PositionBalance,
    UserEvent,
};
pub use weight::request_weight;
