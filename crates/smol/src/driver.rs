//! The task behind a connection: it owns the sockets and the protocol cores, and does only IO and
//! time. Everything else (framing, signing, outcomes, limits) is the core's.
//!
//! One task per connection. A reader task per socket forwards what arrives; the driver waits on
//! commands, inbound frames, a reconnect in progress and the next deadline, whichever comes
//! first, and after each wake-up writes every queued frame and routes every event.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::hash::BuildHasher as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use async_tungstenite::tungstenite::{Message, Utf8Bytes};
use binance_wsapi_blocking::{CallError, Error, StreamBuffer};
use binance_wsapi_proto::{
    Client, Completion, Event, Outcome, Request, RequestId, SendError, Sent,
};
use futures_lite::StreamExt as _;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::SinkExt as _;
use smol::channel::{Receiver, Sender};
use smol::{Task, Timer};

use crate::notice::{ConnectionId, Delivery, Notice, RenewReason};
use crate::options::Options;
use crate::socket::{self, Socket};
use crate::status::Status;

/// A handler for one connection's notices: `None` consumes, `Some` passes on.
pub(crate) type Handler = Box<dyn FnMut(Notice) -> Option<Notice> + Send>;
/// A handler for every connection of a hub.
pub(crate) type GlobalHandler = Box<dyn FnMut(ConnectionId, Notice) -> Option<Notice> + Send>;
/// The hub's handler slot, shared by its connections.
pub(crate) type GlobalSlot = Arc<Mutex<Option<GlobalHandler>>>;
/// A callback for one request.
pub(crate) type Callback = Box<dyn FnOnce(&Completion) + Send>;

/// Who gets a request's completion.
pub(crate) enum Waiter {
    /// The connection's handlers and buffer.
    Events,
    /// An awaiting [`crate::Reply`]; if it is gone, the handlers and buffer.
    Reply(Sender<Completion>),
    /// A callback, run on the driver task.
    Callback(Callback),
    /// The driver itself.
    Internal(Internal),
}

/// Requests the driver sends on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Internal {
    Logon,
    Subscribe,
    ClockSync,
}

/// What the handles ask of the driver.
pub(crate) enum Command {
    Send {
        request: Request,
        waiter: Waiter,
        ack: Sender<Result<Sent, Error>>,
    },
    SetHandler(Option<Handler>),
    Status(Sender<Status>),
    Reconnect,
    Renew,
    Close(Sender<()>),
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Send { .. } => "Send",
            Self::SetHandler(_) => "SetHandler",
            Self::Status(_) => "Status",
            Self::Reconnect => "Reconnect",
            Self::Renew => "Renew",
            Self::Close(_) => "Close",
        })
    }
}

/// What a reader task forwards.
enum Inbound {
    Text(Utf8Bytes),
    Ping,
    Binary,
    Closed(String),
}

/// One socket with its protocol core.
struct Link {
    generation: u64,
    client: Client,
    sink: SplitSink<Socket, Message>,
    _reader: Task<()>,
    /// Set once the link was replaced: it closes when its replies are in or at this instant.
    drain_until: Option<Instant>,
}

/// A request waiting for a rate-limit window to pass.
struct Deferred {
    request: Request,
    waiter: Waiter,
    ack: Sender<Result<Sent, Error>>,
    give_up: Instant,
}

/// Why a connect is under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Reconnect,
    Renew(RenewReason),
}

/// A new socket and the attempts it took, or why none could be opened.
type Connected = Result<(Box<Socket>, u32), Error>;

/// What woke the driver.
enum Wake {
    Command(Option<Command>),
    Inbound(u64, Inbound),
    Connected(Connected),
    Timer,
}

/// Everything a new driver needs.
pub(crate) struct Setup {
    pub(crate) id: ConnectionId,
    pub(crate) url: String,
    pub(crate) options: Options,
    pub(crate) socket: Socket,
    pub(crate) commands: Receiver<Command>,
    pub(crate) buffer: StreamBuffer<Delivery>,
    pub(crate) own_buffer: bool,
    pub(crate) global: Option<GlobalSlot>,
}

