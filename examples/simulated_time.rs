//! The sans-IO core in virtual time against an in-memory peer: no socket, no sleep, and no clock
//! read after the start. This is how a backtester or a property test drives it: the harness owns
//! the clock and moves it straight to the next thing that happens (a frame arriving, the peer's
//! ping, or the instant from the core's `poll_timeout`), so minutes of protocol time pass in
//! microseconds and every run is the same.
//!
//! Each claim is checked with `assert!`, so this example fails if one stops being true:
//!
//! 1. a request the peer never answers ends at exactly send time + timeout, not a moment before
//!    (an order ends as `Unknown`, with the client order id to reconcile by);
//! 2. after a 429 with `retryAfter`, `send` refuses with `SendError::RateLimited` until the virtual
//!    clock reaches `retryAfter` (read on the peer's clock, which runs ahead), then accepts;
//! 3. while the peer pings every 20 s the connection is never idle; once the pings stop,
//!    `Event::Idle` comes exactly `Config::idle_timeout` after the last one.
//!
//! Run with `cargo run --example simulated_time`.

#![allow(clippy::print_stdout)]

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use binance_wsapi::proto::{
    Client, Completion, Config, Credentials, Decimal, Event, Outcome, PlaceOrder, Request,
    RequestId, SendError, Sent, Side, TimeInForce, UnknownCause,
};
use serde_json::{json, Value};

/// The client's wall clock at virtual time zero, in ms since the Unix epoch (2026-09-22).
const START_UNIX_MS: u64 = 1_790_000_000_000;
/// How far the peer's clock runs ahead of the client's.
const PEER_AHEAD: Duration = Duration::from_millis(250);
/// Latency each way.
const ONE_WAY: Duration = Duration::from_millis(5);
/// Methods the peer never answers.
const UNANSWERED: [&str; 2] = ["order.place", "ticker.price"];
/// The HMAC key pair printed in Binance's docs; the peer does not check signatures.
const API_KEY: &str = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
const SECRET: &str = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

/// The client, a scripted in-memory peer, and the virtual clock they share.
struct Sim {
    client: Client,
    /// The `Instant` that stands for virtual time zero.
    origin: Instant,
    /// Virtual time since `origin`.
    now: Duration,
    /// Replies on their way to the client, with their arrival times (in order: latency is fixed).
    in_flight: VecDeque<(Duration, String)>,
    /// Every event the client handed out, with when.
    events: Vec<(Duration, Event)>,
    /// The peer's next ping, while it pings every 20 s.
    next_ping: Option<Duration>,
    /// When the client last received anything.
    last_heard: Duration,
    /// While set, the peer answers `ping` with a 429 that says to retry this much later.
    throttle: Option<Duration>,
}

impl Sim {
    fn new(config: Config) -> Result<Self, Box<dyn std::error::Error>> {
        let origin = Instant::now(); // the only clock read: an anchor for virtual time
        let unix = Duration::from_millis(START_UNIX_MS);
        let credentials = Credentials::hmac(API_KEY, SECRET)?;
        Ok(Self {
            client: Client::new(config, origin, unix, 7)?.with_credentials(credentials),
            origin,
            now: Duration::ZERO,
            in_flight: VecDeque::new(),
            events: Vec::new(),
            next_ping: Some(Duration::from_secs(20)),
            last_heard: Duration::ZERO,
            throttle: None,
        })
    }

    fn at(&self, t: Duration) -> Instant {
        self.origin + t
    }

    fn send(&mut self, request: Request) -> Result<Sent, SendError> {
        let sent = self.client.send(request, self.at(self.now));
        self.drain();
        sent
    }

    /// The drain contract: hand every frame to the peer, record every event.
    fn drain(&mut self) {
        while let Some(frame) = self.client.poll_transmit() {
            self.answer(&frame.text);
        }
        while let Some(event) = self.client.poll_event() {
            self.events.push((self.now, event));
        }
    }

    /// The peer reads the request one way after it was sent, stamps it with its own clock, and
    /// its answer takes one way back.
    fn answer(&mut self, text: &str) {
        let request: Value = serde_json::from_str(text).unwrap_or_default();
        let (id, method) = (
            &request["id"],
            request["method"].as_str().unwrap_or_default(),
        );
        if UNANSWERED.contains(&method) {
            return;
        }
        let server_ms = u128::from(START_UNIX_MS) + (self.now + ONE_WAY + PEER_AHEAD).as_millis();
        let reply = match self.throttle {
            Some(wait) if method == "ping" => json!({"id": id, "status": 429, "error": {
                "code": -1003, "msg": "Too much request weight used.",
                "data": {"serverTime": server_ms, "retryAfter": server_ms + wait.as_millis()}}}),
            _ => json!({"id": id, "status": 200, "result": {}}),
        };
        self.in_flight
            .push_back((self.now + 2 * ONE_WAY, reply.to_string()));
    }

    /// Moves virtual time to `end`, stepping straight from one happening to the next, then calls
    /// `handle_timeout` at `end` itself (which must fire nothing that is not due).
    fn run_until(&mut self, end: Duration) {
        for _ in 0..100_000 {
            let origin = self.origin;
            let deadline = self.client.poll_timeout();
            let deadline = deadline.map(|t| t.at.saturating_duration_since(origin));
            let arrival = self.in_flight.front().map(|(at, _)| *at);
            let next = [deadline, arrival, self.next_ping]
                .into_iter()
                .flatten()
                .min();
            let Some(next) = next.filter(|t| *t <= end) else {
                self.now = end;
                self.client.handle_timeout(self.at(end));
                self.drain();
                return;
            };
            self.now = self.now.max(next);
            let now = self.at(self.now);
            while self
                .in_flight
                .front()
                .is_some_and(|(at, _)| *at <= self.now)
            {
                let Some((_, text)) = self.in_flight.pop_front() else {
                    break;
                };
                self.last_heard = self.now;
                self.client
                    .handle_text(&text, now)
                    .expect("the peer writes valid frames");
            }
            if self.next_ping.is_some_and(|t| t <= self.now) {
                self.last_heard = self.now;
                self.client.handle_ping(now);
                self.next_ping = Some(self.now + Duration::from_secs(20));
            }
            self.client.handle_timeout(now);
            self.drain();
        }
        panic!("virtual time did not reach {end:?}");
    }

