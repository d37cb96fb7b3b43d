//! One blocking connection: a tungstenite socket driven by the protocol core, with the socket's
//! read timeout set to the core's next deadline.

use std::collections::hash_map::RandomState;
use std::collections::VecDeque;
use std::hash::BuildHasher;
use std::io::ErrorKind;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use binance_wsapi_proto::{
    Client, ClientOrderId, Config, Credentials, Event, OrderInfo, OrderRef, Outcome, QueryOrder,
    Request, Response, Resume, SendError, Sent, Transmit,
};
use tungstenite::client::IntoClientRequest;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Connector, HandshakeError, Message, WebSocket};

use crate::callbacks::Callbacks;
use crate::error::{CallError, Error};
use crate::stream_buffer::StreamBuffer;
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
    /// How [`Connection::reconnect`] retries.
    pub backoff: Backoff,
    /// When a send would cross a rate limit (or the server asked to back off), wait up to this
    /// long for the window to pass instead of failing; `None` refuses at once. The socket keeps
    /// being served while waiting.
    pub wait_for_rate_limits: Option<Duration>,
}

/// Retry timing for [`Connection::reconnect`]: exponential, with jitter, bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Wait before the second attempt (the first is immediate).
    pub first: Duration,
    /// Longest wait between attempts.
    pub max: Duration,
    /// Attempts before giving up.
    pub attempts: u32,
}

impl Backoff {
    /// The waits between attempts: `first`, doubling up to `max`, each moved by up to ±25 %
    /// (drawn from `seed`) so that many clients cut off together do not retry in step.
    pub fn waits(&self, seed: u64) -> BackoffWaits {
        BackoffWaits {
            next: self.first,
            max: self.max,
            jitter: seed,
        }
    }
}

/// The waits of a [`Backoff`] (an endless iterator).
#[derive(Debug, Clone)]
pub struct BackoffWaits {
    next: Duration,
    max: Duration,
    jitter: u64,
}

impl Iterator for BackoffWaits {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        let wait = self.next;
        self.jitter = self
            .jitter
            .rotate_left(17)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let spread = u64::try_from((wait / 2).as_nanos())
            .unwrap_or(u64::MAX)
            .max(1);
        self.next = (wait * 2).min(self.max);
        Some(wait - wait / 4 + Duration::from_nanos(self.jitter % spread))
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            first: Duration::from_millis(100),
            max: Duration::from_secs(5),
            attempts: 8,
        }
    }
}

/// Events of a connection, from [`Connection::events`].
#[derive(Debug)]
pub struct Events<'a> {
    conn: &'a mut Connection,
    idle: Duration,
}

impl Iterator for Events<'_> {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        self.conn.next_event(self.idle).ok().flatten()
    }
}

/// What [`Connection::reconcile_order`] found.
#[derive(Debug)]
#[non_exhaustive]
pub enum Reconciliation {
    /// The order exists; this is its `order.status` (status, quantity filled so far).
    Placed(Box<OrderInfo>),
    /// The exchange does not know the order: it was never placed, and can be sent again.
    NotPlaced,
}