pub(crate) struct Driver {
    id: ConnectionId,
    url: String,
    options: Options,
    current: Option<Link>,
    draining: Vec<Link>,
    next_generation: u64,
    inbound_tx: Sender<(u64, Inbound)>,
    inbound_rx: Receiver<(u64, Inbound)>,
    commands: Receiver<Command>,
    waiters: HashMap<RequestId, Waiter>,
    deferred: VecDeque<Deferred>,
    handler: Option<Handler>,
    global: Option<GlobalSlot>,
    buffer: StreamBuffer<Delivery>,
    own_buffer: bool,
    connecting: Option<(Purpose, Task<Connected>)>,
    logged_on: bool,
    subscribed_with: Option<&'static str>,
    next_clock_sync: Option<Instant>,
    clock_sync_pending: bool,
    offset_us: Option<i64>,
    next_number: i64,
    reconnects: u32,
    renewals: u32,
    protocol_errors: u64,
    finished: bool,
}

fn random_seed() -> u64 {
    RandomState::new().hash_one(SystemTime::now())
}

/// Connects with retries: immediate first attempt, then exponential waits with ±25 % jitter.
async fn connect_with_backoff(url: String, options: Options) -> Connected {
    let backoff = options.backoff;
    let mut jitter = random_seed();
    let mut wait = backoff.first;
    let mut attempt = 0;
    loop {
        attempt += 1;
        match socket::open(&url, &options).await {
            Ok(socket) => return Ok((Box::new(socket), attempt)),
            Err(e) if attempt >= backoff.attempts.max(1) => return Err(e),
            Err(_) => {
                jitter = jitter.rotate_left(17).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                let spread = u64::try_from((wait / 2).as_nanos())
                    .unwrap_or(u64::MAX)
                    .max(1);
                Timer::after(wait - wait / 4 + Duration::from_nanos(jitter % spread)).await;
                wait = (wait * 2).min(backoff.max);
            }
        }
    }
}

/// Forwards what a socket receives to the driver, until the socket ends.
async fn read_loop(generation: u64, mut stream: SplitStream<Socket>, tx: Sender<(u64, Inbound)>) {
    loop {
        let inbound = match stream.next().await {
            Some(Ok(Message::Text(text))) => Inbound::Text(text),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => Inbound::Ping,
            Some(Ok(Message::Binary(_))) => Inbound::Binary,
            Some(Ok(Message::Frame(_))) => continue,
            Some(Ok(Message::Close(frame))) => Inbound::Closed(frame.map_or_else(
                || "closed by the server".to_owned(),
                |f| format!("closed by the server ({}: {})", f.code, f.reason),
            )),
            Some(Err(e)) => Inbound::Closed(e.to_string()),
            None => Inbound::Closed("the socket ended".to_owned()),
        };
        let last = matches!(inbound, Inbound::Closed(_));
        if tx.send((generation, inbound)).await.is_err() || last {
            return;
        }
    }
}

impl Driver {
    pub(crate) fn new(setup: Setup) -> Result<Self, Error> {
        let (inbound_tx, inbound_rx) = smol::channel::bounded(1024);
        let mut driver = Self {
            id: setup.id,
            url: setup.url,
            options: setup.options,
            current: None,
            draining: Vec::new(),
            next_generation: 0,
            inbound_tx,
            inbound_rx,
            commands: setup.commands,
            waiters: HashMap::new(),
            deferred: VecDeque::new(),
            handler: None,
            global: setup.global,
            buffer: setup.buffer,
            own_buffer: setup.own_buffer,
            connecting: None,
            logged_on: false,
            subscribed_with: None,
            next_clock_sync: None,
            clock_sync_pending: false,
            offset_us: None,
            next_number: 1,
            reconnects: 0,
            renewals: 0,
            protocol_errors: 0,
            finished: false,
        };
        driver.attach(setup.socket)?;
        Ok(driver)
    }