    /// When and how the request `id` ended, if it has.
    fn ended(&self, id: RequestId) -> Option<(Duration, &Completion)> {
        self.events.iter().find_map(|(at, event)| match event {
            Event::Completed(done) if done.id == id => Some((*at, done)),
            _ => None,
        })
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let real_start = Instant::now();
    let mut config = Config::default();
    config.request_timeout = Duration::from_secs(10);
    let mut sim = Sim::new(config)?;
    let (s, ms, us) = (
        Duration::from_secs,
        Duration::from_millis,
        Duration::from_micros,
    );

    // 1. Timeouts fire when the virtual clock passes them, and not before.
    sim.run_until(s(1));
    let (price, quantity): (Decimal, Decimal) = ("29000.00".parse()?, "0.01".parse()?);
    let order = PlaceOrder::limit("BTCUSDT", Side::Buy, price, quantity, TimeInForce::Gtc);
    let order = sim.send(order.into_request()?)?;
    let quote = Request::new("ticker.price").param("symbol", "BTCUSDT");
    let quote = sim.send(quote.timeout(s(3)))?;
    println!(
        "t=1s: sent order.place (10 s timeout) and ticker.price (3 s); the peer answers neither"
    );
    sim.run_until(s(4) - us(1));
    assert!(sim.ended(quote.id).is_none(), "timed out early");
    sim.run_until(s(4));
    let (at, done) = sim.ended(quote.id).ok_or("no timeout at 4 s")?;
    assert!(at == s(4) && matches!(done.outcome, Outcome::TimedOut));
    println!(
        "t={at:?}: ticker.price {:?} (still pending at 3.999999s)",
        done.outcome
    );
    sim.run_until(s(11) - us(1));
    assert!(sim.ended(order.id).is_none(), "timed out early");
    sim.run_until(s(11));
    let (at, done) = sim.ended(order.id).ok_or("no timeout at 11 s")?;
    assert!(at == s(11) && matches!(done.outcome, Outcome::Unknown(UnknownCause::TimedOut)));
    assert!(done.client_order_id.is_some() && done.client_order_id == order.client_order_id);
    let id = done
        .client_order_id
        .map(|c| c.to_string())
        .unwrap_or_default();
    println!(
        "t={at:?}: order.place {:?}: reconcile {id} before resending",
        done.outcome
    );

    // 2. Rate limits follow the given clock: refused until retryAfter, accepted from then on.
    sim.run_until(s(20));
    sim.throttle = Some(s(30));
    let first = sim.send(Request::new("ping"))?;
    sim.run_until(s(20) + 2 * ONE_WAY);
    let (at, done) = sim.ended(first.id).ok_or("no reply to ping")?;
    assert!(matches!(&done.outcome, Outcome::Error(e) if e.status == 429));
    let until = sim.events.iter().find_map(|(_, event)| match event {
        Event::RateLimited { until, .. } => Some(*until),
        _ => None,
    });
    let until = until.ok_or("no RateLimited event")?;
    // The peer stamped retryAfter on its own clock, 250 ms ahead; the client learned the offset
    // from the reply's serverTime, so the instant lands exactly 30 s after the peer read the ping.
    let offset = sim.client.server_time_offset_us();
    assert_eq!(offset, i64::try_from(PEER_AHEAD.as_micros())?);
    assert_eq!(until, sim.at(s(20) + ONE_WAY + s(30)));
    let resume = until - sim.origin;
    println!(
        "t={at:?}: ping got 429; peer clock {offset} µs ahead; sends refused until t={resume:?}"
    );
    sim.throttle = None;
    sim.run_until(resume - ms(1));
    let refused = sim.send(Request::new("ping"));
    assert!(matches!(refused, Err(SendError::RateLimited { until: u, .. }) if u == until));
    println!(
        "t={:?}: send refused: {}",
        sim.now,
        refused.err().ok_or("accepted early")?
    );
    sim.run_until(resume);
    let again = sim.send(Request::new("ping"))?;
    sim.run_until(resume + 2 * ONE_WAY);
    let (at, done) = sim.ended(again.id).ok_or("no reply to the second ping")?;
    assert!(done.response().is_some());
    println!("t={resume:?}: send accepted; answered at t={at:?}");

    // 3. Keep-alive: the peer's pings keep the connection from going idle; silence does not.
    sim.run_until(s(600));
    let idle = |sim: &Sim| {
        sim.events
            .iter()
            .any(|(_, e)| matches!(e, Event::Idle { .. }))
    };
    assert!(!idle(&sim));
    sim.next_ping = None;
    let last = sim.last_heard;
    println!(
        "t=600s: not idle, thanks to the pings; the last one came at t={last:?}, now they stop"
    );
    sim.run_until(last + s(60) - ms(1));
    assert!(!idle(&sim), "idle early");
    sim.run_until(last + s(60));
    let (at, event) = sim.events.last().ok_or("no event")?;
    assert!(
        *at == last + s(60) && matches!(event, Event::Idle { silent_for } if *silent_for == s(60))
    );
    println!("t={at:?}: {event:?}");
    println!(
        "{:?} of virtual time in {:?} of real time",
        sim.now,
        real_start.elapsed()
    );
    Ok(())
}
