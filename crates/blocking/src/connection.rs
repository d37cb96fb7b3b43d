//! One blocking connection: a tungstenite socket driven by the protocol core, with the socket's
//! read timeout set to the core's next deadline.

use std::collections::hash_map::RandomState;
use std::collections::VecDeque;
use std::hash::BuildHasher;
use std::io::ErrorKind;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use binance_wsapi_proto::{
    Client, Config, Credentials, Event, Outcome, Request, Response, Sent, Transmit,
};
use tungstenite::client::IntoClientRequest;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Connector, HandshakeError, Message, WebSocket};

use crate::error::{CallError, Error};
use crate::tls::Roots;

/// How to connect.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// The protocol core's settings (timeouts, limits, recvWindow, ...).
    pub config: Config,
    /// Keys to sign with.
    pub credentials: Option<Credentials>,
    /// Certificate authorities for `wss://`.
    pub roots: Roots,
    /// Longest wait for the TCP connection and for each handshake step.
    pub connect_timeout: Duration,
    /// Seed for generated client order ids; random (from the OS) when `None`.
    pub seed: Option<u64>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            config: Config::default(),
            credentials: None,
            roots: Roots::default(),
            connect_timeout: Duration::from_secs(10),
            seed: None,
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

/// A blocking connection to the Binance WS API (or the emulator).
///
/// Nothing happens in the background: the socket is read only inside [`Connection::call`] and
/// [`Connection::next_event`], which also answer pings and fire the core's deadlines. Call one of
/// them regularly (at least every few seconds) to keep the connection alive.
#[derive(Debug)]
pub struct Connection {
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    client: Client,
    ready: VecDeque<Event>,
    closed: bool,
    protocol_errors: u64,
    url: String,
    read_timeout: Option<Duration>,
}

fn random_seed() -> u64 {
    // `RandomState` is keyed from the OS's random source; hashing the time adds nothing secret but
    // makes two states in one process differ.
    RandomState::new().hash_one(SystemTime::now())
}

impl Connection {
    /// Connects to `url` (`ws://` or `wss://`).
    ///
    /// # Errors
    /// [`Error::Url`] for a URL that cannot be used, [`Error::Connect`] when the TCP, TLS or
    /// WebSocket handshake fails, [`Error::Config`] for unusable settings.
    pub fn connect(url: &str, options: Options) -> Result<Self, Error> {
        let bad_url = |reason: &str| Error::Url {
            url: url.to_owned(),
            reason: reason.to_owned(),
        };
        let request = url
            .into_client_request()
            .map_err(|e| bad_url(&e.to_string()))?;
        let uri = request.uri();
        let secure = match uri.scheme_str() {
            Some("wss") => true,
            Some("ws") => false,
            _ => return Err(bad_url("the scheme must be ws or wss")),
        };
        let host = uri
            .host()
            .ok_or_else(|| bad_url("no host"))?
            .trim_matches(['[', ']'])
            .to_owned();
        let port = uri.port_u16().unwrap_or(if secure { 443 } else { 80 });
        let connect_error = |reason: String| Error::Connect {
            url: url.to_owned(),
            reason,
        };
        let addrs: Vec<_> = (host.as_str(), port)
            .to_socket_addrs()
            .map_err(|e| connect_error(format!("cannot resolve {host}: {e}")))?
            .collect();
        let mut last = None;
        let mut stream = None;
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, options.connect_timeout) {
                Ok(s) => {
                    stream = Some(s);
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        let stream = stream.ok_or_else(|| {
            connect_error(last.map_or_else(|| "no address".to_owned(), |e| e.to_string()))
        })?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(options.connect_timeout))?;
        stream.set_write_timeout(Some(options.connect_timeout))?;
        let connector = if secure {
            Connector::Rustls(options.roots.client_config()?)
        } else {
            Connector::Plain
        };
        let (ws, _) = tungstenite::client_tls_with_config(request, stream, None, Some(connector))
            .map_err(|e| match e {
            HandshakeError::Interrupted(_) => connect_error("handshake timed out".into()),
            HandshakeError::Failure(f) => connect_error(f.to_string()),
        })?;
        let now = Instant::now();
        let unix = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let mut client = Client::new(
            options.config,
            now,
            unix,
            options.seed.unwrap_or_else(random_seed),
        )?;
        client.set_credentials(options.credentials);
        Ok(Self {
            ws,
            client,
            ready: VecDeque::new(),
            closed: false,
            protocol_errors: 0,
            url: url.to_owned(),
            read_timeout: Some(options.connect_timeout),
        })
    }

    /// The URL connected to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The protocol state (rate limits, clock offset, session, pending requests).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Mutable protocol state (e.g. to change credentials).
    pub fn client_mut(&mut self) -> &mut Client {
        &mut self.client
    }

    /// Frames from the server that could not be used so far (they are skipped).
    pub fn protocol_errors(&self) -> u64 {
        self.protocol_errors
    }

    /// Whether the connection is closed.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Sends `request` and returns at once; its outcome arrives as an [`Event::Completed`] from
    /// [`Self::next_event`].
    ///
    /// # Errors
    /// [`Error::Send`] when the core refuses the request (nothing was sent), [`Error::Closed`]
    /// after the connection closed.
    pub fn send(&mut self, request: Request) -> Result<Sent, Error> {
        if self.closed {
            return Err(Error::Closed);
        }
        let sent = self.client.send(request, Instant::now())?;
        self.flush()?;
        Ok(sent)
    }