    /// Makes `socket` the current link, with a fresh core that keeps the clock offset and the
    /// request numbering of the previous one.
    fn attach(&mut self, socket: Socket) -> Result<(), Error> {
        let now = Instant::now();
        let unix = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let seed = self.options.seed.map_or_else(random_seed, |s| {
            s.wrapping_add(u64::from(self.reconnects + self.renewals))
        });
        let mut client = Client::new(self.options.config.clone(), now, unix, seed)?;
        client.set_credentials(self.options.credentials.clone());
        client.continue_numbering_from(self.next_number);
        if let Some(offset) = self.offset_us {
            client.set_server_time_offset_us(offset);
        }
        let (sink, stream) = futures_util::StreamExt::split(socket);
        self.next_generation += 1;
        let generation = self.next_generation;
        let reader = smol::spawn(read_loop(generation, stream, self.inbound_tx.clone()));
        self.current = Some(Link {
            generation,
            client,
            sink,
            _reader: reader,
            drain_until: None,
        });
        let relogon =
            self.logged_on || (self.options.auto_logon && self.options.credentials.is_some());
        if relogon {
            self.send_internal(Request::new("session.logon"), Internal::Logon);
        } else if let Some(method) = self.subscribed_with {
            self.send_internal(Request::new(method), Internal::Subscribe);
        }
        if self.options.clock_sync_every.is_some() {
            self.next_clock_sync = Some(now);
        }
        Ok(())
    }

    /// Runs until the connection is closed for good.
    pub(crate) async fn run(mut self) {
        while !self.finished {
            self.flush().await;
            self.collect();
            self.reap().await;
            if self.finished {
                break;
            }
            let wake = self.wait().await;
            match wake {
                Wake::Command(Some(command)) => self.on_command(command).await,
                Wake::Command(None) => self.shut_down().await,
                Wake::Inbound(generation, inbound) => self.on_inbound(generation, inbound),
                Wake::Connected(result) => self.on_connected(result),
                Wake::Timer => {}
            }
            let now = Instant::now();
            for link in self.links_mut() {
                link.client.handle_timeout(now);
            }
            self.retry_deferred(now);
            self.sync_clock_if_due(now);
        }
    }

    fn links_mut(&mut self) -> impl Iterator<Item = &mut Link> {
        self.current.iter_mut().chain(self.draining.iter_mut())
    }

    /// The earliest instant something must happen.
    fn next_deadline(&self) -> Option<Instant> {
        let links = self.current.iter().chain(self.draining.iter());
        links
            .flat_map(|l| [l.client.poll_timeout().map(|t| t.at), l.drain_until])
            .chain([
                self.deferred
                    .front()
                    .map(|d| d.give_up.min(self.deferred_retry_at())),
                self.next_clock_sync.filter(|_| self.current.is_some()),
            ])
            .flatten()
            .min()
    }

    fn deferred_retry_at(&self) -> Instant {
        let now = Instant::now();
        self.current
            .as_ref()
            .and_then(|l| l.client.backoff(now).map(|b| b.until))
            .unwrap_or(now + Duration::from_millis(10))
    }

    async fn wait(&mut self) -> Wake {
        let deadline = self.next_deadline();
        let commands = async { Wake::Command(self.commands.recv().await.ok()) };
        let inbound = async {
            match self.inbound_rx.recv().await {
                Ok((generation, inbound)) => Wake::Inbound(generation, inbound),
                // The driver holds a sender, so this does not happen; wait for the rest.
                Err(_) => std::future::pending().await,
            }
        };
        let connected = async {
            match self.connecting.as_mut() {
                Some((_, task)) => Wake::Connected(task.await),
                None => std::future::pending().await,
            }
        };
        let timer = async {
            match deadline {
                Some(at) => {
                    Timer::at(at).await;
                    Wake::Timer
                }
                None => std::future::pending().await,
            }
        };
        // Inbound first: replies already here are handled before new requests go out.
        futures_lite::future::or(
            inbound,
            futures_lite::future::or(commands, futures_lite::future::or(connected, timer)),
        )
        .await
    }

