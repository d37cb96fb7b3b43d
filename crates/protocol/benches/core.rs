//! Hot-path figures for the protocol core, each beside its floor measured in the same run:
//!
//! - build + sign an `order.place` frame (`Request` → `send` → `poll_transmit`) vs. bare
//!   HMAC-SHA256 + hex over the same payload;
//! - read an `order.place` FULL reply (`handle_text` → `poll_event`) vs. a plain serde_json parse
//!   of the same frame into a struct holding the same information (id, status, raw result, rate
//!   limits);
//! - heap allocations per signed request and per reply, counted by a wrapping allocator.
//!
//! Run with `cargo bench -p binance-wsapi-proto --bench core` (add
//! `--features __bench-soft-sha` to measure with SHA-256 in software, as on CPUs without SHA
//! extensions). Each figure is the median of 15
//! batches. Targets: within 1.5x of each floor; at most 3 allocations per signed request.

#![allow(clippy::print_stdout, missing_docs)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use binance_wsapi_proto::{Client, Config, Credentials, Decimal, Event, RateLimit, Request};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::Sha256;

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const KEY: &str = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
const SECRET: &str = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
const BATCH: usize = 2000;
const SAMPLES: usize = 15;

fn client(now: Instant) -> Client {
    let mut config = Config::default();
    config.max_pending = BATCH + 1;
    Client::new(config, now, Duration::from_millis(1_660_801_715_431), 7)
        .expect("config")
        .with_credentials(Credentials::hmac(KEY, SECRET).expect("key"))
}

fn order(price: Decimal, quantity: Decimal) -> Request {
    Request::new("order.place")
        .param("symbol", "BTCUSDT")
        .param("side", "SELL")
        .param("type", "LIMIT")
        .param("timeInForce", "GTC")
        .param("price", price)
        .param("quantity", quantity)
}

