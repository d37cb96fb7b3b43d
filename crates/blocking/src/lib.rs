//! A blocking client for the Binance Spot WebSocket API, for plain synchronous programs: no
//! runtime, no background thread, no async in the API.
//!
//! It is a thin driver over the sans-IO core [`binance_wsapi_proto`]: the core builds, signs and
//! routes; this crate moves frames over a tungstenite socket (rustls with the ring provider for
//! `wss://`) and turns the core's deadlines into socket read timeouts.
//!
//! ```no_run
//! use binance_wsapi_blocking::{Connection, Options};
//! use binance_wsapi_proto::{endpoints, Credentials, Request};
//!
//! let creds = Credentials::hmac("api-key", "secret")?;
//! let mut conn = Connection::connect(endpoints::LIVE, Options::with_credentials(creds))?;
//! let time = conn.call(Request::new("time"))?;
//! println!("{}", time.result_raw());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod callbacks;
mod connection;
mod error;
mod stream_buffer;
mod tls;
mod worker;

pub use binance_wsapi_proto as proto;
pub use connection::{
    Backoff, BackoffWaits, Connection, Endpoint, Events, Options, Reconciliation, Reconnected,
};
pub use error::{CallError, Error};
pub use stream_buffer::{StreamBuffer, WhenFull};
pub use tls::Roots;
pub use worker::{Worker, WorkerHandle};