    async fn on_command(&mut self, command: Command) {
        match command {
            Command::Send {
                request,
                waiter,
                ack,
            } => self.on_send(request, waiter, ack),
            Command::SetHandler(handler) => self.handler = handler,
            Command::Status(reply) => {
                let _ = reply.try_send(self.status());
            }
            Command::Reconnect => {
                if let Some(generation) = self.current.as_ref().map(|l| l.generation) {
                    self.kill(generation, "reconnect asked by the user".to_owned());
                }
            }
            Command::Renew => self.start_connect(Purpose::Renew(RenewReason::Asked)),
            Command::Close(done) => {
                self.shut_down().await;
                let _ = done.try_send(());
            }
        }
    }

    fn status(&self) -> Status {
        let current = self.current.as_ref();
        Status {
            connected: current.is_some(),
            reconnects: self.reconnects,
            renewals: self.renewals,
            pending: self
                .current
                .iter()
                .chain(&self.draining)
                .map(|l| l.client.pending_len())
                .sum(),
            draining: self.draining.len(),
            rate_limits: current
                .map(|l| l.client.rate_limits().to_vec())
                .unwrap_or_default(),
            server_time_offset_us: self.offset_us,
            session: current.map(|l| l.client.session()),
            subscriptions: current
                .map(|l| l.client.subscriptions().to_vec())
                .unwrap_or_default(),
            protocol_errors: self.protocol_errors,
            waiting_for_rate_limits: self.deferred.len(),
        }
    }

    fn on_send(&mut self, request: Request, waiter: Waiter, ack: Sender<Result<Sent, Error>>) {
        if self.finished {
            let _ = ack.try_send(Err(Error::Closed));
            return;
        }
        let Some(link) = self.current.as_mut() else {
            let _ = ack.try_send(Err(Error::Reconnecting));
            return;
        };
        let now = Instant::now();
        let Some(patience) = self.options.wait_for_rate_limits else {
            let result = link.client.send(request, now);
            self.next_number = link.client.next_request_number();
            self.accepted(result, waiter, &ack);
            return;
        };
        if !self.deferred.is_empty() {
            // Keep the order: wait behind the requests already waiting.
            self.deferred.push_back(Deferred {
                request,
                waiter,
                ack,
                give_up: now + patience,
            });
            return;
        }
        match link.client.send(request.clone(), now) {
            Err(
                SendError::WouldExceedLimit { until, .. } | SendError::RateLimited { until, .. },
            ) if until <= now + patience => {
                self.deferred.push_back(Deferred {
                    request,
                    waiter,
                    ack,
                    give_up: now + patience,
                });
            }
            result => {
                self.next_number = link.client.next_request_number();
                self.accepted(result, waiter, &ack);
            }
        }
    }

    fn accepted(
        &mut self,
        result: Result<Sent, SendError>,
        waiter: Waiter,
        ack: &Sender<Result<Sent, Error>>,
    ) {
        match result {
            Ok(sent) => {
                if !matches!(waiter, Waiter::Events) {
                    self.waiters.insert(sent.id, waiter);
                }
                let _ = ack.try_send(Ok(sent));
            }
            Err(e) => {
                let _ = ack.try_send(Err(Error::Send(e)));
            }
        }
    }

    /// Sends requests that waited out a rate limit, in order, until one must wait again.
    fn retry_deferred(&mut self, now: Instant) {
        while let Some(next) = self.deferred.pop_front() {
            let Some(link) = self.current.as_mut() else {
                let _ = next.ack.try_send(Err(Error::Reconnecting));
                continue;
            };
            match link.client.send(next.request.clone(), now) {
                Err(
                    e @ (SendError::WouldExceedLimit { until, .. }
                    | SendError::RateLimited { until, .. }),
                ) => {
                    if until > next.give_up {
                        let _ = next.ack.try_send(Err(Error::Send(e)));
                        continue;
                    }
                    self.deferred.push_front(next);
                    return;
                }
                result => {
                    self.next_number = link.client.next_request_number();
                    self.accepted(result, next.waiter, &next.ack);
                }
            }
        }
    }

