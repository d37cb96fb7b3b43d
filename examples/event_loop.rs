//! The sans-IO core in a hand-written, single-threaded event loop over a non-blocking socket: no
//! async, no runtime, no thread of its own.
//!
//! Each turn of the loop reads every frame the socket has, fires the core's deadlines, lets a toy
//! "strategy" react to events (it places a limit order, then cancels it), writes what the core
//! queued, and then does a slice of other work (here: one strategy tick) before napping until the
//! next tick or the core's next deadline, whichever is sooner. A production loop would wait on
//! `poll`/`epoll` readiness instead of napping. Bounded: it gives up after 5 s.
//!
//! Runs against the bundled emulator: `cargo run --example event_loop`.

#![allow(clippy::print_stdout)]

use std::collections::hash_map::RandomState;
use std::error::Error;
use std::hash::BuildHasher;
use std::io::ErrorKind;
use std::net::TcpStream;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use binance_wsapi::proto::{
    CancelOrder, CanceledOrder, Client, Completion, Config, Credentials, Decimal, Event, OrderRef,
    PlaceOrder, PlacedOrder, RequestId, Response, Side, TimeInForce,
};
use binance_wsapi_emulator::{Emulator, EmulatorConfig};
use tungstenite::Message;

/// Time between two strategy ticks, and the longest nap of the loop.
const TICK: Duration = Duration::from_millis(1);

/// Where the strategy is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Warming up: the order goes out at tick 20.
    Warming,
    /// Waiting for the reply to `order.place`, sent at this tick.
    Placing(RequestId, u64),
    /// Waiting for the reply to `order.cancel`, sent at this tick.
    Cancelling(RequestId, u64),
    /// Done with orders; keeps the connection served (pings) until then.
    Lingering(Instant),
}

/// `WouldBlock`: the non-blocking socket has nothing to read, or will not take more bytes now.
fn would_block(e: &tungstenite::Error) -> bool {
    matches!(e, tungstenite::Error::Io(io) if io.kind() == ErrorKind::WouldBlock)
}

/// `Ok` also for `WouldBlock`: tungstenite keeps the bytes the socket did not take, and the next
/// write or flush sends them.
fn sent_or_queued(result: tungstenite::Result<()>) -> tungstenite::Result<()> {
    match result {
        Err(e) if would_block(&e) => Ok(()),
        other => other,
    }
}