/// One timed batch: ns per operation; `setup` runs outside the timing.
fn batch<S>(setup: &mut impl FnMut() -> S, run: &mut impl FnMut(&mut S)) -> f64 {
    let mut state = setup();
    let start = Instant::now();
    run(&mut state);
    let elapsed = start.elapsed();
    drop(state);
    elapsed.as_nanos() as f64 / BATCH as f64
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Measures a subject and its floor in alternating batches, so that both see the same machine
/// conditions. Returns (subject ns/op, floor ns/op, median of the per-round ratios).
fn versus<S, F>(
    mut setup: impl FnMut() -> S,
    mut run: impl FnMut(&mut S),
    mut floor_setup: impl FnMut() -> F,
    mut floor_run: impl FnMut(&mut F),
) -> (f64, f64, f64) {
    let (mut subject, mut floor, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..SAMPLES + 3 {
        let f = batch(&mut floor_setup, &mut floor_run);
        let s = batch(&mut setup, &mut run);
        if round >= 3 {
            subject.push(s);
            floor.push(f);
            ratios.push(s / f);
        }
    }
    (median(subject), median(floor), median(ratios))
}

/// The floor: a batch of bare HMAC-SHA256 + hex over `payload`, with MACs from `make`.
fn hmac_batch(make: &dyn Fn() -> Hmac<Sha256>, payload: &str, out: &mut String) {
    for _ in 0..BATCH {
        out.clear();
        let mut mac = make();
        mac.update(black_box(payload.as_bytes()));
        push_hex(&mac.finalize().into_bytes(), out);
        black_box(&out);
    }
}

fn push_hex(bytes: &[u8], out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for &b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct FloorReply<'a> {
    id: i64,
    status: u16,
    #[serde(borrow)]
    result: &'a RawValue,
    #[serde(rename = "rateLimits")]
    rate_limits: Vec<RateLimit>,
}

fn full_reply(id: usize) -> String {
    format!(
        r#"{{"id":{id},"status":200,"result":{{"symbol":"BTCUSDT","orderId":12569099453,"orderListId":-1,"clientOrderId":"4d96324ff9d44481926157ec08158a40","transactTime":1660801715639,"price":"23416.10000000","origQty":"0.00847000","executedQty":"0.00847000","origQuoteOrderQty":"0.000000","cummulativeQuoteQty":"198.33521500","status":"FILLED","timeInForce":"GTC","type":"LIMIT","side":"SELL","workingTime":1660801715639,"fills":[{{"price":"23416.10000000","qty":"0.00635000","commission":"0.000000","commissionAsset":"BNB","tradeId":1650422481}},{{"price":"23416.50000000","qty":"0.00212000","commission":"0.000000","commissionAsset":"BNB","tradeId":1650422482}}],"selfTradePreventionMode":"NONE"}},"rateLimits":[{{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":50,"count":1}},{{"rateLimitType":"ORDERS","interval":"DAY","intervalNum":1,"limit":160000,"count":1}},{{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000,"count":1}}]}}"#
    )
}

fn main() {
    let price: Decimal = "23416.10000000".parse().expect("decimal");
    let quantity: Decimal = "0.00847000".parse().expect("decimal");
    let now = Instant::now();

    // `CORE_BENCH_PROFILE=send` (or `reply`) runs only that path, for a profiler.
    match std::env::var("CORE_BENCH_PROFILE").as_deref() {
        Ok("send") => {
            for _ in 0..500 {
                let mut c = client(now);
                for _ in 0..BATCH {
                    c.send(order(price, quantity), now).expect("send");
                    black_box(c.poll_transmit());
                }
            }
            return;
        }
        Ok("reply") => {
            let replies: Vec<String> = (1..=BATCH).map(full_reply).collect();
            for _ in 0..500 {
                let mut c = client(now);
                for _ in 0..BATCH {
                    c.send(Request::new("ping"), now).expect("send");
                    let _ = c.poll_transmit();
                }
                for text in &replies {
                    c.handle_text(text, now).expect("reply");
                    black_box(c.poll_event());
                }
            }
            return;
        }
        _ => {}
    }

    // The payload the client signs, for the floor.
    let payload = {
        let mut c = client(now);
        c.send(order(price, quantity), now).expect("send");
        c.last_signed_payload().to_owned()
    };

    let new_client = || client(now);
    let build_sign = |c: &mut Client| {
        for _ in 0..BATCH {
            c.send(order(black_box(price), quantity), now)
                .expect("send");
            black_box(c.poll_transmit());
        }
    };
    let new_mac = || Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("key");
    let sign = versus(
        new_client,
        build_sign,
        || String::with_capacity(64),
        |out| hmac_batch(&new_mac, &payload, out),
    );
    // The same floor with the key schedule done once, as the client's signer does: the cost of
    // the cryptography alone.
    let keyed = new_mac();
    let sign_keyed = versus(
        new_client,
        build_sign,
        || String::with_capacity(64),
        |out| hmac_batch(&|| keyed.clone(), &payload, out),
    );

    let replies: Vec<String> = (1..=BATCH).map(full_reply).collect();
    let prepared = || {
        let mut c = client(now);
        for _ in 0..BATCH {
            c.send(Request::new("ping"), now).expect("send");
            let _ = c.poll_transmit();
        }
        c
    };
    let parse = versus(
        prepared,
        |c| {
            for text in &replies {
                c.handle_text(black_box(text), now).expect("reply");
                black_box(c.poll_event());
            }
        },
        || (),
        |()| {
            for text in &replies {
                let reply: FloorReply<'_> = serde_json::from_str(black_box(text)).expect("parse");
                let owned: Box<RawValue> = reply.result.to_owned();
                black_box((owned, reply.rate_limits, reply.id, reply.status));
            }
        },
    );

    // Allocations per operation, averaged over a batch.
    let mut c = client(now);
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..BATCH {
        c.send(order(price, quantity), now).expect("send");
        black_box(c.poll_transmit());
    }
    let send_allocs = (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / BATCH as f64;
    let mut c = prepared();
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let mut completed = 0;
    for text in &replies {
        c.handle_text(text, now).expect("reply");
        if let Some(Event::Completed(_)) = c.poll_event() {
            completed += 1;
        }
    }
    assert_eq!(completed, BATCH);
    let reply_allocs = (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / BATCH as f64;

    println!("binance-wsapi-proto core benchmark ({SAMPLES} rounds of {BATCH}, subject and floor alternating)");
    println!("{:<46} {:>8} {:>8} {:>7}", "", "ns/op", "floor", "ratio");
    for (label, (subject, floor, ratio)) in [
        ("order.place build + HMAC sign (vs HMAC+hex)", sign),
        ("  same, vs HMAC+hex from a precomputed key", sign_keyed),
        ("order.place FULL reply parse (vs serde struct)", parse),
    ] {
        println!("{label:<46} {subject:>8.0} {floor:>8.0} {ratio:>6.2}x");
    }
    println!(
        "allocations per signed order.place (Request + send + poll_transmit): {send_allocs:.2}"
    );
    println!("allocations per reply (handle_text + poll_event): {reply_allocs:.2}");
    println!(
        "payload signed: {} bytes; reply parsed: {} bytes",
        payload.len(),
        replies[0].len()
    );
}