    fn send_internal(&mut self, request: Request, kind: Internal) {
        let Some(link) = self.current.as_mut() else {
            return;
        };
        match link.client.send(request, Instant::now()) {
            Ok(sent) => {
                self.next_number = link.client.next_request_number();
                self.waiters.insert(sent.id, Waiter::Internal(kind));
                if kind == Internal::ClockSync {
                    self.clock_sync_pending = true;
                }
            }
            Err(e) => self.internal_failed(kind, CallError::Connection(Error::Send(e))),
        }
    }

    fn internal_failed(&mut self, kind: Internal, error: CallError) {
        match kind {
            Internal::Logon => {
                self.deliver(Notice::Relogon(Err(error)));
                if let Some(method) = self.subscribed_with {
                    self.send_internal(Request::new(method), Internal::Subscribe);
                }
            }
            Internal::Subscribe => self.deliver(Notice::Resubscribed(Err(error))),
            Internal::ClockSync => self.clock_sync_pending = false,
        }
    }

    fn internal_done(&mut self, kind: Internal, done: Completion) {
        if let Outcome::Success(_) = done.outcome {
            match kind {
                Internal::Logon => {
                    self.deliver(Notice::Relogon(Ok(())));
                    if let Some(method) = self.subscribed_with {
                        self.send_internal(Request::new(method), Internal::Subscribe);
                    }
                }
                Internal::Subscribe => self.deliver(Notice::Resubscribed(Ok(()))),
                Internal::ClockSync => self.clock_sync_pending = false,
            }
        } else {
            let error = CallError::from_outcome(done.outcome, done.client_order_id);
            self.internal_failed(kind, error);
        }
    }

    fn sync_clock_if_due(&mut self, now: Instant) {
        let due = self.next_clock_sync.is_some_and(|at| at <= now);
        if !due || self.clock_sync_pending || self.current.is_none() {
            return;
        }
        self.next_clock_sync = self.options.clock_sync_every.map(|every| now + every);
        self.send_internal(Request::new("time"), Internal::ClockSync);
    }

    fn on_inbound(&mut self, generation: u64, inbound: Inbound) {
        let now = Instant::now();
        let Some(link) = self.links_mut().find(|l| l.generation == generation) else {
            return; // a link already gone
        };
        match inbound {
            Inbound::Text(text) => {
                if link.client.handle_text(text.as_str(), now).is_err() {
                    self.protocol_errors += 1;
                }
            }
            Inbound::Ping => link.client.handle_ping(now),
            Inbound::Binary => self.protocol_errors += 1,
            Inbound::Closed(reason) => self.kill(generation, reason),
        }
    }

    /// Writes every queued frame of every link, in order; a link whose write fails is lost.
    async fn flush(&mut self) {
        let mut failed = Vec::new();
        for link in self.current.iter_mut().chain(self.draining.iter_mut()) {
            let mut wrote = false;
            let mut error = None;
            while let Some(transmit) = link.client.poll_transmit() {
                if let Err(e) = link.sink.feed(Message::text(transmit.text)).await {
                    error = Some(e.to_string());
                    break;
                }
                wrote = true;
            }
            if error.is_none() && wrote {
                if let Err(e) = link.sink.flush().await {
                    error = Some(e.to_string());
                }
            }
            if let Some(reason) = error {
                failed.push((link.generation, reason));
            }
        }
        for (generation, reason) in failed {
            self.kill(generation, format!("write failed: {reason}"));
        }
    }

    /// Routes every event of every link.
    fn collect(&mut self) {
        loop {
            let mut got = None;
            for link in self.current.iter_mut().chain(self.draining.iter_mut()) {
                if let Some(event) = link.client.poll_event() {
                    got = Some((link.generation, event));
                    break;
                }
            }
            let Some((generation, event)) = got else {
                return;
            };
            let is_current = self.current.as_ref().map(|l| l.generation) == Some(generation);
            if let Some(link) = self.current.as_ref().filter(|_| is_current) {
                if link.client.is_clock_synced() {
                    self.offset_us = Some(link.client.server_time_offset_us());
                }
            }
            self.on_event(generation, is_current, event);
        }
    }

