//! A bounded soak: four tasks place orders and ask queries on two self-healing connections (two
//! tasks each, in one hub) while the emulator drops replies and connections, delays, duplicates,
//! garbles and reorders, announces shutdowns, and answers 429s (after which the client holds its
//! sends back until `retryAfter`, and is never banned). At the end every request has had exactly
//! one outcome,
//! every order is accounted for (known placed, known not placed, or reconciled, matching the
//! emulator's book exactly: none lost, none doubled), and once everything is closed no thread is
//! left behind. `SOAK_ORDERS` sets the length (default 1000, a few seconds).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use binance_wsapi_emulator::config::{DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET};
use binance_wsapi_emulator::{Emulator, EmulatorConfig, Faults};
use binance_wsapi_proto::{
    ClientOrderId, Credentials, Decimal, PlaceOrder, Request, SendError, Side, TimeInForce,
};
use binance_wsapi_smol::{Backoff, CallError, Connection, Error, Hub, Options, Reconciliation};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    Placed,
    NotPlaced,
    Unknown,
}

const TASKS: usize = 4;

fn fault_for(step: usize) -> Faults {
    let mut f = Faults::none();
    match step % 6 {
        0 => {}
        1 => f.drop_mid_order = 1,
        2 => f.reply_delay = Some(Duration::from_millis(150)),
        3 => f.duplicate_replies = true,
        4 => f.garbage_before_reply = true,
        _ => f.reorder_delay = Some(Duration::from_millis(20)),
    }
    f
}

fn order(id: ClientOrderId, i: usize) -> Request {
    let price = if i % 2 == 0 { "29000.00" } else { "30015.00" };
    PlaceOrder::limit(
        "BTCUSDT",
        Side::Buy,
        price.parse::<Decimal>().unwrap(),
        "0.00100000".parse::<Decimal>().unwrap(),
        TimeInForce::Gtc,
    )
    .client_order_id(id)
    .into_request()
    .unwrap()
}

/// What the workers met besides faults.
#[derive(Debug, Default)]
struct Met {
    /// 429 replies.
    server_429: AtomicUsize,
    /// Requests the client itself held back: after a 429, or by its governor.
    held_back: AtomicUsize,
}

/// The tests of this file one at a time: they count the process's threads and heap bytes.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Waits until `until`, at most 11 s (one ORDERS window).
async fn wait_until(until: Instant) {
    let limit = Instant::now() + Duration::from_secs(11);
    smol::Timer::at(until.min(limit)).await;
}

