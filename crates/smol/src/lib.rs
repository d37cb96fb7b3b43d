//! An async client for the Binance Spot WebSocket API over smol and async-tungstenite (rustls
//! with the ring provider for `wss://`).
//!
//! A thin driver over the sans-IO core [`binance_wsapi_proto`]: one task per connection does the
//! IO and the timing; the core frames, signs, tracks and routes. On top, every way of handling
//! replies that trading code asks for:
//!
//! - await one request: [`Connection::call`], [`Connection::call_typed`], or
//!   [`Connection::send`] then [`Reply::response`];
//! - a callback per request: [`Connection::send_with`];
//! - a handler per connection ([`Connection::set_handler`]) and one for all connections
//!   ([`Hub::set_handler`]), sync; async handlers with [`Connection::spawn_handler`];
//! - a [`futures_lite::Stream`] of everything: [`Connection::events`];
//! - a bounded stream buffer drained at the user's pace (FIFO or LIFO, put back, length, drop
//!   count, full policy), per connection or global: [`Connection::buffer`], [`Hub::buffer`];
//! - many connections by id or label: [`Hub`].
//!
//! Connections heal: pings are answered, a silent socket is dropped, a lost one is replaced with
//! exponential backoff and jitter, the session log-on and user-data subscription are redone,
//! and the 24 h limit and `serverShutdown` are met by opening a new socket while the old one
//! finishes its replies. Each of these is reported as a [`Notice`]. Requests in flight on a lost
//! socket end at once; order-changing ones say *outcome unknown* with the client order id
//! ([`Connection::reconcile_order`] asks what happened). Nothing is retried blindly.
//!
//! ```no_run
//! use binance_wsapi_smol::{Connection, Options};
//! use binance_wsapi_smol::proto::{endpoints, Credentials, Request};
//!
//! smol::block_on(async {
//!     let creds = Credentials::hmac("api-key", "secret")?;
//!     let conn = Connection::connect(endpoints::LIVE, Options::with_credentials(creds)).await?;
//!     let time = conn.call(Request::new("time")).await?;
//!     println!("{}", time.result_raw());
//!     Ok::<(), Box<dyn std::error::Error>>(())
//! })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Cancel safety
//!
//! Every `async fn` here may be dropped at any await point without losing anything: a request
//! handed to the connection's task is sent and ends exactly once even if the future that sent it
//! is gone; its completion then goes to the handlers and buffer. Dropping a [`Reply`] does not
//! cancel its request. [`binance_wsapi_blocking::StreamBuffer::next`] takes an item only when it
//! resolves.

mod connection;
mod driver;
mod events;
mod hub;
mod notice;
mod options;
mod proxy;
mod reply;
mod socket;
mod state;
mod status;
mod writer;

pub use binance_wsapi_blocking::{
    Backoff, CallError, Error, Reconciliation, Roots, StreamBuffer, WhenFull,
};
pub use binance_wsapi_proto as proto;
pub use connection::Connection;
pub use events::Events;
pub use hub::Hub;
pub use notice::{ConnectionId, Delivery, Notice, RenewReason};
pub use options::{BufferChoice, Options};
pub use proxy::{Proxy, ProxyAuth};
pub use reply::Reply;
pub use status::Status;