    fn on_event(&mut self, generation: u64, is_current: bool, event: Event) {
        match event {
            Event::Completed(done) => self.on_completion(done),
            Event::Idle { silent_for } => {
                let reason = format!("nothing heard for {silent_for:?}");
                self.deliver(Notice::Event(Event::Idle { silent_for }));
                self.kill(generation, reason);
            }
            Event::ServerShutdown { event_time_ms } => {
                self.deliver(Notice::Event(Event::ServerShutdown { event_time_ms }));
                if is_current {
                    self.start_connect(Purpose::Renew(RenewReason::ServerShutdown));
                }
            }
            Event::RenewDue { age } => {
                self.deliver(Notice::Event(Event::RenewDue { age }));
                if is_current {
                    self.start_connect(Purpose::Renew(RenewReason::Age));
                }
            }
            other => self.deliver(Notice::Event(other)),
        }
    }

    fn on_completion(&mut self, done: Completion) {
        match &done.outcome {
            Outcome::Success(_) => self.note_success(&done.method),
            Outcome::Error(e) if e.code == -1021 => {
                // Timestamp outside recvWindow: the clock offset is stale; sample it now.
                self.next_clock_sync = Some(Instant::now());
            }
            _ => {}
        }
        match self.waiters.remove(&done.id) {
            Some(Waiter::Reply(tx)) => {
                if let Err(e) = tx.try_send(done) {
                    // The awaiting future was dropped: the completion is not lost.
                    self.deliver(Notice::Event(Event::Completed(e.into_inner())));
                }
            }
            Some(Waiter::Callback(callback)) => callback(&done),
            Some(Waiter::Internal(kind)) => self.internal_done(kind, done),
            Some(Waiter::Events) | None => self.deliver(Notice::Event(Event::Completed(done))),
        }
    }

    /// Remembers what a reconnect must redo.
    fn note_success(&mut self, method: &str) {
        match method {
            "session.logon" => self.logged_on = true,
            "session.logout" => self.logged_on = false,
            "userDataStream.subscribe" => self.subscribed_with = Some("userDataStream.subscribe"),
            "userDataStream.subscribe.signature" => {
                self.subscribed_with = Some("userDataStream.subscribe.signature");
            }
            "userDataStream.unsubscribe" => {
                let none_left = self
                    .current
                    .as_ref()
                    .is_none_or(|l| l.client.subscriptions().is_empty());
                if none_left {
                    self.subscribed_with = None;
                }
            }
            _ => {}
        }
    }

    /// Hands a notice to the connection's handler, then the hub's, then the buffer.
    fn deliver(&mut self, notice: Notice) {
        let mut notice = notice;
        if let Some(handler) = self.handler.as_mut() {
            match handler(notice) {
                Some(n) => notice = n,
                None => return,
            }
        }
        if let Some(slot) = &self.global {
            let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(handler) = slot.as_mut() {
                match handler(self.id, notice) {
                    Some(n) => notice = n,
                    None => return,
                }
            }
        }
        self.buffer.push(Delivery::new(self.id, notice));
    }

    /// Ends a link: its pending requests end as the core decides; a lost current link is
    /// replaced (or the connection ends).
    fn kill(&mut self, generation: u64, reason: String) {
        let now = Instant::now();
        let link = if self.current.as_ref().map(|l| l.generation) == Some(generation) {
            self.current.take()
        } else {
            let at = self
                .draining
                .iter()
                .position(|l| l.generation == generation);
            at.map(|i| self.draining.swap_remove(i))
        };
        let Some(mut link) = link else {
            return;
        };
        let was_current = link.drain_until.is_none();
        link.client.handle_close(now);
        while let Some(event) = link.client.poll_event() {
            self.on_event(generation, false, event);
        }
        // Dropping the link drops its reader task and the socket with it.
        drop(link);
        if !was_current {
            return;
        }
        if let Some(next) = self.draining.pop() {
            // A renewal was half done: the replaced link is still alive; keep it.
            self.current = Some(Link {
                drain_until: None,
                ..next
            });
            return;
        }
        let will_reconnect = self.options.reconnect && !self.finished;
        self.deliver(Notice::Disconnected {
            reason,
            will_reconnect,
        });
        if will_reconnect {
            self.start_connect(Purpose::Reconnect);
        } else {
            self.finish();
        }
    }