/// Places orders `task, task + TASKS, ...` below `orders`, with a query after each; returns what
/// it knows of each order and how many requests ended.
async fn worker(
    conn: Connection,
    task: usize,
    orders: usize,
    met: Arc<Met>,
) -> (Vec<(String, Known)>, usize) {
    let mut ledger = Vec::new();
    let mut ended = 0;
    for i in (task..orders).step_by(TASKS) {
        let id = ClientOrderId::new(&format!("soak-{i}")).unwrap();
        let mut wait = None;
        let known = match conn.call(order(id, i)).await {
            Ok(_) => Known::Placed,
            Err(CallError::OutcomeUnknown {
                client_order_id, ..
            }) => {
                assert_eq!(
                    client_order_id,
                    Some(id),
                    "the unknown outcome names the order"
                );
                Known::Unknown
            }
            Err(CallError::Api(e)) if e.status == 429 => {
                // Refused before it was placed; the client now holds sends back by itself.
                met.server_429.fetch_add(1, Ordering::Relaxed);
                Known::NotPlaced
            }
            Err(CallError::Connection(Error::Send(SendError::RateLimited { until, banned }))) => {
                assert!(!banned, "a 429 never turns into a 418 ban");
                met.held_back.fetch_add(1, Ordering::Relaxed);
                wait = Some(until);
                Known::NotPlaced
            }
            Err(CallError::Connection(Error::Send(SendError::WouldExceedLimit {
                until, ..
            }))) => {
                met.held_back.fetch_add(1, Ordering::Relaxed);
                wait = Some(until);
                Known::NotPlaced
            }
            Err(
                CallError::NotSent | CallError::Connection(Error::Reconnecting | Error::Closed),
            ) => Known::NotPlaced,
            Err(CallError::Api(e)) => panic!("order {i} rejected: {e:?}"),
            Err(other) => panic!("order {i}: {other:?}"),
        };
        ended += 1;
        ledger.push((id.to_string(), known));
        // A query between orders; any outcome is fine, but it must end.
        match conn.call(Request::new("ping")).await {
            Err(CallError::Api(e)) if e.status == 429 => {
                met.server_429.fetch_add(1, Ordering::Relaxed);
            }
            Err(CallError::Connection(Error::Send(SendError::RateLimited { banned, .. }))) => {
                assert!(!banned, "a 429 never turns into a 418 ban");
                met.held_back.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        }
        ended += 1;
        if let Some(until) = wait {
            wait_until(until).await;
        } else if matches!(known, Known::NotPlaced) {
            smol::Timer::after(Duration::from_millis(2)).await;
        }
    }
    (ledger, ended)
}

#[test]
fn every_request_ends_once_and_every_order_is_accounted_for() {
    let _alone = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let orders: usize = std::env::var("SOAK_ORDERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let mut config = EmulatorConfig::default();
    config.limits.orders_per_10s = 1_000_000;
    config.limits.orders_per_day = 1_000_000_000;
    config.limits.connections_per_5min = 1_000_000;
    config.limits.weight_per_minute = 1_000_000_000;
    let emu = Emulator::start(config).unwrap();
    let mut options =
        Options::with_credentials(Credentials::hmac(DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET).unwrap());
    options.config.request_timeout = Duration::from_millis(100);
    options.backoff = Backoff {
        first: Duration::from_millis(5),
        max: Duration::from_millis(50),
        attempts: 1000,
    };
    let threads = || std::fs::read_dir("/proc/self/task").map_or(0, |d| d.count());
    // Warm up smol's own threads (they live for the process), then count.
    smol::block_on(async {
        let warm = Connection::connect(emu.url(), options.clone())
            .await
            .unwrap();
        warm.call(Request::new("ping")).await.unwrap();
        warm.close().await;
    });
    smol::block_on(smol::Timer::after(Duration::from_millis(100)));
    let threads_before = threads();
    let started = Instant::now();
    smol::block_on(async {
        let hub = Hub::new();
        let conn = hub.connect(emu.url(), options.clone()).await.unwrap();
        let other = hub.connect(emu.url(), options).await.unwrap();
        let met = Arc::new(Met::default());
        let stop = Arc::new(AtomicBool::new(false));
        let drops = Arc::new(AtomicUsize::new(0));
        // Chaos: a new fault every 20 ms, a dropped connection every 200 ms, a server shutdown
        // notice and three 429s every 500 ms.
        let chaos = {
            let (stop, drops) = (Arc::clone(&stop), Arc::clone(&drops));
            let emu = &emu;
            async move {
                let mut step = 0;
                while !stop.load(Ordering::Relaxed) {
                    let mut faults = fault_for(step);
                    if step % 25 == 5 {
                        faults.answer_429 = 3;
                    }
                    emu.set_faults(faults);
                    if step % 10 == 9 {
                        emu.drop_connections();
                        drops.fetch_add(1, Ordering::Relaxed);
                    }
                    if step % 25 == 12 {
                        emu.announce_shutdown();
                    }
                    step += 1;
                    smol::Timer::after(Duration::from_millis(20)).await;
                }
                emu.set_faults(Faults::none());
            }
        };
        let workers: Vec<_> = (0..TASKS)
            .map(|t| {
                let on = if t % 2 == 0 { &conn } else { &other };
                smol::spawn(worker(on.clone(), t, orders, Arc::clone(&met)))
            })
            .collect();
        let work = async {
            let mut ledger = BTreeMap::new();
            let mut ended = 0;
            for w in workers {
                let (part, n) = w.await;
                ended += n;
                for (id, known) in part {
                    assert!(ledger.insert(id, known).is_none(), "ids are unique");
                }
            }
            stop.store(true, Ordering::Relaxed);
            (ledger, ended)
        };
        let ((mut ledger, ended), ()) = futures_lite::future::zip(work, chaos).await;
        assert_eq!(ended, orders * 2, "every request ended exactly once");
        assert_eq!(ledger.len(), orders);

        // Reconcile every unknown outcome once the chaos is over.
        let unknown: Vec<String> = ledger
            .iter()
            .filter(|(_, k)| **k == Known::Unknown)
            .map(|(id, _)| id.clone())
            .collect();
        for id in &unknown {
            let coid = ClientOrderId::new(id).unwrap();
            let mut found = None;
            for _ in 0..50 {
                match conn.reconcile_order("BTCUSDT", &coid).await {
                    Ok(f) => {
                        found = Some(f);
                        break;
                    }
                    Err(CallError::Api(e)) => panic!("reconcile {id}: {e:?}"),
                    // Still healing from the last drop: ask again shortly.
                    Err(_) => {
                        smol::Timer::after(Duration::from_millis(20)).await;
                    }
                }
            }
            let known = match found.expect("reconciled") {
                Reconciliation::Placed(_) => Known::Placed,
                Reconciliation::NotPlaced => Known::NotPlaced,
                other => panic!("{other:?}"),
            };
            ledger.insert(id.clone(), known);
        }
        let status = conn.status();
        assert_eq!(status.pending, 0, "no request is left without an outcome");
        assert_eq!(
            other.status().pending,
            0,
            "no request is left without an outcome"
        );
        let on_exchange: Vec<String> = emu.inspect(|ex| {
            ex.all_orders(1, "BTCUSDT")
                .iter()
                .map(|o| o.client_order_id.clone())
                .collect()
        });
        let unique: BTreeSet<&String> = on_exchange.iter().collect();
        assert_eq!(unique.len(), on_exchange.len(), "no order was placed twice");
        let placed: BTreeSet<&String> = ledger
            .iter()
            .filter(|(_, k)| **k == Known::Placed)
            .map(|(id, _)| id)
            .collect();
        assert_eq!(placed, unique, "the client's account matches the exchange");
        assert!(!unknown.is_empty(), "the soak exercised unknown outcomes");
        let reconnects = status.reconnects + other.status().reconnects;
        let renewals = status.renewals + other.status().renewals;
        let (server_429, held_back) = (
            met.server_429.load(Ordering::Relaxed),
            met.held_back.load(Ordering::Relaxed),
        );
        assert!(server_429 > 0, "the soak met the server's 429");
        assert!(held_back > 0, "the client held sends back by itself");
        assert!(renewals > 0, "server shutdown notices renewed a connection");
        assert!(
            status.reconnects > 0 && other.status().reconnects > 0,
            "both reconnected"
        );
        hub.close_all().await;
        assert!(conn.is_closed() && other.is_closed());
        eprintln!(
            "soak: {orders} orders from {TASKS} tasks in {:.1} s, {} placed, {} not placed, \
             {} reconciled, {} connection drops, {} reconnects and {} renewals over 2 connections, \
             {} server 429s, {} sends held back by the client",
            started.elapsed().as_secs_f64(),
            placed.len(),
            ledger.len() - placed.len(),
            unknown.len(),
            drops.load(Ordering::Relaxed),
            reconnects,
            renewals,
            server_429,
            held_back
        );
    });
    // Every socket, reader and driver is gone with the connections (the emulator, alive in both
    // counts, stops after).
    let until = Instant::now() + Duration::from_secs(3);
    while threads() > threads_before && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(threads(), threads_before, "no thread left behind");
    drop(emu);
}

#[test]
fn memory_does_not_grow_under_queries_faults_and_reconnects() {
    let _alone = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut config = EmulatorConfig::default();
    config.limits.connections_per_5min = 1_000_000;
    config.limits.weight_per_minute = 1_000_000_000;
    let emu = Emulator::start(config).unwrap();
    let mut options = Options::default();
    options.config.request_timeout = Duration::from_millis(100);
    options.clock_sync_every = None;
    options.backoff = Backoff {
        first: Duration::from_millis(5),
        max: Duration::from_millis(50),
        attempts: 1000,
    };
    smol::block_on(async {
        let conn = Connection::connect(emu.url(), options).await.unwrap();
        // Rounds of 2 000 pings from 4 tasks, with a fault and a dropped connection per round.
        let round = |n: usize| {
            let conn = conn.clone();
            let emu = &emu;
            async move {
                // Faults that cost no waiting: duplicates, garbage, none.
                emu.set_faults(fault_for([3, 4, 0][n % 3]));
                let tasks: Vec<_> = (0..4)
                    .map(|_| {
                        let conn = conn.clone();
                        smol::spawn(async move {
                            for _ in 0..500 {
                                if conn.call(Request::new("ping")).await.is_err() {
                                    smol::Timer::after(Duration::from_millis(2)).await;
                                }
                            }
                        })
                    })
                    .collect();
                emu.drop_connections();
                for t in tasks {
                    t.await;
                }
                emu.set_faults(Faults::none());
                // Let late replies and reconnects settle, and empty the buffer.
                smol::Timer::after(Duration::from_millis(300)).await;
                while conn.buffer().pop_fifo().is_some() {}
            }
        };
        for n in 0..2 {
            round(n).await;
        }
        let after_warm_up = counting_alloc::live();
        for n in 2..8 {
            round(n).await;
        }
        let after = counting_alloc::live();
        let growth = after - after_warm_up;
        eprintln!(
            "memory: {after_warm_up} bytes after 2 rounds, {after} after 8 ({growth:+} bytes), \
             {} reconnects",
            conn.status().reconnects
        );
        assert!(conn.status().reconnects >= 6, "every round reconnected");
        assert!(
            growth < 256 * 1024,
            "memory grew by {growth} bytes over 6 rounds of 2 000 requests"
        );
        conn.close().await;
    });
}