    /// Sends `request` and waits for its outcome. Other events that arrive meanwhile are kept for
    /// [`Self::next_event`], in order.
    ///
    /// # Errors
    /// [`CallError`] for every outcome but success: an API error, an unknown outcome (orders), a
    /// timeout, a lost connection.
    pub fn call(&mut self, request: Request) -> Result<Response, CallError> {
        let sent = self.send(request)?;
        // The core ends every request by its deadline, so this loop ends; the bound is a guard.
        for _ in 0..1_000_000 {
            let found = self
                .ready
                .iter()
                .position(|e| matches!(e, Event::Completed(c) if c.id == sent.id));
            if let Some(i) = found {
                let Some(Event::Completed(done)) = self.ready.remove(i) else {
                    break;
                };
                return match done.outcome {
                    Outcome::Success(response) => Ok(response),
                    other => Err(CallError::from_outcome(other, done.client_order_id)),
                };
            }
            match self.pump(None, true) {
                Ok(()) | Err(Error::Closed) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Err(CallError::ConnectionLost)
    }

    /// The next event, waiting at most `timeout`. `Ok(None)` when nothing happened in time.
    ///
    /// # Errors
    /// [`Error::Closed`] once the connection is closed and every event was handed out.
    pub fn next_event(&mut self, timeout: Duration) -> Result<Option<Event>, Error> {
        let until = Instant::now() + timeout;
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Ok(Some(event));
            }
            if self.closed {
                return Err(Error::Closed);
            }
            if Instant::now() >= until {
                return Ok(None);
            }
            self.pump(Some(until), false)?;
        }
    }

    /// Closes the connection. Pending requests end as the core decides (lost or unknown).
    ///
    /// # Errors
    /// Socket errors while sending the close frame.
    pub fn close(&mut self) -> Result<(), Error> {
        if self.closed {
            return Ok(());
        }
        let result = self.ws.close(None).map_err(ws_error);
        self.mark_closed();
        result
    }

    fn mark_closed(&mut self) {
        self.closed = true;
        self.client.handle_close(Instant::now());
        self.collect_events();
    }

    /// Writes every queued frame.
    fn flush(&mut self) -> Result<(), Error> {
        while let Some(Transmit { text, .. }) = self.client.poll_transmit() {
            if let Err(e) = self.ws.send(Message::text(text)) {
                self.mark_closed();
                return Err(ws_error(e));
            }
        }
        Ok(())
    }

    fn collect_events(&mut self) {
        while let Some(event) = self.client.poll_event() {
            let dead = matches!(event, Event::Idle { .. });
            self.ready.push_back(event);
            if dead && !self.closed {
                // Nothing heard for the idle timeout: the connection is dead; end it.
                let _ = self.ws.close(None);
                self.closed = true;
                self.client.handle_close(Instant::now());
            }
        }
    }

    /// One round: write, read once (bounded by the next deadline), fire deadlines, collect events.
    fn pump(&mut self, until: Option<Instant>, stop_on_any: bool) -> Result<(), Error> {
        self.flush()?;
        self.collect_events();
        if self.closed {
            return Err(Error::Closed);
        }
        if !self.ready.is_empty() && !stop_on_any {
            return Ok(());
        }
        let now = Instant::now();
        let wake = match (self.client.poll_timeout().map(|t| t.at), until) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => now + Duration::from_secs(1),
        };
        // A zero timeout would mean "block forever" to the OS: wait at least a millisecond.
        let wait = wake
            .saturating_duration_since(now)
            .max(Duration::from_millis(1));
        self.set_read_timeout(wait)?;
        match self.ws.read() {
            Ok(Message::Text(text)) => {
                if self
                    .client
                    .handle_text(text.as_str(), Instant::now())
                    .is_err()
                {
                    self.protocol_errors += 1;
                }
            }
            Ok(Message::Ping(_) | Message::Pong(_)) => {
                self.client.handle_ping(Instant::now());
                // The pong tungstenite queued goes out now.
                let _ = self.ws.flush();
            }
            Ok(Message::Binary(_)) => self.protocol_errors += 1,
            Ok(Message::Close(_)) => self.mark_closed(),
            Ok(Message::Frame(_)) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => self.mark_closed(),
        }
        self.client.handle_timeout(Instant::now());
        self.collect_events();
        Ok(())
    }

    /// Sets the socket's read timeout to about `wait`. A system call per read would cost as much
    /// as a loopback round trip, so the current value is kept while it is no shorter than half of
    /// `wait` and overshoots it by at most 1% (a deadline is then met within 1% of its wait).
    fn set_read_timeout(&mut self, wait: Duration) -> Result<(), Error> {
        if let Some(current) = self.read_timeout {
            if current <= wait + wait / 100 && current >= wait / 2 {
                return Ok(());
            }
        }
        self.read_timeout = Some(wait);
        let stream = match self.ws.get_mut() {
            MaybeTlsStream::Plain(s) => s,
            MaybeTlsStream::Rustls(s) => &mut s.sock,
            _ => return Ok(()),
        };
        stream.set_read_timeout(Some(wait))?;
        Ok(())
    }
}

fn ws_error(e: tungstenite::Error) -> Error {
    match e {
        tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed => Error::Closed,
        tungstenite::Error::Io(io) => Error::Io(io),
        other => Error::WebSocket(other.to_string()),
    }
}
