//! The WebSocket server: a smol executor on its own thread, one task per connection, pings and
//! connection lifetime as Binance runs them.

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use async_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use async_tungstenite::tungstenite::http::StatusCode;
use async_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use async_tungstenite::tungstenite::protocol::CloseFrame;
use async_tungstenite::tungstenite::{Error as WsError, Message};
use futures_lite::future::or;
use futures_lite::StreamExt as _;
use futures_util::SinkExt as _;
use smol::channel::{Receiver, Sender};
use smol::net::{TcpListener, TcpStream};
use smol::Timer;

use crate::accounts::AccountsError;
use crate::config::{DemoKeys, EmulatorConfig};
use crate::connection::{Connection, Out, Shared};
use crate::exchange::{ConnId, Exchange};
use crate::faults::Faults;
use crate::rate_limit::RateLimiter;

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// Binding the listening socket failed.
    #[error("cannot listen: {0}")]
    Io(#[from] io::Error),
    /// The accounts are not usable.
    #[error(transparent)]
    Accounts(#[from] AccountsError),
}

/// What all connection tasks share.
#[derive(Debug)]
struct Hub {
    shared: Mutex<Shared>,
    senders: Mutex<HashMap<ConnId, Sender<Push>>>,
    next_conn: AtomicU64,
    config: EmulatorConfig,
    faults: Mutex<Faults>,
}

/// What other parts of the server push into a connection.
#[derive(Debug, Clone)]
enum Push {
    /// A user-data event or a notice to send as is.
    Text(String),
    /// Close the connection now.
    Drop,
}

impl Hub {
    /// Runs `f` on the shared state, then delivers the user-data frames it produced.
    fn with_shared<T>(&self, f: impl FnOnce(&mut Shared) -> T) -> T {
        let (value, routed) = {
            let mut shared = self.shared.lock().unwrap_or_else(PoisonError::into_inner);
            let value = f(&mut shared);
            (value, shared.exchange.take_outbox())
        };
        let senders = self.senders.lock().unwrap_or_else(PoisonError::into_inner);
        for (conn, text) in routed {
            if let Some(tx) = senders.get(&conn) {
                let _ = tx.try_send(Push::Text(text));
            }
        }
        value
    }

    fn faults(&self) -> Faults {
        self.faults
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn broadcast(&self, push: &Push) {
        for tx in self
            .senders
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
        {
            let _ = tx.try_send(push.clone());
        }
    }
}

/// A running emulator. Stops when dropped.
#[derive(Debug)]
pub struct Emulator {
    addr: SocketAddr,
    url: String,
    demo: Option<DemoKeys>,
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
    hub: Arc<Hub>,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

impl Emulator {
    /// Starts on a free loopback port.
    ///
    /// # Errors
    /// [`StartError`] when the socket cannot be bound or the accounts are unusable.
    pub fn start(config: EmulatorConfig) -> Result<Self, StartError> {
        Self::start_on(SocketAddr::from(([127, 0, 0, 1], 0)), config)
    }

    /// Starts on `addr`.
    ///
    /// # Errors
    /// [`StartError`] when the socket cannot be bound or the accounts are unusable.
    pub fn start_on(addr: SocketAddr, config: EmulatorConfig) -> Result<Self, StartError> {
        let demo = config
            .accounts
            .is_none()
            .then(|| DemoKeys::for_seed(config.seed));
        let accounts = match (&config.accounts, &demo) {
            (Some(file), _) => file.clone(),
            (None, Some(d)) => d.account(),
            (None, None) => Default::default(),
        };
        let exchange = Exchange::new(config.markets.clone(), &accounts, config.seed, now_ms())?;
        let listener = std::net::TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let listener = TcpListener::try_from(listener)?;
        let hub = Arc::new(Hub {
            shared: Mutex::new(Shared {
                exchange,
                limiter: RateLimiter::new(config.limits.clone()),
            }),
            senders: Mutex::new(HashMap::new()),
            next_conn: AtomicU64::new(1),
            faults: Mutex::new(config.faults.clone()),
            config,
        });
        let server_hub = Arc::clone(&hub);
        let (stop_tx, stop_rx) = smol::channel::bounded::<()>(1);
        let thread = std::thread::Builder::new()
            .name("wsapi-emulator".into())
            .spawn(move || {
                let executor = smol::Executor::new();
                smol::block_on(executor.run(accept_loop(listener, server_hub, stop_rx, &executor)));
            })?;
        Ok(Self {
            addr,
            url: format!("ws://{addr}/ws-api/v3"),
            demo,
            stop: Some(stop_tx),
            thread: Some(thread),
            hub,
        })
    }

    /// Replaces the faults in force (new frames and connections see them at once).
    pub fn set_faults(&self, faults: Faults) {
        *self
            .hub
            .faults
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = faults;
    }

    /// Sends the `serverShutdown` event to every connection.
    pub fn announce_shutdown(&self) {
        let event = serde_json::json!({"event": {"e": "serverShutdown", "E": now_ms()}});
        self.hub.broadcast(&Push::Text(event.to_string()));
    }

    /// Closes every open connection (the server keeps accepting new ones).
    pub fn drop_connections(&self) {
        self.hub.broadcast(&Push::Drop);
    }

    /// How many connections are open.
    pub fn connection_count(&self) -> usize {
        self.hub
            .senders
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Deposits `amount` of `asset` into the account called `name` (negative: withdraws), sending
    /// `balanceUpdate` to its subscribers.
    ///
    /// # Errors
    /// When no account has that name, or a withdrawal exceeds the free balance.
    pub fn deposit(
        &self,
        name: &str,
        asset: &str,
        amount: rust_decimal::Decimal,
    ) -> Result<(), String> {
        self.hub
            .with_shared(|shared| shared.exchange.deposit(name, asset, amount, now_ms()))
    }

    /// Runs `f` on the exchange state, e.g. to check that an order survived a fault.
    pub fn inspect<T>(&self, f: impl FnOnce(&Exchange) -> T) -> T {
        self.hub.with_shared(|shared| f(&shared.exchange))
    }

    /// The URL clients connect to, `ws://127.0.0.1:PORT/ws-api/v3`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The demo account's keys, when no accounts were configured.
    pub fn demo_keys(&self) -> Option<&DemoKeys> {
        self.demo.as_ref()
    }

    /// Stops accepting, closes every connection and waits for the server thread.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.try_send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.shutdown();
    }
}

async fn accept_loop(
    listener: TcpListener,
    hub: Arc<Hub>,
    stop: Receiver<()>,
    executor: &smol::Executor<'_>,
) {
    loop {
        let accepted = or(async { Some(listener.accept().await) }, async {
            let _ = stop.recv().await;
            None
        })
        .await;
        match accepted {
            None => return,
            Some(Ok((stream, peer))) => {
                if hub.faults().refuse_connections {
                    drop(stream);
                    continue;
                }
                let hub = Arc::clone(&hub);
                executor.spawn(serve_connection(stream, peer, hub)).detach();
            }
            Some(Err(_)) => {
                Timer::after(std::time::Duration::from_millis(10)).await;
            }
        }
    }
}

enum Step {
    Frame(Option<Result<Message, WsError>>),
    Push(Push),
    Due,
    Tick,
}

/// Uses up one of the forced 429s of the faults, if any are left.
fn take_forced_429(hub: &Hub) -> bool {
    let mut faults = hub.faults.lock().unwrap_or_else(PoisonError::into_inner);
    if faults.answer_429 == 0 {
        return false;
    }
    faults.answer_429 -= 1;
    true
}

/// A 429 for the request in `text`, without running it: as when the server's queue is full.
/// The client is asked to wait 200 ms.
fn forced_429(text: &str, now: i64) -> String {
    let id = crate::frame::parse_request(text).map_or(serde_json::Value::Null, |r| r.id);
    serde_json::json!({"id": id, "status": 429, "error": {
        "code": -1003,
        "msg": "Too many requests queued.",
        "data": {"serverTime": now, "retryAfter": now + 200},
    }})
    .to_string()
}

/// Replies held back by the delay faults, with when they are due.
#[derive(Default)]
struct Held {
    frames: Vec<(Instant, Message)>,
    count: u64,
    /// With the throttle fault: the earliest instant the next reply may leave.
    next_free: Option<Instant>,
}

impl Held {
    fn next_due(&self) -> Option<Instant> {
        self.frames.iter().map(|(at, _)| *at).min()
    }

    fn take_due(&mut self, now: Instant) -> Vec<Message> {
        let mut due: Vec<(Instant, Message)> = Vec::new();
        let mut i = 0;
        while i < self.frames.len() {
            if self.frames[i].0 <= now {
                due.push(self.frames.remove(i));
            } else {
                i += 1;
            }
        }
        due.sort_by_key(|(at, _)| *at);
        due.into_iter().map(|(_, m)| m).collect()
    }
}

/// The frames to send for one reply under `faults` (garbage, binary, duplicates).
fn faulty(reply: String, faults: &Faults) -> Vec<Message> {
    let mut out = Vec::new();
    if faults.garbage_before_reply {
        out.push(Message::text("}{ not json"));
    }
    if faults.binary_before_reply {
        out.push(Message::Binary(Vec::from(&b"\x00\x01"[..]).into()));
    }
    if faults.duplicate_replies {
        out.push(Message::text(reply.clone()));
    }
    out.push(Message::text(reply));
    out
}

async fn serve_connection(stream: TcpStream, peer: SocketAddr, hub: Arc<Hub>) {
    let return_rate_limits = Arc::new(AtomicBool::new(true));
    let flag = Arc::clone(&return_rate_limits);
    let admitted = hub.with_shared(|shared| {
        shared
            .limiter
            .charge_connection(&peer.ip().to_string(), now_ms())
    });
    // The callback's signature (and its large error type) is tungstenite's.
    #[allow(clippy::result_large_err)]
    let callback = move |request: &Request, response: Response| {
        if !admitted {
            let mut refused = ErrorResponse::new(Some(
                r#"{"code":-1003,"msg":"Too many new connections."}"#.to_owned(),
            ));
            *refused.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            return Err(refused);
        }
        let query = request.uri().query().unwrap_or_default();
        if query.split('&').any(|kv| kv == "returnRateLimits=false") {
            flag.store(false, Ordering::Relaxed);
        }
        Ok(response)
    };
    // Replies and events are small frames written one after another: do not let Nagle hold them.
    let _ = stream.set_nodelay(true);
    let Ok(mut ws) = async_tungstenite::accept_hdr_async(stream, callback).await else {
        return;
    };
    let id = hub.next_conn.fetch_add(1, Ordering::Relaxed);
    let (tx, rx) = smol::channel::unbounded::<Push>();
    hub.senders
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(id, tx);
    let mut conn = Connection::new(
        id,
        peer.ip().to_string(),
        now_ms(),
        return_rate_limits.load(Ordering::Relaxed),
    );
    let config = &hub.config;
    let mut ticks = Timer::interval(config.ping_interval);
    let started = Instant::now();
    let mut last_pong = Instant::now();
    let mut frames_received: u64 = 0;
    let mut held = Held::default();
    loop {
        let due = held.next_due();
        let step = or(
            async { Step::Frame(ws.next().await) },
            or(
                async { rx.recv().await.map_or(Step::Push(Push::Drop), Step::Push) },
                or(
                    async {
                        match due {
                            Some(at) => {
                                Timer::at(at).await;
                                Step::Due
                            }
                            None => std::future::pending().await,
                        }
                    },
                    async {
                        ticks.next().await;
                        Step::Tick
                    },
                ),
            ),
        )
        .await;
        let mut outgoing: Vec<Message> = Vec::new();
        let mut close = false;
        match step {
            Step::Frame(Some(Ok(Message::Text(text)))) => {
                frames_received += 1;
                let faults = hub.faults();
                let is_order = faults.drop_mid_order > 0
                    && crate::frame::parse_request(text.as_str())
                        .is_ok_and(|r| r.method == "order.place");
                let now = now_ms() + faults.clock_skew_ms;
                let outs = if take_forced_429(&hub) {
                    vec![Out::Text(forced_429(text.as_str(), now))]
                } else {
                    hub.with_shared(|shared| conn.handle_text(text.as_str(), now, shared))
                };
                for out in outs {
                    match out {
                        Out::Text(reply) => {
                            if is_order && reply.contains("\"status\":200") {
                                let mut f =
                                    hub.faults.lock().unwrap_or_else(PoisonError::into_inner);
                                if f.drop_mid_order > 0 {
                                    f.drop_mid_order -= 1;
                                    close = true;
                                    continue;
                                }
                            }
                            let frames = faulty(reply, &faults);
                            held.count += 1;
                            let extra = match (faults.reorder_delay, held.count % 2) {
                                (Some(d), 1) => d,
                                _ => std::time::Duration::ZERO,
                            };
                            let mut due = faults
                                .reply_delay
                                .map(|d| d + extra)
                                .or((!extra.is_zero()).then_some(extra))
                                .map(|delay| Instant::now() + delay);
                            if let Some(gap) = faults.throttle {
                                // One reply per gap, in order, each no earlier than it was due.
                                let earliest = due.unwrap_or_else(Instant::now);
                                let at = held.next_free.map_or(earliest, |free| free.max(earliest));
                                held.next_free = Some(at + gap);
                                due = Some(at);
                            }
                            match due {
                                Some(at) => {
                                    held.frames.extend(frames.into_iter().map(|m| (at, m)));
                                }
                                None => outgoing.extend(frames),
                            }
                        }
                        Out::Close => close = true,
                    }
                }
                if faults
                    .drop_after_frames
                    .is_some_and(|n| frames_received >= n)
                {
                    close = true;
                }
            }
            Step::Frame(Some(Ok(Message::Pong(_)))) => last_pong = Instant::now(),
            // Pongs to the client's pings are queued by tungstenite and go out with the flush.
            Step::Frame(Some(Ok(Message::Ping(_)))) => {
                if ws.flush().await.is_err() {
                    break;
                }
            }
            Step::Frame(Some(Ok(Message::Binary(_)))) => {
                let frame = CloseFrame {
                    code: CloseCode::Unsupported,
                    reason: "binary frames are not supported".into(),
                };
                let _ = ws.close(Some(frame)).await;
                break;
            }
            Step::Frame(Some(Ok(_))) => {}
            Step::Frame(_) => break,
            Step::Push(Push::Text(text)) => outgoing.push(Message::text(text)),
            Step::Push(Push::Drop) => close = true,
            Step::Due => outgoing.extend(held.take_due(Instant::now())),
            Step::Tick => {
                if last_pong.elapsed() > config.pong_timeout
                    || started.elapsed() > config.max_connection_age
                {
                    close = true;
                } else {
                    outgoing.push(Message::Ping(Vec::from(&b"wsapi"[..]).into()));
                }
            }
        }
        let mut failed = false;
        for message in outgoing {
            if ws.send(message).await.is_err() {
                failed = true;
                break;
            }
        }
        if close {
            let _ = ws.close(None).await;
            break;
        }
        if failed {
            break;
        }
    }
    hub.senders
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(&id);
    hub.with_shared(|shared| shared.exchange.forget_connection(id));
}