/// The reply of a request that succeeded, or an error that says how it ended.
fn success(done: &Completion) -> Result<&Response, Box<dyn Error>> {
    let failed = || format!("{} {} failed: {:?}", done.method, done.id, done.outcome);
    Ok(done.response().ok_or_else(failed)?)
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut settings = EmulatorConfig::default();
    settings.ping_interval = Duration::from_millis(100); // Binance pings every 20 s
    let emulator = Emulator::start(settings)?;
    let keys = emulator.demo_keys().ok_or("no demo account")?;
    let credentials = Credentials::hmac(keys.hmac_api_key.as_str(), keys.hmac_secret.as_str())?;

    // Connect and shake hands blocking, then switch the socket to non-blocking for the loop.
    let stream = TcpStream::connect(emulator.addr())?;
    stream.set_nodelay(true)?;
    let (mut ws, _) = tungstenite::client(emulator.url(), stream)?;
    ws.get_ref().set_nonblocking(true)?;
    let unix = SystemTime::now().duration_since(UNIX_EPOCH)?;
    let seed = RandomState::new().hash_one(unix); // keyed by the OS's random source
    let mut client =
        Client::new(Config::default(), Instant::now(), unix, seed)?.with_credentials(credentials);
    println!("connected to {} (non-blocking socket)", emulator.url());

    let give_up = Instant::now() + Duration::from_secs(5);
    let (mut step, mut ticks, mut pings) = (Step::Warming, 0u64, 0u32);
    loop {
        ticks += 1;
        if Instant::now() >= give_up {
            return Err(format!("gave up at {step:?}").into());
        }
        // 1. Read every frame the socket has now; WouldBlock means it has no more.
        loop {
            match ws.read() {
                Ok(Message::Text(text)) => {
                    if let Err(e) = client.handle_text(text.as_str(), Instant::now()) {
                        println!("  skipped a bad frame: {e}");
                    }
                }
                // tungstenite queues the pong itself; it leaves with the next write or flush.
                Ok(Message::Ping(_) | Message::Pong(_)) => {
                    pings += 1;
                    client.handle_ping(Instant::now());
                }
                Ok(_) => {}
                Err(e) if would_block(&e) => break,
                Err(e) => {
                    client.handle_close(Instant::now());
                    return Err(e.into());
                }
            }
        }
        // 2. Fire the core's deadlines once they have passed.
        let now = Instant::now();
        if client.poll_timeout().is_some_and(|t| t.at <= now) {
            client.handle_timeout(Instant::now());
        }
        // 3. Handle every event; the strategy may send from here.
        while let Some(event) = client.poll_event() {
            match (step, event) {
                (Step::Placing(id, sent_at), Event::Completed(done)) if done.id == id => {
                    let placed: PlacedOrder = success(&done)?.decode()?;
                    let order_id = placed.order_id;
                    let status = placed.status.ok_or("a reply without the order's status")?;
                    println!("tick {ticks}: order {order_id} {status}, sent at tick {sent_at}");
                    let cancel = CancelOrder::new("BTCUSDT", OrderRef::Id(order_id));
                    let sent = client.send(cancel.into_request(), Instant::now())?;
                    step = Step::Cancelling(sent.id, ticks);
                }
                (Step::Cancelling(id, sent_at), Event::Completed(done)) if done.id == id => {
                    let cancelled: CanceledOrder = success(&done)?.decode()?;
                    let (order_id, status) = (cancelled.order_id, cancelled.status);
                    println!("tick {ticks}: order {order_id} {status}, sent at tick {sent_at}");
                    step = Step::Lingering(Instant::now() + Duration::from_millis(350));
                }
                (_, Event::Idle { silent_for }) => {
                    client.handle_close(Instant::now());
                    return Err(format!("nothing heard for {silent_for:?}").into());
                }
                (_, other) => println!("tick {ticks}: event {other:?}"),
            }
        }
        // 4. Other work: this turn's strategy tick. At tick 20 it decides to buy.
        match step {
            Step::Warming if ticks == 20 => {
                let (price, quantity): (Decimal, Decimal) = ("29000.00".parse()?, "0.01".parse()?);
                let order =
                    PlaceOrder::limit("BTCUSDT", Side::Buy, price, quantity, TimeInForce::Gtc);
                let sent = client.send(order.into_request()?, Instant::now())?;
                println!("tick {ticks}: buying {quantity} BTC at {price}");
                step = Step::Placing(sent.id, ticks);
            }
            Step::Lingering(until) if Instant::now() >= until => break,
            _ => {}
        }
        // 5. Write what the core queued: after every send, before napping.
        while let Some(frame) = client.poll_transmit() {
            if let Err(e) = sent_or_queued(ws.write(Message::text(frame.text))) {
                client.handle_close(Instant::now());
                return Err(e.into());
            }
        }
        if let Err(e) = sent_or_queued(ws.flush()) {
            client.handle_close(Instant::now());
            return Err(e.into());
        }
        // 6. Nap until the next tick, or the core's next deadline if that is sooner.
        let now = Instant::now();
        let until_deadline = client
            .poll_timeout()
            .map(|t| t.at.saturating_duration_since(now));
        std::thread::sleep(until_deadline.map_or(TICK, |d| d.min(TICK)));
    }

    let _ = ws.close(None);
    let _ = ws.flush();
    client.handle_close(Instant::now());
    emulator.stop();
    println!("done: {ticks} strategy ticks on the socket's thread, {pings} pings answered");
    Ok(())
}