/// What [`Connection::reconnect`] did.
#[derive(Debug)]
#[non_exhaustive]
pub struct Reconnected {
    /// Connection attempts it took.
    pub attempts: u32,
    /// The `session.logon` redone on the new connection, if the old one was logged on.
    pub relogon: Option<Result<(), CallError>>,
    /// The user-data subscription redone, if the old connection had one. Events sent while
    /// disconnected are not replayed: reconcile with queries.
    pub resubscribe: Option<Result<(), CallError>>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            config: Config::default(),
            credentials: None,
            roots: Roots::default(),
            connect_timeout: Duration::from_secs(10),
            seed: None,
            backoff: Backoff::default(),
            wait_for_rate_limits: None,
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
    options: Options,
    /// What a reconnect must redo.
    resume: Resume,
    callbacks: Callbacks,
    awaiting: Option<binance_wsapi_proto::RequestId>,
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
        let ws = open_socket(url, &options)?;
        let now = Instant::now();
        let unix = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let mut client = Client::new(
            options.config.clone(),
            now,
            unix,
            options.seed.unwrap_or_else(random_seed),
        )?;
        client.set_credentials(options.credentials.clone());
        Ok(Self {
            ws,
            client,
            ready: VecDeque::new(),
            closed: false,
            protocol_errors: 0,
            url: url.to_owned(),
            read_timeout: Some(options.connect_timeout),
            options,
            resume: Resume::default(),
            callbacks: Callbacks::default(),
            awaiting: None,
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
        let Some(patience) = self.options.wait_for_rate_limits else {
            let sent = self.client.send(request, Instant::now())?;
            self.flush()?;
            return Ok(sent);
        };
        let give_up = Instant::now() + patience;
        loop {
            // Asked first, so the request is kept (not copied) while it waits.
            let until = match self.client.check_limits(&request, Instant::now()) {
                Ok(()) => {
                    let sent = self.client.send(request, Instant::now())?;
                    self.flush()?;
                    return Ok(sent);
                }
                Err(
                    SendError::WouldExceedLimit { until, .. }
                    | SendError::RateLimited { until, .. },
                ) if until <= give_up => until,
                Err(err) => return Err(err.into()),
            };
            // Keep serving the socket (pings, replies, events) until the window passes.
            while Instant::now() < until {
                if self.closed {
                    return Err(Error::Closed);
                }
                self.pump(Some(until), true)?;
            }
        }
    }

    /// Sends `request` and waits for its outcome. Other events that arrive meanwhile are kept for
    /// [`Self::next_event`], in order.
    ///
    /// # Errors
    /// [`CallError`] for every outcome but success: an API error, an unknown outcome (orders), a
    /// timeout, a lost connection.
    pub fn call(&mut self, request: Request) -> Result<Response, CallError> {
        let sent = self.send(request)?;
        self.awaiting = Some(sent.id);
        let result = self.wait_for(sent.id);
        self.awaiting = None;
        result
    }

    fn wait_for(&mut self, id: binance_wsapi_proto::RequestId) -> Result<Response, CallError> {
        // The core ends every request by its deadline, so this loop ends; the bound is a guard.
        for _ in 0..1_000_000 {
            let found = self
                .ready
                .iter()
                .position(|e| matches!(e, Event::Completed(c) if c.id == id));
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

    /// Finds out what happened to an order whose outcome is unknown, by asking `order.status` with
    /// its client order id. Never resends anything.
    ///
    /// # Errors
    /// [`CallError`] when the question itself fails (it may be asked again).
    pub fn reconcile_order(
        &mut self,
        symbol: &str,
        client_order_id: &ClientOrderId,
    ) -> Result<Reconciliation, CallError> {
        let request = QueryOrder::new(symbol, OrderRef::Client(*client_order_id)).into_request();
        match self.call(request) {
            Ok(status) => status
                .decode::<OrderInfo>()
                .map(|info| Reconciliation::Placed(Box::new(info)))
                .map_err(|e| CallError::MalformedReply(e.to_string())),
            Err(CallError::Api(e)) if e.code == -2013 => Ok(Reconciliation::NotPlaced),
            Err(e) => Err(e),
        }
    }

    /// Replaces the connection with a new one to the same URL, retrying with [`Backoff`]; carries the
    /// server clock offset over, logs on again and resubscribes user data if the old connection
    /// had. Requests pending on the old connection have already ended (lost, or unknown for orders);
    /// their events stay queued for [`Self::next_event`]. Nothing is resent. After an IP ban (a
    /// 418), the first attempt waits until just after the ban ends
    /// ([`binance_wsapi_proto::Backoff::reconnect_not_before`]): the server refuses connections
    /// until then, and knocking during a ban is what a client must not do. A 429's back-off carries over
    /// to the new connection, which refuses sends until `retryAfter` as the old one did.
    ///
    /// # Errors
    /// The last connection error when every attempt failed.
    pub fn reconnect(&mut self) -> Result<Reconnected, Error> {
        if !self.closed {
            let _ = self.ws.close(None);
            self.mark_closed();
        }
        let now = Instant::now();
        if let Some(at) = self
            .client
            .backoff(now)
            .and_then(|b| b.reconnect_not_before())
        {
            std::thread::sleep(at.saturating_duration_since(now));
        }
        let backoff = self.options.backoff;
        let mut waits = backoff.waits(random_seed());
        let mut attempt = 0;
        let ws = loop {
            attempt += 1;
            match open_socket(&self.url, &self.options) {
                Ok(ws) => break ws,
                Err(e) if attempt >= backoff.attempts.max(1) => return Err(e),
                Err(_) => std::thread::sleep(waits.next().unwrap_or(backoff.max)),
            }
        };
        let now = Instant::now();
        let unix = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let offset = self.client.server_time_offset_us();
        let synced = self.client.is_clock_synced();
        let mut client = Client::new(self.options.config.clone(), now, unix, random_seed())?;
        client.set_credentials(self.options.credentials.clone());
        // Request ids stay unique across reconnects (late events of the old socket keep theirs).
        client.continue_numbering_from(self.client.next_request_number());
        if synced {
            client.set_server_time_offset_us(offset);
        }
        // The server's windows are per IP and account: a 429's back-off outlives the socket.
        if let Some(backoff) = self.client.backoff(now) {
            client.honour_backoff(backoff);
        }
        self.ws = ws;
        self.client = client;
        self.closed = false;
        self.read_timeout = Some(self.options.connect_timeout);
        // Redone requests note themselves again when they succeed.
        let plan = std::mem::take(&mut self.resume);
        let relogon = plan
            .logged_on()
            .then(|| self.call(Request::new("session.logon")).map(|_| ()));
        let resubscribe = plan
            .subscription()
            .map(|method| self.call(Request::new(method)).map(|_| ()));
        Ok(Reconnected {
            attempts: attempt,
            relogon,
            resubscribe,
        })
    }

    /// The events as an iterator: each item waits at most `idle` for the next event; the iterator
    /// ends after `idle` without one, or when the connection closes (after its last events).
    pub fn events(&mut self, idle: Duration) -> Events<'_> {
        Events { conn: self, idle }
    }

    /// Sends `request` and runs `callback` with its completion, from whichever later call into
    /// this connection receives it (`next_event`, `call`, `pump_into`); the completion is then not
    /// queued as an event.
    ///
    /// # Errors
    /// As [`Self::send`].
    pub fn send_with(
        &mut self,
        request: Request,
        callback: impl FnOnce(&binance_wsapi_proto::Completion) + Send + 'static,
    ) -> Result<Sent, Error> {
        let sent = self.send(request)?;
        self.callbacks.on_completion(sent.id, Box::new(callback));
        // The reply may already be in: run the callback now if so.
        self.collect_events();
        Ok(sent)
    }

    /// Runs `callback` with the completion of a request already sent.
    pub(crate) fn on_completion(
        &mut self,
        id: binance_wsapi_proto::RequestId,
        callback: impl FnOnce(&binance_wsapi_proto::Completion) + Send + 'static,
    ) {
        self.callbacks.on_completion(id, Box::new(callback));
    }

    /// Sets a handler for every event of this connection (after per-request callbacks). It runs
    /// from the user's calls into the connection; returning `None` consumes the event, returning it
    /// keeps it queued for [`Self::next_event`]. The completion a [`Self::call`] waits for is never
    /// given to the handler.
    pub fn set_handler(&mut self, handler: impl FnMut(Event) -> Option<Event> + Send + 'static) {
        self.callbacks.set_handler(Some(Box::new(handler)));
    }

    /// Removes the handler.
    pub fn clear_handler(&mut self) {
        self.callbacks.set_handler(None);
    }

    /// Serves the socket for up to `timeout` and moves every event into `buffer`, for a consumer
    /// on another thread. Returns how many events were moved.
    ///
    /// # Errors
    /// [`Error::Closed`] once the connection is closed and every event was moved.
    pub fn pump_into(
        &mut self,
        buffer: &StreamBuffer<Event>,
        timeout: Duration,
    ) -> Result<usize, Error> {
        let until = Instant::now() + timeout;
        let mut moved = 0;
        loop {
            while let Some(event) = self.ready.pop_front() {
                buffer.push(event);
                moved += 1;
            }
            if self.closed {
                return if moved > 0 {
                    Ok(moved)
                } else {
                    Err(Error::Closed)
                };
            }
            if Instant::now() >= until {
                return Ok(moved);
            }
            self.pump(Some(until), true)?;
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
            if let Event::Completed(done) = &event {
                if done.response().is_some() {
                    let left = self.client.subscriptions().len();
                    self.resume.note_success(&done.method, left);
                }
            }
            let dead = matches!(event, Event::Idle { .. });
            if let Some(event) = self.callbacks.dispatch(event, self.awaiting) {
                self.ready.push_back(event);
            }
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

/// A `ws://` or `wss://` URL taken apart for connecting (shared by both clients).
#[derive(Debug)]
#[non_exhaustive]
pub struct Endpoint {
    /// The handshake request for the URL.
    pub request: tungstenite::handshake::client::Request,
    /// `wss://`.
    pub secure: bool,
    /// The host name or address (IPv6 without brackets).
    pub host: String,
    /// The port (80 or 443 when the URL gives none).
    pub port: u16,
}

impl Endpoint {
    /// Takes `url` apart.
    ///
    /// # Errors
    /// [`Error::Url`] when it is not a `ws://` or `wss://` URL with a host.
    pub fn parse(url: &str) -> Result<Self, Error> {
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
        Ok(Self {
            request,
            secure,
            host,
            port,
        })
    }
}

/// Opens the TCP connection, TLS for `wss://`, and the WebSocket handshake.
fn open_socket(
    url: &str,
    options: &Options,
) -> Result<WebSocket<MaybeTlsStream<TcpStream>>, Error> {
    let Endpoint {
        request,
        secure,
        host,
        port,
    } = Endpoint::parse(url)?;
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
    Ok(ws)
}

fn ws_error(e: tungstenite::Error) -> Error {
    match e {
        tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed => Error::Closed,
        tungstenite::Error::Io(io) => Error::Io(io),
        other => Error::WebSocket(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_taken_apart_and_bad_urls_named() {
        // A wss:// URL without a port gets 443 (parsing only; nothing connects).
        let e = Endpoint::parse("wss://localhost/ws-api/v3").unwrap();
        assert_eq!(
            (e.secure, e.host.as_str(), e.port),
            (true, "localhost", 443)
        );
        let live = Endpoint::parse(binance_wsapi_proto::endpoints::LIVE).unwrap();
        assert_eq!((live.secure, live.port), (true, 443));
        let e = Endpoint::parse("ws://[::1]:9000/ws-api/v3").unwrap();
        assert_eq!((e.secure, e.host.as_str(), e.port), (false, "::1", 9000));
        for bad in ["http://x/", "not a url", "ws:///path"] {
            match Endpoint::parse(bad) {
                Err(Error::Url { url, .. }) => assert_eq!(url, bad),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn backoff_waits_double_up_to_the_cap_with_bounded_jitter() {
        let backoff = Backoff {
            first: Duration::from_millis(100),
            max: Duration::from_millis(500),
            attempts: 10,
        };
        let waits: Vec<Duration> = backoff.waits(42).take(6).collect();
        for (wait, nominal) in waits.iter().zip([100, 200, 400, 500, 500, 500]) {
            let nominal = Duration::from_millis(nominal);
            assert!(
                *wait >= nominal - nominal / 4 && *wait <= nominal + nominal / 4,
                "{waits:?}"
            );
        }
        assert_ne!(
            backoff.waits(1).take(4).collect::<Vec<_>>(),
            backoff.waits(2).take(4).collect::<Vec<_>>(),
            "different seeds spread the retries"
        );
    }
}