    fn start_connect(&mut self, purpose: Purpose) {
        if self.finished {
            return;
        }
        if let Some((current, _)) = &mut self.connecting {
            // A reconnect wins over a renewal already under way.
            if purpose == Purpose::Reconnect {
                *current = purpose;
            }
            return;
        }
        let task = smol::spawn(connect_with_backoff(self.url.clone(), self.options.clone()));
        self.connecting = Some((purpose, task));
    }

    fn on_connected(&mut self, result: Connected) {
        let Some((purpose, _)) = self.connecting.take() else {
            return;
        };
        let (socket, attempts) = match result {
            Ok(ok) => ok,
            Err(e) if self.current.is_some() => {
                self.deliver(Notice::RenewFailed(e));
                return;
            }
            Err(e) => {
                self.deliver(Notice::GaveUp(e));
                self.finish();
                return;
            }
        };
        let drain = self
            .options
            .drain_timeout
            .unwrap_or(self.options.config.request_timeout);
        if let Some(mut old) = self.current.take() {
            old.drain_until = Some(Instant::now() + drain);
            self.draining.push(old);
        }
        let user_data_gap = self.subscribed_with.is_some();
        if let Err(e) = self.attach(*socket) {
            self.deliver(Notice::GaveUp(e));
            self.finish();
            return;
        }
        let notice = match purpose {
            Purpose::Reconnect => {
                self.reconnects += 1;
                Notice::Reconnected {
                    attempts,
                    user_data_gap,
                }
            }
            Purpose::Renew(reason) => {
                self.renewals += 1;
                Notice::Renewed {
                    reason,
                    user_data_gap,
                }
            }
        };
        self.deliver(notice);
    }

    /// Closes replaced links whose replies are all in, or whose drain time is over.
    async fn reap(&mut self) {
        let now = Instant::now();
        let mut i = 0;
        while i < self.draining.len() {
            let link = &self.draining[i];
            let done = link.client.pending_len() == 0;
            let expired = link.drain_until.is_some_and(|at| at <= now);
            if done {
                let mut link = self.draining.swap_remove(i);
                let _ = link.sink.close().await;
                link.client.handle_close(now);
            } else if expired {
                let generation = link.generation;
                self.kill(generation, "drain time over".to_owned());
            } else {
                i += 1;
            }
        }
    }

    /// Closes everything: pending requests end (lost or unknown), waiting sends are refused.
    async fn shut_down(&mut self) {
        if self.finished {
            return;
        }
        self.connecting = None;
        let now = Instant::now();
        let links: Vec<Link> = self
            .current
            .take()
            .into_iter()
            .chain(self.draining.drain(..))
            .collect();
        for mut link in links {
            let _ = link.sink.close().await;
            link.client.handle_close(now);
            let generation = link.generation;
            while let Some(event) = link.client.poll_event() {
                self.on_event(generation, false, event);
            }
        }
        self.finish();
    }

    fn finish(&mut self) {
        if self.finished {
            return;
        }
        self.finished = true;
        self.connecting = None;
        for deferred in self.deferred.drain(..) {
            let _ = deferred.ack.try_send(Err(Error::Closed));
        }
        self.deliver(Notice::Closed);
        if self.own_buffer {
            self.buffer.close();
        }
        self.commands.close();
        // Refuse what is still queued.
        while let Ok(command) = self.commands.try_recv() {
            match command {
                Command::Send { ack, .. } => {
                    let _ = ack.try_send(Err(Error::Closed));
                }
                Command::Status(reply) => {
                    let _ = reply.try_send(self.status());
                }
                Command::Close(done) => {
                    let _ = done.try_send(());
                }
                _ => {}
            }
        }
    }
}
